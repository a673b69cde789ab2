"""Pseudonymisation (issue 10): placeholders, offsets, keys, mappings, and every output format."""
from __future__ import annotations

import html
import importlib.util
import json
import re
import warnings
from pathlib import Path

import pytest

import biaslens
from biaslens.errors import BiasLensError
from biaslens.privacy import (PrivacyError, find_identifiers, identifier_spans, pseudonymise,
                              pseudonymise_text, write_mapping)
from biaslens.report import Report

ROOT = Path(__file__).resolve().parents[1]
AUTHORED = ROOT / "corpora" / "s7synth" / "authored"

PARTIES = {"mother": ["Rachel Finch", "Ms Finch", "Rachel"], "father": ["Daniel Bell", "Mr Bell"]}
TEXT = (
    "Section 7 report in case NF24P00123.\n\n"
    "Rachel Finch (the mother) lives at 14 Mill Lane, Northfield NF3 7QT with Amy Bell (aged 7). "
    "Ms Finch told me that Mr Bell failed to return Amy on 12 March 2024. "
    "Mr Bell said that he was late because of traffic. "
    "Amy attends Oakfield Primary School, where her teacher, Mrs Patel, described her as happy. "
    "Mrs Patel can be reached on 07700 900123 or at s.patel@example.com. "
    "Rachel appeared anxious when we met and she said that Mrs Patel supports her account."
)
IDENTIFIERS = ["Rachel Finch", "Ms Finch", "Rachel", "Daniel Bell", "Mr Bell", "Amy Bell", "Amy",
               "Mrs Patel", "Patel", "Finch", "NF24P00123", "14 Mill Lane", "Northfield", "NF3 7QT",
               "12 March 2024", "Oakfield Primary School", "Oakfield", "07700 900123",
               "s.patel@example.com"]


@pytest.fixture(scope="module")
def report():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return biaslens.analyze(TEXT, parties=PARTIES)


@pytest.fixture(scope="module")
def pseudo(report):
    return pseudonymise(report)


def _leaks(blob: str, identifiers) -> list[str]:
    blob = html.unescape(blob)
    return [i for i in identifiers if re.search(rf"(?<!\w){re.escape(i)}(?!\w)", blob)]


# -- gold table: text -> pseudonymised text -------------------------------------------------
GOLD = [
    ("Ms Finch called 07700 900123.", {"mother": ["Ms Finch"]}, (), "[MOTHER] called [PHONE_1]."),
    ("Mr Bell lives at 3 Kiln Lane, Dunmere.", {"father": ["Mr Bell"]}, (),
     "[FATHER] lives at [ADDRESS_1]."),
    ("Write to ann@example.com about NF24P00123.", None, (), "Write to [EMAIL_1] about [CASE_NUMBER_1]."),
    ("The hearing is on 4 June 2024 and again on 4 June 2024.", None, (),
     "The hearing is on [DATE_1] and again on [DATE_1]."),
    ("Amy told Mrs Patel that she is happy.", None, ("Amy",), "[CHILD] told [PERSON_1] that she is happy."),
    ("Mr Quayle and Dr Farrant met Mr Quayle.", None, (), "[PERSON_1] and [PERSON_2] met [PERSON_1]."),
    ("Leo attends St Aldric's Primary School in WX4 2LN.", None, ("Leo",),
     "[CHILD] attends [SCHOOL_1] in [POSTCODE_1]."),
    ("Ms Reid's sister, Ms Fiona Reid, gave a statement.", {"mother": ["Ms Reid"]}, (),
     "[MOTHER]'s sister, [PERSON_1], gave a statement."),
    ("The maternal grandmother, Mrs Doyle, cares for Leo.", {"maternal_grandmother": ["Mrs Doyle"]},
     ("Leo",), "The maternal grandmother, [MATERNAL_GRANDMOTHER], cares for [CHILD]."),
    # negative cases: ordinary words, role words, pronouns, section numbers and years stay
    ("The mother said she was tired.", {"mother": ["Ms Finch"]}, (), "The mother said she was tired."),
    ("This report is prepared under section 7 of the Children Act 1989.", None, (),
     "This report is prepared under section 7 of the Children Act 1989."),
    ("Analysis\n\nIn my assessment the father has met the child's needs.", None, (),
     "Analysis\n\nIn my assessment the father has met the child's needs."),
    ("She attended 3 of the 5 sessions over 12 weeks.", None, (),
     "She attended 3 of the 5 sessions over 12 weeks."),
]


@pytest.mark.parametrize("text,parties,child,expected", GOLD)
def test_gold_pseudonymise_text(text, parties, child, expected):
    assert pseudonymise_text(text, parties, child=child) == expected


