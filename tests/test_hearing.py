"""Tests for biaslens.hearing (concerns uptake, assessment parity)."""
import warnings

import numpy as np
import pytest

import biaslens
from biaslens.hearing import concerns_frame, contacts_frame, parity_frame, parity_long, party_metrics

PARTIES = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}


def _rep(nlp, text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return biaslens.analyze(text, parties=PARTIES, nlp=nlp)


@pytest.mark.parametrize("text, expected", [
    ("Mr Bell is worried that Amy is missing school.\nAnalysis\n"
     "Because school records show Amy missed no days, the worry about missing school is not borne out.",
     [("father", "addressed")]),
    ("Ms Finch raised concerns about the dog at the father's home.\nAnalysis\n"
     "The concern about the dog at the father's home is unfounded.", [("mother", "dismissed")]),
    ("Ms Finch is worried about bedtimes at the father's home.\nAnalysis\nI recommend weekly contact.",
     [("mother", "not_revisited")]),
    # negative case: no concern raised
    ("Ms Finch said that Amy likes swimming.\nAnalysis\nI recommend weekly contact.", []),
])
def test_concerns_gold(nlp, text, expected):
    cf = concerns_frame(_rep(nlp, text))
    assert list(zip(cf.party, cf.uptake)) == expected


@pytest.mark.parametrize("text, expected", [
    ("I visited Mr Bell at his home for two hours.", [("father", "home_visit", 120.0)]),
    ("I spoke to Ms Finch by telephone for 45 minutes.", [("mother", "telephone", 45.0)]),
    ("I observed Amy with Ms Finch at the office.", [("mother", "office", None), ("mother", "observed_with_child", None)]),
    ("I have read Mr Bell's position statement.", [("father", "documents_read", None)]),
    # the case: a child seen at the office with one parent
    ("I saw Amy with Ms Finch at the office.", [("mother", "office", None), ("mother", "observed_with_child", None)]),
    ("I met Mr Bell with Amy at the office for 40 minutes.",
     [("father", "office", 40.0), ("father", "observed_with_child", 40.0)]),
    # negative case: seen without the child is not a contact with the child
    ("I saw Ms Finch at the office.", [("mother", "office", None)]),
    # negative cases: a party's own account, and a recommended (future) contact
    ("Ms Finch said that she telephoned the school.", []),
    ("I recommend that I visit Mr Bell at his home.", []),
])
def test_contacts_gold(nlp, text, expected):
    cf = contacts_frame(_rep(nlp, text))
    got = [(p, c, (None if m is None or (isinstance(m, float) and np.isnan(m)) else m))
           for p, c, m in zip(cf.party, cf.contact, cf.minutes)]
    assert sorted(got, key=str) == sorted(expected, key=str)


def test_parity_and_metrics_mirror_on_swap(nlp):
    from biaslens.swap import swap_roles

    text = ("I visited Ms Finch at her home for an hour. I observed Amy with Ms Finch. "
            "I spoke to Mr Bell by telephone.\nMs Finch is worried that Amy is tired after contact.\n"
            "Analysis\nI recommend contact continues.")
    a = _rep(nlp, text)
    b = _rep(nlp, swap_roles(text, PARTIES, "mother", "father", nlp=nlp, others=["Amy"])[0])
    pa, pb = party_metrics(a), party_metrics(b).rename(index={"mother": "father", "father": "mother"})
    pb = pb.loc[pa.index]
    assert np.allclose(pa.fillna(-1).to_numpy(float), pb.fillna(-1).to_numpy(float))
    pf = parity_frame(a)
    assert pf.loc["mother", "observed_with_child"] == 1 and pf.loc["father", "observed_with_child"] == 0
    assert pf.loc["mother", "contact_minutes"] == 60.0
    assert pa.loc["mother", "concerns_raised"] == 1
    assert np.isnan(pa.loc["father", "concerns_addressed_rate"])


def test_parity_long_marks_one_sided_contacts(nlp):
    r = _rep(nlp, "I saw Amy with Ms Finch at the office for an hour. I visited Ms Finch at her home. "
                  "I visited Mr Bell at his home.")
    t = parity_long(r).set_index(["party", "contact"])
    assert len(t) == 2 * 6  # every kind for every party, zeros included
    assert t.loc[("mother", "office"), "count"] == 1 and t.loc[("father", "office"), "count"] == 0
    assert t.loc[("mother", "office"), "minutes"] == 60.0
    assert np.isnan(t.loc[("father", "home_visit"), "minutes"])
    assert bool(t.loc[("father", "office"), "gap"]) and bool(t.loc[("father", "observed_with_child"), "gap"])
    assert not t.loc["mother", "gap"].any()
    assert not t.loc[("father", "home_visit"), "gap"]  # both were visited at home
    assert not t.loc[("father", "telephone"), "gap"]   # nobody was telephoned
