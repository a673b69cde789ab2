"""Plots of per-party attributions, framing differences, cues and corpus results (matplotlib).

Every function follows the seaborn contract: ``f(data, *, ax=None, **kwargs) -> Axes``. It
draws on ``ax`` (a new figure when omitted) and returns it; it never calls ``show`` or
``savefig``, so the caller decides where a figure goes. Each party role keeps one fixed
colour-blind-safe colour (:func:`role_colour`) in every plot, so a reader who learns "mother is
vermillion" in one figure can read the next without a legend. Empty input draws an empty,
labelled Axes rather than raising: a report with no cues is a finding, not an error.

Plotting never scores: :func:`framing` and :func:`corpus` draw what
:mod:`biaslens.framing` computed (they call it when handed a :class:`~biaslens.report.Report`).
"""
from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .errors import Errors, InputError
from .report import CUE_CATEGORIES, LABELS, Report

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["role_colour", "LABEL_COLOURS", "ROLE_COLOURS", "attributions", "parity", "framing",
           "cues", "corpus"]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
             "bluish_green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "reddish_purple": "#CC79A7"}
#: Fixed colours for the common roles. Parties are roles, not genders: the choice only keeps a
#: role recognisable from one figure to the next.
ROLE_COLOURS = {"mother": OKABE_ITO["vermillion"], "father": OKABE_ITO["blue"],
                "child": OKABE_ITO["bluish_green"], "grandmother": OKABE_ITO["reddish_purple"],
                "grandfather": OKABE_ITO["orange"], "third_party": "#7F7F7F",
                "author": OKABE_ITO["black"]}
# Roles not listed above are hashed onto these (yellow is left out: unreadable as text on white).
_SPARE = (OKABE_ITO["reddish_purple"], OKABE_ITO["orange"], OKABE_ITO["sky_blue"],
          "#8C6D31", "#6A3D9A", OKABE_ITO["black"])
#: Background tints for statement labels (the HTML view), light enough to read text on.
LABEL_COLOURS = {"observation": "#D6E9F8", "allegation": "#FCE6C4", "opinion": "#F4DCEA",
                 "other": "#FFFFFF"}
# Within a party's colour, labels differ by fill strength and hatch, so they stay apart in
# grey-scale print and for every kind of colour vision.
_LABEL_STYLE = {"observation": (1.0, ""), "allegation": (0.55, "///"), "opinion": (0.25, "..")}
_INTRO = ("distancing_attribution", "neutral_attribution", "endorsing_attribution")
_INTRO_STYLE = {"distancing_attribution": (1.0, "xx"), "neutral_attribution": (0.55, ""),
                "endorsing_attribution": (0.25, "\\\\")}
_GREY = "#555555"


def role_colour(role: str | None) -> str:
    """The fixed colour-blind-safe hex colour of a party role.

    Known roles (``mother``, ``father``, ``child``, ``grandmother``, ...) have fixed colours;
    a numbered role (``mother_2``) takes its base role's colour family but a different entry
    of the spare palette, and any other role is hashed onto that palette, so the answer is the
    same in every session and every plot.

    Examples
    --------
    >>> from biaslens.plot import role_colour
    >>> role_colour("mother"), role_colour("father")
    ('#D55E00', '#0072B2')
    >>> role_colour("aunt") == role_colour("aunt")
    True
    """
    if role is None:
        return "#999999"
    if role in ROLE_COLOURS:
        return ROLE_COLOURS[role]
    # crc32, not hash(): Python salts str hashes per process, colours must not change.
    return _SPARE[zlib.crc32(role.encode("utf-8")) % len(_SPARE)]


# -- helpers ----------------------------------------------------------------------------------
def _new_ax(ax: "Axes | None", figsize: tuple[float, float]) -> "Axes":
    if ax is not None:
        if not hasattr(ax, "barh"):
            raise InputError(Errors.E160.format(type=type(ax).__name__))
        return ax
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize, layout="constrained").add_subplot()


def _empty(ax: "Axes", title: str, message: str) -> "Axes":
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=_GREY)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _check_report(report: Any, fn: str) -> Report:
    if not isinstance(report, Report):
        raise InputError(Errors.E161.format(fn=fn, type=type(report).__name__))
    return report


