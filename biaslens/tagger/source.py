"""Whose claim a statement is (``source``) and whom it is about (``targets``).

ANNOTATION.md section 3: ``source`` is ``author`` for observation / opinion / other; for an
allegation it is the party, ``child`` or ``third_party`` whose account the statement relays.
``targets`` are the parties and the child the statement is about, without the speaker's own
mention in the reporting frame ("Ms F alleges that Mr B shouted at Amy" -> father, child).

Examples
--------
>>> import biaslens
>>> nlp = biaslens.load(backend="rules")
>>> doc = nlp("Ms Finch alleges that Mr Bell shouted at the child.")
>>> sp = doc.spans["biaslens_statements"][0]
>>> source_and_targets(sp, "allegation")
('mother', ('father', 'child'))
"""
from __future__ import annotations

import re

from spacy.tokens import Span

from ..attribution import Frame, frames, role_index
from .rules import RuleDecision, decide

_ALL_PARENTS = re.compile(r"\b(both parents|the parents|both parties|the parties|each parent|"
                          r"either parent|each of the parents|both of the parents|"
                          r"their parents|his parents|her parents|both adults)\b", re.I)
_PARTIES = ("mother", "father")


def _cached(span: Span) -> tuple[list[Frame] | None, RuleDecision | None]:
    cache = span.doc.user_data.get("biaslens_tagger_cache", {})
    return cache.get((span.start, span.end), (None, None))


def source_and_targets(span: Span, label: str, fr: list[Frame] | None = None,
                       rule: RuleDecision | None = None) -> tuple[str, tuple[str, ...]]:
    """``(source, targets)`` of one statement given its predicted ``label``."""
    doc = span.doc
    if fr is None or rule is None:
        cfr, crule = _cached(span)
        fr = fr if fr is not None else cfr
        rule = rule if rule is not None else crule
    if fr is None:
        fr = frames(span)
    if rule is None:
        rule = decide(span, fr)
    roles = role_index(doc)
    known = set(roles.values()) | {"child"}
    source = "author"
    if label == "allegation":
        if rule.label == "allegation":
            source = rule.source
        else:
            source = next((f.speaker for f in fr if f.speaker not in (None, "author", "record")),
                          "third_party")
        if source not in known:
            source = "third_party"
        main = _main_clause_speaker(span, fr, roles)
        if main is not None:
            source = main
        if source == "third_party":
            # "She maintains that ...": an unresolved he/she speaker is, in report prose, the
            # most salient person of the same gender in the preceding sentences
            source = _pronoun_speaker(span, fr) or source
    if label == "allegation":
        doc.user_data.setdefault("biaslens_source_cache", {})[span.start] = source
    exclude: set[int] = set()
    if label == "allegation":
        # the speaker's own mention in the frame is not what the statement is about
        for f in fr:
            if f.speaker == source and f.verb_i is not None:
                for c in doc[f.verb_i].children:
                    if c.dep_ in ("nsubj", "nsubjpass", "agent"):
                        exclude.update(t.i for t in c.subtree if roles.get(t.i) == source)
            elif f.speaker == source:
                exclude.update(i for i in range(f.start, min(f.end + 3, span.end))
                               if roles.get(i) == source)
    targets: list[str] = []
    if label == "other":
        return source, ()
    for t in span:
        r = roles.get(t.i)
        if r and t.i not in exclude and r not in targets:
            targets.append(r)
    if _ALL_PARENTS.search(span.text):
        all_roles = list(doc.user_data.get("biaslens_partyset", {}).get("aliases", {}))
        targets += [r for r in all_roles if r not in targets]
    return source, tuple(targets)


_PRON_G = {"she": "f", "her": "f", "he": "m", "his": "m", "him": "m"}


def _speaker_token(span: Span, fr: list[Frame]):
    """The token naming the speaker of the main reporting frame, if it is a bare pronoun."""
    from ..attribution import _subject

    doc = span.doc
    cands = []
    for f in fr:
        if f.verb_i is not None:
            subj = _subject(doc[f.verb_i])
            if subj is not None:
                cands.append(subj)
    root = span.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None:
        # "His case is that ...", "Her position is ..."
        cands += [c for c in subj.children if c.dep_ == "poss"]
        cands.append(subj)
    for t in cands:
        if t.lower_ in _PRON_G and span.start <= t.i < span.end:
            return t
    return None


def _pronoun_speaker(span: Span, fr: list[Frame]) -> str | None:
    tok = _speaker_token(span, fr)
    if tok is None:
        return None
    doc = span.doc
    roles = role_index(doc)
    if tok.i in roles:
        return roles[tok.i]
    g = _PRON_G[tok.lower_]
    pset = doc.user_data.get("biaslens_partyset", {})
    gender_of = pset.get("gender_of", {})
    cache = doc.user_data.get("biaslens_source_cache", {})
    # nearest earlier statement first; within it, the earliest (usually subject) mention
    sents = [s for s in doc.sents if s.end <= span.start][-3:]
    from ..attribution import _author_index, role_of
    from ..parties import _title_gender

    author = _author_index(doc)
    for s in reversed(sents):
        first = next((t.i for t in s if not t.is_space), s.start)
        prev_src = cache.get(first)
        if prev_src == "third_party":
            return None
        if prev_src and (prev_src == "child" or gender_of.get(prev_src) in (g, None)):
            return prev_src
        subj = next((c for c in s.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            r = role_of(subj, roles, author)
            if r == "third_party" and subj.lower_ not in _PRON_G:
                # "Mrs Hollis, the class teacher, said ... She added that ..."
                name = " ".join(t.text for t in subj.subtree if t.dep_ in ("compound",) or t == subj)
                tg = _title_gender(" ".join(t.text for t in subj.subtree))
                if tg in (g, None) and (subj.pos_ == "PROPN" or subj.ent_type_ == "PERSON"
                                        or subj.lemma_.lower() in _PERSON_NOUNS) and name:
                    return None
        for t in s:
            r = roles.get(t.i)
            if r is None or t.dep_ not in ("nsubj", "nsubjpass", "poss", "pobj", "dobj", "appos", "compound"):
                continue
            if r == "child" or gender_of.get(r) in (g, None):
                return r
    return None


_PERSON_NOUNS = {"teacher", "headteacher", "visitor", "gp", "doctor", "worker", "officer", "nurse",
                 "senco", "therapist", "psychologist", "psychiatrist", "manager", "supervisor",
                 "practitioner", "consultant", "paediatrician", "midwife", "counsellor", "mentor",
                 "clinician", "head", "deputy", "coordinator", "adviser", "advisor", "neighbour",
                 "friend", "partner", "aunt", "uncle", "sister", "brother", "leader", "coach"}


_POSITION_NOUNS = {"position", "application", "case", "account", "view", "evidence", "statement",
                   "wish", "wishes", "belief", "concern", "concerns", "complaint", "submission",
                   "proposal", "response", "version", "allegation", "allegations", "letter",
                   "email", "message", "messages", "proposals", "objection", "request"}


def _main_clause_speaker(span: Span, fr: list[Frame], roles: dict[int, str]) -> str | None:
    """The speaker of the main clause's reporting verb, or the owner of "X's position/application"."""
    root = span.root
    for f in fr:
        if f.verb_i == root.i and f.speaker not in (None, "author", "record", "third_party"):
            return f.speaker
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.lemma_.lower() in _POSITION_NOUNS:
        for c in subj.children:
            if c.dep_ == "poss":
                r = roles.get(c.i) or next((roles[t.i] for t in c.subtree if t.i in roles), None)
                if r is not None:
                    return r
    return None
