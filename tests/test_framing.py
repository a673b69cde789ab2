"""biaslens.framing: per-party scores, the asymmetry, its symmetry and its uncertainty."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import biaslens
from biaslens.framing import COMPOSITE, METRICS, OTHERS, asymmetry, corpus_asymmetry, scores
from biaslens.report import Cue, Party, Report, Statement

PARTIES = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
NAMES = {"mother": "Ms Finch", "father": "Mr Bell"}


# -- reports generated from sentence templates, with random cue choices ----------------
# (template, label, source-is-the-party, [(cue word, category, voice)])
TEMPLATES = [
    ("{P} {verb} that the handover was late.", "allegation", True, "stance"),
    ("{P} was {desc} at the meeting.", "opinion", False, "desc"),
    ("{P} {fail} to bring Amy to the office.", "observation", False, "fail"),
    ("{P} has a history of {mh}.", "observation", False, "mh"),
    ("The officer suggested that {P} had failed to attend.", "allegation", False, "reported"),
    ("{P} attended the meeting on time.", "observation", False, "none"),
]
STANCE = [("claimed", "distancing_attribution"), ("said", "neutral_attribution"),
          ("acknowledged", "endorsing_attribution"), ("insisted", "distancing_attribution")]
DESC = [("hostile", "negative_descriptor"), ("warm", "positive_descriptor"),
        ("rigid", "negative_descriptor"), ("child-focused", "positive_descriptor")]
FAIL = [("failed", False), ("refused", True), ("declined", True)]
MH = ["anxiety", "depression"]


def _statement(text_so_far: int, kind: int, role: str, choice: int, *, eval_fact: bool) -> Statement:
    tpl, label, sourced, slot = TEMPLATES[kind]
    name = NAMES[role]
    cues: list[tuple[str, str, str]] = []
    fill = {"P": name}
    if slot == "stance":
        w, cat = STANCE[choice % len(STANCE)]
        fill["verb"] = w
        cues.append((w, cat, "author"))
    elif slot == "desc":
        w, cat = DESC[choice % len(DESC)]
        fill["desc"] = w
        cues.append((w, cat, "author"))
        if eval_fact:
            cues.append((f"was {w}", "evaluation_as_fact", "author"))
    elif slot == "fail":
        w, unsupported = FAIL[choice % len(FAIL)]
        fill["fail"] = w
        cues.append((w, "presupposed_failure", "author"))
        if unsupported:
            cues.append((w, "unsupported_presupposition", "author"))
    elif slot == "mh":
        w = MH[choice % len(MH)]
        fill["mh"] = w
        cues.append((w, "mental_health_reference", "author"))
    elif slot == "reported":
        cues.append(("failed to", "presupposed_failure", "reported"))
    text = tpl.format(**fill)
    start = text_so_far
    cue_objs = tuple(Cue(w, start + text.index(w), start + text.index(w) + len(w), cat, role, voice)
                     for w, cat, voice in cues)
    return Statement(text, start, start + len(text), label, role if sourced else "author",
                     (role,), cue_objs)


def build_report(plan: list[tuple[int, str, int, bool]]) -> Report:
    """A Report from (template, role, cue choice, evaluation-as-fact) tuples."""
    statements, pos = [], 0
    for kind, role, choice, ef in plan:
        s = _statement(pos, kind, role, choice, eval_fact=ef)
        statements.append(s)
        pos = s.end + 1
    text = " ".join(s.text for s in statements)
    mentions = {r: tuple((s.start, s.start + len(NAMES[r])) for s in statements if r in s.targets)
                for r in NAMES}
    parties = {r: Party(r, (NAMES[r],), mentions[r]) for r in NAMES}
    return Report(text, parties, statements)


def swap_report(r: Report) -> Report:
    """Names and roles exchanged by construction: every 'mother' becomes 'father' and back."""
    sw = {"mother": "father", "father": "mother"}

    def m(x):
        return sw.get(x, x)

    statements = [Statement(s.text, s.start, s.end, s.label, m(s.source), tuple(m(t) for t in s.targets),
                            tuple(Cue(c.text, c.start, c.end, c.category, m(c.target), c.voice, c.note)
                                  for c in s.cues), s.confidence) for s in r.statements]
    parties = {role: Party(role, r.parties[sw[role]].aliases, r.parties[sw[role]].mentions)
               for role in r.parties}
    return Report(r.text, parties, statements)


plans = st.lists(st.tuples(st.integers(0, len(TEMPLATES) - 1), st.sampled_from(["mother", "father"]),
                           st.integers(0, 11), st.booleans()), min_size=1, max_size=40)


def _close(x, y):
    return (math.isnan(x) and math.isnan(y)) or abs(x - y) < 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans, st.integers(0, 10_000))
def test_swap_negates_every_metric_and_the_composite(plan, seed):
    r = build_report(plan)
    fa = asymmetry(r, "mother", "father", n_boot=200, seed=seed)
    fs = asymmetry(swap_report(r), "mother", "father", n_boot=200, seed=seed)
    assert _close(fa.value, -fs.value)
    assert _close(fa.ci[0], -fs.ci[1]) and _close(fa.ci[1], -fs.ci[0])
    for m in METRICS:
        assert _close(fa.metrics.loc[m, "difference"], -fs.metrics.loc[m, "difference"]), m
        assert _close(fa.metrics.loc[m, "ci_low"], -fs.metrics.loc[m, "ci_high"]), m
    # the per-party scores move with the role
    sa, ss = scores(r), scores(swap_report(r))
    pd.testing.assert_series_equal(sa.loc["mother"], ss.loc["father"], check_names=False)


@settings(max_examples=40, deadline=None)
@given(plans)
def test_comparing_b_with_a_negates(plan):
    r = build_report(plan)
    ab = asymmetry(r, "mother", "father", n_boot=0)
    ba = asymmetry(r, "father", "mother", n_boot=0)
    assert _close(ab.value, -ba.value)
    if not math.isnan(ab.value):
        assert -1 <= ab.value <= 1


def test_even_handed_interval_covers_zero():
    # every kind of sentence once for each parent, with the same cue choices
    plan = [(k, role, c, ef) for k in range(len(TEMPLATES)) for c in range(3) for ef in (True, False)
            for role in ("mother", "father")]
    fa = asymmetry(build_report(plan), "mother", "father", n_boot=2000, seed=1)
    assert fa.value == pytest.approx(0.0)
    assert fa.ci[0] < 0 < fa.ci[1]
    assert (fa.metrics["difference"].fillna(0).abs() < 1e-12).all()


def test_several_independent_ways_exclude_zero():
    plan = []
    for c in range(6):
        plan += [(0, "mother", 0, False), (0, "father", 1, False)]        # claimed vs said
        plan += [(1, "mother", 0, True), (1, "father", 1, False)]         # hostile as fact vs warm
        plan += [(2, "mother", 1, False), (5, "father", 0, False)]        # refused (unsupported)
        plan += [(3, "mother", c, False), (5, "father", 0, False)]        # mental health
    fa = asymmetry(build_report(plan), "mother", "father", n_boot=2000, seed=0)
    assert fa.value > 0
    assert fa.ci[0] > 0
    assert fa.p_value < 0.05
    m = fa.metrics
    for metric in ("distancing_rate", "negative_descriptor_rate", "unsupported_presupposition_rate",
                   "mental_health_rate", "negative_evaluation_as_fact_rate"):
        assert m.loc[metric, "difference"] > 0 and m.loc[metric, "ci_low"] > 0, metric
    assert m.loc["positive_descriptor_rate", "difference"] < 0
    # evidence names the statements behind a metric, with their cues
    ev = fa.evidence("unsupported_presupposition_rate")
    assert set(ev["party"]) == {"mother"} and len(ev) == 6
    assert ev["cues"].str.contains("refused").all()
    assert set(fa.evidence("composite")["metric"]) <= set(COMPOSITE)


def test_reported_voice_does_not_count_as_author_framing():
    plan = [(4, "mother", 0, False), (5, "father", 0, False)] * 3
    fa = asymmetry(build_report(plan), "mother", "father", n_boot=0)
    assert fa.metrics.loc["presupposed_failure_rate", "difference"] == 0


def test_same_seed_same_interval_and_to_dict_is_json():
    import json

    r = build_report([(k % 6, ("mother", "father")[k % 2], k, k % 3 == 0) for k in range(30)])
    x, y = asymmetry(r, n_boot=500, seed=3), asymmetry(r, n_boot=500, seed=3)
    assert x.ci == y.ci and x.p_value == y.p_value
    json.dumps(x.to_dict())
    f = x.to_frame()
    assert f.iloc[0]["metric"] == "composite" and len(f) == len(METRICS) + 1


def test_scores_columns_and_counts():
    r = build_report([(0, "mother", 0, False), (0, "mother", 1, False), (2, "father", 1, False)])
    s = scores(r)
    assert list(s.index) == ["mother", "father"]
    assert s.loc["mother", "distancing_rate"] == 0.5 and s.loc["mother", "n_distancing_rate"] == 1
    assert s.loc["father", "presupposed_failures_unsupported"] == 1
    assert s.loc["father", "presupposed_failures_supported"] == 0
    assert s.loc["mother", "voice_share"] == 1.0 and s.loc["father", "accounts"] == 0
    assert math.isnan(s.loc["father", "distancing_rate"])  # no account of his: undefined, not 0


def test_one_party_compares_with_others():
    text = ("Ms Finch claims that the school was wrong. The teacher said that Amy was happy. "
            "Ms Finch was hostile.")
    with pytest.warns(biaslens.BiasLensWarning, match="W140"):
        r = biaslens.analyze(text, parties={"mother": ["Ms Finch"]})
        fa = r.asymmetry(n_boot=100)
    assert (fa.a, fa.b) == ("mother", OTHERS)
    assert fa.metrics.loc["distancing_rate", "a"] == 1.0


@pytest.mark.parametrize("a,b,code", [("mother", "mother", "E140"), ("aunt", None, "E012"),
                                      (None, "uncle", "E012")])
def test_bad_roles(a, b, code):
    r = build_report([(0, "mother", 0, False), (0, "father", 0, False)])
    with pytest.raises(biaslens.InputError, match=code):
        r.asymmetry(a, b)
    with pytest.raises(biaslens.InputError, match="E142"):
        asymmetry(r, n_boot=0).evidence("nonsense")


def test_bootstrap_is_vectorised_fast_enough():
    # not a timing test (see experiments/bench_framing.py); guards against a per-resample loop
    import time

    r = build_report([(k % 6, ("mother", "father")[k % 2], k, k % 3 == 0) for k in range(300)])
    t0 = time.perf_counter()
    asymmetry(r, n_boot=2000, seed=0)
    assert time.perf_counter() - t0 < 5


def test_corpus_asymmetry_groups_and_hierarchy():
    even = build_report([(k % 6, role, k, False) for k in range(12) for role in ("mother", "father")])
    against_m = build_report([(0, "mother", 0, False), (0, "father", 1, False),
                              (1, "mother", 0, True), (1, "father", 1, False)] * 4)
    reps = [even, against_m, swap_report(against_m), against_m]
    meta = [{"author": "A", "year": 2021}, {"author": "A", "year": 2022},
            {"author": "B", "year": 2022}, {"author": "B", "year": 2023}]
    ca = corpus_asymmetry(reps, meta, n_boot=500, seed=0)
    assert ca.n_reports == 4
    assert ca.reports["value"].iloc[1] == pytest.approx(-ca.reports["value"].iloc[2])
    assert ca.value == pytest.approx(ca.reports["value"].mean())
    assert ca.ci[0] <= ca.value <= ca.ci[1]
    assert set(ca.groups["by"]) == {"author", "year"}
    g = ca.groups.set_index(["by", "group"])
    assert g.loc[("author", "A"), "n_reports"] == 2
    # against-mother reports by author B: one and one swapped -> even on average
    assert ca.groups.query("by == 'author' and group == 'B'")["value"].iloc[0] == pytest.approx(
        (ca.reports["value"].iloc[2] + ca.reports["value"].iloc[3]) / 2)
    with pytest.raises(biaslens.InputError, match="E145"):
        corpus_asymmetry(reps, meta[:2])
    with pytest.raises(biaslens.InputError, match="E147"):
        corpus_asymmetry(reps, meta, by="court")


# -- through the NLP pipeline: the cue finder itself must be symmetric -------------------
PIPE_TEXT = (
    "{A} told me that {B} had cancelled contact twice. "
    "{B} claims that {A} refused to return the child on time. "
    "{A} was hostile during the visit. "
    "{B} acknowledged that the handovers were difficult. "
    "{A} failed to bring the school reports despite being asked. "
    "I asked {B} to keep a diary of contact. "
    "{B} did not provide the diary. "
    "{A} has a history of depression."
)


def test_pipeline_name_swap_negates(nlp):
    pa = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
    t1 = PIPE_TEXT.format(A="Ms Finch", B="Mr Bell")
    t2 = PIPE_TEXT.format(A="Mr Bell", B="Ms Finch")
    r1 = biaslens.analyze(t1, pa, nlp=nlp)
    r2 = biaslens.analyze(t2, pa, nlp=nlp)
    f1, f2 = r1.asymmetry("mother", "father", n_boot=300), r2.asymmetry("mother", "father", n_boot=300)
    assert f1.value > 0
    assert f1.value == pytest.approx(-f2.value)
    np.testing.assert_allclose(f1.metrics["difference"].to_numpy(float),
                               -f2.metrics["difference"].to_numpy(float), equal_nan=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans)
def test_metrics_frame_is_lazy_and_matches_to_dict(plan):
    fa = asymmetry(build_report(plan), n_boot=50, seed=1)
    assert "_metrics_frame" not in fa.__dict__  # to_dict and value need no DataFrame
    d = fa.to_dict()
    assert "_metrics_frame" not in fa.__dict__
    frame = fa.metrics
    assert fa.metrics is frame and list(frame.index) == list(METRICS)
    as_records = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                  for r in frame.reset_index().to_dict("records")]
    assert d["metrics"] == as_records
    # the vectorised intervals are the column-by-column ones
    from biaslens.framing import _interval, _intervals

    boot = np.random.default_rng(0).normal(size=(50, len(METRICS)))
    boot[::7, 3] = np.nan
    boot[:, 5] = np.nan
    assert _intervals(boot) == [_interval(boot[:, j]) for j in range(len(METRICS))]


def test_statement_records_are_the_frame_rows():
    rep = build_report([(0, "mother", 0, False), (1, "father", 1, True), (2, "mother", 1, False)])
    assert rep.statement_records() == rep.to_frame().to_dict("records")
