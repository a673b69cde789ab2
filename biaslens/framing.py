"""Differential framing: per-party scores and the asymmetry between two parties.

Everything here reads a finished :class:`~biaslens.report.Report` (never re-parses) and is
pure numpy/pandas, seeded. Every per-party number is a *ratio of sums over statements*:

``metric(p) = sum_s num[s, p] / sum_s den[s, p]``

so one statement-level bootstrap is a single matrix product of resampling weights with the
``num`` and ``den`` matrices, for every metric and both parties at once.

Metrics (``METRICS``; direction +1 = higher means framed worse, -1 = higher means framed
better, 0 = descriptive, not in the composite):

============================== ===================================================== ====
metric                         rate                                                  dir
============================== ===================================================== ====
distancing_rate                distancing / all reporting cues introducing p's account +1
neutral_rate                   neutral / all reporting cues introducing p's account     0
endorsing_rate                 endorsing / all reporting cues introducing p's account  -1
presupposed_failure_rate       statements about p with a failure presupposed of p     +1
unsupported_presupposition_rate  ... whose presupposed request is recorded nowhere    +1
negative_descriptor_rate       statements about p evaluating p negatively             +1
positive_descriptor_rate       statements about p evaluating p positively             -1
negative_evaluation_as_fact_rate  statements about p asserting a negative evaluation
                               of p as fact (evaluation_as_fact + negative_descriptor) +1
mental_health_rate             statements about p referring to p's mental health      +1
pattern_presupposition_rate    statements about p presupposing a pattern of conduct   +1
unattributed_contested_rate    statements about p stating a contested matter as fact  +1
hedge_on_accounts_rate         p's accounts (allegations sourced by p) with a hedge    0
booster_on_accounts_rate       p's accounts with a booster                             0
opinion_share                  statements about p labelled opinion                     0
allegation_share               statements about p labelled allegation                  0
observation_share              statements about p labelled observation                 0
voice_share                    the report's reported accounts that are p's              0
============================== ===================================================== ====

Only cues in the **author's voice** count towards the failure, descriptor, evaluation,
mental-health, pattern and contested rates: "the officer suggested that Ms F had failed to"
is the officer's framing, not the author's (the cue is still in the report, with
``voice="reported"``). Rates are shares of *statements* (a statement with two negative
descriptors of p counts once), so each lies in [0, 1].

**Composite index.** ``value = mean over the directed metrics defined for both parties of
direction * (metric(a) - metric(b))``. It lies in [-1, 1]; > 0 means ``a`` is framed worse
than ``b``, 0 even-handed. A metric is left out (of the value and of that bootstrap
replicate) when either party has a zero denominator (e.g. no reported account of theirs).
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np

from .errors import Errors, InputError, warn
from .report import LABELS, Report, Statement

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

logger = logging.getLogger("biaslens")

STANCES = ("distancing_attribution", "neutral_attribution", "endorsing_attribution")
#: pseudo-party used when a report names only one party: everyone else in the report
OTHERS = "others"

# (metric, kind, category or label, direction). kind says how num/den are built per statement.
_SPEC: tuple[tuple[str, str, str, int], ...] = (
    ("distancing_rate", "stance", "distancing_attribution", +1),
    ("neutral_rate", "stance", "neutral_attribution", 0),
    ("endorsing_rate", "stance", "endorsing_attribution", -1),
    ("presupposed_failure_rate", "about_cue", "presupposed_failure", +1),
    ("unsupported_presupposition_rate", "about_cue", "unsupported_presupposition", +1),
    ("negative_descriptor_rate", "about_cue", "negative_descriptor", +1),
    ("positive_descriptor_rate", "about_cue", "positive_descriptor", -1),
    # a *positive* evaluation stated as fact favours the party, so only negative ones count
    ("negative_evaluation_as_fact_rate", "about_cue", "evaluation_as_fact", +1),
    ("mental_health_rate", "about_cue", "mental_health_reference", +1),
    ("pattern_presupposition_rate", "about_cue", "pattern_presupposition", +1),
    ("unattributed_contested_rate", "about_cue", "unattributed_contested", +1),
    ("hedge_on_accounts_rate", "account_cue", "hedge", 0),
    ("booster_on_accounts_rate", "account_cue", "booster", 0),
    ("opinion_share", "about_label", "opinion", 0),
    ("allegation_share", "about_label", "allegation", 0),
    ("observation_share", "about_label", "observation", 0),
    ("voice_share", "voice", "allegation", 0),
)
METRICS: tuple[str, ...] = tuple(m for m, *_ in _SPEC)
DIRECTION: dict[str, int] = {m: d for m, _, _, d in _SPEC}
#: the metrics that enter the composite index
COMPOSITE: tuple[str, ...] = tuple(m for m in METRICS if DIRECTION[m] != 0)


# ---------------------------------------------------------------------------------------
# statement-level matrices
# ---------------------------------------------------------------------------------------
def _is(role: str | None, party: str, parties: Sequence[str]) -> bool:
    """Does ``role`` denote ``party``? ``OTHERS`` stands for every non-party role."""
    if party == OTHERS:
        return role is not None and role not in parties
    return role == party


def _about(s: Statement, party: str, parties: Sequence[str]) -> bool:
    if any(_is(t, party, parties) for t in s.targets):
        return True
    return any(c.category not in STANCES and _is(c.target, party, parties) for c in s.cues)


def party_matrices(report: Report, party: str, parties: Sequence[str] | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """``(num, den)``: float arrays of shape (n_statements, len(METRICS)) for ``party``.

    ``parties`` are the report's real parties (needed to resolve :data:`OTHERS`).
    """
    parties = list(report.parties) if parties is None else list(parties)
    n = len(report.statements)
    num = np.zeros((n, len(METRICS)))
    den = np.zeros((n, len(METRICS)))
    for i, s in enumerate(report.statements):
        about = _about(s, party, parties)
        account = s.label == "allegation" and _is(s.source, party, parties)
        mine = [c for c in s.cues if _is(c.target, party, parties)]
        stance = [c for c in mine if c.category in STANCES]
        authored = {c.category for c in mine if c.voice == "author"}
        cats = {c.category for c in s.cues}
        for j, (_, kind, what, _) in enumerate(_SPEC):
            if kind == "stance":
                num[i, j] = sum(c.category == what for c in stance)
                den[i, j] = len(stance)
            elif kind == "about_cue":
                den[i, j] = about
                num[i, j] = about and what in authored and (
                    what != "evaluation_as_fact" or "negative_descriptor" in authored)
            elif kind == "account_cue":
                den[i, j] = account
                num[i, j] = account and what in cats
            elif kind == "about_label":
                den[i, j] = about
                num[i, j] = about and s.label == what
            else:  # voice
                den[i, j] = s.label == "allegation"
                num[i, j] = account
    return num, den


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _composite(diff: np.ndarray) -> np.ndarray:
    """Composite index from per-metric differences (last axis = METRICS)."""
    d = np.array([DIRECTION[m] for m in METRICS], dtype=float)
    signed = (diff * d)[..., d != 0]
    with np.errstate(invalid="ignore"):
        ok = ~np.isnan(signed)
        cnt = ok.sum(axis=-1)
        tot = np.where(ok, signed, 0.0).sum(axis=-1)
        return np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)


def _boot_weights(rng: np.random.Generator, n: int, n_boot: int) -> np.ndarray:
    """(n_boot, n) multinomial resampling counts, built with one bincount (fast)."""
    idx = rng.integers(0, n, size=(n_boot, n))
    idx += (np.arange(n_boot) * n)[:, None]
    return np.bincount(idx.ravel(), minlength=n_boot * n).reshape(n_boot, n).astype(float)


# ---------------------------------------------------------------------------------------
# scores
# ---------------------------------------------------------------------------------------
def scores(report: Report) -> "pd.DataFrame":
    """Per-party framing scores: one row per party (and the child, when the report has one).

    Columns: ``statements_about``, ``statements_sourced``, ``accounts`` (allegations sourced
    by the party), ``reporting_cues`` (attribution cues introducing their accounts),
    ``presupposed_failures_supported`` / ``_unsupported`` (author's voice), then every metric
    of :data:`METRICS` as a rate with its numerator beside it as ``n_<metric>``.

    Parameters
    ----------
    report : Report

    Returns
    -------
    pandas.DataFrame
        Indexed by role.

    Examples
    --------
    >>> import biaslens
    >>> r = biaslens.analyze("Ms Finch claims that Mr Bell refused to attend. "
    ...                      "Mr Bell said that he was ill.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> s = r.scores()
    >>> int(s.loc["mother", "n_distancing_rate"]), float(s.loc["father", "neutral_rate"])
    (1, 1.0)
    """
    import pandas as pd

    parties = list(report.parties)
    roles = parties + (["child"] if report.child is not None else [])
    rows = []
    for p in roles:
        num, den = party_matrices(report, p, parties)
        tn, td = num.sum(0), den.sum(0)
        rate = _ratio(tn, td)
        pf = [c for s in report.statements for c in s.cues
              if c.target == p and c.voice == "author" and c.category in ("presupposed_failure", "unsupported_presupposition")]
        n_pf = sum(c.category == "presupposed_failure" for c in pf)
        n_unsup = sum(c.category == "unsupported_presupposition" for c in pf)
        row: dict[str, Any] = {
            "party": p,
            "statements_about": int(sum(_about(s, p, parties) for s in report.statements)),
            "statements_sourced": int(sum(s.source == p for s in report.statements)),
            "accounts": int(sum(s.source == p and s.label == "allegation" for s in report.statements)),
            "reporting_cues": int(td[METRICS.index("distancing_rate")]),
            "presupposed_failures_supported": n_pf - n_unsup,
            "presupposed_failures_unsupported": n_unsup,
        }
        for j, m in enumerate(METRICS):
            row[m] = float(rate[j])
            row["n_" + m] = int(tn[j])
        rows.append(row)
    cols = ["party", "statements_about", "statements_sourced", "accounts", "reporting_cues",
            "presupposed_failures_supported", "presupposed_failures_unsupported"]
    for m in METRICS:
        cols += [m, "n_" + m]
    out = pd.DataFrame(rows, columns=cols).set_index("party")
    # hearing metrics (concerns uptake, assessment parity) per party; see biaslens.hearing
    from .hearing import party_metrics

    return out.join(party_metrics(report), how="left")


# ---------------------------------------------------------------------------------------
# asymmetry
# ---------------------------------------------------------------------------------------
def default_pair(report: Report, a: str | None = None, b: str | None = None) -> tuple[str, str]:
    """The two parties to compare.

    Given neither, the two parties with the most mentions (ties: the order of
    ``report.parties``), kept in ``report.parties`` order. Given one, the other is the most
    mentioned remaining party. When the report has only one party, ``b`` is :data:`OTHERS`:
    every non-party the report speaks of or quotes (the child, professionals, relatives), so
    the question becomes "is this parent framed worse than everyone else in the report?".
    """
    parties = list(report.parties)
    for x in (a, b):
        if x is not None and x not in parties and x != OTHERS:
            raise InputError(Errors.E012.format(role=x, roles=parties,
                                                example=", ".join(repr(p) for p in parties[:2]) or "'mother', 'father'"))
    if a is not None and a == b:
        raise InputError(Errors.E140.format(role=a))
    order = sorted(parties, key=lambda p: (-len(report.parties[p].mentions), parties.index(p)))
    if a is None and b is None:
        if not parties:
            raise InputError(Errors.E141)
        top = order[:2]
        if len(top) == 1:
            warn(Errors.W140.format(role=top[0]))
            return top[0], OTHERS
        top.sort(key=parties.index)
        return top[0], top[1]
    if a is None or b is None:
        given = a if a is not None else b
        rest = [p for p in order if p != given]
        other = rest[0] if rest else OTHERS
        if not rest:
            warn(Errors.W140.format(role=given))
        return (given, other) if a is not None else (other, given)
    return a, b


@dataclass(frozen=True)
class FramingAsymmetry:
    """How much worse party ``a`` is framed than party ``b`` in one report.

    Attributes
    ----------
    a, b : str
        The compared roles (``b`` may be :data:`OTHERS`).
    value : float
        The composite index (module docstring): > 0 means ``a`` is framed worse than ``b``.
    ci : (float, float)
        95% percentile bootstrap interval of ``value``, resampling statements.
    p_value : float
        Paired permutation p-value of ``value`` (each statement's a/b contributions swapped
        at random).
    metrics : pandas.DataFrame
        One row per metric: ``direction``, ``a``, ``b``, counts, ``difference`` (a - b),
        ``ci_low``, ``ci_high``, ``p_value``, ``in_composite``. Built on first access (batch
        scoring reads :meth:`to_dict`, which needs no DataFrame).
    """

    a: str
    b: str
    value: float
    ci: tuple[float, float]
    p_value: float
    n_statements: int
    n_boot: int
    seed: int
    #: one plain dict per metric (the rows of :attr:`metrics`), in ``METRICS`` order
    _rows: tuple = field(repr=False, compare=False, hash=False, default=())
    _evidence: tuple = field(repr=False, compare=False, hash=False, default=())

    @property
    def metrics(self) -> "pd.DataFrame":
        df = self.__dict__.get("_metrics_frame")
        if df is None:
            import pandas as pd

            df = pd.DataFrame([dict(r) for r in self._rows]).set_index("metric")
            object.__setattr__(self, "_metrics_frame", df)  # frozen: cache once, by hand
        return df

    def evidence(self, metric: str) -> "pd.DataFrame":
        """The statements (and their cues) behind ``metric`` for both parties.

        One row per (party, statement) that counts in the metric's numerator or
        denominator, with ``counts`` (numerator contribution) and ``cues`` (the statement's
        cues bound to that party).
        """
        import pandas as pd

        if metric not in METRICS and metric != "composite":
            raise InputError(Errors.E142.format(metric=metric, options=", ".join(METRICS)))
        names = COMPOSITE if metric == "composite" else (metric,)
        rows = [r for r in self._evidence if r["metric"] in names]
        cols = ["metric", "party", "statement_id", "start", "end", "label", "source", "text",
                "numerator", "denominator", "cues"]
        return pd.DataFrame(rows, columns=cols)

    def to_frame(self) -> "pd.DataFrame":
        """The per-metric table with the composite as its first row."""
        import pandas as pd

        top = pd.DataFrame([{"metric": "composite", "direction": 0, "a": math.nan, "b": math.nan,
                             "n_a": math.nan, "den_a": math.nan, "n_b": math.nan, "den_b": math.nan,
                             "difference": self.value, "ci_low": self.ci[0], "ci_high": self.ci[1],
                             "p_value": self.p_value, "in_composite": False}])
        return pd.concat([top, self.metrics.reset_index()], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary (no report text)."""
        def num(x):
            return None if x is None or (isinstance(x, float) and math.isnan(x)) else x

        return {"a": self.a, "b": self.b, "value": num(self.value),
                "ci": [num(self.ci[0]), num(self.ci[1])], "p_value": num(self.p_value),
                "n_statements": self.n_statements, "n_boot": self.n_boot, "seed": self.seed,
                "metrics": [{k: num(v) if isinstance(v, float) else v for k, v in row.items()}
                            for row in self._rows]}

    def __repr__(self) -> str:
        return (f"FramingAsymmetry(a={self.a!r}, b={self.b!r}, value={self.value:+.3f}, "
                f"ci=({self.ci[0]:+.3f}, {self.ci[1]:+.3f}), p={self.p_value:.3g})")


def _stats(num_a, den_a, num_b, den_b, n_boot: int, seed: int):
    """Observed differences, bootstrap replicates and permutation null, all vectorised."""
    n = num_a.shape[0]
    obs = _ratio(num_a.sum(0), den_a.sum(0)) - _ratio(num_b.sum(0), den_b.sum(0))
    rng = np.random.default_rng(seed)
    if n == 0 or n_boot <= 0:
        empty = np.full((0, len(METRICS)), np.nan)
        return obs, empty, empty
    # one product for everything: columns [num_a | den_a | num_b | den_b]
    stacked = np.hstack([num_a, den_a, num_b, den_b])
    k = len(METRICS)
    w = _boot_weights(rng, n, n_boot)
    s = w @ stacked
    boot = _ratio(s[:, :k], s[:, k:2 * k]) - _ratio(s[:, 2 * k:3 * k], s[:, 3 * k:])
    # paired permutation: each statement's contributions to a and b are exchanged with p=1/2
    flip = rng.integers(0, 2, size=(n_boot, n)).astype(float)
    a_part = np.hstack([num_a, den_a])
    b_part = np.hstack([num_b, den_b])
    pa = flip @ b_part + (1 - flip) @ a_part
    pb = flip @ a_part + (1 - flip) @ b_part
    perm = _ratio(pa[:, :k], pa[:, k:]) - _ratio(pb[:, :k], pb[:, k:])
    return obs, boot, perm


def _interval(x: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (math.nan, math.nan)
    lo, hi = np.quantile(x, [(1 - level) / 2, 1 - (1 - level) / 2])
    return (float(lo), float(hi))


def _intervals(x: np.ndarray, level: float = 0.95) -> list[tuple[float, float]]:
    """:func:`_interval` of every column of ``x``: one quantile call for the columns
    without NaN (the same numbers as column by column), the others one at a time."""
    out: list[tuple[float, float]] = [(math.nan, math.nan)] * x.shape[1]
    full = ~np.isnan(x).any(axis=0)
    if full.any() and x.shape[0]:
        q = np.quantile(x[:, full], [(1 - level) / 2, 1 - (1 - level) / 2], axis=0)
        for k, j in enumerate(np.flatnonzero(full).tolist()):
            out[j] = (float(q[0, k]), float(q[1, k]))
    for j in np.flatnonzero(~full).tolist():
        out[j] = _interval(x[:, j], level)
    return out


def _pvalue(obs: float, null: np.ndarray) -> float:
    if math.isnan(obs):
        return math.nan
    null = null[~np.isnan(null)]
    if null.size == 0:
        return math.nan
    # a tolerance so that exact ties (e.g. the observed split itself) count as "as extreme"
    return float((1 + np.sum(np.abs(null) >= abs(obs) - 1e-12)) / (1 + null.size))


def asymmetry(report: Report, a: str | None = None, b: str | None = None, *,
              n_boot: int = 2000, seed: int = 0) -> FramingAsymmetry:
    """How much worse the report frames party ``a`` than party ``b``, with its uncertainty.

    Parameters
    ----------
    report : Report
    a, b : str, optional
        Roles to compare; defaults from :func:`default_pair` (the two main parties; with a
        single party, that party against everyone else, :data:`OTHERS`).
    n_boot : int
        Bootstrap resamples (of statements) and permutation draws.
    seed : int
        Seed of the random generator; the same seed gives the same intervals.

    Returns
    -------
    FramingAsymmetry

    Examples
    --------
    >>> import biaslens
    >>> text = ("Ms Finch claims that she was ill. Mr Bell explained that he was ill. "
    ...         "Ms Finch was hostile. Ms Finch refused to attend.")
    >>> r = biaslens.analyze(text, parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> fa = r.asymmetry("mother", "father", n_boot=200)
    >>> fa.value > 0
    True
    """
    return _asymmetry(report, a, b, n_boot, seed)[0]


def _asymmetry(report: Report, a: str | None, b: str | None, n_boot: int, seed: int
               ) -> tuple[FramingAsymmetry, np.ndarray]:
    """:func:`asymmetry` plus the composite's bootstrap replicates (for the corpus level)."""
    a, b = default_pair(report, a, b)
    parties = list(report.parties)
    num_a, den_a = party_matrices(report, a, parties)
    num_b, den_b = party_matrices(report, b, parties)
    obs, boot, perm = _stats(num_a, den_a, num_b, den_b, n_boot, seed)
    ta, tda, tb, tdb = num_a.sum(0), den_a.sum(0), num_b.sum(0), den_b.sum(0)
    # plain dicts, not a DataFrame: batch scoring builds its frames once per corpus
    ra, rb = _ratio(ta, tda).tolist(), _ratio(tb, tdb).tolist()
    ta, tda, tb, tdb = (x.astype(np.int64).tolist() for x in (ta, tda, tb, tdb))
    diffs = obs.tolist()
    ints = _intervals(boot) if boot.size else [(math.nan, math.nan)] * len(METRICS)
    rows = []
    for j, m in enumerate(METRICS):
        lo, hi = ints[j]
        rows.append({"metric": m, "direction": DIRECTION[m], "a": ra[j], "b": rb[j],
                     "n_a": ta[j], "den_a": tda[j], "n_b": tb[j], "den_b": tdb[j],
                     "difference": diffs[j], "ci_low": lo, "ci_high": hi,
                     "p_value": _pvalue(diffs[j], perm[:, j]) if perm.size else math.nan,
                     "in_composite": DIRECTION[m] != 0 and not math.isnan(diffs[j])})
    value = float(_composite(obs[None, :])[0])
    ci = _interval(_composite(boot)) if boot.size else (math.nan, math.nan)
    pval = _pvalue(value, _composite(perm)) if perm.size else math.nan
    evidence = tuple(_evidence_rows(report, a, b, parties, (num_a, den_a), (num_b, den_b)))
    logger.debug("asymmetry %s vs %s over %d statements: %.3f", a, b, len(report.statements), value)
    comp_boot = _composite(boot) if boot.size else np.full(max(n_boot, 1), np.nan)
    return FramingAsymmetry(a, b, value, ci, pval, len(report.statements), n_boot, seed,
                            tuple(rows), evidence), comp_boot


def _evidence_rows(report, a, b, parties, mats_a, mats_b) -> Iterable[dict]:
    for party, (num, den) in ((a, mats_a), (b, mats_b)):
        # the numerator is the evidence: the statements where the metric's cue or label fired
        nz_i, nz_j = np.nonzero(num != 0)
        for i, j in zip(nz_i.tolist(), nz_j.tolist()):
            s = report.statements[i]
            _, kind, what, _ = _SPEC[j]
            want = STANCES if kind == "stance" else ((what,) if kind.endswith("cue") else None)
            cues = "; ".join(f"{c.category}:{c.text!r}" + (f" ({c.note})" if c.note else "")
                             for c in s.cues
                             if (want is None or c.category in want)
                             and (kind == "account_cue" or _is(c.target, party, parties)))
            yield {"metric": METRICS[j], "party": party, "statement_id": i, "start": s.start,
                   "end": s.end, "label": s.label, "source": s.source, "text": s.text,
                   "numerator": float(num[i, j]), "denominator": float(den[i, j]), "cues": cues}


# ---------------------------------------------------------------------------------------
# counterfactual (name and role swap)
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Counterfactual:
    """A report analysed as written and with two parties' names and roles swapped.

    ``deltas`` has one row per metric (and ``composite``): the a - b difference in the
    original (``original``), in the swapped text (``swapped``, still a - b by role), and
    ``delta = original + swapped``. In the swapped text the words that framed ``a`` now
    frame ``b``, so an analysis that depends only on the wording gives ``swapped ==
    -original`` and ``delta == 0``; a non-zero delta shows where names, titles or pronouns
    (not wording) moved a number.
    """

    text: str
    swapped_text: str
    a: str
    b: str
    original: Report = field(repr=False, compare=False)
    swapped: Report = field(repr=False, compare=False)
    deltas: "pd.DataFrame" = field(repr=False, compare=False)

    def to_frame(self) -> "pd.DataFrame":
        return self.deltas.reset_index()

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b,
                "deltas": [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                           for r in self.to_frame().to_dict("records")]}


def counterfactual(text: str, parties: Mapping[str, Sequence[str]], a: str | None = None,
                   b: str | None = None, *, nlp=None, n_boot: int = 0, seed: int = 0,
                   **analyze_kwargs) -> Counterfactual:
    """Analyse ``text`` and its role-swapped twin; report per-metric deltas.

    Parameters
    ----------
    text : str
        The report.
    parties : dict
        Role -> aliases, as for :func:`biaslens.analyze` (needed to swap names).
    a, b : str, optional
        The two roles to swap (default: the first two roles of ``parties``).
    nlp : Language, optional
        A pipeline from :func:`biaslens.load` to reuse.

    Examples
    --------
    >>> import biaslens
    >>> cf = biaslens.counterfactual("Ms Finch was hostile. Mr Bell was calm.",
    ...                              {"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> cf.swapped_text
    'Mr Bell was hostile. Ms Finch was calm.'
    >>> cf.deltas.loc["negative_descriptor_rate"].tolist()
    [1.0, -1.0, 0.0]
    """
    from .pipeline import analyze
    from .swap import swap_roles

    roles = list(parties)
    if a is None:
        a = next((r for r in roles if r != b), None)
    if b is None:
        b = next((r for r in roles if r != a), None)
    if a is None or b is None or a not in parties or b not in parties or a == b:
        raise InputError(Errors.E143.format(roles=roles))
    swapped_text, swapped_parties = _do_swap(swap_roles, text, parties, a, b)
    orig = analyze(text, parties, nlp=nlp, **analyze_kwargs)
    swp = analyze(swapped_text, swapped_parties, nlp=nlp, **analyze_kwargs)
    fo = asymmetry(orig, a, b, n_boot=n_boot, seed=seed)
    fs = asymmetry(swp, a, b, n_boot=n_boot, seed=seed)
    import pandas as pd

    d = pd.DataFrame({"original": [fo.value] + list(fo.metrics["difference"]),
                      "swapped": [fs.value] + list(fs.metrics["difference"])},
                     index=pd.Index(["composite", *METRICS], name="metric"))
    d["delta"] = d["original"] + d["swapped"]
    return Counterfactual(text, swapped_text, a, b, orig, swp, d)


def _do_swap(swap_roles, text, parties, a, b):
    """Role-swapped text; the parties mapping stays as it was.

    :func:`biaslens.swap.swap_roles` exchanges the two parties' names, kinship words and
    bound pronouns in the text, so role ``a`` keeps its own names but now stands where ``b``
    stood: the same ``parties`` describe the swapped text.
    """
    swapped, _mapping = swap_roles(text, {r: list(v) for r, v in parties.items()}, a, b)
    return swapped, {r: list(v) for r, v in parties.items()}


# ---------------------------------------------------------------------------------------
# corpus level
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CorpusAsymmetry:
    """The framing asymmetry over many reports, with a hierarchical bootstrap.

    Attributes
    ----------
    a, b : str
    value : float
        Mean of the reports' composite indices (each report weighs the same).
    ci : (float, float)
        95% interval from a two-stage bootstrap: reports resampled with replacement, then
        statements within each drawn report.
    reports : pandas.DataFrame
        One row per report: metadata columns, ``value``, ``ci_low``, ``ci_high``,
        ``p_value``, ``n_statements``.
    groups : pandas.DataFrame
        One row per group of ``by`` (empty without ``by``): ``n_reports``, ``value``,
        ``ci_low``, ``ci_high``, each with its own hierarchical bootstrap.
    """

    a: str
    b: str
    value: float
    ci: tuple[float, float]
    n_reports: int
    n_boot: int
    seed: int
    reports: "pd.DataFrame" = field(repr=False, compare=False)
    groups: "pd.DataFrame" = field(repr=False, compare=False)

    def to_frame(self) -> "pd.DataFrame":
        return self.reports.copy()

    def to_dict(self) -> dict[str, Any]:
        def clean(records):
            return [{k: (None if isinstance(v, float) and math.isnan(v) else
                         (v.item() if hasattr(v, "item") else v)) for k, v in r.items()} for r in records]

        return {"a": self.a, "b": self.b, "value": self.value, "ci": list(self.ci),
                "n_reports": self.n_reports, "n_boot": self.n_boot, "seed": self.seed,
                "reports": clean(self.reports.to_dict("records")),
                "groups": clean(self.groups.to_dict("records"))}

    def __repr__(self) -> str:
        return (f"CorpusAsymmetry(a={self.a!r}, b={self.b!r}, value={self.value:+.3f}, "
                f"ci=({self.ci[0]:+.3f}, {self.ci[1]:+.3f}), n_reports={self.n_reports})")


def _hier(reps: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """Two-stage bootstrap: ``reps`` is (n_reports, n_boot) statement-level replicates."""
    n = reps.shape[0]
    ri = rng.integers(0, n, size=(n_boot, n))
    ci = rng.integers(0, reps.shape[1], size=(n_boot, n))
    import warnings

    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        # a replicate whose drawn reports all lack a defined index is NaN, by design
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(reps[ri, ci], axis=1)


def corpus_asymmetry(reports: Sequence[Report], metadata: Any = None, by: str | Sequence[str] | None = None,
                     *, a: str | None = None, b: str | None = None, n_boot: int = 2000,
                     seed: int = 0) -> CorpusAsymmetry:
    """The asymmetry between two roles across a corpus, overall and per group.

    Parameters
    ----------
    reports : sequence of Report
    metadata : DataFrame or sequence of dict, optional
        One row per report (same order), e.g. with ``author``, ``court``, ``year``.
    by : str or list of str, optional
        Metadata column(s) to group by. Default: each of ``author``, ``court``, ``year``
        that the metadata has (grouped one column at a time).
    a, b : str, optional
        Roles compared in every report (default: the first report's :func:`default_pair`).
        A report lacking either role is skipped (logged).

    Examples
    --------
    >>> import biaslens
    >>> p = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
    >>> rs = [biaslens.analyze(t, parties=p) for t in
    ...       ["Ms Finch claims that she was ill. Mr Bell said that he was ill.",
    ...        "Ms Finch was hostile. Mr Bell was warm."]]
    >>> ca = biaslens.corpus_asymmetry(rs, [{"author": "X"}, {"author": "Y"}], n_boot=200)
    >>> list(ca.groups.columns[:3])
    ['by', 'group', 'n_reports']
    """
    import pandas as pd

    reports = list(reports)
    if not reports:
        raise InputError(Errors.E144)
    if metadata is None:
        meta = pd.DataFrame(index=range(len(reports)))
    else:
        meta = metadata.reset_index(drop=True) if isinstance(metadata, pd.DataFrame) else pd.DataFrame(list(metadata))
        if len(meta) != len(reports):
            raise InputError(Errors.E145.format(n_meta=len(meta), n_reports=len(reports)))
    if a is None or b is None:
        a, b = default_pair(reports[0], a, b)
    rng = np.random.default_rng(seed)
    rows, reps, keep = [], [], []
    for k, r in enumerate(reports):
        if any(x != OTHERS and x not in r.parties for x in (a, b)):
            logger.info("corpus_asymmetry: report %d lacks role %s or %s; skipped", k, a, b)
            continue
        fa, rep = _asymmetry(r, a, b, n_boot, int(rng.integers(2**31)))
        reps.append(rep)
        keep.append(k)
        rows.append({**meta.iloc[k].to_dict(), "report": k, "value": fa.value, "ci_low": fa.ci[0],
                     "ci_high": fa.ci[1], "p_value": fa.p_value, "n_statements": fa.n_statements})
    if not rows:
        raise InputError(Errors.E146.format(a=a, b=b))
    rep_df = pd.DataFrame(rows)
    R = np.vstack(reps)
    vals = rep_df["value"].to_numpy(dtype=float)
    value = float(np.nanmean(vals)) if np.any(~np.isnan(vals)) else math.nan
    ci = _interval(_hier(R, rng, n_boot))
    if by is None:
        by_cols = [c for c in ("author", "court", "year") if c in meta.columns]
    else:
        by_cols = [by] if isinstance(by, str) else list(by)
    grows = []
    for col in by_cols:
        if col not in rep_df.columns:
            raise InputError(Errors.E147.format(column=col, columns=list(meta.columns)))
        for g, idx in rep_df.groupby(col, sort=True).groups.items():
            pos = [rep_df.index.get_loc(i) for i in idx]
            gv = vals[pos]
            grows.append({"by": col, "group": g, "n_reports": len(pos),
                          "value": float(np.nanmean(gv)) if np.any(~np.isnan(gv)) else math.nan,
                          **dict(zip(("ci_low", "ci_high"), _interval(_hier(R[pos], rng, n_boot))))})
    groups = pd.DataFrame(grows, columns=["by", "group", "n_reports", "value", "ci_low", "ci_high"])
    return CorpusAsymmetry(a, b, value, ci, len(rows), n_boot, seed, rep_df, groups)
