"""Tests for biaslens.sources (report against sources)."""
import json
import warnings

import numpy as np
import pytest

import biaslens
from biaslens.errors import BiasLensWarning, InputError
from biaslens.sources import compare, judge, split_sentences

PARTIES = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}


@pytest.mark.parametrize("report, source, status", [
    ("Mr Bell was charged with assault.", "Mr Bell was not charged with assault.", "contradicted"),
    ("Mr Bell arrived 40 minutes late.", "Mr Bell arrived 15 minutes late.", "contradicted"),
    ("Ms Finch missed the appointment in January 2024.", "Ms Finch missed the appointment in October 2023.", "contradicted"),
    ("Mr Bell asked for less contact.", "Mr Bell offered less contact.", "contradicted"),
    ("Ms Finch admitted that she cancelled three sessions.", "Mr Bell said that he cancelled three sessions.", "contradicted"),
    ("Mr Bell repeatedly shouted at Amy.", "Mr Bell shouted at Amy once.", "stronger_than_source"),
    ("Mr Bell had been drinking.", "Mr Bell might have been drinking, she was not sure.", "stronger_than_source"),
    # negative cases: paraphrase with no discrepancy
    ("Ms Finch said that Amy sees her grandparents every Sunday.", "Ms Finch said Amy visits her grandparents each Sunday.", "supported"),
    ("Police checks show no convictions.", "There are no convictions recorded.", "supported"),
    ("Mr Bell arrived 15 minutes late.", "Mr Bell arrived 15 minutes late on Monday.", "supported"),
    # polarity through the antonym lexicon (lexicons/polarity.tsv)
    ("Ms Finch declined the offer of extra contact.", "Ms Finch accepted the offer of extra contact.", "contradicted"),
    ("Ms Finch told me that Mr Bell refused mediation.", "Ms Finch said Mr Bell agreed to try mediation.", "contradicted"),
    ("Mr Bell said that Ms Finch refused to let him phone Amy.", "Mr Bell said Ms Finch allows him to phone Amy.", "contradicted"),
    # the subject of the reported content changed, through a pronoun and a nested frame
    ("Mr Bell told me that Ms Finch took Amy to the hospital.", "Mr Bell said he took Amy to the hospital.", "contradicted"),
    ("Ms Finch said that Mr Bell smokes in the car.", "Ms Finch said she suspects Mr Bell smokes in the car.", "stronger_than_source"),
    ("Ms Finch said that Mr Bell swears at her every time they speak.",
     "Ms Finch said Mr Bell swore at her during one phone call.", "stronger_than_source"),
    # negative cases: the negation is paraphrased, or shared, or outside the aligned claim
    ("Mr Bell told me that he has been sober for two years.", "Mr Bell has not had a drink for two years.", "supported"),
    ("Ms Finch said that Amy does not like the long drive.", "Ms Finch said Amy dislikes the long drive.", "supported"),
    ("Ms Finch said she is happy for Mr Bell to attend school events.",
     "Ms Finch has no objection to Mr Bell coming to school events.", "supported"),
    ("Ms Finch is not opposed to overnight stays.", "Ms Finch said she would support overnight stays.", "supported"),
    ("Mr Bell said that Amy is never rude to him.", "Mr Bell said Amy is always polite with him.", "supported"),
    ("The police records show no call-outs to either address.",
     "There have been no police call-outs to the address of Ms Finch.", "supported"),
    ("Mr Bell said Ms Finch moved Amy to a new school in January without telling him.",
     "Mr Bell said that Ms Finch moved Amy to a new school in January without telling him.", "supported"),
    # a hedge with a negator in it is a hedge, not a negated claim
    ("Mr Bell had left Amy alone in the flat.",
     "Amy may have been left alone in the flat by Mr Bell, but this was not confirmed.", "stronger_than_source"),
    # numbers are compared only when the sentences share content
    ("Mr Bell arrived 40 minutes late.", "Mr Bell has 3 cats.", "supported"),
    # a figure written another way is the same figure (clock times, numeric dates, ordinals)
    ("Ms Finch said Amy goes to bed at 7.30.", "Ms Finch said Amy is in bed by half past seven.", "supported"),
    ("Ms Finch said Amy goes to bed at 8.30.", "Ms Finch said Amy is in bed by half past seven.", "contradicted"),
    ("Amy was seen at the surgery on 14/02/2024 with a chest infection.",
     "Amy attended the surgery on 14 February 2024 with a chest infection.", "supported"),
    ("Amy was seen at the surgery on 14/03/2024 with a chest infection.",
     "Amy attended the surgery on 14 February 2024 with a chest infection.", "contradicted"),
    ("Mr Bell said the hearing is on 3 October.", "Mr Bell said the hearing is listed for October 3rd.", "supported"),
    # a contraction keeps its negation; "not once ... or" is "never ... nor"
    ("Mr Bell told me that he has been sober for two years.", "\"I haven't had a drink for two years,\" Mr Bell said.", "supported"),
    ("Mr Bell told me that he has had a drink this week.", "\"I haven't had a drink this week,\" Mr Bell said.", "contradicted"),
    ("Mr Bell said that he has never hit Amy.", "Mr Bell said he has not once smacked or hit Amy.", "supported"),
    ("Mr Bell said that he hit Amy.", "Mr Bell said he has not smacked or hit Amy.", "contradicted"),
    # an irregular past tense is the same verb ("forgot" is an implicative negator like "forgets")
    ("Ms Finch said that Mr Bell forgot to pack Amy's inhaler.", "Ms Finch said Mr Bell forgets to pack Amy's inhaler.", "supported"),
    ("Ms Finch said that Mr Bell packed Amy's inhaler.", "Ms Finch said Mr Bell forgot to pack Amy's inhaler.", "contradicted"),
    # a he/she that does not fit the speaker is the other party, not the speaker
    ("Ms Finch told me that Mr Bell raised his voice at her.", "Ms Finch said he raised his voice at her.", "supported"),
    ("Ms Finch told me that Mr Bell raised his voice at her.", "Ms Finch said she raised her voice at him.", "contradicted"),
])
def test_judge_gold(report, source, status):
    forms = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
    assert judge(report, source, forms)[0] == status


