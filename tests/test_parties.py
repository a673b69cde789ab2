import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biaslens
from biaslens import parties as P


@pytest.mark.parametrize("text,role,alias", [
    ("Rachel Finch (the mother) attended with Amy.", "mother", "Rachel Finch"),
    ("The father, Mr Bell, attended.", "father", "Mr Bell"),
    ("Ms Finch, the mother, attended.", "mother", "Ms Finch"),
    ("Her son's father, Mr Okoro, was present.", "father", "Mr Okoro"),
    ("Mrs Adeyemi (the paternal grandmother) cares for Leo.", "paternal_grandmother", "Mrs Adeyemi"),
    ("The officer offered to meet the child but Ms F had not facilitated this request.", "mother", "Ms F"),
])
def test_detection(text, role, alias):
    pset = P.detect(text)
    assert alias in pset.aliases.get(role, [])


@pytest.mark.parametrize("text,other", [
    ("The class teacher, Mrs Patel, said Amy was happy. Ms Finch agreed.", "Mrs Patel"),
    ("Dr Shah prescribed medication. Mr Bell disagreed.", "Dr Shah"),
])
def test_professionals_are_not_parties(text, other):
    pset = P.detect(text)
    assert other in pset.others
    assert all(other not in a for a in pset.aliases.values())


def test_two_mothers(nlp):
    text = "Ms Hart told me that Ms Lowe refused to attend. Ms Lowe said she was unwell."
    r = biaslens.analyze(text, parties={"mother_a": ["Ms Hart"], "mother_b": ["Ms Lowe"]}, nlp=nlp)
    assert set(r.parties) == {"mother_a", "mother_b"}
    assert r.statements[0].source == "mother_a"
    assert {(c.category, c.target) for c in r.statements[0].cues} >= {("presupposed_failure", "mother_b")}
    # "she" in the second sentence: only Ms Lowe is in the same sentence
    assert r.statements[1].source == "mother_b"


def test_ambiguous_pronoun_stays_unresolved(nlp):
    text = "Ms Hart met Ms Lowe at the contact centre. She was upset."
    r = biaslens.analyze(text, parties={"mother_a": ["Ms Hart"], "mother_b": ["Ms Lowe"]}, nlp=nlp)
    assert r.statements[1].targets == ()


def test_child_and_author_are_not_parties(nlp):
    r = biaslens.analyze("I met Amy (aged 7) at school. The officer spoke to Mr Bell.", nlp=nlp)
    assert "child" not in r.parties and "author" not in r.parties
    assert r.child is not None and "Amy" in r.child.aliases


def test_missing_alias_warns(nlp):
    with pytest.warns(biaslens.BiasLensWarning, match="Ms Nobody"):
        biaslens.analyze("Mr Bell attended.", parties={"mother": ["Ms Nobody"], "father": ["Mr Bell"]}, nlp=nlp)


@pytest.mark.parametrize("bad", [
    ["Ms F"], {"mother": []}, {"mother": [""]}, {"": ["Ms F"]}, {"child": ["Amy"]},
    {"mother": ["Ms F"], "father": ["Ms F"]}, {"mo ther": ["Ms F"]}, {"mother": [3]},
])
def test_malformed_parties(bad):
    with pytest.raises(biaslens.PartiesError):
        biaslens.analyze("Ms F attended.", parties=bad)


# the "(the mother)" introductions are found from the parenthesis backwards (fast); the
# result must equal the plain left-to-right search on any text
_PIECES = ["Rachel Finch", "Ms Finch", "Mr. Bell", "the", "Amy's", " (the mother)", " (father)",
           "(Mum)", " ( the paternal grandmother )", "said", ", ", ". ", "\n", "mr bell", "(aged 7)"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_intro_paren_search_equals_plain_search(pieces):
    from biaslens.parties import _INTRO_PAREN, _intro_paren

    text = " ".join(pieces)
    plain = [(m.span(), m.group("name"), m.group("role")) for m in _INTRO_PAREN.finditer(text)]
    fast = [(m.span(), m.group("name"), m.group("role")) for m in _intro_paren(text)]
    assert fast == plain
