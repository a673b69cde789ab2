"""Statement tagger: estimator contract, shipped artefacts, gold cases, swap invariance."""
from __future__ import annotations

import logging

import numpy as np
import pytest
from sklearn.base import clone

from biaslens.errors import InputError
from biaslens.tagger import (BACKENDS, DEFAULT_BACKEND, LearnedTagger, RuleTagger,
                             StatementClassifier, get_tagger, model_path)
from biaslens.tagger.features import featurize

TRAIN = [
    ("Ms Finch told me that Mr Bell shouted at Amy.", "allegation"),
    ("Mr Bell claims that Ms Finch stopped contact.", "allegation"),
    ("Amy said she wants to see her dad more.", "allegation"),
    ("The school reported that Amy is settled.", "allegation"),
    ("I recommend that Amy spends alternate weekends with her father.", "opinion"),
    ("In my view Ms Finch is child-focused.", "opinion"),
    ("It is likely that Amy would benefit from more time with both parents.", "opinion"),
    ("Mr Bell was hostile throughout the interview.", "opinion"),
    ("I visited Ms Finch at home on 3 May 2024.", "observation"),
    ("Police checks show two call-outs in 2023.", "observation"),
    ("Amy appeared relaxed and played with her father.", "observation"),
    ("Mr Bell attended the meeting at the office.", "observation"),
    ("1. Introduction", "other"),
    ("This report is prepared under section 7 of the Children Act 1989.", "other"),
    ("Documents read: court bundle, police checks", "other"),
    ("Recommendation", "other"),
]

# ANNOTATION.md's hard cases; the shipped default must get every one right.
GOLD = [
    ("Amy appeared relaxed and played with her father during the visit.", "observation"),   # hedged observation
    ("It appears that Amy is anxious before contact with her mother.", "opinion"),          # hedged inference
    ("The GP believes Ms Finch is coping well.", "allegation"),                             # relayed professional opinion
    ("Police checks show two call-outs to the family home in 2023.", "observation"),        # cited record
    ("GP records note treatment for anxiety in 2022.", "observation"),                      # record as subject
    ("Ms Finch alleges that Mr Bell shouted at Amy.", "allegation"),
    ("Mr Bell claims that he has always supported contact.", "allegation"),
    ("In my assessment Amy would benefit from spending time with both parents.", "opinion"),
    ("Ms Finch was obstructive about handovers.", "opinion"),                               # evaluation as fact
    ("Amy told me she wants to see her dad more.", "allegation"),                           # child's wishes
    ("Police checks revealed no incidents.", "observation"),
    ("This report is prepared under section 7 of the Children Act 1989.", "other"),
    ("I spoke to Amy's class teacher on 4 March.", "observation"),                          # enquiry
    ("I recommend that contact moves to alternate weekends.", "opinion"),
]


@pytest.fixture(scope="module")
def spans(nlp):
    """Train sentences parsed once by the session pipeline."""
    out = []
    for t, _ in TRAIN:
        doc = nlp(t)
        s = doc.spans["biaslens_statements"][0]
        out.append(doc[s.start:s.end])  # a Span keeps its Doc alive; a SpanGroup does not
    return out


def test_init_only_stores_params_and_clone():
    clf = StatementClassifier(backend="linear", C=2.0, random_state=3)
    assert clf.get_params()["C"] == 2.0 and clf.get_params()["random_state"] == 3
    assert not [a for a in vars(clf) if a.endswith("_")]
    c2 = clone(clf)
    assert c2.get_params() == clf.get_params() and c2 is not clf


def test_bad_backend_and_bad_input(spans):
    with pytest.raises(InputError, match="E009"):
        StatementClassifier(backend="nope").fit(spans, [y for _, y in TRAIN])
    with pytest.raises(InputError, match="E120"):
        StatementClassifier(backend="rules").fit([1, 2], ["other", "other"])
    with pytest.raises(InputError, match="E122"):
        StatementClassifier(backend="linear").fit(spans, ["other"])


