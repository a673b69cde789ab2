"""biaslens.plot: artists, colours and counts (never pixels)."""
from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgba

import biaslens
from biaslens import plot as bp
from biaslens.errors import InputError
from biaslens.report import Cue, Party, Report, Statement

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PARTIES = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
SWAPPED = {"mother": ["Mr Bell"], "father": ["Ms Finch"]}
TEXT = ("Ms Finch claims that Mr Bell shouted at her. Mr Bell explained that he was tired. "
        "Ms Finch was hostile throughout the visit. Mr Bell was warm with Amy. "
        "Ms Finch acknowledged that she had missed two sessions.")
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
             "#CC79A7"}


@pytest.fixture(scope="module")
def report(nlp):
    return biaslens.analyze(TEXT, parties=PARTIES, nlp=nlp)


@pytest.fixture(scope="module")
def swapped(nlp):
    return biaslens.analyze(TEXT, parties=SWAPPED, nlp=nlp)


def _bar(ax, gid):
    hits = [p for p in ax.patches if p.get_gid() == gid]
    assert len(hits) == 1, gid
    return hits[0]


# -- colours ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role,colour", [("mother", "#D55E00"), ("father", "#0072B2"),
                                         ("child", "#009E73"), ("grandmother", "#CC79A7")])
def test_role_colour_fixed(role, colour):
    assert bp.role_colour(role) == colour


def test_role_colour_stable_and_colour_blind_safe():
    # crc32-based: a fixed answer, not Python's per-process salted hash
    assert bp.role_colour("aunt") == bp._SPARE[__import__("zlib").crc32(b"aunt") % len(bp._SPARE)]
    assert bp.role_colour("mother") != bp.role_colour("father")
    for role in ("mother", "father", "child", "grandmother", "grandfather"):
        assert bp.role_colour(role) in OKABE_ITO


# -- attributions -----------------------------------------------------------------------------
# (role, row, category, expected count) for TEXT: gold counted by hand from ANNOTATION.md.
GOLD = [
    ("mother", "sourced", "allegation", 2),   # claims ..., acknowledged ...
    ("father", "sourced", "allegation", 1),   # explained ...
    ("mother", "introduced", "distancing_attribution", 1),
    ("mother", "introduced", "endorsing_attribution", 1),
    ("mother", "introduced", "neutral_attribution", 0),
    ("father", "introduced", "neutral_attribution", 1),
    ("father", "introduced", "distancing_attribution", 0),
    ("mother", "sourced", "observation", 0),
]


@pytest.mark.parametrize("role,row,cat,n", GOLD)
def test_attributions_bar_widths(report, role, row, cat, n):
    ax = bp.attributions(report)
    assert _bar(ax, f"{role}|{row}|{cat}").get_width() == n


def test_attributions_match_scores(report):
    ax = bp.attributions(report)
    s = report.scores()
    for role in report.parties:
        for lab in ("observation", "allegation", "opinion"):
            assert _bar(ax, f"{role}|about|{lab}").get_width() == s.loc[role, f"n_{lab}_share"]


def test_attributions_colour_is_party_colour(report):
    ax = bp.attributions(report)
    for role in report.parties:
        # the observation segment is drawn at full strength in the party's colour
        assert to_hex(_bar(ax, f"{role}|about|observation").get_facecolor()) == bp.role_colour(role).lower()
    labels = {t.get_text(): to_hex(t.get_color()) for t in ax.get_yticklabels()}
    assert labels["mother: about"] == bp.role_colour("mother").lower()
    assert labels["father: accounts introduced"] == bp.role_colour("father").lower()
    assert ax.get_title() and ax.get_xlabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()][:3] == ["observation", "allegation", "opinion"]


def test_attributions_mirror_when_roles_swap(report, swapped):
    a, b = bp.attributions(report), bp.attributions(swapped)
    for row, cat in [("about", "observation"), ("about", "allegation"), ("about", "opinion"),
                     ("sourced", "allegation"), ("introduced", "distancing_attribution"),
                     ("introduced", "neutral_attribution"), ("introduced", "endorsing_attribution")]:
        assert _bar(a, f"mother|{row}|{cat}").get_width() == _bar(b, f"father|{row}|{cat}").get_width()
        assert _bar(a, f"father|{row}|{cat}").get_width() == _bar(b, f"mother|{row}|{cat}").get_width()