# -- the Report -----------------------------------------------------------------------------
def test_no_identifier_survives_in_text(pseudo):
    assert _leaks(pseudo.text, IDENTIFIERS) == []
    assert "[MOTHER]" in pseudo.text and "[FATHER]" in pseudo.text and "[CHILD]" in pseudo.text


def test_offsets_remapped_and_analysis_unchanged(report, pseudo):
    assert len(pseudo.statements) == len(report.statements)
    for a, b in zip(report.statements, pseudo.statements):
        assert pseudo.text[b.start:b.end] == b.text
        assert (a.label, a.source, a.targets, a.confidence) == (b.label, b.source, b.targets, b.confidence)
        assert len(a.cues) == len(b.cues)
        for ca, cb in zip(a.cues, b.cues):
            assert pseudo.text[cb.start:cb.end] == cb.text
            assert (ca.category, ca.target, ca.voice) == (cb.category, cb.target, cb.voice)
            assert b.start <= cb.start <= cb.end <= b.end
    # whitespace between statements is kept
    gaps = [pseudo.text[x.end:y.start] for x, y in zip(pseudo.statements, pseudo.statements[1:])]
    assert "".join(gaps).strip() == ""
    for role, p in pseudo.parties.items():
        assert p.aliases == (f"[{role.upper()}]",)
        assert len(p.mentions) == len(report.parties[role].mentions)
        for s, e in p.mentions:
            m = pseudo.text[s:e]
            assert m == f"[{role.upper()}]" or m.lower() in {"she", "he", "her", "his", "him",
                                                               "mother", "father"}, m
    assert pseudo.meta["pseudonymised"] is True
    assert _leaks(json.dumps(pseudo.meta), IDENTIFIERS) == []


def test_scores_unchanged(report, pseudo):
    pytest.importorskip("biaslens.framing")
    a, b = report.scores(), pseudo.scores()
    assert a.drop(columns=[c for c in a.columns if a[c].dtype == object], errors="ignore").equals(
        b.drop(columns=[c for c in b.columns if b[c].dtype == object], errors="ignore"))


def test_same_value_same_placeholder_and_numbering(pseudo):
    assert pseudo.text.count("[PERSON_1]") == 3  # Mrs Patel, three times
    assert "[PERSON_2]" not in pseudo.text


def test_keyed_placeholders_stable_across_reports():
    a = pseudonymise_text("Mrs Patel met Mr Quayle on 4 June 2024.", key="s3cret")
    b = pseudonymise_text("On 4 June 2024 Mr Quayle phoned. Mrs Patel did not.", key=b"s3cret")
    c = pseudonymise_text("Mrs Patel met Mr Quayle on 4 June 2024.", key="other")
    pa = re.findall(r"\[[A-Z_]+_[0-9A-F]{8}\]", a)
    assert len(pa) == 3
    assert set(pa) == set(re.findall(r"\[[A-Z_]+_[0-9A-F]{8}\]", b))
    assert set(pa).isdisjoint(re.findall(r"\[[A-Z_]+_[0-9A-F]{8}\]", c))
    # parties stay role placeholders with a key
    assert pseudonymise_text("Ms Finch spoke.", {"mother": ["Ms Finch"]}, key="k") == "[MOTHER] spoke."


def test_mapping_only_on_request(report, tmp_path):
    p, mapping = pseudonymise(report, return_mapping=True)
    assert "Rachel Finch" in mapping["[MOTHER]"]
    assert "Mrs Patel" in mapping["[PERSON_1]"]
    blob = json.dumps(p.to_dict())
    assert _leaks(blob, IDENTIFIERS) == []
    path = tmp_path / "map" / "mapping.json"
    write_mapping(mapping, path)
    assert json.loads(path.read_text(encoding="utf-8"))["[MOTHER]"] == mapping["[MOTHER]"]
    assert (path.stat().st_mode & 0o077) == 0


def test_caller_role_names(nlp):
    text = "Ms Green said that Ms Brown was late. Ms Brown said that Ms Green shouted."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = biaslens.analyze(text, parties={"mother_a": ["Ms Green"], "mother_b": ["Ms Brown"]}, nlp=nlp)
    assert r.pseudonymise().text == ("[MOTHER_A] said that [MOTHER_B] was late. [MOTHER_B] said "
                                     "that [MOTHER_A] shouted.")


def test_find_identifiers_types():
    spans = find_identifiers("Mr Bell e-mailed bell@example.com from 2 Ferry Wharf, Kelderby.",
                             {"father": ["Mr Bell"]})
    assert [s.type for s in spans] == ["PARTY", "EMAIL", "ADDRESS"]


@pytest.mark.parametrize("bad,code", [(123, "E200"), (b"", "E200")])
def test_bad_key(report, bad, code):
    with pytest.raises(PrivacyError, match=code):
        pseudonymise(report, key=bad)