@pytest.mark.parametrize("backend", ["rules", "linear"])
def test_fit_predict_shapes(backend, spans):
    y = [lab for _, lab in TRAIN]
    clf = StatementClassifier(backend=backend).fit(spans, y)
    assert set(clf.classes_) == {"allegation", "observation", "opinion", "other"}
    P = clf.predict_proba(spans)
    assert P.shape == (len(spans), len(clf.classes_))
    assert np.allclose(P.sum(axis=1), 1.0)
    pred = clf.predict(spans)
    assert pred.shape == (len(spans),) and set(pred) <= set(clf.classes_)


def test_strings_and_spans_agree(spans):
    y = [lab for _, lab in TRAIN]
    clf = StatementClassifier(backend="linear").fit(spans, y)
    assert list(clf.predict([t for t, _ in TRAIN])) == list(clf.predict(spans))


def test_reproducible_with_random_state(spans):
    y = [lab for _, lab in TRAIN]
    a = StatementClassifier(backend="linear", random_state=0).fit(spans, y).predict_proba(spans)
    b = StatementClassifier(backend="linear", random_state=0).fit(spans, y).predict_proba(spans)
    assert np.array_equal(a, b)


def test_save_load_roundtrip(tmp_path, spans):
    y = [lab for _, lab in TRAIN]
    clf = StatementClassifier(backend="linear").fit(spans, y)
    clf.save(tmp_path / "m")
    assert not list(tmp_path.glob("*.pkl"))
    back = StatementClassifier.load(tmp_path / "m")
    assert np.allclose(back.predict_proba(spans), clf.predict_proba(spans))


def test_missing_artefact_falls_back_to_rules(monkeypatch, tmp_path, caplog):
    import biaslens.tagger as T

    monkeypatch.setattr(T, "model_path", lambda backend: tmp_path / backend)
    T.get_tagger.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="biaslens"):
            tagger = T.get_tagger("linear")
        assert isinstance(tagger, RuleTagger)
        assert "W120" in caplog.text
    finally:
        T.get_tagger.cache_clear()


def test_shipped_default_artefact_loads():
    assert DEFAULT_BACKEND in BACKENDS
    if DEFAULT_BACKEND == "rules":
        return
    assert model_path(DEFAULT_BACKEND).with_suffix(".json").is_file()
    assert model_path(DEFAULT_BACKEND).with_suffix(".md").is_file()
    tagger = get_tagger(DEFAULT_BACKEND)
    assert isinstance(tagger, LearnedTagger)


@pytest.mark.parametrize("text,label", GOLD)
def test_gold_hard_cases_default(nlp, text, label):
    doc = nlp(text)
    assert [s.label_ for s in doc.spans["biaslens_statements"]] == [label]


@pytest.mark.parametrize("text,source", [
    ("Ms Finch alleges that Mr Bell shouted at Amy.", "mother"),
    ("The GP believes Ms Finch is coping well.", "third_party"),
    ("Police checks show two call-outs in 2023.", "author"),
    ("Ms Finch told me that she is tired. She said that Mr Bell is late every week.", "mother"),
])
def test_source(nlp, text, source):
    doc = nlp.make_doc(text)
    doc.user_data["biaslens_parties"] = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert doc.spans["biaslens_statements"][-1].kb_id_ == source


SWAP = [
    ("Ms Finch told me that Mr Bell shouted at Amy. She was hostile to him.",
     "Mr Bell told me that Ms Finch shouted at Amy. He was hostile to her."),
    ("I observed Mr Bell playing with Amy. He appeared relaxed.",
     "I observed Ms Finch playing with Amy. She appeared relaxed."),
    ("In my view the mother is child-focused. The father claims that she lies.",
     "In my view the father is child-focused. The mother claims that he lies."),
]


@pytest.mark.parametrize("a,b", SWAP)
def test_swap_invariance(nlp, a, b):
    da, db = nlp(a), nlp(b)
    la = [s.label_ for s in da.spans["biaslens_statements"]]
    lb = [s.label_ for s in db.spans["biaslens_statements"]]
    assert la == lb


def test_features_have_no_names(nlp):
    doc = nlp("Ms Finch told me that Mr Bell shouted at her.")
    f = featurize(doc.spans["biaslens_statements"][0])
    assert "finch" not in f.text.lower() and "bell" not in f.text.lower()
    assert "her" not in f.text.split()
    assert not any("finch" in k.lower() or "bell" in k.lower() for k in f.feats)
