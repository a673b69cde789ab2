"""Who says what: reporting frames, their speakers, and the role a mention refers to.

Shared by the statement tagger (source, allegation vs observation) and the cue finder (binding
an attribution cue to the party whose account it introduces). Works on a parsed spaCy ``Span``
whose doc carries ``doc.spans["biaslens_parties"]``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from .lexicons import load_lexicon
from .parties import AUTHOR_PHRASES, AUTHOR_PRONOUNS, CHILD_WORDS

RECORD_NOUNS = {"record", "records", "check", "checks", "report", "letter", "log", "note", "notes",
                "document", "documents", "disclosure", "register", "certificate", "file",
                "chronology", "minutes", "printout", "result", "results", "screening", "test",
                "order", "statement", "bundle", "referral", "assessment", "plan", "email",
                "e-mail", "message", "messages", "transcript", "summary", "history", "database",
                "attendance", "data", "information", "search", "searches", "entry", "entries"}
AGENCY_WORDS = {"school", "police", "gp", "doctor", "nursery", "teacher", "headteacher",
                "visitor", "hospital", "authority", "service", "services", "team", "agency",
                "probation", "camhs", "nurse", "midwife", "therapist", "worker", "officer",
                "practitioner", "paediatrician", "psychologist", "psychiatrist", "council",
                "senco", "provider", "centre", "unit", "clinic", "charity", "refuge", "grandparent",
                "neighbour", "friend", "partner", "supervisor", "staff", "manager", "solicitor",
                "consultant", "counsellor", "mentor", "clinician", "department", "court", "judge"}
# verbs that report perception or a record: "police checks show", "records note"
RECORD_VERBS = {"show", "state", "note", "record", "indicate", "confirm", "reveal", "list",
                "document", "contain", "detail", "say", "report", "refer", "mention"}


def attribution_lemmas() -> dict[str, str]:
    return {e.term: e.category for e in load_lexicon("attribution") if e.match == "lemma"}


def attribution_phrases() -> dict[str, str]:
    return {e.term: e.category for e in load_lexicon("attribution") if e.match == "lower"}


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, str], dict[str, list[tuple[int, list[str], str]]]]:
    """Read-only lookups for :func:`frames`: lemma -> category, and the phrases by first word
    as ``(lexicon position, words, category)``, so a statement is scanned once, not once per phrase."""
    by_first: dict[str, list[tuple[int, list[str], str]]] = {}
    for pos, (phrase, cat) in enumerate(attribution_phrases().items()):
        words = phrase.split()
        if words:
            by_first.setdefault(words[0], []).append((pos, words, cat))
    return attribution_lemmas(), by_first


# The indexes below are read several times per statement by the tagger and the cue finder;
# rebuilding them each time cost ~10% of analysis time. A tiny cache keyed on the party span
# group (kept out of doc.user_data, which must stay serialisable for nlp.pipe(n_process=N)).
# The cache holds the group itself, so its id cannot be reused by another doc's group while
# the entry lives; a stale entry is detected by identity, never trusted by id alone.
_INDEX_CACHE: dict[int, tuple[object, int, dict[int, str], set[int]]] = {}


def _indexes(doc: Doc) -> tuple[dict[int, str], set[int]]:
    if "biaslens_parties" not in doc.spans:
        return {}, set()
    group = doc.spans["biaslens_parties"]
    hit = _INDEX_CACHE.get(id(group))
    if hit is not None and hit[0] is group and hit[1] == len(group):
        return hit[2], hit[3]
    roles: dict[int, str] = {}
    author: set[int] = set()
    for span in group:
        if span.label_ == "author":
            author.update(t.i for t in span)
            continue
        for t in span:
            roles[t.i] = span.label_
    if len(_INDEX_CACHE) > 8:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[id(group)] = (group, len(group), roles, author)
    return roles, author


def role_index(doc: Doc) -> dict[int, str]:
    """token index -> role ("child" included) for every resolved mention (do not mutate)."""
    return _indexes(doc)[0]


def _author_index(doc: Doc) -> set[int]:
    return _indexes(doc)[1]


def role_of(token: Token, roles: dict[int, str], author: set[int]) -> str | None:
    """The role a noun phrase headed by ``token`` refers to: a party, child, author, third party."""
    if token.i in roles:
        return roles[token.i]
    if token.i in author or token.lower_ in AUTHOR_PRONOUNS:
        return "author"
    # "Ms F's son", "the mother's account": look at the head noun's own words
    sub = list(token.subtree)
    for t in sub:
        if t.dep_ == "poss" and t.head == token:
            continue
    if token.lower_ in CHILD_WORDS or token.lemma_ in CHILD_WORDS:
        return "child"
    for t in sub:
        if t.i in roles and t.head == token and t.dep_ in ("compound", "appos", "nmod"):
            return roles[t.i]
    if token.lemma_.lower() in RECORD_NOUNS:
        return "record"
    if token.lemma_.lower() in AGENCY_WORDS or token.ent_type_ in ("ORG", "PERSON", "NORP", "GPE"):
        return "third_party"
    if token.pos_ in ("PROPN", "NOUN"):
        return "third_party"
    return None


@dataclass(frozen=True)
class Frame:
    """A reporting frame: the cue token(s), its stance category and the speaker's role."""

    start: int  # token offsets in the doc
    end: int
    category: str
    speaker: str | None
    verb_i: int | None


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return c
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    return None