def _rgba(colour: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    r, g, b, _ = to_rgba(colour)
    # Blend with white instead of using transparency: hatches and edges stay crisp, and the
    # artist's facecolor is an honest, testable colour.
    return (1 - alpha + alpha * r, 1 - alpha + alpha * g, 1 - alpha + alpha * b, 1.0)


# -- attributions -----------------------------------------------------------------------------
def attribution_counts(report: Report) -> "pd.DataFrame":
    """The counts :func:`attributions` draws: one row per (party, row kind, category).

    ``row`` is ``about`` (statements about the party, by label), ``sourced`` (statements
    whose source is the party, by label) or ``introduced`` (reporting verbs introducing the
    party's accounts, by stance). ``about`` and ``introduced`` are the counts of
    :func:`biaslens.framing.scores`, so the plot and the score table always agree.
    """
    import pandas as pd

    from .framing import scores

    sc = scores(report)
    rows = []
    for role in report.parties:
        for label in LABELS[:3]:
            rows.append((role, "about", label, int(sc.loc[role, f"n_{label}_share"])))
        for label in LABELS[:3]:
            rows.append((role, "sourced", label,
                         sum(s.source == role and s.label == label for s in report.statements)))
        for cat in _INTRO:
            rate = cat.replace("_attribution", "_rate")
            rows.append((role, "introduced", cat, int(sc.loc[role, f"n_{rate}"])))
    return pd.DataFrame(rows, columns=["party", "row", "category", "count"])


def attributions(report: Report, *, ax: "Axes | None" = None, parity: bool | None = None,
                 parity_ax: "Axes | None" = None, **kwargs: Any) -> "Axes":
    """Per party: statements about them and sourced by them, by label, and how their accounts
    were introduced; below it, the assessment-parity panel (the author's recorded contacts).

    Three horizontal bars per party, all in the party's colour (:func:`role_colour`):
    *about* and *sourced by* stacked by label (observation solid, allegation hatched ``///``,
    opinion pale dotted), and *accounts introduced* stacked by the reporting wording
    (distancing ``xx``, neutral plain, endorsing pale ``\\\\``). The parity panel is
    :func:`parity` on one extra Axes (gid ``"biaslens-parity"``, found in ``ax.figure.axes``).

    Parameters
    ----------
    report : Report
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure (with the parity panel below) when omitted.
    parity : bool, optional
        Draw the assessment-parity panel. Default: yes on a new figure or when ``parity_ax``
        is given; on a caller's ``ax`` only when asked (it then takes room below ``ax``).
    parity_ax : matplotlib Axes, optional
        Where to draw the parity panel, for a caller's own layout.
    **kwargs
        Passed to ``Axes.barh`` (e.g. ``height``, ``edgecolor``); ``figsize`` is used for a
        new figure.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import biaslens, biaslens.plot
    >>> r = biaslens.analyze("Ms Finch claims that Mr Bell refused to attend. Mr Bell said "
    ...                      "that he was ill.", parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> ax = biaslens.plot.attributions(r)
    >>> ax.get_title()
    'Statements and accounts per party'
    """
    report = _check_report(report, "attributions")
    roles = list(report.parties)
    if parity is None:
        parity = ax is None or parity_ax is not None
    parity = parity and bool(roles)
    main_h = 1.2 + 1.05 * max(len(roles), 1)
    figsize = kwargs.pop("figsize", None)
    if ax is None and parity and parity_ax is None:
        import matplotlib.pyplot as plt

        par_h = 1.0 + 0.28 * len(CONTACTS_FOR_PLOT) * max(len(roles), 1) ** 0.5
        fig = plt.figure(figsize=figsize or (7.5, main_h + par_h), layout="constrained")
        ax, parity_ax = fig.subplots(2, 1, height_ratios=[main_h, par_h])
    else:
        ax = _new_ax(ax, figsize or (7.5, main_h))
    if parity:
        if parity_ax is None:  # the caller's ax: take room below it, in its figure
            from mpl_toolkits.axes_grid1 import make_axes_locatable

            parity_ax = make_axes_locatable(ax).append_axes("bottom", size="100%", pad=0.7)
        _parity_panel(report, ax=parity_ax)
    title = "Statements and accounts per party"
    if not roles:
        return _empty(ax, title, "no parties in this report")
    counts = attribution_counts(report).set_index(["party", "row", "category"])["count"]
    height = kwargs.pop("height", 0.8)
    edge = kwargs.pop("edgecolor", "white")
    rows = (("about", "about", _LABEL_STYLE), ("sourced", "sourced by", _LABEL_STYLE),
            ("introduced", "accounts introduced", _INTRO_STYLE))
    ticks, ticklabels, tickcolours = [], [], []
    for i, role in enumerate(roles):
        colour = role_colour(role)
        for j, (key, name, styles) in enumerate(rows):
            y = i * (len(rows) + 1) + j
            left = 0
            for cat, (strength, hatch) in styles.items():
                n = int(counts.get((role, key, cat), 0))
                bars = ax.barh(y, n, left=left, height=height, color=_rgba(colour, strength),
                               hatch=hatch, edgecolor=edge, linewidth=0.8, **kwargs)
                bars.patches[0].set_gid(f"{role}|{key}|{cat}")
                left += n
            ax.text(left, y, f" {left}", va="center", ha="left", fontsize="small", color=_GREY)
            ticks.append(y)
            ticklabels.append(f"{role}: {name}")
            tickcolours.append(colour)
    ax.set_yticks(ticks, ticklabels)
    for lab, c in zip(ax.get_yticklabels(), tickcolours):
        lab.set_color(c)
    ax.invert_yaxis()
    ax.set_xlabel("count (statements; for 'accounts introduced', reporting verbs)")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=_rgba(_GREY, s), hatch=h, edgecolor="white", label=lab)
               for lab, (s, h) in _LABEL_STYLE.items()]
    handles += [Patch(facecolor=_rgba(_GREY, s), hatch=h, edgecolor="white",
                      label=cat.replace("_attribution", " verb"))
                for cat, (s, h) in _INTRO_STYLE.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
              frameon=False, title="label / introduction", title_fontsize="small")
    return ax


