"""Parse a role-neutral copy of the report, so that who the parents are cannot change the parse.

spaCy's small English models tag, parse and recognise entities differently when only a name or a
pronoun changes: "Mr O'Connell purports to have drunk nothing" is parsed with *purports* as the
root, "Ms Nowak purports to have drunk nothing" with *drunk*. Every biaslens annotation is read
from that parse, so a role-swapped twin of a report could be labelled differently for no reason
but the parents' names: a direct violation of the symmetry biaslens promises.

``biaslens_neutral_parse`` therefore runs spaCy's statistical components (tok2vec, tagger,
parser, NER, and biaslens's segmenter) on a *neutral copy* of each ``Doc``: the same tokens, one
for one, with every word that a role swap changes replaced by one fixed word:

* a word of a party's name (any alias of any party, given or detected) -> ``Morgan``;
* a title (Mr, Mrs, Ms, Miss, Mx) -> ``Dr``;
* he/she -> ``he``; him/his/her -> ``him`` or ``his`` from the next word (not from the original
  pronoun, so "her" and "his" in the same place always get the same form); hers -> ``his``;
  himself/herself -> ``himself``;
* kinship words of the families a swap exchanges (mother/father, mum/dad, mummy/daddy,
  maternal/paternal, grand-, step-, aunt/uncle) -> ``parent``, ``parental``, ``grandparent``,
  ``stepparent``, ``relative`` (capitals and plurals kept).

The predicted tags, heads, dependency labels and entities are then copied onto the real ``Doc``;
the attribute ruler and lemmatizer run on the real words. The neutral copy is built from the
tokens already made, so the tokenizer is not run twice, and a report and its role-swapped twin
give the neutral parser the very same input. The parse is therefore identical by construction,
whatever the names (``tests/test_neutral.py``).

The cost is one extra ``Doc`` built from a word list and one array copy per report.

Examples
--------
>>> import biaslens
>>> nlp = biaslens.load(backend="rules")
>>> doc = nlp("Ms Nowak purports to have drunk nothing.")
>>> doc[2].dep_, doc[2].head.i == doc[2].i
('ROOT', True)
>>> from biaslens.neutral import neutral_words
>>> neutral_words(nlp.make_doc("Mr Bell said she told him."), {"Bell"})
['Dr', 'Morgan', 'said', 'he', 'told', 'him', '.']
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator, Sequence

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, ORTH, SPACY, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from . import parties as P

NAME_WORD = "Morgan"
TITLE_WORD = "Dr"
#: statistical components (and biaslens's segmenter) that run on the neutral copy, in order.
WRAPPED = ("tok2vec", "tagger", "biaslens_segmenter", "parser", "ner")
_COPIED = [TAG, HEAD, DEP, ENT_IOB, ENT_TYPE]
_GENDER_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Mx"}

_KIN = {}
for _words, _neutral in (
        (("mother", "father", "mum", "dad", "mummy", "daddy", "mam", "mom"), "parent"),
        (("maternal", "paternal"), "parental"),
        (("grandmother", "grandfather", "grandma", "grandpa", "gran", "grandad", "granddad",
          "nan", "nana", "nanny", "granny"), "grandparent"),
        (("stepmother", "stepfather", "stepmum", "stepdad"), "stepparent"),
        (("aunt", "uncle", "auntie", "aunty"), "relative")):
    for _w in _words:
        _KIN[_w] = _neutral
        _KIN[_w + "s"] = _neutral + "s"
_SUBJ_PRON = {"he": "he", "she": "he", "himself": "himself", "herself": "himself", "hers": "his"}
_OBJ_OR_POSS = {"him", "his", "her"}
# after an object pronoun, not a possessed noun: "told her that", "gave her the", "her."
_AFTER_OBJECT = set("""
to that and or but nor when while whether if as at in on for with about from by of into onto
upon up down out back off over again too the a an this these those some any no every each
his her their my your our its him them me us it what which who how why where not never also
always only just very so then there here before after since until than because though although
once during without within across through around towards toward against between among
himself herself yes""".split())


def _case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _pronoun(next_word: str | None) -> str:
    """``him`` or ``his`` for him/his/her, decided from the following word only."""
    if next_word is None:
        return "him"
    low = next_word.lower()
    if not low[:1].isalpha() or low in _AFTER_OBJECT:
        return "him"
    return "his"


def name_words(aliases: Iterable[str]) -> set[str]:
    """The words of party names that a swap can change (titles excluded; hyphenated parts too)."""
    out: set[str] = set()
    for a in aliases:
        for w in a.split():
            w = w.strip(".,")
            if not w or w.rstrip(".") in P.TITLES:
                continue
            out.add(w)
            out.update(p for p in re.split(r"[-\u2010\u2011]", w) if p)
    return out


def neutral_words(doc: Doc, names: set[str]) -> list[str]:
    """The neutral copy's words, one per token of ``doc`` (see the module docstring)."""
    strings = doc.vocab.strings
    # token texts from the ORTH column: no Token object is built for the 99% left alone
    words = [strings[o] for o in doc.to_array(ORTH).tolist()]
    n = len(words)
    for i, w in enumerate(words):
        if w in names:
            words[i] = NAME_WORD
            continue
        bare = w.rstrip(".")
        if bare in _GENDER_TITLES and w[:1].isupper():
            words[i] = TITLE_WORD + w[len(bare):]
            continue
        low = w.lower()
        if low in _SUBJ_PRON:
            words[i] = _case(_SUBJ_PRON[low], w)
        elif low in _OBJ_OR_POSS:
            j = i + 1
            while j < n and (not words[j] or words[j].isspace()):
                j += 1
            words[i] = _case(_pronoun(words[j] if j < n else None), w)
        elif low in _KIN:
            words[i] = _case(_KIN[low], w)
    return words


