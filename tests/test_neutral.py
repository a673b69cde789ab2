"""biaslens.neutral: the parse cannot depend on who the parents are."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import biaslens
from biaslens.neutral import NAME_WORD, name_words, neutral_words

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text,names,expected", [
    ("Mr Bell said she told him.", {"Bell"}, "Dr Morgan said he told him ."),
    ("Ms Finch praised her when Mrs. Finch arrived.", {"Finch"}, "Dr Morgan praised him when Dr. Morgan arrived ."),
    ("Her mother asked his father.", set(), "His parent asked his parent ."),
    ("The MOTHER and the grandfathers; maternal aunt.", set(), "The PARENT and the grandparents ; parental relative ."),
    ("She blamed herself; it was hers.", set(), "He blamed himself ; it was his ."),
    ("Rachel Finch-Hale met Amy.", {"Rachel", "Finch-Hale", "Finch", "Hale"}, "Morgan Morgan - Morgan met Amy ."),
])
def test_neutral_words(nlp, text, names, expected):
    assert " ".join(neutral_words(nlp.make_doc(text), names)) == expected


def test_her_and_his_get_the_same_form_in_the_same_place(nlp):
    for ctx in ("I asked {} to bring the diary.", "I read {} statement.", "I saw {}.",
                "The officer told {} that the hearing had moved."):
        forms = {tuple(neutral_words(nlp.make_doc(ctx.format(p)), set())) for p in ("her", "his", "him")}
        assert len(forms) == 1, ctx


def test_name_words_skip_titles_and_split_hyphens():
    assert name_words(["Ms Rachel Finch-Hale", "Mr. Bell"]) == {"Rachel", "Finch-Hale", "Finch", "Hale", "Bell"}


def test_real_words_keep_their_lemmas_and_text(nlp):
    doc = nlp("Ms Finch said that her mother refused to attend.")
    assert doc.text == "Ms Finch said that her mother refused to attend."
    assert [t.lemma_ for t in doc][:3] == ["Ms", "Finch", "say"]
    assert doc[6].lemma_ == "refuse" and doc[5].text == "mother"


# -- the parse of a report and of its role-swapped twin are identical --------------------
FEMALE = ["Finch", "Nowak", "Okafor", "Ahmed", "Pritchard"]
MALE = ["Bell", "Doyle", "Hollis", "Kowalski", "Moriarty"]
SENTS = [
    "{A} purports to have drunk nothing since June.",
    "{A} appeared settled and well during the visit, and {a_pos} flat was clean.",
    "According to {B}, {A} abandoned Amy in 2019 and is now trying to punish {b_obj}.",
    "{A} said that {a_subj} had asked {B} to bring Amy, but {b_subj} refused.",
    "During the home visit {A} helped Amy with {a_pos} reading and praised {a_obj}.",
    "The {a_role} told me that the {b_role} shouts at {a_obj}.",
    "09:58 {A} arrived and signed in.",
]
PRON = {"f": {"subj": "she", "obj": "her", "pos": "her"}, "m": {"subj": "he", "obj": "him", "pos": "his"}}


def _fill(tpl: str, a: tuple[str, str], b: tuple[str, str]) -> str:
    (an, ag), (bn, bg) = a, b
    role = {"f": "mother", "m": "father"}
    fill = {"A": f"{'Ms' if ag == 'f' else 'Mr'} {an}", "B": f"{'Ms' if bg == 'f' else 'Mr'} {bn}",
            "a_role": role[ag], "b_role": role[bg]}
    for k, v in PRON[ag].items():
        fill[f"a_{k}"] = v
    for k, v in PRON[bg].items():
        fill[f"b_{k}"] = v
    return tpl.format(**fill)


def _parse(doc):
    return [(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in doc]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, len(SENTS) - 1), min_size=1, max_size=6),
       st.sampled_from(FEMALE), st.sampled_from(MALE))
def test_swapped_twin_gets_the_same_parse_and_labels(nlp, picks, fem, mal):
    a, b = (fem, "f"), (mal, "m")
    text = " ".join(_fill(SENTS[k], a, b) for k in picks)
    twin = " ".join(_fill(SENTS[k], (mal, "m"), (fem, "f")) for k in picks)
    pa = {"mother": [f"Ms {fem}"], "father": [f"Mr {mal}"]}
    d1, d2 = biaslens.pipeline.make_doc(nlp, text, pa), biaslens.pipeline.make_doc(nlp, twin, pa)
    assert len(d1) == len(d2)
    assert _parse(d1) == _parse(d2)
    s1, s2 = d1.spans["biaslens_statements"], d2.spans["biaslens_statements"]
    assert [s.label_ for s in s1] == [s.label_ for s in s2]
    assert [round(s._.biaslens_confidence, 6) for s in s1] == [round(s._.biaslens_confidence, 6) for s in s2]


def test_parties_detected_once_and_shared(nlp):
    doc = nlp("Rachel Finch (the mother) said that Mr Bell was late.")
    assert set(doc.user_data["biaslens_partyset"]["aliases"]) == {"mother", "father"}
    assert {(s.text, s.label_) for s in doc.spans["biaslens_parties"]} >= {("Rachel Finch", "mother"), ("Mr Bell", "father")}


def test_pronoun_with_the_child_in_the_window_stays_unresolved(nlp):
    # a role swap changes the parents' genders but not the child's: whichever parent shares
    # the child's pronoun, the child blocks resolution, so twins resolve alike
    for text in ("Mr Bell collected Tom and he was late.", "Ms Finch collected Tom and she was late."):
        doc = biaslens.pipeline.make_doc(nlp, text, {"mother": ["Ms Finch"], "father": ["Mr Bell"]})
        assert not [s for s in doc.spans["biaslens_parties"] if s.kb_id_ == "pronoun"], text
    doc = nlp("Ms Finch arrived late. She apologised.")
    assert [(s.text, s.label_) for s in doc.spans["biaslens_parties"] if s.kb_id_ == "pronoun"] == [("She", "mother")]


def test_held_out_twins_keep_every_label():
    """Three s7heldout reports (test only: never trained on) and their role-swapped twins."""
    path = ROOT / "corpora" / "s7heldout" / "reports.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_id = {r["report_id"]: r for r in rows}
    originals = [r for r in rows if r.get("twin_of") and r["report_id"] != r["twin_of"]
                 and not r.get("is_twin")][:3]
    assert originals
    nlp = biaslens.load()
    for r in originals:
        tw = by_id[r["twin_of"]]
        l1 = [s.label for s in biaslens.analyze(r["text"], r.get("parties"), nlp=nlp).statements]
        l2 = [s.label for s in biaslens.analyze(tw["text"], tw.get("parties"), nlp=nlp).statements]
        assert l1 == l2, r["report_id"]


def test_embedding_text_is_the_same_for_her_and_his(nlp):
    from biaslens.tagger.features import featurize

    docs = [nlp(f"{p} GP confirmed that {s} has not needed treatment.") for p, s in (("Her", "she"), ("His", "he"))]
    plains = {featurize(d.spans["biaslens_statements"][0]).plain for d in docs}
    assert plains == {"their GP confirmed that they has not needed treatment ."}
