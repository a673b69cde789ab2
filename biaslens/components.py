"""The spaCy components that put biaslens's annotations on a ``Doc``.

Each component keeps finding (pure functions elsewhere in the package) apart from writing
(``doc.spans[...]``), in the manner of ``spacy/pipeline/span_ruler.py``:

* ``biaslens_segmenter`` (before the parser): line breaks and numbered paragraphs start statements.
* ``biaslens_parties``: ``doc.spans["biaslens_parties"]``, label = role ("child", "author" too),
  ``kb_id_`` = how the mention was found ("name", "role_word", "pronoun", "author").
* ``biaslens_statements``: ``doc.spans["biaslens_statements"]``, label = epistemic label,
  ``kb_id_`` = source; ``span._.biaslens_targets`` and ``span._.biaslens_confidence``.
* ``biaslens_cues``: ``doc.spans["biaslens_cues"]``, label = category, ``kb_id_`` = target
  role, ``id_`` = voice; ``doc.user_data["biaslens_cue_notes"][(start, end, category)]`` = note.

Per-document context (the caller's ``parties``) travels in ``doc.user_data["biaslens_parties"]``,
which :func:`biaslens.analyze` and ``nlp.pipe(..., as_tuples=True)`` users set.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

import numpy as np
from spacy.attrs import ENT_IOB, ENT_TYPE, LOWER, POS
from spacy.symbols import PRON
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch, raise_error

from . import parties as P
from .attribution import frames
from .cues import find_cues
from .tagger import get_tagger

if not Span.has_extension("biaslens_targets"):
    Span.set_extension("biaslens_targets", default=())
if not Span.has_extension("biaslens_confidence"):
    Span.set_extension("biaslens_confidence", default=1.0)

PRONOUNS_F = {"she", "her", "hers", "herself"}
PRONOUNS_M = {"he", "him", "his", "himself"}
_ALL_PARENTS = re.compile(r"\b(both parents|the parents|both parties|the parties|each parent|either parent|each of the parents|both of the parents)\b", re.I)
_NUMBERED = re.compile(r"^(\d+(\.\d+)*\.?|[a-z]\)|\([a-z0-9]+\)|[ivx]+\.|[•\-\u2022*])$")


@Language.component("biaslens_segmenter", assigns=["token.is_sent_start"])
def segmenter(doc: Doc) -> Doc:
    """Start a statement after a line break, so headings and list items stand alone.

    A paragraph number at the start of a line ("3.1", "4.", "(a)") stays with its text.
    """
    line_start = True
    for tok in doc:
        if tok.is_space and "\n" in tok.text:
            line_start = True
            continue
        if line_start:
            if tok.i > 0:
                tok.is_sent_start = True
            if _NUMBERED.match(tok.text) and tok.i + 1 < len(doc) and not doc[tok.i + 1].is_space:
                doc[tok.i + 1].is_sent_start = False
        line_start = "\n" in tok.whitespace_
    return doc


def _plausible_child_name(text: str, name: str) -> bool:
    """An untitled single name the NER calls a person, used as the child only if it behaves like one.

    It must occur at least twice (in texts over 600 characters), never in lower case (so "Addendum", "Mum" are out), never as a
    kinship word, and at least once inside a sentence rather than in a heading line.
    """
    if name.lower() in P.ROLE_WORDS or name.lower() in {"cafcass", "addendum", "court", "lego"}:
        return False
    if re.search(rf"\b{re.escape(name.lower())}\b", text):
        return False
    hits = [m.start() for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
    # in a report of any length a real child is named more than once; a snippet may name it once
    if len(hits) < 2 and len(text) > 600:
        return False
    for h in hits:
        line_start = text.rfind("\n", 0, h) + 1
        line_end = text.find("\n", h)
        line = text[line_start:line_end if line_end != -1 else len(text)]
        if re.search(r"[.!?]\s*$", line.strip()) and not re.search(r"\d", line[:40]):
            return True
    return False


def _single_person_tokens(doc: Doc) -> list[int]:
    """Indices of one-token PERSON entities, in order, read from the IOB columns.

    The same as ``[e.start for e in doc.ents if e.label_ == "PERSON" and len(e) == 1]``
    without building the ``doc.ents`` spans, which costs more than the rest of party matching.
    """
    if not len(doc):
        return []
    arr = doc.to_array([ENT_IOB, ENT_TYPE])
    iob, typ = arr[:, 0], arr[:, 1]
    nxt = np.append(iob[1:], 0)
    hits = (iob == 3) & (typ == doc.vocab.strings["PERSON"]) & (nxt != 1)
    return np.flatnonzero(hits).tolist()


class PartiesComponent:
    """Find party, child and author mentions; resolve unambiguous pronouns."""

    def __init__(self, nlp: Language, name: str = "biaslens_parties", *,
                 resolve_pronouns: bool = True) -> None:
        self.name = name
        self.resolve_pronouns = resolve_pronouns

    def __call__(self, doc: Doc) -> Doc:
        known = doc.user_data.get("biaslens_partyset")  # set by biaslens_neutral_parse
        if known is not None:
            pset = P.PartySet(**known)
        else:
            given = doc.user_data.get("biaslens_parties")
            pset = P.from_given(P.validate(given), doc.text) if given else P.detect(doc.text)
        doc.user_data["biaslens_partyset"] = {"aliases": pset.aliases, "child": pset.child,
                                              "others": pset.others, "gender_of": pset.gender_of,
                                              "detected": pset.detected,
                                              "child_gender": pset.child_gender}
        self.set_annotations(doc, self.match(doc, pset))
        return doc

    def match(self, doc: Doc, pset: P.PartySet) -> list[Span]:
        forms = {r: P.surface_forms(r, a) for r, a in pset.aliases.items()}
        child_forms = list(pset.child) + ["the child", "the children", "The child", "The children"]
        if not pset.child:
            full_text = doc.text
            known = {w for al in pset.aliases.values() for a in al for w in a.split()} | {w for o in pset.others for w in o.split()}
            for i in _single_person_tokens(doc):
                word = doc[i].text
                if word not in known and word[0].isupper() \
                        and (i == 0 or doc[i - 1].text.rstrip(".") not in P.TITLES) \
                        and _plausible_child_name(full_text, word):
                    if word not in child_forms:
                        child_forms.append(word)
                        pset.child.append(word)
        forms["child"] = child_forms
        forms["author"] = [p for a in P.AUTHOR_PHRASES for p in (a, a[0].upper() + a[1:])]
        spans: list[Span] = []
        text = doc.text
        for s, e, role in P.find_mentions(text, forms):
            span = doc.char_span(s, e, label=role, alignment_mode="expand")
            if span is None:
                continue
            span.kb_id_ = "author" if role == "author" else ("name" if text[s:e] in pset.aliases.get(role, []) or text[s:e] in pset.child else "role_word")
            spans.append(span)
        # first person is the author
        for t in doc:
            if t.lower_ in ("i", "me", "my", "myself", "we", "us", "our") and t.pos_ == "PRON":
                sp = doc[t.i:t.i + 1]
                sp.label_ = "author"
                sp.kb_id_ = "author"
                spans.append(sp)
        if self.resolve_pronouns:
            spans += self._pronouns(doc, spans, pset)
        spans.sort(key=lambda s: (s.start, s.end))
        return spans

    def _pronouns(self, doc: Doc, spans: list[Span], pset: P.PartySet) -> list[Span]:
        """Resolve he/she only when exactly one compatible party is in the window.

        The window is the pronoun's sentence up to the pronoun, else that and the previous
        sentence. The rule is swap invariant by design: a role swap exchanges the two parties'
        genders but not the child's or anyone else's, so the child or another named person in
        the window blocks resolution whatever their gender, and a party of unknown gender
        blocks it too. Only the parties' own titles ever decide between them.
        """
        sents = list(doc.sents)
        sent_of = {}
        for k, s in enumerate(sents):
            for i in range(s.start, s.end):  # indices only: no Token objects to build
                sent_of[i] = k
        by_sent: dict[int, list[Span]] = {}
        for sp in spans:
            if sp.label_ == "author":
                continue
            by_sent.setdefault(sent_of.get(sp.start, 0), []).append(sp)
        # other people mentioned by title compete for a pronoun, whatever their title
        others: set[int] = set()
        text = doc.text
        for name in pset.others:
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                sp = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if sp is not None:
                    others.add(sent_of.get(sp.start, 0))
        out = []
        # candidates from the LOWER and POS columns: a Token object only for he/she/her/him...
        strings = doc.vocab.strings
        lower_ids = {strings.add(w): w for w in PRONOUNS_F | PRONOUNS_M}
        cols = doc.to_array([LOWER, POS])
        for i in np.flatnonzero(np.isin(cols[:, 0], list(lower_ids)) & (cols[:, 1] == PRON)).tolist():
            t = doc[i]
            low = lower_ids[int(cols[i, 0])]
            g = "f" if low in PRONOUNS_F else "m"
            k = sent_of.get(t.i, 0)
            compatible: set[str] = set()
            blocked = False
            # the same sentence first, then the previous one as well
            for ks in ((k,), (k - 1, k)):
                window = [sp for kk in ks for sp in by_sent.get(kk, []) if sp.start < t.i or kk < k]
                roles = {sp.label_ for sp in window}
                compatible = {r for r in roles if r != "child" and pset.gender_of.get(r) == g}
                blocked = ("child" in roles or any(kk in others for kk in ks)
                           or any(r != "child" and not pset.gender_of.get(r) for r in roles))
                if compatible or blocked:
                    break
            if len(compatible) == 1 and not blocked:
                sp = doc[t.i:t.i + 1]
                sp.label_ = compatible.pop()
                sp.kb_id_ = "pronoun"
                out.append(sp)
        return out

    def set_annotations(self, doc: Doc, spans: Iterable[Span]) -> None:
        doc.spans["biaslens_parties"] = list(spans)


@Language.factory("biaslens_parties", assigns=["doc.spans"],
                  requires=["token.pos", "token.dep", "doc.sents"],
                  default_config={"resolve_pronouns": True})
def make_parties(nlp: Language, name: str, resolve_pronouns: bool) -> PartiesComponent:
    return PartiesComponent(nlp, name, resolve_pronouns=resolve_pronouns)


def statement_spans(doc: Doc) -> list[Span]:
    """Sentences stripped of surrounding whitespace; they cover every non-space token in order."""
    out: list[Span] = []
    text = doc.text  # built once: Doc.text joins every token
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        if not toks:
            continue
        span = doc[toks[0].i:toks[-1].i + 1]
        if out:
            prev = out[-1]
            between = text[prev.end_char:span.start_char]
            # the parser sometimes cuts a line mid-sentence ("Amy | appeared relaxed ..."):
            # rejoin when nothing ends the first part and the second starts in lower case
            if "\n" not in between and (
                (prev[-1].text not in (".", "!", "?", ":", ";", '"', "\u201d") and span[0].is_lower)
                or _NUMBERED.match(prev.text)
            ):
                out[-1] = doc[prev.start:span.end]
                continue
        out.append(span)
    return out


class StatementsComponent:
    """Label every statement and find its source and targets."""

    def __init__(self, nlp: Language, name: str = "biaslens_statements", *, backend: str = "default") -> None:
        self.name = name
        self.backend = backend
        self._error_handler = raise_error

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.predict(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Label the statements of a batch of docs with one tagger call (same output as ``__call__``).

        A doc that fails is handed to the error handler (``nlp.set_error_handler``) and the
        rest of its batch is labelled doc by doc, as spaCy does for components without ``pipe``.
        """
        tagger = get_tagger(self.backend)
        for batch in minibatch(docs, size=batch_size):
            try:
                groups = [statement_spans(doc) for doc in batch]
                many = getattr(tagger, "predict_many", None)
                preds = many(groups) if many is not None else [tagger.predict_spans(g) for g in groups]
                results = [self._finish(doc, spans, p) for doc, spans, p in zip(batch, groups, preds)]
            except Exception:
                for doc in batch:
                    doc.user_data.pop("biaslens_tagger_cache", None)
                    doc.user_data.pop("biaslens_source_cache", None)
                    try:
                        yield self(doc)
                    except Exception as exc:  # noqa: BLE001  (the handler decides)
                        self._error_handler(self.name, self, [doc], exc)
                continue
            for doc, res in zip(batch, results):
                self.set_annotations(doc, res)
                yield doc

    def set_error_handler(self, error_handler) -> None:
        self._error_handler = error_handler

    def get_error_handler(self):
        return self._error_handler

    def predict(self, doc: Doc) -> list[tuple[Span, str, str, tuple[str, ...], float]]:
        spans = statement_spans(doc)
        return self._finish(doc, spans, get_tagger(self.backend).predict_spans(spans))

    def _finish(self, doc: Doc, spans: list[Span], preds) -> list[tuple[Span, str, str, tuple[str, ...], float]]:
        from .tagger.source import source_and_targets

        out = []
        for span, (label, conf) in zip(spans, preds):
            # source and targets: biaslens.tagger.source (reuses the tagger's cached frames)
            source, targets = source_and_targets(span, label)
            out.append((span, label, source, tuple(targets), float(conf)))
        # working caches only: keep user_data serialisable
        doc.user_data.pop("biaslens_tagger_cache", None)
        doc.user_data.pop("biaslens_source_cache", None)
        return out

    def set_annotations(self, doc: Doc, preds) -> None:
        group = []
        for span, label, source, targets, conf in preds:
            sp = Span(doc, span.start, span.end, label=label, kb_id=source)
            sp._.biaslens_targets = targets
            sp._.biaslens_confidence = conf
            group.append(sp)
        doc.spans["biaslens_statements"] = group