def party_names(doc: Doc) -> set[str]:
    """Words of every party alias for this ``Doc``: the caller's ``parties`` or detected ones.

    The party set is kept in ``doc.user_data["biaslens_partyset"]`` (plain data, serialisable)
    for ``biaslens_parties`` to reuse, so detection runs once per report.
    """
    pset = doc.user_data.get("biaslens_partyset")
    if pset is None:
        given = doc.user_data.get("biaslens_parties")
        ps = P.from_given(P.validate(given), doc.text) if given else P.detect(doc.text)
        pset = {"aliases": ps.aliases, "child": ps.child, "others": ps.others,
                "gender_of": ps.gender_of, "detected": ps.detected,
                "child_gender": ps.child_gender}
        doc.user_data["biaslens_partyset"] = pset
    return name_words(a for al in pset["aliases"].values() for a in al)


def neutral_copy(doc: Doc) -> Doc:
    """A new ``Doc`` with the same tokens and whitespace as ``doc`` and neutral words."""
    words = neutral_words(doc, party_names(doc))
    return Doc(doc.vocab, words=words, spaces=doc.to_array(SPACY).astype(bool).tolist())


def copy_parse(src: Doc, dst: Doc) -> Doc:
    """Copy tags, heads, dependency labels and entities from the neutral copy onto ``dst``."""
    if len(src):
        dst.from_array(_COPIED, src.to_array(_COPIED))
    return dst


class NeutralParse:
    """Run the wrapped components on a neutral copy of each ``Doc`` and copy the parse back."""

    def __init__(self, nlp: Language, name: str = "biaslens_neutral_parse", *,
                 wrapped: Sequence[str] = WRAPPED) -> None:
        self.name = name
        names = [n for n in wrapped if n in nlp.component_names]
        self.components: list[tuple[str, Callable]] = [(n, nlp.get_pipe(n)) for n in names]

    def __call__(self, doc: Doc) -> Doc:
        neutral = neutral_copy(doc)
        for _, proc in self.components:
            neutral = proc(neutral)
        return copy_parse(neutral, doc)

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            neutral: list[Doc] = [neutral_copy(d) for d in batch]
            for _, proc in self.components:
                if hasattr(proc, "pipe"):
                    neutral = list(proc.pipe(neutral, batch_size=batch_size))
                else:
                    neutral = [proc(d) for d in neutral]
            if len(neutral) != len(batch):  # never copy one report's parse onto another
                raise RuntimeError(f"biaslens_neutral_parse: {len(batch)} documents in, "
                                   f"{len(neutral)} out of the wrapped components")
            for d, n in zip(batch, neutral):
                yield copy_parse(n, d)


@Language.factory("biaslens_neutral_parse",
                  assigns=["token.tag", "token.dep", "token.head", "doc.ents", "doc.sents"],
                  default_config={"wrapped": list(WRAPPED)})
def make_neutral_parse(nlp: Language, name: str, wrapped: list[str]) -> NeutralParse:
    return NeutralParse(nlp, name, wrapped=wrapped)
