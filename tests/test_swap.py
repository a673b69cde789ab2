"""Tests for biaslens.swap: role-swapped twins of a text."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biaslens.errors import InputError
from biaslens.swap import SwapMap, aligned_forms, party_gender, swap_roles, swap_value

MF = {"mother": ["Rachel Finch", "Ms Finch", "Rachel"], "father": ["Daniel Bell", "Mr Bell", "Daniel"]}
MM = {"mother_a": ["Sinead Gallagher", "Ms Gallagher", "Sinead"],
      "mother_b": ["Nadia Haddad", "Ms Haddad", "Nadia"]}
NEUTRAL = {"parent_a": ["Alex Lee", "Mx Lee"], "parent_b": ["Sam Ward", "Mr Ward"]}
GM = {"maternal_grandmother": ["Patricia Doyle", "Mrs Doyle", "Patricia"],
      "father": ["Kwame Mensah", "Mr Mensah", "Kwame"]}


# (parties, a, b, text, expected swapped text)
GOLD = [
    (MF, "mother", "father", "Ms Finch said that Mr Bell shouted at her.",
     "Mr Bell said that Ms Finch shouted at him."),
    (MF, "mother", "father", "Rachel Finch told me Daniel Bell had not returned Amy.",
     "Daniel Bell told me Rachel Finch had not returned Amy."),
    (MF, "mother", "father", "Rachel said Daniel blamed himself.",
     "Daniel said Rachel blamed herself."),
    (MF, "mother", "father", "In her account, Ms Finch said Mr Bell took his car.",
     "In his account, Mr Bell said Ms Finch took her car."),
    (MF, "mother", "father", "Ms Finch has missed her last two medication reviews.",
     "Mr Bell has missed his last two medication reviews."),
    (MF, "mother", "father", "Mr Bell claims that the mother is hostile.",
     "Ms Finch claims that the father is hostile."),
    (MF, "mother", "father", "Amy told me she wants to see her dad more.",
     "Amy told me she wants to see her mum more."),
    (MF, "mother", "father", "The maternal family live nearby.",
     "The paternal family live nearby."),
    (MF, "mother", "father", "Ms Finch's mother supports her.",
     "Mr Bell's mother supports him."),
    (MF, "mother", "father", "Ms Finch said she had asked Mr Bell to bring Amy. He refused.",
     "Mr Bell said he had asked Ms Finch to bring Amy. She refused."),
    # negative cases: nothing of the two parties in the text, or a third person's pronoun
    (MF, "mother", "father", "Police checks revealed no incidents.",
     "Police checks revealed no incidents."),
    (MF, "mother", "father", "The class teacher, Mrs Patel, said she had no concerns.",
     "The class teacher, Mrs Patel, said she had no concerns."),
    (MF, "mother", "father", "The stepfather said his work was demanding.",
     "The stepfather said his work was demanding."),
    # surnames alone are never swapped (the child shares one)
    (MF, "mother", "father", "Amy Bell attends school.", "Amy Bell attends school."),
    # same-gender and neutral pairs: names only
    (MM, "mother_a", "mother_b", "Ms Gallagher said Ms Haddad shouted at her mother.",
     "Ms Haddad said Ms Gallagher shouted at her mother."),
    (NEUTRAL, "parent_a", "parent_b", "Mx Lee said that Mr Ward was late.",
     "Mr Ward said that Mx Lee was late."),
    # roles of different kinds swap their role phrases
    (GM, "maternal_grandmother", "father", "The maternal grandmother said the father was late.",
     "The father said the maternal grandmother was late."),
]


@pytest.mark.parametrize("parties,a,b,text,expected", GOLD)
def test_gold(parties, a, b, text, expected):
    swapped, mapping = swap_roles(text, parties, a, b, others=["Amy", "Mrs Patel"])
    assert swapped == expected
    assert isinstance(mapping, SwapMap)
    assert mapping.new_len == len(swapped) and mapping.old_len == len(text)


@pytest.mark.parametrize("parties,a,b,text,expected", GOLD)
def test_swap_twice_restores_names(parties, a, b, text, expected):
    once, _ = swap_roles(text, parties, a, b, others=["Amy", "Mrs Patel"])
    twice, _ = swap_roles(once, parties, a, b, others=["Amy", "Mrs Patel"])
    assert twice == text


def test_mapping_carries_spans():
    text = "Ms Finch told me that Mr Bell failed to return Amy."
    swapped, m = swap_roles(text, MF, "mother", "father")
    for word in ("told", "failed to", "Amy", ".", "that ", "me that", "told me that "):
        s = text.index(word)
        ns, ne = m.span(s, s + len(word))
        assert swapped[ns:ne] == word
    s, e = m.span(0, len("Ms Finch"))
    assert swapped[s:e] == "Mr Bell"
    # a span cutting into a name is widened over the whole replacement
    s, e = m.span(3, 5)
    assert swapped[s:e] == "Mr Bell"
    assert m.pairs()[0] == ((0, 8), (0, 7))
    assert [e.kind for e in m] == ["name", "name"]


def test_mapping_rejects_bad_offsets():
    _, m = swap_roles("Ms Finch said so.", MF, "mother", "father")
    with pytest.raises(InputError, match="E104"):
        m.offset(100)
    with pytest.raises(InputError, match="E104"):
        m.span(5, 2)


@pytest.mark.parametrize("args,code", [
    ((123, MF, "mother", "father"), "E101"),
    (("text", MF, "mother", "grandmother"), "E102"),
    (("text", MF, "mother", "mother"), "E103"),
])
def test_errors(args, code):
    with pytest.raises(InputError, match=code):
        swap_roles(*args)


@pytest.mark.parametrize("role,aliases,expected", [
    ("mother", ["Rachel Finch"], "f"), ("father", ["Daniel"], "m"),
    ("parent_a", ["Mx Lee"], "n"), ("parent_a", ["Alex Lee"], ""),
    ("grandfather", ["Sam Owusu"], "m"), ("mother_b", ["Ms Haddad"], "f"),
    ("parent_b", ["Mr Ward"], "m"),
])
def test_party_gender(role, aliases, expected):
    assert party_gender(role, aliases) == expected


def test_aligned_forms_by_kind():
    pairs = dict(aligned_forms(["Temitope Bankole", "Ms Bankole", "Temitope", "Mum Temi"],
                               ["Joanna Kessler", "Ms Kessler", "Joanna", "Mum Jo"]))
    assert pairs["Ms Bankole"] == "Ms Kessler"
    assert pairs["Temitope Bankole"] == "Joanna Kessler"
    assert pairs["Temitope"] == "Joanna"
    assert pairs["Mum Temi"] == "Mum Jo"
    # a form with no counterpart falls back to the first name
    assert dict(aligned_forms(["Dean Fletcher", "Mr Fletcher", "Daddy Dean"],
                              ["Kwame Asante", "Mr Asante"]))["Daddy Dean"] == "Kwame"


@pytest.mark.parametrize("value,expected", [
    ("mother", "father"), ("father", "mother"), ("child", "child"), ("author", "author"),
    (None, None), (["mother", "child", "father"], ["father", "child", "mother"]),
    ("against:mother", "against:father"), ("even", "even"), ([], []),
])
def test_swap_value(value, expected):
    assert swap_value(value, "mother", "father") == expected


_names = st.sampled_from(["Ms Finch", "Mr Bell", "Rachel Finch", "Daniel Bell", "Amy", "the GP"])
_verbs = st.sampled_from(["said", "told me", "claims", "denied", "refused"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_names, _verbs, _names), min_size=1, max_size=4))
def test_names_only_swap_is_involution_and_maps_every_span(parts):
    # same-gender parties: no parse needed, names only; swap twice restores the text
    parties = {"mother_a": ["Rachel Finch", "Ms Finch"], "mother_b": ["Daniel Bell", "Mr Bell"]}
    text = " ".join(f"{x} {v} {y}." for x, v, y in parts)
    once, m = swap_roles(text, parties, "mother_a", "mother_b", genders={"mother_a": "n"})
    assert swap_roles(once, parties, "mother_a", "mother_b", genders={"mother_a": "n"})[0] == text
    for e in m:
        assert once[e.new_start:e.new_end] == e.new and text[e.old_start:e.old_end] == e.old
    assert "Amy" in once or "Amy" not in text
