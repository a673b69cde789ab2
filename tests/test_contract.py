"""The public contract of issue 2: analyze() -> Report with statements, parties and cues."""
import json

import pandas as pd
import pytest

import biaslens
from biaslens.report import CUE_CATEGORIES, LABELS

PARTIES = {"mother": ["Ms F"], "father": ["Mr B"]}


def test_public_names():
    for name in ("analyze", "load", "Report", "Statement", "Cue", "Party", "BiasLensError"):
        assert name in biaslens.__all__
        assert hasattr(biaslens, name)


def test_report_covers_every_statement_in_order(nlp, ombudsman_text):
    r = biaslens.analyze(ombudsman_text, parties=PARTIES, nlp=nlp)
    assert r.text == ombudsman_text
    assert len(r.statements) == 4
    prev_end = 0
    for s in r.statements:
        assert s.start >= prev_end
        assert r.text[s.start:s.end] == s.text
        assert s.label in LABELS
        assert 0.0 <= s.confidence <= 1.0
        for c in s.cues:
            assert c.category in CUE_CATEGORIES
            assert r.text[c.start:c.end] == c.text
            assert s.start <= c.start < c.end <= s.end
        prev_end = s.end
    # nothing but whitespace between statements
    covered = "".join(r.text[a.end:b.start] for a, b in zip(r.statements, r.statements[1:]))
    assert covered.strip() == ""


def test_ombudsman_case_is_flagged(nlp, ombudsman_text):
    r = biaslens.analyze(ombudsman_text, nlp=nlp)
    assert any("Ms F" in p.aliases for p in r.parties.values())
    mother = next(role for role, p in r.parties.items() if "Ms F" in p.aliases)
    s = r.statements[1]
    cats = {(c.category, c.target) for c in s.cues}
    assert ("presupposed_failure", mother) in cats
    assert ("unsupported_presupposition", mother) in cats
    note = next(c.note for c in s.cues if c.category == "unsupported_presupposition")
    assert "none recorded" in note


def test_recorded_request_is_supported(nlp):
    text = ("I asked Ms F to bring the child to the office on Monday. "
            "Ms F had not facilitated this request.")
    r = biaslens.analyze(text, parties=PARTIES, nlp=nlp)
    cats = [c.category for c in r.statements[1].cues]
    assert "presupposed_failure" in cats
    assert "unsupported_presupposition" not in cats


GOLD = [
    # (text, label, source, targets that must be present, (category, target) cues that must be present)
    ("Ms F said that the report focused on her mental health.", "allegation", "mother", {"mother"},
     {("neutral_attribution", "mother"), ("mental_health_reference", "mother")}),
    ("Mr B claims that he has always supported contact.", "allegation", "father", {"father"},
     {("distancing_attribution", "father")}),
    ("Ms F was obstructive about handovers.", "opinion", "author", {"mother"},
     {("negative_descriptor", "mother"), ("evaluation_as_fact", "mother")}),
    ("Police checks revealed no incidents.", "observation", "author", set(), set()),
    ("This report is prepared under section 7 of the Children Act 1989.", "other", "author", set(), set()),
    ("Mr B acknowledged that he had missed two contact sessions.", "allegation", "father", {"father"},
     {("endorsing_attribution", "father")}),
    ("In my assessment both parents would benefit from mediation.", "opinion", "author", {"mother", "father"}, set()),
]


@pytest.mark.parametrize("text,label,source,targets,cues", GOLD)
def test_gold_statements(nlp, text, label, source, targets, cues):
    r = biaslens.analyze(text, parties=PARTIES, nlp=nlp)
    (s,) = r.statements
    assert s.label == label
    assert s.source == source
    assert targets <= set(s.targets)
    assert cues <= {(c.category, c.target) for c in s.cues}


NEGATIVE = [
    # cue that must NOT be found
    ("I found Ms F to be hostile during the visit.", "evaluation_as_fact"),
    ("Ms F said that Mr B was hostile.", "evaluation_as_fact"),
    ("Mr B told me that he will see Amy in May.", "hedge"),
    ("I told Mr B that the hearing is in June.", "neutral_attribution"),
    ("Mr B explained that the car had broken down.", "distancing_attribution"),
]


@pytest.mark.parametrize("text,category", NEGATIVE)
def test_negative_cases(nlp, text, category):
    r = biaslens.analyze(text, parties=PARTIES, nlp=nlp)
    assert category not in {c.category for c in r.cues}


def test_reported_voice(nlp):
    r = biaslens.analyze("The mother's solicitor suggested that Mr B had failed to pay maintenance.",
                         parties=PARTIES, nlp=nlp)
    fail = [c for c in r.cues if c.category == "presupposed_failure"]
    assert fail and all(c.voice == "reported" and c.target == "father" for c in fail)


def test_to_frame_and_dict_roundtrip(nlp, ombudsman_text):
    r = biaslens.analyze(ombudsman_text, parties=PARTIES, nlp=nlp)
    df = r.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(r.statements)
    assert {"label", "source", "targets", "start", "end", "confidence"} <= set(df.columns)
    d = json.loads(json.dumps(r.to_dict()))
    assert biaslens.Report.from_dict(d) == r


def test_repr_has_no_report_text(nlp, ombudsman_text):
    r = biaslens.analyze(ombudsman_text, parties=PARTIES, nlp=nlp)
    assert "Ms F" not in repr(r)


def test_load_has_components(nlp):
    assert {"biaslens_parties", "biaslens_statements", "biaslens_cues"} <= set(nlp.pipe_names)
    doc = nlp("Mr B refused to attend.")
    assert "biaslens_statements" in doc.spans
