"""biaslens.cues: cue categories, binding through the parse, voice, presupposition search."""
from __future__ import annotations

import pytest

import biaslens
from biaslens.lexicons import AUXILIARY, NAMES, load_lexicon, read_extra

P = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}


def cues(nlp, text, parties=P):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", biaslens.BiasLensWarning)  # not every text names both
        r = biaslens.analyze(text, parties, nlp=nlp)
    return {(c.text, c.category, c.target, c.voice) for c in r.cues}, r


# (text, expected cues as (span, category, target, voice), cues that must NOT appear as (span, category))
GOLD = [
    ("Ms Finch claims that Mr Bell refused to attend.",
     {("claims", "distancing_attribution", "mother", "author"),
      ("refused", "presupposed_failure", "father", "reported")}, set()),
    ("Mr Bell acknowledged that he was late.",
     {("acknowledged", "endorsing_attribution", "father", "author")}, set()),
    ("Ms Finch told me that the handover was late.",
     {("told", "neutral_attribution", "mother", "author")}, set()),
    # binding by the parse, not proximity: the subject of "failed", not the nearer Ms Finch
    ("Mr Bell failed to return the child to Ms Finch on time.",
     {("failed to", "presupposed_failure", "father", "author")},
     {("failed to", "mother")}),
    # possessor
    ("Ms Finch described her anxiety about handovers.",
     {("anxiety", "mental_health_reference", "mother", "reported")}, set()),
    # negated verbs of compliance
    ("Mr Bell did not send the school reports.",
     {("did not send", "presupposed_failure", "father", "author")}, set()),
    # a hypothetical is not a recorded failure
    ("If Mr Bell does not attend, the court may adjourn.", set(),
     {("does not attend", "presupposed_failure")}),
    # the child's refusal of school is not a party's failure
    ("The child refused to go to school in the autumn.", set(), {("refused", "presupposed_failure")}),
    # reporting verbs that do not introduce an account
    ("Mr Bell did not share the school reports with Ms Finch.", set(), {("share", "neutral_attribution")}),
    ("Mr Bell raised his voice during the game.", set(), {("raised", "neutral_attribution")}),
    ("Ms Finch showed me her drawings.", set(), {("showed", "endorsing_attribution")}),
    # scare quotes
    ('Mr Bell described himself as "the only stable parent" in his statement.',
     {('"the only stable parent"', "distancing_attribution", "father", "author")}, set()),
    # a plain quotation after a reporting verb is not a scare quote
    ('Ms Finch said "I am tired" at the end of the meeting.', set(),
     {('"I am tired"', "distancing_attribution")}),
    # evaluation as fact vs the author's stance
    ("Mr Bell was hostile throughout the meeting.",
     {("was hostile", "evaluation_as_fact", "father", "author"),
      ("hostile", "negative_descriptor", "father", "author")}, set()),
    ("I found Mr Bell to be hostile.", {("hostile", "negative_descriptor", "father", "author")},
     {("hostile", "evaluation_as_fact")}),
]


@pytest.mark.parametrize("text,expected,forbidden", GOLD)
def test_gold_cues(nlp, text, expected, forbidden):
    got, _ = cues(nlp, text)
    assert expected <= got, got
    for item in forbidden:
        assert not any(g[0] == item[0] and item[1] in g[1:3] for g in got), got


def test_pronoun_speaker_resolved_from_previous_subject(nlp):
    text = "I met Ms Finch at the office. She insists that the child should live with her."
    got, _ = cues(nlp, text)
    assert ("insists", "distancing_attribution", "mother", "author") in got


def test_group_subject_binds_every_party(nlp):
    got, _ = cues(nlp, "Neither parent had produced the timetable by the deadline.")
    assert {g[2] for g in got if g[1] == "presupposed_failure"} == {"mother", "father"}


# -- presupposed failure and the search for the presupposed request ----------------------
PRESUP = [
    # the issue's worked example: nothing recorded -> unsupported, with the search in the note
    ("The officer offered to meet the child but Ms Finch had not facilitated this request.", "mother", False),
    # a request to that party about the same thing -> supported
    ("I asked Ms Finch to bring the child to the office. Ms Finch failed to bring the child.", "mother", True),
    # a request about something else does not support it
    ("I asked Ms Finch to send the school reports. Ms Finch did not attend the review.", "mother", False),
    # a request to the other party does not support it
    ("I asked Mr Bell to bring the child to the office. Ms Finch failed to bring the child.", "mother", False),
    # both parents asked
    ("I asked both parents to keep a diary. Mr Bell did not keep the diary.", "father", True),
    # the request recorded in the same sentence
    ("The school wrote to Mr Bell asking him to attend a meeting, and he did not attend.", "father", True),
    ("Ms Finch declined the offer.", "mother", True),
]


@pytest.mark.parametrize("text,target,supported", PRESUP)
def test_presupposition_search(nlp, text, target, supported):
    got, r = cues(nlp, text)
    fails = [c for c in r.cues if c.category == "presupposed_failure" and c.target == target]
    assert fails, got
    unsup = [c for c in r.cues if c.category == "unsupported_presupposition" and c.target == target]
    if supported:
        assert not unsup
        assert "request recorded in statement" in fails[-1].note
    else:
        assert unsup and "none recorded" in unsup[-1].note and "searched statements" in unsup[-1].note
        assert (unsup[-1].start, unsup[-1].end) == (fails[-1].start, fails[-1].end)