def test_judge_mirrors_on_swap():
    # the pronoun rule reads the parties' genders from titles/roles, so a swap mirrors it
    forms = {"mother": ["Mr Bell"], "father": ["Ms Finch"]}
    assert judge("Mr Bell told me that Ms Finch raised her voice at him.",
                 "Mr Bell said she raised her voice at him.", forms)[0] == "supported"
    assert judge("Mr Bell told me that Ms Finch raised her voice at him.",
                 "Mr Bell said he raised his voice at her.", forms)[0] == "contradicted"


def test_shared_content_joins_verb_and_noun():
    from biaslens.sources import _shared_content

    assert _shared_content("Mr Bell has no previous convictions.", "Mr Bell has never been convicted.")
    assert _shared_content("Ms Finch swears at him.", "Ms Finch swore at him.")


@pytest.mark.parametrize("text, negated, asserted", [
    ("Mr Bell was not charged with assault.", {"charg"}, {"assault"}),
    ("Mr Bell has been sober.", {"drink", "alcohol"}, {"sober"}),
    ("Ms Finch refused to answer the calls.", {"answer", "agre", "allow"}, {"call"}),
    ("Ms Finch has never missed a handover.", {"miss"}, {"attend", "handover"}),
    ("Ms Finch attended the review.", set(), {"attend", "review"}),
])
def test_polarity(text, negated, asserted):
    from biaslens.sources import _polarity

    pol = _polarity(text)
    assert {k for k in negated if pol.get(k) == 1} == negated
    assert {k for k in asserted if pol.get(k) == 0} == asserted


def test_polarity_lexicon_rows_cite_a_source():
    import csv
    from importlib import resources

    text = resources.files("biaslens.lexicons").joinpath("polarity.tsv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    assert len(rows) > 30
    assert all(r["source"].strip() and r["category"] in {"negator", "negative_of", "contrast"} for r in rows)
    assert all(r["partners"].strip() for r in rows if r["category"] != "negator")


@pytest.mark.parametrize("text, agent", [
    ("Mr Bell told me that Ms Finch took Amy out.", "mother"),
    ("Mr Bell said he took Amy out.", "father"),
    ("Ms Finch said she suspects Mr Bell smokes.", "father"),
    ("Ms Finch missed the check.", "mother"),
    ("Amy told me that she likes school.", None),   # the child is not a party
    ("The weather was cold.", None),
])
def test_agent(text, agent):
    from biaslens.sources import _agent

    assert _agent(text, {"mother": ["Ms Finch"], "father": ["Mr Bell"]}) == agent


def test_mask_neutralises_parties_symmetrically():
    from biaslens.sources import _mask

    forms = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
    a = _mask("Ms Finch said that Mr Bell shouted at her and his son.", forms)
    b = _mask("Mr Bell said that Ms Finch shouted at him and her son.", forms)
    assert a == b
    assert "Finch" not in a and "Bell" not in a


def test_not_found_needs_shared_content(nlp):
    # same people and frame, nothing the source mentions: not_found, however similar the shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        chk = compare("Ms Finch told me that Mr Bell took Amy to the pub.\n"
                      "Mr Bell said that he attends every contact session.",
                      {"notes": "Ms Finch said Mr Bell has never met Amy's teacher. "
                                "Mr Bell said he attends all of the contact sessions."},
                      parties=PARTIES, use_embeddings=False, nlp=nlp)
    assert [a.status for a in chk.attributions] == ["not_found", "supported"]