# -- assessment parity ------------------------------------------------------------------------
#: Row order and names of the contact kinds in the parity panel (biaslens.hearing.CONTACTS).
CONTACTS_FOR_PLOT = {"home_visit": "home visit", "office": "office", "telephone": "telephone",
                     "observed_with_child": "observed with child",
                     "invited_with_child": "invited with child", "documents_read": "documents read"}
_GAP_BAND = "#EFEFEF"


def parity(report: Report, *, ax: "Axes | None" = None, **kwargs: Any) -> "Axes":
    """Assessment parity: per contact kind, how often the author records it with each party.

    One horizontal bar per party in each row (home visit, office, telephone, observed with the
    child, invited with the child, documents read), in the party's colour, with the count and
    the minutes (where the report gives durations) written at its end. A row where one party
    had that kind of contact and another had none is shaded, its label names who had it
    ("office: mother only"), and the missing bar is written as a bold ``0, none`` in the
    party's colour: a child seen at the office with one parent only is visible at a glance.
    Draws :func:`biaslens.hearing.parity_long`; counts nothing itself.

    Parameters
    ----------
    report : Report
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``Axes.barh``; ``figsize`` is used for a new figure.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import biaslens, biaslens.plot
    >>> r = biaslens.analyze("I saw Amy with Ms Finch at the office. I spoke to Mr Bell by "
    ...                      "telephone.", parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> ax = biaslens.plot.parity(r)
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['home visit', 'office: mother only']
    """
    from .hearing import parity_long

    report = _check_report(report, "parity")
    roles = list(report.parties)
    ax = _new_ax(ax, kwargs.pop("figsize", (7.5, 1.0 + 0.3 * len(CONTACTS_FOR_PLOT) * max(len(roles), 1) ** 0.5)))
    ax.set_gid("biaslens-parity")
    title = "Assessment parity: contacts the author records"
    if not roles:
        return _empty(ax, title, "no parties in this report")
    table = parity_long(report).set_index(["party", "contact"])
    edge = kwargs.pop("edgecolor", "white")
    band = 0.8 / len(roles)
    height = kwargs.pop("height", band * 0.9)
    xmax = max(1, int(table["count"].max()))
    ticks, ticklabels, gaps = [], [], []
    for k, (kind, name) in enumerate(CONTACTS_FOR_PLOT.items()):
        had = [r for r in roles if table.loc[(r, kind), "count"] > 0]
        gap = bool(had) and len(had) < len(roles)
        if gap:
            ax.axhspan(k - 0.5, k + 0.5, color=_GAP_BAND, zorder=0, lw=0)
        for j, role in enumerate(roles):
            y = k - 0.4 + band * (j + 0.5)
            n = int(table.loc[(role, kind), "count"])
            mins = table.loc[(role, kind), "minutes"]
            bars = ax.barh(y, n, height=height, color=role_colour(role), edgecolor=edge,
                           linewidth=0.8, zorder=2, **kwargs)
            bars.patches[0].set_gid(f"{role}|{kind}")
            label = f" {n}" + (f" ({mins:g} min)" if n and mins == mins else "")
            if gap and n == 0:
                t = ax.text(0, y, " 0, none", va="center", ha="left", fontsize="small",
                            color=role_colour(role), fontweight="bold", zorder=3)
                t.set_gid(f"{role}|{kind}|gap")
            else:
                ax.text(n, y, label, va="center", ha="left", fontsize="small", color=_GREY, zorder=3)
        ticks.append(k)
        ticklabels.append(f"{name}: {', '.join(had)} only" if gap else name)
        gaps.append(gap)
    ax.set_yticks(ticks, ticklabels)
    for lab, gap in zip(ax.get_yticklabels(), gaps):
        if gap:
            lab.set_fontweight("bold")
    ax.set_ylim(len(CONTACTS_FOR_PLOT) - 0.5, -0.5)
    ax.set_xlim(0, xmax * 1.35 + 0.5)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("recorded contacts (count; minutes where the report gives them)")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(facecolor=role_colour(r), label=r) for r in roles]
              + [Patch(facecolor=_GAP_BAND, label="one-sided")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False,
              title="party", title_fontsize="small")
    if not table["count"].any():
        ax.text(0.5, 0.5, "no contacts recorded", ha="center", va="center",
                transform=ax.transAxes, color=_GREY)
    return ax


