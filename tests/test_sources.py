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
])
def test_judge_gold(report, source, status):
    forms = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
    assert judge(report, source, forms)[0] == status


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