def test_distorted_passage_is_not_an_omission(nlp):
    # the report contradicts the police record; the record is then not also "left out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        chk = compare("The police told me that Mr Bell was charged with assault.",
                      {"police": "Mr Bell was not charged with assault."},
                      parties=PARTIES, use_embeddings=False, nlp=nlp)
    assert chk.attributions[0].status == "contradicted"
    assert chk.omissions == []


def test_split_sentences_keeps_titles():
    text = "Mr. Bell said no. Ms F. Finch agreed.\nHeading"
    assert [text[a:b] for a, b in split_sentences(text)] == ["Mr. Bell said no.", "Ms F. Finch agreed.", "Heading"]


@pytest.fixture(scope="module")
def check(nlp):
    report = ("Ms Finch told me that Mr Bell was charged with assault in 2021.\n"
              "Mr Bell said that he attends every contact session.")
    sources = {"police": "Mr Bell was arrested in 2021 but he was not charged with assault. "
                         "Ms Finch was abusive to the officers at the scene.",
               "interview": "Mr Bell said he attends all of the contact sessions."}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compare(report, sources, parties=PARTIES, use_embeddings=False, nlp=nlp)


def test_compare_statuses_and_evidence(check):
    st = [a.status for a in check.attributions]
    assert st == ["contradicted", "supported"]
    a = check.attributions[0]
    assert check.report_text[a.report_start:a.report_end] == a.report_text
    assert check.sources[a.source][a.source_start:a.source_end] == a.source_text
    assert check.matrices["police"].shape == (2, 2)


def test_omissions_and_shares(check):
    assert [o.party for o in check.omissions] == ["mother"]
    assert check.omissions[0].bearing == "criticism"
    assert check.omission_shares["mother"]["share"] == 1.0
    assert check.omission_shares["father"]["share"] == 0.0
    assert check.omission_asymmetry["difference"] == 1.0


def test_exports(check):
    df = check.to_frame()
    assert list(df.status) == ["contradicted", "supported"]
    json.dumps(check.to_dict())
    h = check.to_html()
    assert "<script" not in h and "#D55E00" in h
    assert h == check._repr_html_()
    assert "Finch" not in repr(check)


def test_html_escapes(nlp):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        chk = compare("Ms Finch said <b>no</b> & left.", {"notes": "Ms Finch said <b>no</b> & left."},
                      parties=PARTIES, use_embeddings=False, nlp=nlp)
    assert "<b>no</b>" not in chk.to_html() and "&lt;b&gt;" in chk.to_html()


@pytest.mark.parametrize("sources, code", [
    ({}, "E220"), (None, "E220"), ({"notes": ""}, "E223"), ({"notes": 3}, "E222"),
    ({"": "text"}, "E221"),
    ({"notes": "Le père a dit que la mère refuse les visites depuis des mois, selon les notes du "
               "travailleur social qui les a rencontrés chez eux à plusieurs reprises cette année."}, "E224"),
])
def test_bad_sources(nlp, sources, code):
    with pytest.raises(InputError, match=code):
        compare("Ms Finch said that Mr Bell was late.", sources, parties=PARTIES,
                use_embeddings=False, nlp=nlp)


def test_long_source_warns(nlp):
    with pytest.warns(BiasLensWarning, match="W220"):
        compare("Ms Finch said Mr Bell was late.", {"notes": "Mr Bell was late. " * 200},
                parties=PARTIES, use_embeddings=False, nlp=nlp)


