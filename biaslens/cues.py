"""Framing cues (ANNOTATION.md section 4): lexicon matching, party binding, presupposition checks.

Finding is kept apart from writing: :func:`find_cues` returns :class:`CueHit` records and the
``biaslens_cues`` component writes them to ``doc.spans``. Binding uses the dependency parse:
the subject of "failed to" / "refused", the possessor of "her mental health", the speaker a
reporting verb introduces. Only when the parse gives no party and exactly one party is
mentioned in the statement is the cue bound to that party ("sole party" in the note); it is
never bound by proximity.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .attribution import _author_index, _subject, frames, in_scope, role_index, role_of
from .errors import Errors, InputError
from .lexicons import NAMES, LexEntry, load_lexicon, read_extra
from .report import CUE_CATEGORIES

STANCE_CATS = ("distancing_attribution", "neutral_attribution", "endorsing_attribution")
LEXICON_CATS = {"hedge", "booster", "negative_descriptor", "positive_descriptor",
                "mental_health_reference", "pattern_presupposition", "presupposed_failure"} | set(STANCE_CATS)
MODALS = {"may", "might", "could"}


@dataclass(frozen=True)
class CueHit:
    start: int  # token offsets
    end: int
    category: str
    target: str | None
    voice: str
    note: str


def _entries(extra) -> list[LexEntry]:
    packaged = [e for n in NAMES if n not in ("requests", "stance_frames") for e in load_lexicon(n)]
    user = read_extra(extra)
    for e in user:
        if e.category not in CUE_CATEGORIES:
            raise InputError(Errors.E014.format(category=e.category, options=CUE_CATEGORIES))
    return packaged + user


@lru_cache(maxsize=8)
def _matcher(vocab: Vocab, extra_key: tuple) -> tuple[Matcher, dict[str, str]]:
    from spacy.lang.en import English

    tok = English().tokenizer
    matcher = Matcher(vocab)
    sources: dict[str, str] = {}
    for k, e in enumerate(_entries(list(dict(x) for x in extra_key) or None)):
        words = [t.lower_ for t in tok(e.term)]
        if e.match == "lemma":
            pattern = [{"LEMMA": words[0]}] + [{"LOWER": w} for w in words[1:]]
        else:
            pattern = [{"LOWER": w} for w in words]
        key = f"{e.category}|{k}"
        matcher.add(key, [pattern])
        sources[key] = e.source
    return matcher, sources


def _freeze(extra) -> tuple:
    if extra is None:
        return ()
    rows = read_extra(extra)
    return tuple(tuple(sorted({"term": r.term, "category": r.category, "match": r.match,
                                "source": r.source}.items())) for r in rows)


def _party(role: str | None) -> str | None:
    return role if role not in (None, "author", "record", "third_party") else None


def _head_of(doc: Doc, start: int, end: int) -> Token:
    span = doc[start:end]
    return span.root


def _clause_subject(tok: Token) -> Token | None:
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
            s = _subject(t)
            if s is not None:
                return s
        if t.head == t:
            break
        t = t.head
    return None


def _bind(tok: Token, category: str, roles: dict[int, str], author: set[int],
          sent_roles: list[str]) -> tuple[str | None, str]:
    """The party a cue bears on, and how it was found."""
    # possessor: "her mental health", "Ms F's hostility"
    noun = tok if tok.pos_ in ("NOUN", "PROPN") else (tok.head if tok.dep_ in ("amod", "compound") else None)
    if noun is not None:
        for c in noun.children:
            if c.dep_ == "poss":
                r = _party(role_of(c, roles, author))
                if r:
                    return r, "possessor"
        # "a hostile mother"
        r = _party(roles.get(noun.i))
        if r:
            return r, "modified noun"
    subj = _clause_subject(tok)
    if subj is not None:
        r = _party(role_of(subj, roles, author))
        if r:
            return r, "clause subject"
        # "Mr B's attitude was hostile": the possessor of the subject
        for c in subj.children:
            if c.dep_ == "poss":
                r = _party(role_of(c, roles, author))
                if r:
                    return r, "possessor of subject"
    # object of the cue's verb: "I diagnosed Ms F", "it was clear to Mr B"
    uniq = [r for r in dict.fromkeys(sent_roles) if _party(r)]
    if len(uniq) == 1:
        return uniq[0], "sole party in statement"
    return None, "unbound"


def _stance_frame_words() -> list[str]:
    return [e.term for e in load_lexicon("stance_frames")]


def _request_lemmas() -> set[str]:
    return {e.term for e in load_lexicon("requests")}


def _request_addressees(sent: Span, roles: dict[int, str], author: set[int]) -> list[tuple[str, Token]]:
    """(party, verb) for every request/invitation/instruction/agreement in ``sent``."""
    lemmas = _request_lemmas()
    out = []
    for t in sent:
        if t.lemma_.lower() not in lemmas or t.pos_ not in ("VERB", "NOUN"):
            continue
        found = set()
        for c in t.subtree if t.pos_ == "NOUN" else t.children:
            if c.dep_ in ("dobj", "dative", "nsubjpass", "obj", "pobj", "iobj", "poss"):
                r = _party(role_of(c, roles, author))
                if r:
                    found.add(r)
        if t.lemma_.lower() in ("agree", "arrange", "order", "direct", "require", "book", "schedule", "expect"):
            found.update(_party(roles.get(x.i)) for x in sent if _party(roles.get(x.i)))
            s = _subject(t)
            if s is not None and _party(role_of(s, roles, author)):
                found.add(_party(role_of(s, roles, author)))
        for c in t.children:  # "asked Ms F to", "asked that Ms F bring"
            if c.dep_ in ("xcomp", "ccomp"):
                s = _subject(c)
                if s is not None and _party(role_of(s, roles, author)):
                    found.add(_party(role_of(s, roles, author)))
            if c.dep_ == "prep":
                for g in c.children:
                    if g.dep_ == "pobj" and _party(role_of(g, roles, author)):
                        found.add(_party(role_of(g, roles, author)))
        out += [(r, t) for r in found if r]
    return out


def find_cues(doc: Doc, *, extra=None) -> list[CueHit]:
    """Every framing cue in ``doc``; needs ``biaslens_parties`` and ``biaslens_statements`` spans."""
    matcher, _ = _matcher(doc.vocab, _freeze(extra))
    roles = role_index(doc)
    author = _author_index(doc)
    statements = list(doc.spans.get("biaslens_statements", []))
    stmt_of = {}
    for k, s in enumerate(statements):
        for t in s:
            stmt_of[t.i] = k
    frame_cache: dict[int, list] = {}

    def fr(k: int):
        if k not in frame_cache:
            frame_cache[k] = frames(statements[k])
        return frame_cache[k]

    raw = []
    for key, start, end in matcher(doc):
        cat = doc.vocab.strings[key].split("|")[0]
        raw.append((start, end, cat))
    # longest match wins within a category; one failure/attribution cue per token
    raw.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    taken: dict[str, set[int]] = {}
    chosen = []
    for s, e, cat in raw:
        fam = "attr" if cat in STANCE_CATS else ("desc" if cat.endswith("_descriptor") else cat)
        occ = taken.setdefault(fam, set())
        if occ.intersection(range(s, e)):
            continue
        occ.update(range(s, e))
        chosen.append((s, e, cat))
    chosen.sort()
    hits: list[CueHit] = []
    for s, e, cat in chosen:
        if s not in stmt_of:
            continue
        k = stmt_of[s]
        sent = statements[k]
        tok = doc[s:e].root
        if cat == "hedge" and tok.lower_ in MODALS and tok.tag_ != "MD":
            continue
        sent_roles = [roles[t.i] for t in sent if t.i in roles]
        frs = fr(k)
        if cat in STANCE_CATS:
            frame = next((f for f in frs if f.start <= s < f.end or f.start <= tok.i < f.end), None)
            if frame is None or frame.speaker in ("author", "record"):
                continue
            if any(f is not frame and f.speaker == frame.speaker and in_scope(tok, f) for f in frs):
                continue  # "Amy told me she wants ...": one account, one attribution
            target = _party(frame.speaker) if frame.speaker != "child" else "child"
            hits.append(CueHit(s, e, cat, target, "author", "introduces the account of " + (target or "a third party")))
            continue
        target, how = _bind(tok, cat, roles, author, sent_roles)
        if cat == "presupposed_failure" and tok.lemma_ in ("refuse", "decline", "withhold", "cancel") and target is None:
            continue
        voice = "reported" if any(f.speaker not in (None, "record") and in_scope(tok, f) for f in frs) else "author"
        hits.append(CueHit(s, e, cat, target, voice, how))
    hits += _evaluation_as_fact(doc, hits, statements, stmt_of, roles, author, fr)
    hits += _presupposition_checks(doc, hits, statements, stmt_of, roles, author)
    hits.sort(key=lambda h: (h.start, h.end, CUE_CATEGORIES.index(h.category)))
    return hits


def _evaluation_as_fact(doc, hits, statements, stmt_of, roles, author, fr) -> list[CueHit]:
    """Descriptors predicated of a party in the author's own voice, with no stance frame."""
    frames_words = _stance_frame_words()
    out = []
    for h in hits:
        if not h.category.endswith("_descriptor") or h.voice != "author" or h.target in (None, "child"):
            continue
        k = stmt_of[h.start]
        sent = statements[k]
        low = sent.text.lower()
        if any(w in low for w in frames_words):
            continue
        if sent.label_ not in ("opinion", "observation"):
            continue
        tok = doc[h.start:h.end].root
        pred = tok
        if tok.dep_ == "amod" and tok.head.dep_ in ("attr", "acomp"):
            pred = tok.head
        if pred.dep_ in ("acomp", "attr", "oprd") or (pred.pos_ == "VERB" and pred.dep_ == "ROOT"):
            head = pred.head if pred.dep_ != "ROOT" else pred
            subj = _subject(head)
            if subj is None or _party(role_of(subj, roles, author)) != h.target:
                continue
            start = min([c.i for c in head.children if c.dep_ in ("aux", "neg")] + [head.i, h.start])
            if head.pos_ not in ("AUX", "VERB"):
                continue
            out.append(CueHit(start, h.end, "evaluation_as_fact", h.target, "author",
                              "evaluative predicate stated as fact in the author's voice"))
    return out