# -- lexicons -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_every_packaged_row_has_a_source(name):
    rows = load_lexicon(name)
    assert rows
    assert all(e.source and e.source != "user" for e in rows)
    assert all(e.match in ("lemma", "lower") for e in rows)


def test_lexicons_cite_the_literature_the_issue_names():
    sources = " ".join(e.source for n in NAMES for e in load_lexicon(n))
    for who in ("Hyland", "Karttunen", "Hooper", "Testimonial injustice", "family-court"):
        assert who in sources
    assert set(AUXILIARY) <= set(NAMES)


@pytest.mark.slow
def test_extra_lexicon_extends_without_editing_packaged_files(tmp_path):
    import hashlib
    from importlib import resources

    before = {n: hashlib.sha256(resources.files("biaslens.lexicons").joinpath(f"{n}.tsv").read_bytes()).hexdigest()
              for n in NAMES}
    extra = tmp_path / "extra.tsv"
    extra.write_text("term\tcategory\tmatch\tsource\nbelligerently\tnegative_descriptor\tlower\tmy study\n",
                     encoding="utf-8")
    r = biaslens.analyze("Mr Bell spoke belligerently to the officer.", P, extra_lexicon=str(extra))
    assert any(c.category == "negative_descriptor" and c.text == "belligerently" and c.target == "father"
               for c in r.cues)
    after = {n: hashlib.sha256(resources.files("biaslens.lexicons").joinpath(f"{n}.tsv").read_bytes()).hexdigest()
             for n in NAMES}
    assert before == after


@pytest.mark.parametrize("rows,code", [
    ([{"term": "x", "category": "not_a_category"}], "E014"),
    ([{"term": "", "category": "hedge"}], "E013"),
    ([{"term": "x", "category": "hedge", "match": "regex"}], "E013"),
])
def test_bad_extra_lexicon(rows, code):
    from biaslens.cues import _entries

    with pytest.raises(biaslens.InputError, match=code):
        _entries(read_extra(rows) and rows)


# (text, party, expected: True = unsupported_presupposition flagged) -- AUTHORING.md: flagged only
# when no earlier statement records the request / agreement being made to that party about it
PRESUPPOSITION = [
    # a request about another duty does not support this one (shared modifier only)
    ("I asked Mr Bell to provide a hair strand alcohol test by 14 March. "
     "Mr Bell has not engaged with the community alcohol service.", "father", True),
    # the same duty in other words: "bring the child" is what "make the child available" fails
    ("I asked Ms Finch to bring the child to the office on 6 May. "
     "Ms Finch did not make the child available on 6 May.", "mother", False),
    # "the agreed time", "the proposed move" record no request
    ("Ms Finch arrived after the agreed time. Ms Finch has not engaged with the parenting course.",
     "mother", True),
    # a group addressee: "each grandparent", "both parents"
    ("I asked both parents to send me their work rotas by 10 May. Ms Finch did not send hers.",
     "mother", False),
    # a request in the same sentence
    ("The school wrote to both parents asking them to attend a meeting, and Mr Bell did not attend.",
     "father", False),
    # a refusal right after the request it turns down
    ("I asked Mr Bell to set out in writing how he would manage the school run. "
     "Mr Bell declined to provide a written plan.", "father", False),
    # the anaphor's antecedent is in its own sentence: an earlier request about something else
    # does not support it
    ("I asked Ms Finch for consent to contact her GP. "
     "The officer offered to meet the child but Ms Finch had not facilitated this request.", "mother", True),
    # a reply to someone's messages records the messages
    ("Mr Bell said that he sent Ms Finch eleven messages and that she did not reply to any of them.",
     "mother", False),
    # a question is not a request
    ("The child sometimes asks whether Mr Bell is still cross. Mr Bell refused to let the visitor in.",
     "father", True),
]


@pytest.mark.parametrize("text,party,flagged", PRESUPPOSITION)
def test_presupposition_search(nlp, text, party, flagged):
    got, _ = cues(nlp, text)
    fails = {g for g in got if g[1] == "presupposed_failure" and g[2] == party}
    assert fails, got
    assert any(g[1] == "unsupported_presupposition" and g[2] == party for g in got) == flagged, got


@pytest.mark.parametrize("text,span,party", [
    # the party whose content is hedged: possessor of the subject, subject of an extraposed clause
    ("I met Ms Finch at the office. Her anxiety may be a factor in the delay.", "may", "mother"),
    ("Mr Bell's drinking may affect his care of the child.", "may", "father"),
    ("It is clear that Mr Bell loves the child.", "It is clear that", "father"),
])
def test_hedge_binds_to_hedged_party(nlp, text, span, party):
    got, _ = cues(nlp, text)
    assert any(g[0] == span and g[1] in ("hedge", "booster") and g[2] == party for g in got), got


def test_descriptor_of_no_party_is_not_a_cue(nlp):
    got, _ = cues(nlp, "The child has a consistent routine at school. Mr Bell was attentive.")
    assert not any(g[0] == "consistent" for g in got), got
    assert ("attentive", "positive_descriptor", "father", "author") in got