def frames(sent: Span) -> list[Frame]:
    """Every reporting frame in ``sent``, in order, with its speaker resolved to a role."""
    doc = sent.doc
    roles = role_index(doc)
    author = _author_index(doc)
    lemmas, by_first = _lexicon()
    out: list[Frame] = []
    low = [t.lower_ for t in sent]
    # multiword and adverbial frames: "according to her", "reportedly", "in his account";
    # taken in lexicon order, then by position (the order the frames have always come in)
    found = sorted((pos, k, words, cat) for k, w in enumerate(low) for pos, words, cat in by_first.get(w, ())
                   if low[k:k + len(words)] == words)
    for _, k, words, cat in found:
        n = len(words)
        start = sent.start + k
        speaker = None
        if words[0] == "according":
            obj = [t for t in doc[start:start + n + 6] if t.dep_ == "pobj" and t.head.i >= start]
            if obj:
                speaker = role_of(obj[0], roles, author)
        elif words[-1] == "account" or words[-1] == "version":
            speaker = roles.get(start + 1)
        else:
            root = sent.root
            subj = _subject(root)
            speaker = role_of(subj, roles, author) if subj is not None else None
        out.append(Frame(start, start + n, cat, speaker, None))
    for t in sent:
        if t.pos_ not in ("VERB",) or t.lemma_.lower() not in lemmas:
            continue
        if any(f.start <= t.i < f.end for f in out):
            continue
        subj = _subject(t)
        speaker = role_of(subj, roles, author) if subj is not None else None
        # passive "it was reported by the school", "Ms F was described by ..."
        for c in t.children:
            if c.dep_ == "agent":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    speaker = role_of(objs[0], roles, author)
        # reporting verbs need reported content (a clause, "that", speech) or a told-object
        has_content = any(c.dep_ in ("ccomp", "xcomp", "dobj", "dative", "prep", "advcl", "parataxis", "npadvmod", "obj", "attr", "acomp") for c in t.children) or t.dep_ in ("parataxis",)
        if not has_content:
            continue
        if speaker == "record":
            continue
        out.append(Frame(t.i, t.i + 1, lemmas[t.lemma_.lower()], speaker, t.i))
    out.sort(key=lambda f: f.start)
    return out


def in_scope(token: Token, frame: Frame) -> bool:
    """Is ``token`` inside the content that ``frame``'s verb reports?"""
    if frame.verb_i is None:
        return token.i >= frame.end or token.i < frame.start
    verb = token.doc[frame.verb_i]
    t = token
    while t.head != t:
        if t.head == verb and t.dep_ in ("ccomp", "xcomp", "dobj", "advcl", "parataxis", "conj", "obj", "prep"):
            return True
        t = t.head
    return False
