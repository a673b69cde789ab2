"""HTML and Markdown views of a report: escaping, self-containment, tooltips, summary table."""
from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biaslens
from biaslens.plot import LABEL_COLOURS, role_colour
from biaslens.render import summary_frame, to_html, to_markdown
from biaslens.report import Cue, Party, Report, Statement

EVIL = 'Ms Finch said "<script>alert(1)</script>" & *left* [x](http://e.vil) | ok.'


def _report(text=EVIL):
    """A hand-built report (no pipeline): gold offsets, overlapping cues, one unsupported."""
    i = text.index("said")
    s1 = Statement(text, 0, len(text), "allegation", "mother", ("mother",), (
        Cue("said", i, i + 4, "neutral_attribution", "mother", "author", "introduces the account of mother"),
        Cue("<script>", text.index("<script>"), text.index("<script>") + 8, "negative_descriptor", "mother", "reported", "clause subject"),
        Cue("script>alert", text.index("script>"), text.index("script>") + 12, "unsupported_presupposition", "mother", "author", "searched statements 0-0: none recorded"),
    ), 0.9)
    return Report(text, {"mother": Party("mother", ("Ms Finch",), ((0, 8),))}, [s1])


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.stack, self.spans = [], [], [], []
        self._in_text = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        self.stack.append(a)
        if "bl-text" in (a.get("class") or ""):
            self._in_text = len(self.stack)

    def handle_endtag(self, tag):
        if self._in_text == len(self.stack):
            self._in_text = 0
        self.stack.pop()

    def handle_data(self, data):
        if self._in_text:
            self.text.append(data)
            self.spans.append([dict(x) for x in self.stack])


def _parse(page):
    p = _Collect()
    p.feed(page)
    return p


def test_everything_is_escaped():
    page = to_html(_report())
    assert "<script" not in page.lower()
    assert "&lt;" in page and "&gt;" in page
    parsed = _parse(page)
    assert "".join(parsed.text) == EVIL  # the text survives, byte for byte, as text


@pytest.mark.parametrize("page_fn", [to_html, lambda r: r._repr_html_()])
def test_self_contained_offline(page_fn):
    page = page_fn(_report())
    low = page.lower()
    for bad in ("<script", "<link", "@import", "url(", "src=", "<style"):
        assert bad not in low, bad
    # the only URL-like string is the escaped one inside the report text itself
    assert re.findall(r"https?://", low) == ["http://"]


def test_cue_tooltips_and_statement_tint():
    parsed = _parse(to_html(_report()))
    cues = [a for t, a in parsed.tags if "bl-cue" in (a.get("class") or "")]
    tips = " || ".join(a["title"] for a in cues)
    assert "neutral attribution \u2192 mother (author's voice)" in tips
    assert "negative descriptor \u2192 mother (reported voice)" in tips
    assert "evidence search: searched statements 0-0: none recorded" in tips
    # "script>" lies under two overlapping cues: one segment carries both
    both = [a for a in cues if a["data-category"] == "negative_descriptor unsupported_presupposition"]
    assert len(both) == 1 and "wavy" in both[0]["style"]
    stmts = [a for t, a in parsed.tags if "bl-stmt" in (a.get("class") or "")]
    assert len(stmts) == 1 and stmts[0]["data-label"] == "allegation"
    assert LABEL_COLOURS["allegation"] in stmts[0]["style"]
    assert "source: mother" in stmts[0]["title"]
    assert any(role_colour("mother") in a["style"] for a in cues)


def test_summary_table_matches_scores(nlp):
    r = biaslens.analyze("Ms Finch claims that Mr Bell shouted. Ms Finch was hostile. "
                         "Mr Bell explained that he was tired.",
                         parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]}, nlp=nlp)
    df = summary_frame(r)
    s = r.scores()
    assert list(df.index) == list(s.index)
    assert df.loc["mother", "distancing"] == s.loc["mother", "n_distancing_rate"] == 1
    assert df.loc["father", "neutral"] == 1
    assert df.loc["mother", "negative_descriptors"] == 1
    page = r._repr_html_()
    rows = re.findall(r'<tr data-party="(\w+)">(.*?)</tr>', page)
    assert [role for role, _ in rows] == list(df.index)
    from biaslens.render import _GROUPS

    order = [c for _, cols in _GROUPS for c, _ in cols]
    for role, row in rows:
        cells = [int(x) for x in re.findall(r"<td[^>]*>(\d+)</td>", row)]
        assert cells == [int(df.loc[role, c]) for c in order]


def test_to_html_writes_atomically(tmp_path):
    r = _report()
    out = tmp_path / "sub" / "view.html"
    page = r.to_html(str(out))
    assert out.read_text(encoding="utf-8") == page
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_to_html_pseudonymised(nlp):
    r = biaslens.analyze("Ms Finch claims that Mr Bell shouted at Amy.",
                         parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]}, nlp=nlp)
    page = r.to_html(pseudonymise=True)
    assert "Finch" not in page and "Bell" not in page and "[MOTHER]" in page
    md = r.to_markdown(pseudonymise=True)
    assert "Finch" not in md and "Bell" not in md


def test_markdown_escapes_and_lists_cues():
    md = to_markdown(_report())
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\*left\\*" in md and "\\[x\\]" in md and "\\|" in md
    assert "`unsupported_presupposition` \u2192 mother" in md
    assert "evidence search: searched statements 0-0: none recorded" in md
    table = [ln for ln in md.splitlines() if ln.startswith("| ")]
    assert len(table) == 2  # header + mother
    assert table[1].count("|") == table[0].count("|")


def test_markdown_no_cues():
    r = Report("Nothing here.", {}, [Statement("Nothing here.", 0, 13, "other", "author", ())])
    md = r.to_markdown()
    assert "No framing cues found." in md


def test_empty_and_partyless_report_render():
    r = Report("Nothing here.", {}, [Statement("Nothing here.", 0, 13, "other", "author", ())])
    page = r._repr_html_()
    assert "no parties in this report" in page and "none identified" in page
    assert "".join(_parse(page).text) == "Nothing here."


_chars = st.text(alphabet=st.sampled_from(list("ab <>&\"'\n|*_é")), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(text=_chars, data=st.data())
def test_text_always_round_trips(text, data):
    """Whatever the text and however statements and cues overlap, the view shows the text."""
    n = len(text)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), min_size=2, max_size=6)))
    stmts = []
    for a, b in zip(cuts, cuts[1:]):
        if b <= a:
            continue
        cues = []
        for _ in range(data.draw(st.integers(0, 3))):
            x = data.draw(st.integers(a, b))
            y = data.draw(st.integers(x, b))
            cues.append(Cue(text[x:y], x, y, "hedge", data.draw(st.sampled_from([None, "mother"]))))
        stmts.append(Statement(text[a:b], a, b, data.draw(st.sampled_from(["observation", "other"])),
                               "author", (), tuple(cues)))
    r = Report(text, {"mother": Party("mother", ("X",))}, stmts)
    parsed = _parse(r._repr_html_())
    assert "".join(parsed.text) == text