@Language.factory("biaslens_statements", assigns=["doc.spans"],
                  requires=["doc.spans", "token.dep"], default_config={"backend": "default"})
def make_statements(nlp: Language, name: str, backend: str) -> StatementsComponent:
    return StatementsComponent(nlp, name, backend=backend)


class CuesComponent:
    """Find framing cues, bind each to a party, and check presupposed failures' requests."""

    def __init__(self, nlp: Language, name: str = "biaslens_cues", *, extra_lexicon=None) -> None:
        self.name = name
        self.extra_lexicon = extra_lexicon

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, find_cues(doc, extra=self.extra_lexicon))
        return doc

    def set_annotations(self, doc: Doc, cues) -> None:
        group, notes = [], {}
        for c in cues:
            sp = Span(doc, c.start, c.end, label=c.category, kb_id=c.target or "")
            sp.id_ = c.voice
            group.append(sp)
            notes[(sp.start_char, sp.end_char, c.category)] = c.note
        doc.spans["biaslens_cues"] = group
        doc.user_data["biaslens_cue_notes"] = notes


@Language.factory("biaslens_cues", assigns=["doc.spans"], requires=["doc.spans"],
                  default_config={"extra_lexicon": None})
def make_cues(nlp: Language, name: str, extra_lexicon) -> CuesComponent:
    return CuesComponent(nlp, name, extra_lexicon=extra_lexicon)