def test_attributions_draws_on_given_ax(report):
    fig, ax = plt.subplots()
    assert bp.attributions(report, ax=ax) is ax
    assert fig.axes == [ax]


# -- assessment parity panel ------------------------------------------------------------------
# Contacts counted by hand: the mother is seen with Amy at the office (an hour) and visited at
# home; the father is visited at home (two hours) and spoken to by telephone (20 minutes); the
# author read one document from each.
PARITY_TEXT = ("I saw Amy with Ms Finch at the office for an hour. I visited Ms Finch at her home. "
               "I visited Mr Bell at his home for two hours. I spoke to Mr Bell by telephone for "
               "20 minutes. I have read Mr Bell's position statement and Ms Finch's statement.")
PARITY_GOLD = {("mother", "home_visit"): 1, ("mother", "office"): 1, ("mother", "telephone"): 0,
               ("mother", "observed_with_child"): 1, ("mother", "invited_with_child"): 0,
               ("mother", "documents_read"): 1, ("father", "home_visit"): 1,
               ("father", "office"): 0, ("father", "telephone"): 1,
               ("father", "observed_with_child"): 0, ("father", "invited_with_child"): 0,
               ("father", "documents_read"): 1}


@pytest.fixture(scope="module")
def parity_report(nlp):
    return biaslens.analyze(PARITY_TEXT, parties=PARTIES, nlp=nlp)


def _parity_ax(ax):
    hits = [a for a in ax.figure.axes if a.get_gid() == "biaslens-parity"]
    assert len(hits) == 1
    return hits[0]


def test_attributions_has_parity_panel(parity_report):
    ax = bp.attributions(parity_report)
    assert len(ax.figure.axes) == 2  # one extra axes, below the attribution bars
    pax = _parity_ax(ax)
    assert pax is not ax and pax.get_title().startswith("Assessment parity")
    for (role, kind), n in PARITY_GOLD.items():
        bar = _bar(pax, f"{role}|{kind}")
        assert bar.get_width() == n, (role, kind)
        assert to_hex(bar.get_facecolor()) == bp.role_colour(role).lower()


def test_parity_one_sided_rows_visible_at_a_glance(parity_report):
    pax = bp.parity(parity_report)
    labels = [t.get_text() for t in pax.get_yticklabels()]
    assert labels == ["home visit", "office: mother only", "telephone: father only",
                      "observed with child: mother only", "invited with child", "documents read"]
    bold = {t.get_text(): t.get_fontweight() for t in pax.get_yticklabels()}
    assert bold["office: mother only"] == "bold" and bold["home visit"] == "normal"
    # the missing bar is written out, in the party's colour, on the one-sided rows only
    gaps = {t.get_gid(): t for t in pax.texts if t.get_gid()}
    assert set(gaps) == {"father|office|gap", "mother|telephone|gap", "father|observed_with_child|gap"}
    assert to_hex(gaps["father|office|gap"].get_color()) == bp.role_colour("father").lower()
    assert "0" in gaps["father|office|gap"].get_text()
    # shaded bands: exactly the three one-sided rows (axhspan patches have no gid)
    bands = [p for p in pax.patches if p.get_gid() is None]
    assert len(bands) == 3
    # durations where given
    texts = [t.get_text().strip() for t in pax.texts]
    assert "1 (60 min)" in texts and "1 (120 min)" in texts and "1 (20 min)" in texts


def test_parity_matches_hearing_tables(parity_report):
    from biaslens.hearing import parity_frame

    pax = bp.parity(parity_report)
    pf = parity_frame(parity_report)
    for role in pf.index:
        for kind in bp.CONTACTS_FOR_PLOT:
            assert _bar(pax, f"{role}|{kind}").get_width() == pf.loc[role, kind]