def _presupposition_checks(doc, hits, statements, stmt_of, roles, author) -> list[CueHit]:
    """For each presupposed failure, look for the request it presupposes, earlier in the report."""
    out = []
    requests: list[tuple[int, str, Token]] = []  # (statement index, party, verb)
    for k, sent in enumerate(statements):
        for r, verb in _request_addressees(sent, roles, author):
            requests.append((k, r, verb))
    lemmas = sorted(_request_lemmas())
    for h in hits:
        if h.category != "presupposed_failure" or h.target is None:
            continue
        k = stmt_of[h.start]
        found = [(kk, v) for kk, r, v in requests if r == h.target and (kk < k or (kk == k and v.i < h.start))]
        if found:
            kk, v = found[-1]
            note = (f"request recorded in statement {kk} ({v.lemma_!r} addressed to {h.target}, "
                    f"characters {v.idx}-{v.idx + len(v.text)})")
            out.append(CueHit(h.start, h.end, "presupposed_failure", h.target, h.voice, "__supported__" + note))
        else:
            note = (f"searched statements 0-{k} for a request, invitation, instruction, order or "
                    f"agreement addressed to {h.target} ({', '.join(lemmas)}): none recorded")
            out.append(CueHit(h.start, h.end, "unsupported_presupposition", h.target, h.voice, note))
    # fold the "supported" notes back into their presupposed_failure cue
    supported = {(c.start, c.end): c.note[len("__supported__"):] for c in out if c.note.startswith("__supported__")}
    for i, h in enumerate(hits):
        if h.category == "presupposed_failure" and (h.start, h.end) in supported:
            hits[i] = CueHit(h.start, h.end, h.category, h.target, h.voice,
                             h.note + "; " + supported[(h.start, h.end)])
    return [c for c in out if not c.note.startswith("__supported__")]