def test_swap_mirrors_omission_shares(nlp):
    from biaslens.swap import swap_roles

    rep = "Ms Finch told me that Mr Bell shouted at Amy.\nMr Bell said that Amy is happy."
    src = {"notes": "Mr Bell shouted at Amy. Mr Bell is warm with Amy. Ms Finch was late twice. Amy is happy."}
    sw = lambda t: swap_roles(t, PARTIES, "mother", "father", nlp=nlp, others=["Amy"])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = compare(rep, src, parties=PARTIES, use_embeddings=False, nlp=nlp)
        b = compare(sw(rep), {k: sw(v) for k, v in src.items()}, parties=PARTIES, use_embeddings=False, nlp=nlp)
    assert a.omission_shares["mother"] == b.omission_shares["father"]
    assert a.omission_shares["father"] == b.omission_shares["mother"]


@pytest.mark.slow
def test_minilm_paraphrase(nlp):
    pytest.importorskip("transformers")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        chk = compare("Mr Bell told me that he has been teetotal for two years.",
                      {"notes": "Mr Bell said he stopped drinking alcohol two years ago. The weather was cold."},
                      parties=PARTIES, nlp=nlp)
    assert chk.meta["backend"] == "minilm"
    a = chk.attributions[0]
    assert a.source_text.startswith("Mr Bell said he stopped")


@pytest.mark.slow
def test_minilm_scores_mirror_under_role_swap(nlp):
    # names are masked before embedding, so the swapped report gets the same score matrix
    pytest.importorskip("transformers")
    from biaslens.swap import swap_roles

    rep = "Ms Finch told me that Mr Bell shouted at Amy.\nMr Bell said that Amy is happy at school."
    src = {"notes": "Mr Bell shouted at Amy once. Mr Bell is warm with Amy. Ms Finch was late twice."}
    sw = lambda t: swap_roles(t, PARTIES, "mother", "father", nlp=nlp, others=["Amy"])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = compare(rep, src, parties=PARTIES, nlp=nlp)
        b = compare(sw(rep), {k: sw(v) for k, v in src.items()}, parties=PARTIES, nlp=nlp)
    assert a.meta["backend"] == b.meta["backend"] == "minilm"
    np.testing.assert_allclose(a.matrices["notes"], b.matrices["notes"], atol=1e-5)
    assert [x.status for x in a.attributions] == [x.status for x in b.attributions]
    assert a.omission_shares["mother"] == b.omission_shares["father"]


def test_compare_pseudonymised_outputs_hold_no_identifiers():
    import json

    import biaslens

    chk = biaslens.compare(
        "Ms Finch told me that Mr Bell was charged with assault in 2021 at Oakfield Primary School.",
        {"police": "Mr Bell was arrested in 2021 but he was not charged. Ms Finch lives at 14 Mill Lane."},
        parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]}, use_embeddings=False,
        pseudonymise=True)
    assert [a.status for a in chk.attributions] == ["contradicted"]
    for out in (json.dumps(chk.to_dict()), chk.to_html(), chk.to_frame().to_csv()):
        for ident in ("Finch", "Bell", "Oakfield", "Mill Lane"):
            assert ident not in out


def test_content_clause_strips_the_reporting_frame():
    from biaslens.sources import _content_clause

    assert _content_clause("The health visitor said that the baby is gaining weight.") == "the baby is gaining weight."
    assert _content_clause("Ms Finch told me that Mr Bell was late.") == "Mr Bell was late."
    assert _content_clause("The GP letter confirms that the vaccinations are up to date.") == "the vaccinations are up to date."
    assert _content_clause("Mr Bell was late on 3 May.") is None  # no frame
    assert _content_clause("I am satisfied that the child is safe.") is None  # not a reporting verb


@pytest.mark.slow
def test_minilm_paraphrase_without_a_shared_word_is_found(nlp):
    # no content word in common ("milestones" / "development on track"): the embeddings alone
    # decide, on the reported content rather than the "The health visitor said that" frame
    pytest.importorskip("transformers")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        chk = compare("The health visitor said that the baby is meeting her milestones.",
                      {"hv": "The baby's development is on track for her age. The flat was tidy."},
                      parties=PARTIES, nlp=nlp)
        lex = compare("The health visitor said that the baby is meeting her milestones.",
                      {"hv": "The baby's development is on track for her age. The flat was tidy."},
                      parties=PARTIES, nlp=nlp, use_embeddings=False)
    assert chk.meta["backend"] == "minilm"
    assert chk.attributions[0].status == "supported", chk.attributions[0].reasons
    assert lex.attributions[0].status == "not_found"  # the lexical fallback cannot see it