def test_parity_mirrors_when_roles_swap(nlp, parity_report):
    other = biaslens.analyze(PARITY_TEXT, parties=SWAPPED, nlp=nlp)
    a, b = bp.parity(parity_report), bp.parity(other)
    for kind in bp.CONTACTS_FOR_PLOT:
        assert _bar(a, f"mother|{kind}").get_width() == _bar(b, f"father|{kind}").get_width()
        assert _bar(a, f"father|{kind}").get_width() == _bar(b, f"mother|{kind}").get_width()


def test_parity_balanced_report_has_no_one_sided_rows(nlp):
    r = biaslens.analyze("I visited Ms Finch at her home. I visited Mr Bell at his home.",
                         parties=PARTIES, nlp=nlp)
    pax = bp.parity(r)
    assert _bar(pax, "mother|home_visit").get_width() == _bar(pax, "father|home_visit").get_width() == 1
    assert not [t for t in pax.texts if t.get_gid()]
    assert not any(t.get_text().endswith("only") for t in pax.get_yticklabels())


def test_parity_panel_on_request_with_a_given_ax(parity_report):
    fig, ax = plt.subplots()
    assert bp.attributions(parity_report, ax=ax, parity=True) is ax
    assert len(fig.axes) == 2 and _parity_ax(ax).get_gid() == "biaslens-parity"
    fig2, (a1, a2) = plt.subplots(2)
    bp.attributions(parity_report, ax=a1, parity_ax=a2)
    assert fig2.axes == [a1, a2] and _bar(a2, "mother|office").get_width() == 1


EMPTY = Report("Nothing about anyone.", {}, [Statement("Nothing about anyone.", 0, 21, "other", "author", ())])


@pytest.mark.parametrize("fn", [bp.attributions, bp.parity, bp.cues, bp.framing])
def test_empty_report_gives_labelled_empty_axes(fn):
    ax = fn(EMPTY)
    assert ax.get_title()
    assert not [p for p in ax.patches if p.get_width() > 0] if hasattr(ax.patches, "__iter__") else True
    assert not ax.images and not ax.lines
    assert any(t.get_text() for t in ax.texts)


def test_bad_inputs_raise_coded_errors(report):
    with pytest.raises(InputError, match="E161"):
        bp.attributions("not a report")
    with pytest.raises(InputError, match="E160"):
        bp.attributions(report, ax="not an axes")
    with pytest.raises(InputError, match="E162"):
        bp.cues(report, categories=["nonsense"])
    with pytest.raises(InputError, match="E161"):
        bp.framing(42)


# -- cues -------------------------------------------------------------------------------------
def _cell_texts(ax):
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts
            if t.get_transform() == ax.transData}


def test_cues_heat_map_counts(report):
    ax = bp.cues(report)
    cats = list(biaslens.report.CUE_CATEGORIES)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["mother", "father"]
    cells = _cell_texts(ax)
    assert len(cells) == len(cats) * 2
    for i, cat in enumerate(cats):
        for j, role in enumerate(["mother", "father"]):
            expected = sum(c.category == cat and c.target == role for c in report.cues)
            assert cells[(i, j)] == str(expected)
    assert cells[(cats.index("negative_descriptor"), 0)] != "0"  # "hostile"
    assert [to_hex(t.get_color()) for t in ax.get_xticklabels()] == [
        bp.role_colour("mother").lower(), bp.role_colour("father").lower()]


def test_cues_column_shades_towards_party_colour(report):
    ax = bp.cues(report, categories=["negative_descriptor", "positive_descriptor"])
    img = ax.images[0].get_array()
    assert img.shape[:2] == (2, 2)
    # the fullest cell of a column is its party's colour (or a tint of it), never another's
    mother = np.array(to_rgba(bp.role_colour("mother"))[:3])
    cell = np.asarray(img[0, 0][:3], dtype=float)
    assert np.allclose(cell, 1 - (1 - mother) * ((1 - cell) / (1 - mother)).mean(), atol=0.02)