_parity_panel = parity  # attributions() has a keyword of the same name


# -- cues -------------------------------------------------------------------------------------
def cues(report: Report, *, ax: "Axes | None" = None, categories: Sequence[str] | None = None,
         include_unbound: bool = False, **kwargs: Any) -> "Axes":
    """Heat map of framing-cue counts: cue category (rows) x party (columns).

    Each column shades from white to its party's colour, so colour never means two things; the
    count is written in every cell.

    Parameters
    ----------
    report : Report
    ax : matplotlib Axes, optional
    categories : sequence of str, optional
        Rows to show (default: every category in :data:`biaslens.report.CUE_CATEGORIES`, so
        plots of different reports line up).
    include_unbound : bool
        Add a column for cues bound to no party.
    **kwargs
        ``figsize`` for a new figure; the rest go to ``Axes.imshow``.

    Examples
    --------
    >>> import biaslens, biaslens.plot
    >>> r = biaslens.analyze("Ms Finch was hostile. Mr Bell was warm.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> ax = biaslens.plot.cues(r)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['mother', 'father']
    """
    import numpy as np

    report = _check_report(report, "cues")
    cats = list(categories) if categories is not None else list(CUE_CATEGORIES)
    unknown = [c for c in cats if c not in CUE_CATEGORIES]
    if unknown:
        raise InputError(Errors.E162.format(values=unknown, options=list(CUE_CATEGORIES)))
    cols: list[str | None] = list(report.parties)
    if include_unbound:
        cols.append(None)
    ax = _new_ax(ax, kwargs.pop("figsize", (2.2 + 1.3 * max(len(cols), 1), 5.2)))
    title = "Framing cues per party"
    if not cols or not cats:
        return _empty(ax, title, "no parties in this report")
    m = np.zeros((len(cats), len(cols)), dtype=int)
    for c in report.cues:
        if c.category in cats and c.target in cols:
            m[cats.index(c.category), cols.index(c.target)] += 1
    vmax = max(int(m.max()), 1)
    img = np.ones((len(cats), len(cols), 4))
    for j, role in enumerate(cols):
        for i in range(len(cats)):
            img[i, j] = _rgba(role_colour(role), 0.08 + 0.92 * m[i, j] / vmax) if m[i, j] else (1, 1, 1, 1)
    ax.imshow(img, aspect="auto", interpolation="nearest", **kwargs)
    for i in range(len(cats)):
        for j in range(len(cols)):
            dark = m[i, j] / vmax > 0.55
            ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize="small",
                    color="white" if dark else ("black" if m[i, j] else "#BBBBBB"))
    names = [r if r is not None else "(unbound)" for r in cols]
    ax.set_xticks(range(len(cols)), names)
    ax.set_yticks(range(len(cats)), [c.replace("_", " ") for c in cats])
    ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(cats)), minor=True)
    ax.grid(which="minor", color="#DDDDDD", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(axis="x", top=True, labeltop=True, bottom=False, labelbottom=False)
    for tick, role in zip(ax.xaxis.get_major_ticks(), cols):  # label2 is the top label
        tick.label1.set_color(role_colour(role))
        tick.label2.set_color(role_colour(role))
    ax.set_title(f"{title} (n={int(m.sum())})")
    if not m.any():
        ax.text(0.5, -0.04, "no cues bound to a party", ha="center", va="top",
                transform=ax.transAxes, color=_GREY)
    return ax


# -- framing forest plot ----------------------------------------------------------------------
def _direction_labels(ax: "Axes", a: str, b: str) -> None:
    """Which way is which is the question a reader asks first; say it in the parties' colours."""
    ax.text(0.99, 1.01, f"framed worse: {a} \u2192", transform=ax.transAxes, ha="right",
            va="bottom", fontsize="small", color=role_colour(a))
    ax.text(0.01, 1.01, f"\u2190 {b}: framed worse", transform=ax.transAxes, ha="left",
            va="bottom", fontsize="small", color=role_colour(b))


def framing(data: Any, *, ax: "Axes | None" = None, a: str | None = None,
            b: str | None = None, n_boot: int = 2000, seed: int = 0,
            include_descriptive: bool = False, **kwargs: Any) -> "Axes":
    """Forest plot of per-metric framing differences between two parties, composite on top.

    Parameters
    ----------
    data : Report or FramingAsymmetry
        A report (its :meth:`~biaslens.report.Report.asymmetry` is computed with ``a``, ``b``,
        ``n_boot``, ``seed``) or the result of :func:`biaslens.framing.asymmetry`.
    ax : matplotlib Axes, optional
    a, b : str, optional
        The two party roles (default: the report's first two).
    n_boot, seed : int
        Bootstrap settings when ``data`` is a report.
    include_descriptive : bool
        Also draw the descriptive metrics (direction 0: label shares, neutral verbs, hedges),
        which do not enter the composite.

    Notes
    -----
    The x axis is oriented so that right means ``a`` framed worse, for every row: metrics
    where a higher rate means better framing (endorsing verbs, positive descriptors) are
    drawn as ``b - a`` and marked "(reversed)". A metric one party has no statements for is
    marked "n/a".
    **kwargs
        ``figsize`` for a new figure; the rest go to ``Axes.errorbar``.

    Examples
    --------
    >>> import biaslens, biaslens.plot
    >>> r = biaslens.analyze("Ms Finch claims that Mr Bell shouted. Mr Bell explained that "
    ...                      "he was tired.", parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> ax = biaslens.plot.framing(r, n_boot=200)
    >>> ax.get_yticklabels()[0].get_text()
    'composite index'
    """
    asym = data
    if isinstance(data, Report):
        if len(data.parties) < 2:
            ax = _new_ax(ax, kwargs.pop("figsize", (7, 3)))
            return _empty(ax, "Framing differences", "fewer than two parties: nothing to compare")
        asym = data.asymmetry(a, b, n_boot=n_boot, seed=seed)
    if not hasattr(asym, "metrics") or not hasattr(asym, "value"):
        raise InputError(Errors.E161.format(fn="framing", type=type(data).__name__))
    metrics = asym.metrics
    if "metric" in getattr(metrics, "columns", ()):
        metrics = metrics.set_index("metric")
    if not include_descriptive and "direction" in metrics.columns:
        metrics = metrics[metrics["direction"] != 0]
    direction = (metrics["direction"] if "direction" in metrics.columns
                 else [1] * len(metrics))
    ax = _new_ax(ax, kwargs.pop("figsize", (7.5, 1.4 + 0.36 * (len(metrics) + 1))))
    pa, pb = getattr(asym, "a", a), getattr(asym, "b", b)
    title = f"Framing differences: {pa} vs {pb}" if pa and pb else "Framing differences"
    # Metrics where a higher rate means *better* framing (endorsing verbs, positive
    # descriptors) are drawn reversed, so that right always means "a framed worse", as for
    # the composite.
    names, est, lo, hi = ["composite index"], [float(asym.value)], [], []
    lo_c, hi_c = asym.ci if asym.ci is not None else (float("nan"), float("nan"))
    lo.append(float(lo_c))
    hi.append(float(hi_c))
    for (m, row), d in zip(metrics.iterrows(), direction):
        label = str(m).replace("_", " ")
        sign = -1.0 if d < 0 else 1.0
        if d < 0:
            label += " (reversed)"
        elif d == 0:
            label += " (descriptive)"
        names.append(label)
        est.append(sign * float(row["difference"]))
        a_lo, a_hi = sign * float(row["ci_low"]), sign * float(row["ci_high"])
        lo.append(min(a_lo, a_hi))
        hi.append(max(a_lo, a_hi))
    import numpy as np

    y = np.arange(len(names), dtype=float)
    y[1:] += 0.6  # a gap sets the composite apart from its components
    est_a, lo_a, hi_a = np.array(est), np.array(lo), np.array(hi)
    ok = ~np.isnan(est_a)
    ax.axvline(0, color="#999999", linewidth=1, zorder=0)
    err = np.vstack([np.where(np.isnan(lo_a), 0, est_a - lo_a), np.where(np.isnan(hi_a), 0, hi_a - est_a)])
    kw = {"fmt": "o", "color": "#333333", "ecolor": "#333333", "capsize": 3, "markersize": 5}
    kw.update(kwargs)
    if ok[1:].any():
        ax.errorbar(est_a[1:][ok[1:]], y[1:][ok[1:]], xerr=err[:, 1:][:, ok[1:]], **kw)
    if ok[0]:
        kw0 = dict(kw, fmt="D", markersize=8, color="black", ecolor="black", elinewidth=2.2)
        ax.errorbar(est_a[:1], y[:1], xerr=err[:, :1], **kw0)
    for yi, e, ok_i in zip(y, est_a, ok):
        if not ok_i:
            ax.text(0, yi, "  n/a (no statements)", va="center", fontsize="small", color=_GREY)
    ax.axhline(0.8, color="#DDDDDD", linewidth=1)
    ax.set_yticks(y, names)
    ax.get_yticklabels()[0].set_fontweight("bold")
    ax.invert_yaxis()
    span = np.nanmax(np.abs(np.concatenate([lo_a, hi_a, est_a, [0.1]])))
    ax.set_xlim(-1.15 * span, 1.15 * span)
    if pa and pb:
        _direction_labels(ax, pa, pb)
    ax.set_xlabel(f"difference in rate ({pa} \u2212 {pb}), 95% bootstrap interval" if pa and pb
                  else "difference in rate, 95% bootstrap interval")
    ax.set_title(title, pad=18)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


# -- corpus -----------------------------------------------------------------------------------
_VALUE_COLUMNS = ("composite", "value", "asymmetry", "index")


def corpus(results: Any, *, by: str | None = None, ax: "Axes | None" = None,
           value: str | None = None, a: str | None = None, b: str | None = None,
           **kwargs: Any) -> "Axes":
    """The distribution of the composite framing index across a corpus, by a metadata column.

    One box per group (all reports when ``by`` is None) with every report drawn as a point
    on it, and a line at zero (even-handed).

    Parameters
    ----------
    results : CorpusAsymmetry, DataFrame or iterable of dicts
        The result of :func:`biaslens.framing.corpus_asymmetry` (its per-report table, plus
        each group's hierarchical-bootstrap mean and interval as a diamond), or one row per
        report with a composite column (``composite``, ``value`` or named with ``value=``)
        and metadata columns.
    by : str, optional
        Metadata column to group by (author, court, year, ...).
    ax : matplotlib Axes, optional
    value : str, optional
        Name of the composite column.
    a, b : str, optional
        The parties compared, to label the direction (read from ``results.attrs`` when set).
    **kwargs
        ``figsize`` for a new figure; the rest go to ``Axes.boxplot``.

    Examples
    --------
    >>> import pandas as pd, biaslens.plot
    >>> df = pd.DataFrame({"composite": [0.2, -0.1, 0.4, 0.0], "court": ["A", "A", "B", "B"]})
    >>> ax = biaslens.plot.corpus(df, by="court")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['A (n=2)', 'B (n=2)']
    """
    import numpy as np
    import pandas as pd

    group_ci = None
    if hasattr(results, "reports") and hasattr(results, "groups"):  # a CorpusAsymmetry
        a, b = a or results.a, b or results.b
        group_ci = results.groups
        results = results.reports
    df = results if isinstance(results, pd.DataFrame) else pd.DataFrame(list(results or []))
    a = a or df.attrs.get("a")
    b = b or df.attrs.get("b")
    title = "Composite framing index across the corpus" + (f", by {by}" if by else "")
    if value is None:
        value = next((c for c in _VALUE_COLUMNS if c in df.columns), None)
        if value is None and len(df):
            raise InputError(Errors.E163.format(column="composite", columns=list(df.columns)))
    elif value not in df.columns and len(df):
        raise InputError(Errors.E163.format(column=value, columns=list(df.columns)))
    if by is not None and by not in df.columns and len(df):
        raise InputError(Errors.E163.format(column=by, columns=list(df.columns)))
    vals = df[value].astype(float) if len(df) else pd.Series(dtype=float)
    keep = vals.notna()
    groups: list[tuple[str, np.ndarray]] = []
    if keep.any():
        if by is None:
            groups = [("all reports", vals[keep].to_numpy())]
        else:
            sub = df.loc[keep]
            for key, g in sub.groupby(by, sort=True, dropna=False):
                groups.append((str(key), g[value].astype(float).to_numpy()))
    ax = _new_ax(ax, kwargs.pop("figsize", (7, 1.5 + 0.5 * max(len(groups), 1))))
    if not groups:
        return _empty(ax, title, "no reports with a composite index")
    pos = np.arange(1, len(groups) + 1)
    bp = ax.boxplot([g for _, g in groups], positions=pos, vert=False, widths=0.55,
                    patch_artist=True, showfliers=False, **kwargs)
    for box in bp["boxes"]:
        box.set_facecolor("#EEEEEE")
        box.set_edgecolor("#555555")
    for med in bp["medians"]:  # matplotlib's default orange would read as a party colour
        med.set_color("black")
    rng = np.random.default_rng(0)  # fixed jitter: the same data always gives the same picture
    for p, (_, g) in zip(pos, groups):
        ax.scatter(g, p + rng.uniform(-0.15, 0.15, len(g)), s=14, color="#333333", alpha=0.7,
                   zorder=3)
    if group_ci is not None and len(group_ci):
        # The corpus result's own hierarchical-bootstrap interval per group, beside the box.
        sel = group_ci[group_ci["by"] == by] if by else group_ci.iloc[0:0]
        for p, (key, _) in zip(pos, groups):
            row = sel[sel["group"].astype(str) == key]
            if len(row):
                v, lo_, hi_ = (float(row.iloc[0][c]) for c in ("value", "ci_low", "ci_high"))
                ax.errorbar([v], [p + 0.38], xerr=[[v - lo_], [hi_ - v]], fmt="D", color="black",
                            markersize=5, capsize=3, zorder=4,
                            label="group mean, 95% interval" if p == pos[0] else None)
        if sel is not None and len(sel):
            ax.legend(loc="upper right", bbox_to_anchor=(1.0, -0.22), fontsize="small",
                      frameon=False)
    ax.axvline(0, color="#999999", linewidth=1, zorder=0)
    ax.set_yticks(pos, [f"{k} (n={len(g)})" for k, g in groups])
    ax.invert_yaxis()
    allv = np.concatenate([g for _, g in groups])
    span = max(float(np.nanmax(np.abs(allv))), 0.1)
    if group_ci is not None and by and len(group_ci):
        gsel = group_ci[group_ci["by"] == by][["ci_low", "ci_high"]].to_numpy(dtype=float)
        if gsel.size and np.isfinite(gsel).any():
            span = max(span, float(np.nanmax(np.abs(gsel))))
    ax.set_xlim(-1.15 * span, 1.15 * span)
    if a and b:
        _direction_labels(ax, a, b)
    ax.set_xlabel("composite framing index" + (f" ({a} \u2212 {b})" if a and b else ""))
    if by:
        ax.set_ylabel(by)
    ax.set_title(title, pad=18)
    ax.spines[["top", "right"]].set_visible(False)
    return ax