@pytest.mark.parametrize("fn,arg,code", [(pseudonymise, "text", "E201"), (identifier_spans, None, "E201"),
                                         (pseudonymise_text, b"bytes", "E202"),
                                         (write_mapping, ["x"], "E203")])
def test_bad_arguments(fn, arg, code, tmp_path):
    with pytest.raises(BiasLensError, match=code):
        if fn is write_mapping:
            fn(arg, tmp_path / "m.json")
        else:
            fn(arg)


def test_report_method_and_flags(report):
    assert report.pseudonymise().text == pseudonymise(report).text
    assert report.to_dict(pseudonymise=True)["text"] == pseudonymise(report).text
    frame = report.to_frame(pseudonymise=True)
    assert _leaks(frame.to_csv(), IDENTIFIERS) == []
    assert _leaks(report.to_json(pseudonymise=True), IDENTIFIERS) == []
    # without the flag nothing changes
    assert report.to_dict()["text"] == TEXT


# -- every output format for a real synthetic report ---------------------------------------
def _authored(report_id: str):
    data = json.loads((AUTHORED / f"{report_id}.json").read_text(encoding="utf-8"))
    parts: list[str] = []
    for s in data["statements"]:
        if parts:
            parts.append("\n\n" if s.get("p") else " ")
        parts.append(s["text"])
    return data, "".join(parts)


def _artist_texts(ax) -> list[str]:
    fig = ax.figure
    out = []
    for a in fig.axes:
        out += [t.get_text() for t in a.get_xticklabels() + a.get_yticklabels()]
        out += [a.get_title(), a.get_xlabel(), a.get_ylabel()]
        out += [t.get_text() for t in a.texts]
        leg = a.get_legend()
        if leg is not None:
            out += [t.get_text() for t in leg.get_texts()]
    out += [t.get_text() for t in fig.texts]
    if getattr(fig, "_suptitle", None) is not None:
        out.append(fig._suptitle.get_text())
    return out


@pytest.mark.slow
@pytest.mark.parametrize("report_id", ["cfa01", "add01"])
def test_every_output_format_is_clean(report_id, nlp, tmp_path):
    data, text = _authored(report_id)
    idents = sorted({i["text"] for i in data["identifiers"]}, key=len, reverse=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = biaslens.analyze(text, parties=data["parties"], nlp=nlp)
    assert _leaks(text, idents), "the fixture must contain its identifiers"
    outputs = {
        "to_dict": json.dumps(r.to_dict(pseudonymise=True), ensure_ascii=False),
        "to_json": r.to_json(str(tmp_path / "r.json"), pseudonymise=True),
        "to_json file": (tmp_path / "r.json").read_text(encoding="utf-8"),
        "to_frame": r.to_frame(pseudonymise=True).to_csv(index=False),
        "pseudonymise().cues_frame": r.pseudonymise().cues_frame().to_csv(index=False),
        "repr": repr(r.pseudonymise()),
    }
    skipped = []
    if importlib.util.find_spec("biaslens.render") is not None:
        outputs["to_html"] = r.to_html(str(tmp_path / "r.html"), pseudonymise=True)
        outputs["to_html file"] = (tmp_path / "r.html").read_text(encoding="utf-8")
        outputs["to_markdown"] = r.to_markdown(pseudonymise=True)
        outputs["_repr_html_"] = r.pseudonymise()._repr_html_()
        # the tooltips are title= attributes; check them on their own as well
        outputs["html tooltips"] = " ".join(re.findall(r'title="([^"]*)"', outputs["to_html"]))
    else:
        skipped.append("biaslens.render (to_html, to_markdown) is not in this tree")
    if importlib.util.find_spec("biaslens.framing") is not None:
        p = r.pseudonymise()
        outputs["scores"] = p.scores().to_csv()
        roles = list(p.parties)
        if len(roles) >= 2:
            asym = p.asymmetry(roles[0], roles[1], n_boot=50)
            outputs["asymmetry"] = repr(asym) + (asym.to_frame().to_csv()
                                                 if hasattr(asym, "to_frame") else "")
    from biaslens import plot

    p = r.pseudonymise()
    for name in ("attributions", "cues", "framing"):
        fn = getattr(plot, name, None)
        if fn is None:
            skipped.append(f"biaslens.plot.{name} missing")
            continue
        ax = fn(p)
        outputs[f"plot.{name}"] = "\n".join(_artist_texts(ax))
    leaks = {k: _leaks(v, idents) for k, v in outputs.items()}
    assert {k: v for k, v in leaks.items() if v} == {}, skipped
    # the plots label parties by role, so the pseudonymised plot is labelled as the original
    before = [t.get_text() for t in plot.attributions(r).get_yticklabels()]
    after = [t.get_text() for t in plot.attributions(p).get_yticklabels()]
    assert before == after and any(role in " ".join(after) for role in p.parties)