def test_cues_unbound_column(nlp):
    r = biaslens.analyze("Amy appeared relaxed. Ms Finch was hostile.", parties={"mother": ["Ms Finch"]}, nlp=nlp)
    ax = bp.cues(r, include_unbound=True)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["mother", "(unbound)"]


# -- framing ----------------------------------------------------------------------------------
def test_framing_forest_plot(report):
    fa = report.asymmetry("mother", "father", n_boot=200, seed=0)
    ax = bp.framing(fa)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names[0] == "composite index"
    directed = fa.metrics[fa.metrics["direction"] != 0]
    assert len(names) == 1 + len(directed)
    assert "endorsing rate (reversed)" in names and "positive descriptor rate (reversed)" in names
    # the composite is drawn as the diamond at the top with its own value
    xs = {round(float(y), 3): float(x) for line in ax.lines for x, y in zip(*line.get_data())
          if line.get_marker() in ("D", "o")}
    ys = sorted(xs)
    assert xs[ys[0]] == pytest.approx(fa.value)
    # reversed metrics are drawn as b - a, so right always means "a framed worse"
    ticks = dict(zip(names, ax.get_yticks()))
    d = directed.loc["endorsing_rate", "difference"]
    if not np.isnan(d):
        assert xs[round(float(ticks["endorsing rate (reversed)"]), 3)] == pytest.approx(-d)
    assert "mother" in ax.get_title() and "father" in ax.get_title()


def test_framing_accepts_report_and_descriptive(report):
    ax = bp.framing(report, n_boot=100, include_descriptive=True)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert any(n.endswith("(descriptive)") for n in names)


def test_framing_mirrors_when_roles_swap(report, swapped):
    a = report.asymmetry("mother", "father", n_boot=100, seed=0)
    b = swapped.asymmetry("mother", "father", n_boot=100, seed=0)
    xa = [x for line in bp.framing(a).lines for x in line.get_xdata() if line.get_marker() == "D"]
    xb = [x for line in bp.framing(b).lines for x in line.get_xdata() if line.get_marker() == "D"]
    assert xa[0] == pytest.approx(-xb[0])


# -- corpus -----------------------------------------------------------------------------------
def test_corpus_dataframe_by_column():
    df = pd.DataFrame({"composite": [0.2, -0.1, 0.4, 0.0, 0.3], "court": ["B", "A", "B", "A", "B"]})
    ax = bp.corpus(df, by="court")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A (n=2)", "B (n=3)"]
    pts = np.concatenate([c.get_offsets()[:, 0] for c in ax.collections])
    assert sorted(pts) == sorted(df["composite"])
    assert "court" in ax.get_title()


def test_corpus_without_by_and_errors():
    ax = bp.corpus([{"value": 0.1}, {"value": -0.2}])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["all reports (n=2)"]
    with pytest.raises(InputError, match="E163"):
        bp.corpus(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(InputError, match="E163"):
        bp.corpus(pd.DataFrame({"composite": [1.0]}), by="court")
    empty = bp.corpus(pd.DataFrame())
    assert empty.get_title() and any(t.get_text() for t in empty.texts)


def test_corpus_from_corpus_asymmetry(report, swapped):
    from biaslens.framing import corpus_asymmetry

    ca = corpus_asymmetry([report, swapped], [{"v": "orig"}, {"v": "swap"}], by="v",
                          a="mother", b="father", n_boot=100, seed=0)
    ax = bp.corpus(ca, by="v")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["orig (n=1)", "swap (n=1)"]
    texts = [t.get_text() for t in ax.texts]
    assert any("mother" in t for t in texts) and any("father" in t for t in texts)
    colours = {t.get_text(): to_hex(t.get_color()) for t in ax.texts}
    assert colours["framed worse: mother \u2192"] == bp.role_colour("mother").lower()


def test_plots_never_show_or_save(report, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("library code must not show or save")

    monkeypatch.setattr(plt, "show", boom)
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", boom)
    bp.attributions(report)
    bp.cues(report)
    bp.framing(report, n_boot=50)
    bp.corpus(pd.DataFrame({"composite": [0.1]}))
