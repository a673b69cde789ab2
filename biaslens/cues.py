"""Framing cues (ANNOTATION.md section 4): lexicon matching, party binding, presupposition checks.

Finding is kept apart from writing: :func:`find_cues` returns :class:`CueHit` records and the
``biaslens_cues`` component writes them to ``doc.spans``. Binding uses the dependency parse:
the subject of "failed to" / "refused", the possessor of "her mental health", the speaker a
reporting verb introduces. Only when the parse gives no party and exactly one party is
mentioned in the statement is the cue bound to that party ("sole party" in the note); it is
never bound by proximity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from spacy.attrs import LEMMA, LOWER
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .attribution import _author_index, _subject, frames, in_scope, role_index, role_of
from .errors import Errors, InputError
from .lexicons import AUXILIARY, NAMES, LexEntry, load_lexicon, read_extra
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
    packaged = [e for n in NAMES if n not in AUXILIARY for e in load_lexicon(n)]
    user = read_extra(extra)
    for e in user:
        if e.category not in CUE_CATEGORIES:
            raise InputError(Errors.E014.format(category=e.category, options=CUE_CATEGORIES))
    return packaged + user


class _CueMatcher:
    """Lexicon matcher: a ``PhraseMatcher`` on ``LOWER`` for exact-word entries, and a lookup
    by lemma hash for the lemma entries (first word by lemma, the rest by ``LOWER``).

    One token ``Matcher`` with hundreds of patterns tried every pattern at every token and cost
    about as much as the rest of the cue finder; the phrase matcher looks words up in a trie,
    and the lemma entries are found by one dictionary lookup per token.
    Calling it returns ``(start, end, category, entry)`` for every match, ordered longest
    first, then by start, then by lexicon order, which is the order the single ``Matcher``
    gave (it emitted same-span matches in pattern order).
    """

    def __init__(self, vocab: Vocab, entries: list[LexEntry]) -> None:
        from spacy.lang.en import English

        tok = English().tokenizer
        self.phrase = PhraseMatcher(vocab, attr="LOWER")
        # lemma entries: the first word's lemma, then the next words' lower forms (what a
        # token Matcher pattern [{"LEMMA": w0}, {"LOWER": w1}, ...] matches), looked up by
        # the lemma's hash instead of trying every pattern at every token
        self.by_lemma: dict[int, list[tuple[tuple[int, ...], int]]] = {}
        self.key_of: dict[int, tuple[str, int]] = {}  # match id -> (category, entry index)
        for k, e in enumerate(entries):
            words = [t.lower_ for t in tok(e.term)]
            key = f"{e.category}|{k}"
            kid = vocab.strings.add(key)
            self.key_of[kid] = (e.category, k)
            if e.match == "lemma":
                rest = tuple(vocab.strings.add(w) for w in words[1:])
                self.by_lemma.setdefault(vocab.strings.add(words[0]), []).append((rest, kid))
            else:
                self.phrase.add(key, [Doc(vocab, words=words, spaces=[False] * len(words))])

    def _lemma_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not self.by_lemma or not len(doc):
            return []
        arr = doc.to_array([LEMMA, LOWER])
        lemmas, lowers = arr[:, 0].tolist(), arr[:, 1].tolist()
        n, found = len(lemmas), []
        for i, lem in enumerate(lemmas):
            for rest, kid in self.by_lemma.get(lem, ()):
                j = i + 1 + len(rest)
                if j <= n and tuple(lowers[i + 1:j]) == rest:
                    found.append((kid, i, j))
        return found

    def __call__(self, doc: Doc) -> list[tuple[int, int, str, int]]:
        found = list(self.phrase(doc)) + self._lemma_matches(doc)
        out = [(s, e) + self.key_of[key] for key, s, e in found]
        out.sort(key=lambda m: (-(m[1] - m[0]), m[0], m[3]))
        return out


@lru_cache(maxsize=8)
def _matcher(vocab: Vocab, extra_key: tuple) -> tuple[_CueMatcher, dict[str, str]]:
    entries = _entries(list(dict(x) for x in extra_key) or None)
    sources = {f"{e.category}|{k}": e.source for k, e in enumerate(entries)}
    return _CueMatcher(vocab, entries), sources


def _freeze(extra) -> tuple:
    if extra is None:
        return ()
    rows = read_extra(extra)
    return tuple(tuple(sorted({"term": r.term, "category": r.category, "match": r.match,
                                "source": r.source}.items())) for r in rows)


def _party(role: str | None) -> str | None:
    return role if role not in (None, "author", "record", "third_party") else None


_PRON_G = {"she": "f", "her": "f", "hers": "f", "herself": "f",
           "he": "m", "him": "m", "his": "m", "himself": "m"}
_FEMALE_TITLES = {"ms", "mrs", "miss"}
_GROUP_WORDS = {"parents", "parties", "fathers", "mothers", "carers", "grandparents", "adults"}
_GROUP_DETS = {"both", "each", "either", "neither", "the"}
_NEG = {"not", "n't", "never"}
_MODAL_AUX = {"should", "must", "can", "could", "would", "will", "may", "might", "shall"}
# endorsing verbs that also describe plain conduct ("showed me her drawing"): a clause needed
_CLAUSE_ONLY = {"show", "demonstrate", "reveal", "prove", "evidence", "establish"}
# verbs that mark a source for the statement tagger but carry no stance towards the account
# ("raised concerns", "raised his voice", "records noted"); the annotation scheme's reporting
# wording (ANNOTATION.md section 4) does not include them
_NOT_STANCE = {"note", "raise"}
_ANAPHORIC = {"request", "invitation", "arrangement", "instruction", "order", "direction",
              "agreement", "offer", "deadline"}
_LIGHT = {"be", "have", "do", "get", "let", "go", "not", "fail", "refuse", "decline", "neglect",
          "omit", "time", "day", "date", "week", "month", "year"}


class _Ctx:
    """Per-document lookups shared by the binding helpers."""

    def __init__(self, doc: Doc, statements: list[Span], stmt_of: dict[int, int],
                 roles: dict[int, str], author: set[int]) -> None:
        self.doc, self.statements, self.stmt_of = doc, statements, stmt_of
        self.roles, self.author = roles, author
        pset = doc.user_data.get("biaslens_partyset", {})
        self.parties = [r for r in pset.get("aliases", {})]
        self.gender_of = dict(pset.get("gender_of", {}))
        self.child_gender = pset.get("child_gender", "")

    def compatible(self, role: str, g: str) -> bool:
        if role == "child":
            return self.child_gender in ("", "none", g)
        return self.gender_of.get(role, "") in ("", g)

    def group(self, tok: Token) -> list[str]:
        """All parties for "both parents", "neither father", "the parents", "each parent"."""
        words = {c.lower_ for c in tok.children if c.dep_ in ("det", "predet", "preconj")}
        if tok.lower_ in ("neither", "both") and tok.dep_ in ("nsubj", "nsubjpass", "dobj"):
            words.add(tok.lower_)
        noun_ok = tok.lower_ in _GROUP_WORDS or (tok.lemma_.lower() in ("parent", "father", "mother", "carer", "grandparent",
                                                                      "party", "adult")
                                                 and words & {"both", "each", "either", "neither"})
        if (noun_ok and words & _GROUP_DETS) or (tok.lower_ in ("both", "neither") and tok.pos_ == "PRON"):
            return list(self.parties)
        if tok.lower_ in ("them", "they", "each", "either") and tok.pos_ == "PRON":
            # "I e-mailed both parents, inviting each of them ... and asking them to": the plural
            # pronoun takes up the group named before it in the same statement
            k = self.stmt_of.get(tok.i)
            if k is not None and any(t.pos_ in ("NOUN", "PRON") and t.lower_ not in ("them", "they", "each", "either")
                                     and self.group(t) for t in self.doc[self.statements[k].start:tok.i]):
                return list(self.parties)
        return []

    def pronoun(self, tok: Token) -> str | None:
        """The antecedent of an unresolved he/she: the nearest gender-compatible person.

        Looks back through this statement and the three before it; in each, a compatible
        grammatical subject wins over other mentions (the discourse topic). Returns a role,
        ``"third_party"`` for a titled non-party, or None when nothing compatible is found.
        """
        g = _PRON_G.get(tok.lower_)
        if g is None:
            return None
        k = self.stmt_of.get(tok.i)
        if k is None:
            return None
        for kk in range(k, max(-1, k - 4), -1):
            sent = self.statements[kk]
            last = tok.i if kk == k else sent.end
            cands = []
            for t in self.doc[sent.start:last]:
                r = self.roles.get(t.i)
                if r is None and t.pos_ == "PROPN" and t.i > 0 and self.doc[t.i - 1].text in ("Mr", "Ms", "Mrs", "Miss", "Dr") \
                        and t.i - 1 not in self.roles:
                    tg = "f" if self.doc[t.i - 1].lower_ in _FEMALE_TITLES else ("m" if self.doc[t.i - 1].lower_ == "mr" else "")
                    if tg in ("", g):
                        cands.append(("third_party", t))
                    continue
                noun = t if t.pos_ in ("NOUN", "PROPN", "PRON") or t.head == t else t.head
                if r and self.compatible(r, g) and noun.tag_ not in ("NNS", "NNPS"):
                    cands.append((r, t))  # "his" is never "the children"
            if not cands:
                continue
            subj = [c for c in cands if c[1].dep_ in ("nsubj", "nsubjpass") or c[1].head.dep_ in ("nsubj", "nsubjpass")]
            pick = subj[0] if subj else cands[-1]
            if len({c[0] for c in cands}) > 1 and not subj:
                return None  # two compatible people, neither the topic: leave it unbound
            return pick[0]
        return None

    def role(self, tok: Token) -> str | None:
        """role_of, with unresolved he/she/his/her resolved by :meth:`pronoun`."""
        r = role_of(tok, self.roles, self.author)
        if r is None and tok.lower_ in _PRON_G:
            r = self.pronoun(tok)
        return r


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


def _bind(tok: Token, category: str, ctx: "_Ctx", sent_roles: list[str]) -> tuple[list[str], str]:
    """The parties a cue bears on (usually one), and how they were found."""
    # possessor: "her mental health", "Ms F's hostility"
    noun = tok if tok.pos_ in ("NOUN", "PROPN") else (tok.head if tok.dep_ in ("amod", "compound") else None)
    if noun is not None:
        for c in noun.children:
            if c.dep_ == "poss":
                r = _party(ctx.role(c))
                if r:
                    return [r], "possessor"
        # "a hostile mother"
        r = _party(ctx.roles.get(noun.i))
        if r:
            return [r], "modified noun"
    subj = _clause_subject(tok)
    if category in ("hedge", "booster") and subj is not None:
        # AUTHORING.md: a hedge bears on the party the hedged content is about. "It appears that
        # Ms F ...", "It is clear that Mr B ...": the subject of the extraposed clause;
        # "Her anxiety may be a factor", "Mr B's drinking may affect": the subject's possessor
        if subj.lower_ == "it" or subj.dep_ == "expl":
            v = subj.head
            inner = next((c for c in v.children if c.dep_ in ("ccomp", "csubj")), None)
            if inner is None:
                inner = next((c for a in v.children if a.dep_ in ("acomp", "attr")
                              for c in a.children if c.dep_ == "ccomp"), None)
            if inner is not None and _subject(inner) is not None:
                subj = _subject(inner)
        if not _party(ctx.role(subj)) and subj.lower_ not in _PRON_G:
            for c in subj.children:
                if c.dep_ == "poss":
                    r = _party(ctx.role(c))
                    if r:
                        return [r], "possessor of the hedged subject"
    if subj is not None and category == "presupposed_failure" and subj.dep_ == "nsubjpass" \
            and subj.pos_ == "NOUN":
        # "Notwithstanding the direction, Ms F's statement was filed late": whose it was
        for c in subj.children:
            if c.dep_ == "poss" and (r := _party(ctx.role(c))):
                return [r], "possessor of the passive subject"
    if subj is not None:
        grp = ctx.group(subj)
        if grp:
            return grp, "group subject"
        r = ctx.role(subj)
        if _party(r):
            return [r], "clause subject" + (" (pronoun antecedent)" if subj.i not in ctx.roles and subj.lower_ in _PRON_G else "")
        if r in ("third_party", "author", "record"):
            return [], "clause subject is not a party"
        # "Mr B's attitude was hostile": the possessor of the subject
        for c in subj.children:
            if c.dep_ == "poss":
                r = _party(ctx.role(c))
                if r:
                    return [r], "possessor of subject"
    uniq = [r for r in dict.fromkeys(sent_roles) if _party(r)]
    if len(uniq) == 1 and (subj is None or subj.lower_ not in _PRON_G):
        return [uniq[0]], "sole party in statement"
    return [], "unbound"


def _possessor(noun: Token, ctx: "_Ctx") -> str | None:
    """The party owning ``noun``, up its "of" and coordination chains: "her anxiety", "her
    history of anxiety", "his drinking and low mood", "Ms F's prescribed medication"."""
    t = noun
    for _ in range(4):
        for c in t.children:
            if c.dep_ == "poss":
                r = ctx.role(c)
                return r if _party(r) or r == "child" else None
        if t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.lower_ == "of" and t.head.head.pos_ == "NOUN":
            t = t.head.head
        elif t.dep_ == "conj" and t.head.pos_ == "NOUN":
            t = t.head
        elif t.dep_ in ("compound", "amod") and t.head.pos_ == "NOUN":
            t = t.head
        else:
            return None
    return None


def _bind_mental_health(tok: Token, ctx: "_Ctx", sent_roles: list[str]) -> tuple[list[str], str]:
    """Whose mental health a reference is about (ANNOTATION.md section 4).

    In order: the possessor ("her anxiety", "her history of anxiety"); the person who described
    it ("the panic attacks he described"); the party the clause is about: its subject, the
    possessor of a non-party subject ("her condition is stable on medication", "her low mood
    had been treated with medication"), the object of an object-control verb ("it helps her to
    cope with anxiety"); and, when a record or a professional is the subject ("GP records note
    a diagnosis of ..."), the one party the statement names.
    """
    noun = tok if tok.pos_ in ("NOUN", "PROPN") else (tok.head if tok.dep_ in ("amod", "compound") else tok)
    r = _possessor(noun, ctx)
    if r:
        return [r], "possessor"
    for c in noun.children:
        if c.dep_ == "relcl":
            s = _subject(c)
            if s is not None and s.head == c and _party(ctx.role(s)):
                return [_party(ctx.role(s))], "the party who described it"
    t = noun
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX"):
            if t.dep_ == "xcomp":
                obj = next((c for c in t.head.children if c.dep_ in ("dobj", "obj")), None)
                if obj is not None and _party(ctx.role(obj)):
                    return [_party(ctx.role(obj))], "object of the controlling verb"
            sub = _subject(t)
            if sub is not None:
                grp = ctx.group(sub)
                if grp:
                    return grp, "group subject"
                r = ctx.role(sub)
                if _party(r) or r == "child":
                    return [r], "clause subject" + (" (pronoun antecedent)" if sub.i not in ctx.roles and sub.lower_ in _PRON_G else "")
                r = _possessor(sub, ctx) if sub.pos_ == "NOUN" else None
                if r:
                    return [r], "possessor of the clause subject"
                break
        if t.head == t:
            break
        t = t.head
    uniq = [r for r in dict.fromkeys(sent_roles) if _party(r)]
    if len(uniq) == 1:
        return [uniq[0]], "sole party in statement"
    return [], "unbound"


def _in_condition(tok: Token) -> bool:
    """Inside an "if"/"unless"/"whether" clause: a hypothetical, not a recorded failure."""
    t = tok
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether", "should") for c in t.children):
            return True
        if t.head == t:
            return False
        t = t.head
    return False


def _content(tok: Token, skip: set[int] = frozenset()) -> set[str]:
    """Content lemmas (nouns, verbs, adjectives) of the predicate headed by ``tok``."""
    out = set()
    for t in tok.subtree:
        if t.i in skip or t.dep_ in ("nsubj", "nsubjpass") or t.head.dep_ in ("nsubj", "nsubjpass") and t.head != tok:
            continue
        if t.pos_ in ("NOUN", "VERB", "ADJ") and t.lemma_.lower() not in _LIGHT and not t.is_stop:
            out.add(t.lemma_.lower())
    return out


def _stance_frame_words() -> list[str]:
    return [e.term for e in load_lexicon("stance_frames")]


def _request_lemmas() -> set[str]:
    return {e.term for e in load_lexicon("requests")}


def _compliance_lemmas() -> set[str]:
    return {e.term for e in load_lexicon("compliance")}


def _stance_ok(doc: Doc, tok: Token, frame) -> bool:
    """Is this reporting verb really introducing an account (not "did not share", "to confirm")?"""
    if frame.verb_i is None:
        return True
    v = doc[frame.verb_i]
    kids = list(v.children)
    if any(c.dep_ == "neg" for c in kids):
        return False
    if any(c.dep_ == "aux" and (c.lower_ in _MODAL_AUX or c.lower_ == "to") for c in kids):
        return False
    if v.dep_ in ("xcomp", "acl", "advcl", "relcl") and any(c.lower_ == "to" for c in kids):
        return False
    if v.lemma_.lower() in _CLAUSE_ONLY and not any(c.dep_ in ("ccomp", "xcomp") for c in kids):
        return False
    return True


_SCARE = re.compile(r'["\u201c]([^"\u201c\u201d]{1,80})["\u201d]')


def _scare_quotes(doc: Doc, statements: list[Span], ctx: "_Ctx") -> list[CueHit]:
    """Scare quotes: a party's words quoted as a label ("described himself as "the only
    stable parent"", the "fun parent"), which distance the author from them.

    Only quotations used as a description (after "as", "as the", "so-called", or quoting a
    noun/adjective phrase the author predicates of someone) count; quoted speech after a
    reporting verb is a plain quotation, not a doubt marker.
    """
    out = []
    for k, sent in enumerate(statements):
        for m in _SCARE.finditer(sent.text):
            a = sent.start_char + m.start()
            b = sent.start_char + m.end()
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None or len(span) > 14:
                continue
            before = [t.lower_ for t in doc[max(sent.start, span.start - 3):span.start]]
            if not (before and (before[-1] in ("as", "so-called") or before[-2:] in (["as", "the"], ["as", "a"], ["as", "an"]))):
                continue
            src = sent.kb_id_ or "author"
            target = _party(src)
            if target is None:
                subj = _clause_subject(span.root)
                target = _party(ctx.role(subj)) if subj is not None else None
            if target is None:
                continue
            out.append(CueHit(span.start, span.end, "distancing_attribution", target, "author",
                              "scare quotes: the party's own words held at a distance"))
    return out


# verbs that are verbs of compliance only with a particle or preposition: "did not turn up",
# not "did not turn the page"; "has not acted on the advice", not "did not act"
_NEEDS_PARTICLE = {"turn": ("up",), "show": ("up",), "act": ("on", "upon"), "pass": ("on",),
                   "put": ("forward",), "hand": ("over", "back")}
# events a party is due at: "did not come to the review meeting", "missed her sampling appointment"
_EVENT_NOUNS = {"meeting", "session", "appointment", "review", "conference", "hearing", "evening", "contact",
                "visit", "assessment", "interview", "course", "programme", "program", "class", "test",
                "handover", "call", "check", "screening", "consultation", "group", "workshop"}
# events a professional arranges, which no child arrangements order provides for
_PROFESSIONAL_EVENTS = {"visit", "appointment", "assessment", "meeting", "session", "review", "interview",
                        "observation", "test", "conference", "hearing", "office", "school", "nursery"}
# places and services named as proper nouns, read by their common head ("the Brackenford Family Hub")
_PLACES = {"hub", "centre", "center", "clinic", "surgery", "unit", "service", "team", "project", "academy",
           "college"}
# "take" in its light uses is no duty: "has never taken an interest", "took place"
_TAKE_LIGHT = {"interest", "part", "notice", "account", "place", "step", "action", "responsibility", "care",
               "time", "view", "look", "advantage", "pride", "issue", "exception"}
# an excuse on the miss itself: "missed contact sessions in 2021 while unwell"
_EXCUSES = {"unwell", "ill", "illness", "hospital", "sick", "poorly", "bereavement", "funeral", "operation",
            "surgery", "abroad", "hospitalise", "hospitalize", "admit"}
# "would not" narrates a refusal with verbs of letting and handing over ("would not let him speak
# to Poppy", "would not hand the children over"); with other verbs it is often a prediction
_REFUSED_WOULD = {"allow", "let", "permit", "hand", "return", "give", "bring", "sign", "attend", "engage",
                  "cooperate", "co-operate", "comply", "provide", "send", "pass", "share"}


def _compliance_sense(t: Token, kids: list[Token]) -> bool:
    """Is ``t`` used in its sense of meeting a duty ("passed on the reports", "made a payment")?"""
    lem = t.lemma_.lower()
    if lem == "come":  # "did not come to the review meeting", not "did not come back"
        return any(c.dep_ == "prep" and c.lower_ == "to" and any(
            g.dep_ == "pobj" and g.lemma_.lower() in _EVENT_NOUNS for g in c.children) for c in kids)
    need = _NEEDS_PARTICLE.get(lem)
    if need is not None:
        # the parser often reads the particle as a preposition; "did not pass on 3 May" is a date
        return any(c.lower_ in need and (c.dep_ == "prt" or (c.dep_ == "prep" and not any(
            g.pos_ in ("NUM", "PROPN") or g.ent_type_ in ("DATE", "TIME") for g in c.children)))
            for c in kids)
    if lem == "take" and any(c.dep_ in ("dobj", "obj") and c.lemma_.lower() in _TAKE_LIGHT for c in kids):
        return False
    # "has not made a payment", not "Neither parent has made a referral"
    return not (lem == "make" and any(c.dep_ in ("dobj", "obj") and c.lemma_.lower() in _SPEECH_ACTS
                                      for c in kids))


def _passive_party(t: Token, ctx: "_Ctx") -> str | None:
    """Who failed, in a negated passive: the agent ("have not been provided by the mother",
    "no response was received from Mr B") or the owner of what was due ("Her signed consent
    was not returned", "his statement was filed late"). None when neither names a party, or
    when the subject is itself a person ("Lily was not returned to school")."""
    subj = next((c for c in t.children if c.dep_ == "nsubjpass"), None)
    if subj is None or subj.pos_ in ("PROPN", "PRON") or subj.i in ctx.roles \
            or subj.lemma_.lower() in _PERSON_NOUNS:
        return None
    for c in t.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "from"):
            for g in c.children:
                if g.dep_ == "pobj" and (r := _party(ctx.role(g))):
                    return r
    for c in subj.children:
        if c.dep_ == "poss" and (r := _party(ctx.role(c))):
            return r
    return None


# acts due at set times, whose present negation narrates a failure ("does not return Isla at 6pm")
_HABITUAL_DUE = {"attend", "return", "respond", "reply", "pass", "collect", "pay", "comply", "bring", "forward",
                 "confirm", "turn", "show", "come"}
# a reason that excuses: "because she was in hospital", "as he was working abroad"
_EXCUSE_MARKS = {"because", "as", "since"}


# not doing something wrong is no failure: "he has never sent her an abusive message"
_WRONG = {"abusive", "threatening", "offensive", "inappropriate", "derogatory", "aggressive", "violent",
          "insulting", "intimidating", "harassing", "rude", "unkind", "hurtful", "nasty", "unpleasant"}


def _wrong_to_do(t: Token) -> bool:
    return any(c.dep_ in ("dobj", "obj") and any(a.dep_ == "amod" and a.lower_ in _WRONG for a in c.children)
               for c in t.children)


def _excused(t: Token) -> bool:
    for c in t.children:
        clause = c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _EXCUSE_MARKS for m in c.children)
        cause = c.dep_ == "prep" and (c.lower_ == "because" or (c.lower_ in ("due", "owing") and any(
            g.lower_ == "to" for g in c.children)))
        if (clause or cause) and any(x.lemma_.lower() in _EXCUSES for x in c.subtree):
            return True
    return False


def _negated_compliance(doc: Doc, statements: list[Span], ctx: "_Ctx",
                        taken: set[int]) -> list[tuple[int, int, Token, str | None]]:
    """(start, end, verb, party) for "did not send", "has not attended", "Neither parent had
    produced", "never returned the form", "would not let him", "Nor did she put forward", and
    negated passives ("her consent was not returned", "No response was received from Mr B"),
    whose party is read from the agent or the owner of what was due (None: bind as usual)."""
    lemmas = _compliance_lemmas() | {"receive"}
    out = []
    for sent in statements:
        for t in sent:
            lem = t.lemma_.lower()
            if t.pos_ != "VERB" or lem not in lemmas:
                continue
            kids = list(t.children)
            if not _compliance_sense(t, kids):
                continue
            neg = [c for c in kids if c.dep_ == "neg" and c.lower_ in _NEG]
            subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
            neither = subj is not None and (subj.lower_ == "neither" or any(c.lower_ == "neither" for c in subj.children))
            nor = [c for c in kids if c.dep_ in ("cc", "preconj") and c.lower_ == "nor" and c.i < t.i]
            no_subj = subj is not None and subj.dep_ == "nsubjpass" and any(
                c.dep_ == "det" and c.lower_ == "no" for c in subj.children)
            # "has sent no photographs since February", "has given me no details of the club"
            no_obj = next((o for o in kids if o.dep_ in ("dobj", "obj") and any(
                d.dep_ == "det" and d.lower_ == "no" for d in o.children)), None)
            if not (neg or neither or nor or no_subj or no_obj):
                continue
            if _excused(t):
                continue  # "did not attend because she was in hospital": no failure
            aux = [c for c in kids if c.dep_ in ("aux", "auxpass") and c.lower_ in (
                "did", "has", "had", "have", "was", "were", "been")]
            modal = [c for c in kids if c.dep_ == "aux" and c.lower_ in _MODAL_AUX | {"to"}]
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in kids)
            party = None
            if passive:
                # "was not returned until", "have not been produced", "No C7 response has been filed"
                party = _passive_party(t, ctx)
                if party is None or modal or not aux:
                    continue
            elif lem == "receive":
                continue
            elif modal:
                # "would not let him speak to Poppy": a narrated refusal; "could not", "will not" are not
                if not (len(modal) == 1 and modal[0].lower_ == "would" and lem in _REFUSED_WOULD and neg):
                    continue
            elif neg and all(c.lower_ == "never" for c in neg):
                # "never returned the form", "has never paid": past; not the habitual "never gives"
                if t.tag_ != "VBD" and not any(c.lower_ in ("has", "had", "have") for c in aux):
                    continue
            elif not aux and not neither:
                # "does not give": habitual, not a failure; but a chronology's present ("18.03.24 -
                # Ms P does not attend the meeting") and an act due on a schedule ("does not pass on
                # his messages", "does not return Isla at 6pm") narrate one
                if not (neg and lem in _HABITUAL_DUE and any(c.lower_ in ("does", "do") for c in kids)):
                    continue
            if no_obj is not None and not (neg or neither or nor or no_subj):
                if not aux or passive or modal or any(c.lower_ in _AGAINST for c in t.subtree):
                    continue  # "Despite being asked, Mr N has given me no details": one failure, found already
            if t.i in taken and not passive:
                continue
            first = [c.i for c in neg + aux + modal + nor] + [t.i]
            start = subj.left_edge.i if (neither or no_subj) else min(first)
            out.append((start, t.i + 1, t, party))
    return out


def _missed(doc: Doc, statements: list[Span]) -> list[tuple[int, int, Token]]:
    """"missed her first sampling appointment", "missed three of the eight sessions", "missed the
    session arranged for 2 July": a party's missing an event presupposes it was due. Not
    "misses her dad", "has never missed a Wednesday"."""
    out = []
    for sent in statements:
        for t in sent:
            if t.pos_ != "VERB" or t.lemma_.lower() != "miss" or any(c.dep_ == "neg" for c in t.children):
                continue
            subj = _subject(t)
            if subj is not None and (subj.lower_ in ("neither", "none", "nobody") or any(
                    d.lower_ in ("neither", "no") for d in subj.children)):
                continue  # "neither parent has missed a health appointment"
            objs = [c for c in t.children if c.dep_ in ("dobj", "obj")]
            objs += [g for c in t.children if c.dep_ == "ccomp" for g in c.children if g.dep_ == "nsubj"]
            if any(x.lemma_.lower() in _EXCUSES for c in t.children if c.dep_ in ("advcl", "prep")
                   for x in c.subtree):
                continue
            if any(x in _EVENT_NOUNS for o in objs for x in _plain(_noun_heads(o)) + [o.lemma_.lower()]):
                out.append((t.i, t.i + 1, t))
    return out


def _idiomatic(doc: Doc, statements: list[Span]) -> list[tuple[int, int, Token]]:
    """A deadline let pass ("let the 31 December deadline slip", "lets the deadline for the
    programme pass"): the deadline is the duty.

    Lateness ("was late returning Isla") and keeping a child back are left out on purpose: the
    corpus writers label them in opposite ways (ANNOTATION.md's examples are all acts not done).
    """
    out = []
    for sent in statements:
        for t in sent:
            if t.lemma_.lower() == "let" and t.pos_ == "VERB" and any(
                    x.lemma_.lower() == "deadline" for c in t.children for x in c.subtree):
                out.append((t.i, t.i + 1, t))
    return out


# "contrary to the working agreement", "notwithstanding the court's direction", "in spite of the
# direction", "despite two reminders", "even though he had agreed not to": a duty and its breach
_AGAINST = {"contrary", "notwithstanding", "despite", "spite"}
_DUTY_NOUNS = _ANAPHORIC | {"reminder", "recital", "undertaking", "rule", "warning", "requirement",
                            "expectation", "condition", "plan", "promise", "advice", "guidance", "message",
                            "letter", "chaser"}


def _against_object(t: Token) -> Token | None:
    """What "contrary to X", "in spite of X", "despite X" or "notwithstanding X" is against."""
    low = t.lower_
    if low == "contrary" or low == "spite":  # "contrary to X", "in spite of X"
        p = next((c for c in t.children if c.dep_ == "prep" and c.lower_ in ("to", "of")), None)
        return next((g for g in p.children if g.dep_ == "pobj"), None) if p is not None else None
    if t.dep_ == "mark":  # "despite Ms R having been asked to send it"
        return t.head
    return next((c for c in t.children if c.dep_ in ("pobj", "pcomp")), None)


def _against_duty(doc: Doc, statements: list[Span]) -> list[tuple[int, int, Token]]:
    out = []
    for sent in statements:
        for t in sent:
            low = t.lower_
            if low in _AGAINST:
                obj = _against_object(t)
                if obj is None:
                    continue
                if obj.lemma_.lower() in _DUTY_NOUNS or (
                        obj.pos_ == "VERB" and obj.lemma_.lower() in _ASKING and any(
                            c.dep_ == "auxpass" for c in obj.children)):  # "despite Ms R having been asked"
                    a = t.i - 1 if low == "spite" and t.i > sent.start and doc[t.i - 1].lower_ == "in" else t.i
                    out.append((a, obj.i + 1, t))
            elif low in ("though", "although") and t.dep_ == "mark":
                v = t.head  # "even though he had agreed not to discuss the case"
                sub = _subject(v)
                if sub is not None and (sub.lower_ in _GROUP_WORDS or sub.lower_ in ("they", "we")):
                    continue  # "although the parents had agreed": whose breach is for the main clause to say
                if v.lemma_.lower() in _COMMITTING - {"arrange", "accept"} and v.dep_ == "advcl" and \
                        any(c.dep_ == "aux" and c.lower_ in ("had", "has") for c in v.children):
                    a = t.i - 1 if t.i > sent.start and doc[t.i - 1].lower_ == "even" else t.i
                    out.append((a, v.i + 1, v))
    return out


# "has not made a referral / an allegation": making these is no one's duty
_SPEECH_ACTS = {"referral", "allegation", "complaint", "application", "statement", "comment", "claim",
                "disclosure", "remark", "suggestion", "request", "offer", "decision", "choice", "threat",
                "mistake", "reference", "attempt", "report"}
def find_cues(doc: Doc, *, extra=None) -> list[CueHit]:
    """Every framing cue in ``doc``; needs ``biaslens_parties`` and ``biaslens_statements`` spans."""
    matcher, _ = _matcher(doc.vocab, _freeze(extra))
    roles = role_index(doc)
    author = _author_index(doc)
    statements = list(doc.spans.get("biaslens_statements", []))
    stmt_of = {}
    for k, s in enumerate(statements):
        for i in range(s.start, s.end):  # indices only: no Token objects to build
            stmt_of[i] = k
    ctx = _Ctx(doc, statements, stmt_of, roles, author)
    frame_cache: dict[int, list] = {}

    def fr(k: int):
        if k not in frame_cache:
            frame_cache[k] = frames(statements[k])
        return frame_cache[k]

    # longest match wins within a category; one failure/attribution cue per token (the
    # matcher returns its matches longest first, then by start)
    taken: dict[str, set[int]] = {}
    chosen = []
    for s, e, cat, _ in matcher(doc):
        fam = "attr" if cat in STANCE_CATS else ("desc" if cat.endswith("_descriptor") else cat)
        occ = taken.setdefault(fam, set())
        if occ.intersection(range(s, e)):
            continue
        occ.update(range(s, e))
        chosen.append((s, e, cat))
    # negated verbs of compliance: "did not send the letters", "Neither parent had produced";
    # negated passives carry their party with them ("her consent was not returned")
    passive_party: dict[int, str] = {}
    found = _negated_compliance(doc, statements, ctx, taken.get("presupposed_failure", set()))
    found += [(s, e, v, None) for s, e, v in _missed(doc, statements) + _against_duty(doc, statements)
              + _idiomatic(doc, statements)]
    for s, e, v, party in found:
        if party is not None:
            passive_party[v.i] = party
        occ = taken.setdefault("presupposed_failure", set())
        if occ.intersection(range(s, e)):
            continue
        occ.update(range(s, e))
        chosen.append((s, e, "presupposed_failure"))
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
            if not _stance_ok(doc, tok, frame) or tok.lemma_.lower() in _NOT_STANCE:
                continue
            speaker = frame.speaker
            how = "introduces the account of "
            if speaker is None or speaker == "third_party":
                # an unresolved "She insists ...": the speaker is the pronoun's antecedent
                who = _subject(doc[frame.verb_i]) if frame.verb_i is not None else next(
                    (t for t in doc[frame.start:min(frame.end + 2, sent.end)] if t.lower_ in _PRON_G), None)
                if who is not None and who.lower_ in _PRON_G and who.i not in roles:
                    speaker = ctx.pronoun(who) or speaker
                    how = "introduces the account (pronoun antecedent) of "
            if speaker in ("author", "record"):
                continue
            target = _party(speaker) if speaker != "child" else "child"
            hits.append(CueHit(s, e, cat, target, "author", how + (target or "a third party")))
            continue
        if cat == "mental_health_reference":
            targets, how = _bind_mental_health(tok, ctx, sent_roles)
            if not targets:
                continue  # ANNOTATION.md: the *party's* mental health; a heading or a service is none
        elif cat == "presupposed_failure" and tok.i in passive_party:
            targets, how = [passive_party[tok.i]], "agent or owner of the passive's subject"
        else:
            targets, how = _bind(tok, cat, ctx, sent_roles)
        voice = "reported" if any(f.speaker not in (None, "record") and in_scope(tok, f) for f in frs) else "author"
        if cat == "presupposed_failure":
            # a failure presupposed of nobody, of the child, or in a hypothetical bears on no party
            targets = [t for t in targets if t != "child"]
            if not targets or _in_condition(tok) or _excused(tok) or _wrong_to_do(tok):
                continue  # "did not attend because she was in hospital" presupposes no failure
            if (any(c.dep_ == "nsubjpass" for c in tok.children) or tok.dep_ == "auxpass") \
                    and tok.i not in passive_party and doc[s].lower_ not in _AGAINST:
                continue
            if doc[s].lower_ in _ATTITUDE and not _attitude_to_duty(doc[s]):
                continue  # "reluctance to agree to any increase" is an attitude, not a failed duty
        if cat.endswith("_descriptor"):
            # AUTHORING.md: a descriptor marks the *party* evaluated; "a consistent routine",
            # "Amy was calm" evaluate no parent
            targets = [t for t in targets if t != "child"]
            if not targets:
                continue
        if not targets:
            hits.append(CueHit(s, e, cat, None, voice, how))
        for target in targets:
            hits.append(CueHit(s, e, cat, target, voice, how))
    hits = _one_failure_per_asking(doc, hits, stmt_of)
    hits += _scare_quotes(doc, statements, ctx)
    hits += _evaluation_as_fact(doc, hits, statements, stmt_of, roles, author, fr)
    hits += _presupposition_checks(doc, hits, statements, stmt_of, ctx)
    hits += _unattributed_contested(doc, statements, ctx, fr)
    hits.sort(key=lambda h: (h.start, h.end, CUE_CATEGORIES.index(h.category)))
    return hits


def _one_failure_per_asking(doc: Doc, hits: list[CueHit], stmt_of: dict) -> list[CueHit]:
    """"Ms K has not provided the details, despite being asked" states one failure, and "despite
    being asked" is its trigger (ANNOTATION.md section 4): the failing verb it is attached to is
    not a second cue. A "despite the order" beside a failure is kept: there the failure is the
    verb and the phrase says what it breached."""
    drop = set()
    for h in hits:
        first = doc[h.start]
        if h.category != "presupposed_failure" or first.lower_ != "despite" or \
                not any(t.pos_ == "VERB" and t.dep_ in ("pcomp", "advcl") and t.lemma_.lower() in _ASKING
                        for t in doc[h.start:h.end]):
            continue
        main = first.head if first.dep_ == "prep" else first.head.head
        for j, o in enumerate(hits):
            if o is h or o.category != "presupposed_failure" or o.target != h.target or \
                    stmt_of.get(o.start) != stmt_of.get(h.start):
                continue
            span = range(o.start, o.end)
            if main.i in span or (main.dep_ == "xcomp" and main.head.i in span):
                drop.add(j)
    return [h for j, h in enumerate(hits) if j not in drop]


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


# verbs whose object is asked to do something ("asked Ms F to", "directed both parents to")
_ASKING = {"ask", "request", "invite", "instruct", "direct", "order", "require", "remind", "encourage",
           "urge", "expect", "advise", "tell", "write", "prompt", "press", "chase", "commit", "oblige"}
# verbs whose subject commits itself ("Ms F agreed to bring Amy", "Mr B undertook to")
_COMMITTING = {"agree", "undertake", "promise", "arrange", "consent", "accept"}
# verbs whose addressee is a prepositional object ("arranged a session with Ms F", "suggested to Mr B")
_ARRANGING = {"arrange", "book", "schedule", "propose", "suggest", "offer", "rearrange"}
# communications a reply answers: "did not reply to her messages" records the messages themselves
_COMMUNICATIONS = {"message", "text", "call", "letter", "email", "e-mail", "suggestion", "invitation",
                   "request", "reminder", "offer", "proposal", "enquiry", "approach"}
_REPLY_VERBS = {"reply", "respond", "answer", "acknowledge"}
# sending someone a written request: a reply to it is due
_WRITING = {"write", "email", "e-mail", "mail", "text", "message", "letter"}
# messages themselves (not "her request", which names the request it presupposes)
_WRITTEN = {"letter", "email", "e-mail", "message", "text", "call", "voicemail"}
# the words that name one duty in different ways: a request to "bring Amy" is what
# "did not make Amy available" fails; "invited to meet" is what "did not attend that meeting" fails
_SAME_DUTY = {
    "bring": "produce_child", "take": "produce_child", "available": "produce_child",
    "send": "hand_over", "provide": "hand_over", "supply": "hand_over", "submit": "hand_over",
    "forward": "hand_over", "email": "hand_over", "share": "hand_over", "produce": "hand_over",
    "pass": "hand_over",
    "give": "hand_over", "return": "hand_over",
    "attend": "attend", "meet": "attend", "meeting": "attend", "come": "attend", "turn": "attend",
    "show": "attend", "permit": "allow",
    # missing an appointment is not attending it; "her non-attendance" names the same duty
    "miss": "attend", "attendance": "attend", "non-attendance": "attend",
    "reply": "respond", "respond": "respond", "answer": "respond", "ring": "respond",
    "call": "respond", "contact": "respond", "telephone": "respond", "phone": "respond",
    "test": "test", "testing": "test", "undergo": "test", "undertake": "test", "sample": "test",
    "consent": "consent",
    # telling someone in advance is one duty however it is worded: "agreed to tell the worker
    # whether he would attend" is what "failed to give notice of his absence" fails
    "notify": "notify", "notice": "notify", "inform": "notify", "tell": "notify", "confirm": "notify",
}
# "bring Amy" / "bring the questionnaire": the object decides whether the duty is producing the
# child or handing something over; "take up a place" is attending it
_PERSON_NOUNS = {"child", "children", "son", "daughter", "boy", "girl", "baby", "kid", "sibling", "brother",
                 "sister", "grandchild"}
# nouns that carry their content in a modifier: "a consent form", "his DBS certificate"
_CARRIERS = {"form", "certificate", "document", "paperwork", "sample", "letter", "check"}
# prepositions of time: "before the next meeting", "by 5 May" say when a duty is due, not what it
# is; "on", "at" and "in" only when their object is a time ("on 3 May"), not "a place on the
# programme", "at the contact centre"
_TIME_NOUNS = {"day", "week", "weekend", "month", "year", "morning", "afternoon", "night", "time", "date",
               "occasion", "basis", "moment", "term", "holiday", "summer", "winter", "spring", "autumn"}
# "before the next meeting", "by 5 May": when the duty is due, not what it is
_WHEN_PREPS = {"before", "after", "by", "until", "on", "at", "during", "within", "in", "since", "from"}
_ANAPHORIC_DETS = {"this", "that", "these", "those", "the", "such"}


def _norm(lemma: str) -> str:
    return _SAME_DUTY.get(lemma, lemma)


def _obj(lemma: str) -> str:
    """A noun's entry in a core: its duty when it names one ("meeting" -> attend), else the
    noun marked as an object ("n:programme"), so that two duties can be told apart by what
    they are about."""
    return _SAME_DUTY[lemma] if lemma in _SAME_DUTY else "n:" + lemma


def _plain(words) -> list[str]:
    return sorted({w[2:] if w.startswith("n:") else w for w in words})


# objects too general to tell two duties apart
_GENERIC_OBJECTS = {"n:time", "n:thing", "n:way", "n:detail", "n:information", "n:parent", "n:child",
                    "n:children", "n:party", "n:home", "n:day", "n:week", "n:date", "n:place",
                    # hypernyms and containers: "either document", "the office appointment"
                    "n:appointment", "n:document", "n:office", "n:session", "n:copy", "n:record",
                    "n:evidence", "n:paperwork", "n:form", "n:detail", "n:item"}


_CHILD_TIME_OBJECTS = {"n:" + w for w in _TIME_NOUNS | {"evening", "holiday", "contact", "handover", "overnight"}}


def _agrees(want: set[str], content: frozenset) -> bool:
    """Does a request about ``content`` ask for the duty ``want`` names? They must share a
    word, and when the failure names a specific object, the request must name one of its
    objects too: "asked to complete a questionnaire" is not what "did not take up the place on
    the programme" fails, nor is a bare "invited to attend"."""
    if not want & content:
        return False
    fo = {w for w in want if w.startswith("n:")} - _GENERIC_OBJECTS
    ro = {w for w in content if w.startswith("n:")} - _GENERIC_OBJECTS
    if "contact_time" in want & content:
        # an order that provides the child's time provides each weekend, evening and holiday of
        # it: "has not made Maryam available for any of the alternate weekends"
        fo -= _CHILD_TIME_OBJECTS
    if fo and not ro:
        # "did not take up the school's offer of a phased start" is not what a bare "invited to
        # attend" asked for: a failure that names what was due needs a request that names it too
        return False
    return not (fo and ro and not fo & ro)


def _verb_duty(verb: Token) -> str:
    """The normalised duty of a verb, read with its object where the verb alone is ambiguous."""
    lem = verb.lemma_.lower()
    parts = {c.lower_ for c in verb.children if c.dep_ in ("prt", "advmod", "prep")}
    if lem == "take" and "up" in parts:
        return "attend"  # "did not take up the place offered"
    if (lem in ("pull", "back") and "out" in parts) or (lem == "stay" and "away" in parts):
        return "attend"  # "pulled out of the joint meeting", "stayed away from the review"
    if lem == "get" and "back" in parts:
        return "respond"  # "did not get back to the school"
    if lem in ("ignore", "disregard") and any(c.dep_ in ("dobj", "obj") and c.lemma_.lower() in _WRITTEN
                                               for c in verb.children):
        return "respond"  # "ignored its letters": a reply was due
    if lem == "return" or lem == "collect" or (lem == "pick" and "up" in parts):
        # "never collected the children for his Wednesday time": the child's time, like returning
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if obj is not None and (obj.lemma_.lower() in _PERSON_NOUNS or obj.pos_ == "PROPN"):
            return "produce_child"  # "does not return Isla at 6pm": the child's time, not a document
    if lem == "bring":
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if obj is not None and (obj.lower_ in ("it", "this", "that") or (
                obj.pos_ == "NOUN" and obj.lemma_.lower() not in _PERSON_NOUNS)):
            return "hand_over"  # "bring the questionnaire to our meeting"
    return _norm(lem)


def _is_when(prep: Token) -> bool:
    """Does the prepositional phrase say when a duty was due rather than what it was?"""
    low = prep.lower_
    if low not in _WHEN_PREPS:
        return False
    if low not in ("on", "at", "in"):
        return True
    return any(g.ent_type_ in ("DATE", "TIME") or g.pos_ == "NUM" or g.lemma_.lower() in _TIME_NOUNS
               for g in prep.children if g.dep_ == "pobj")


def _has_own_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def _negated_itself(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children) or any(
        c.dep_ in ("dobj", "obj") and any(d.lower_ == "no" for d in c.children) for c in verb.children)


def _heads(verb: Token) -> set[str]:
    """The core of a predicate: its verb, objects and prepositional objects (heads only, normalised).

    Modifiers are left out on purpose: "a hair strand alcohol test" and "the community alcohol
    service" share a word but not a duty.
    """
    out = set()
    if verb.pos_ in ("VERB", "ADJ", "NOUN"):
        duty = _verb_duty(verb)  # a light verb counts only as part of a phrase ("get back to")
        if duty != verb.lemma_.lower() or duty not in _LIGHT:
            out.add(duty)
    for c in verb.children:
        if c.dep_ == "dative" and c.pos_ == "ADP":  # "bring Isla to the Family Hub" parsed as a dative
            out |= {x for g in c.children if g.dep_ == "pobj" for x in _noun_heads(g)}
        elif c.dep_ in ("dobj", "obj", "attr", "acomp", "oprd", "dative"):
            out |= _noun_heads(c)
            if c.dep_ == "acomp":
                out |= _heads(c)
        elif c.dep_ == "prep" and not _is_when(c):
            for g in c.children:
                if g.dep_ == "pobj":
                    out |= _noun_heads(g)
                elif g.dep_ == "pcomp" and g.pos_ == "VERB":  # "commits her to telephoning the school"
                    out |= _heads(g)
        elif c.dep_ == "advmod" and c.lower_ == "together":  # "a statement, together with the names of two referees"
            out |= {x for p in c.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj" for x in _noun_heads(g)}
        elif c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and (_has_own_subject(c) or _negated_itself(c)):
            continue  # "missed the session, and I saw him instead": another act, another actor;
            # "did not attend and sent no apology": another failure, with a duty of its own
        elif c.dep_ in ("xcomp", "ccomp", "conj") and c.pos_ in ("VERB", "ADJ", "AUX"):
            out |= _heads(c)
        elif c.dep_ in ("nsubj",) and verb.dep_ in ("ccomp", "xcomp") and verb.pos_ == "ADJ":
            out |= _noun_heads(c)  # "make [the children available]"
        elif c.dep_ == "nsubjpass" and verb.dep_ in ("ccomp", "xcomp"):
            out |= _noun_heads(c)  # "asking that Leo's passport and birth certificate be returned"
    return out - _LIGHT


# nouns that say nothing about a duty (spaCy's stop list also holds "name" and "part", which do)
_EMPTY_NOUNS = {"one", "ones", "lot", "bit", "kind", "sort", "whole", "others", "thing", "things"}


def _noun_heads(tok: Token) -> set[str]:
    # "any of Oscar's meetings", "either of the two appointments": the noun after "of"
    # "copies of the letters", "details of his rota": what is handed over is the noun after "of"
    if tok.lemma_.lower() in ("place", "space", "slot") and tok.pos_ == "NOUN":
        # "a place on the programme": what the place is on
        inner = [x for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "at", "in")
                 for g in c.children if g.dep_ == "pobj" for x in _noun_heads(g)]
        if not inner:
            # "a place on the Working Together for Children programme": the parser often loses
            # the head of a long name; any common noun in it names what the place is on
            inner = [_obj(t.lemma_.lower()) for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "at", "in")
                     for t in c.subtree if t.pos_ == "NOUN" and t.lower_ not in _EMPTY_NOUNS]
            # ... or even leaves it outside the phrase ("programme" as the verb's npadvmod)
            on = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "at", "in")), None)
            if on is not None:
                for t in tok.doc[on.i + 1:tok.sent.end]:
                    if t.is_punct or t.pos_ in ("VERB", "AUX"):
                        break
                    if t.pos_ == "NOUN" and t.lemma_.lower() in _EVENT_NOUNS:
                        inner.append(_obj(t.lemma_.lower()))
        if inner:
            return {"n:" + tok.lemma_.lower(), *inner}
    if tok.lemma_.lower() in ("copy", "detail", "record", "evidence", "rest", "remainder", "offer", "invitation") \
            and tok.pos_ == "NOUN":
        inner = [x for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj" for x in _noun_heads(g)]
        if inner:
            return {_norm(tok.lemma_.lower()), *inner}
    if tok.lower_ in ("any", "either", "all", "each", "none", "one", "two", "three", "some", "both") or tok.pos_ == "NUM":
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                return set().union(*[_noun_heads(g) for g in c.children if g.dep_ == "pobj"] or [set()])
    if tok.pos_ == "PROPN" and tok.lemma_.lower() in _EVENT_NOUNS | _PROFESSIONAL_EVENTS | _PLACES:
        return {_obj(tok.lemma_.lower())}  # "the Separated Parents Information Programme", "the Brackenford Family Hub"
    if tok.pos_ == "NOUN" and tok.lower_ not in _EMPTY_NOUNS:
        out = {_obj(tok.lemma_.lower())}
        if tok.lemma_.lower() in _COMMUNICATIONS:  # "its letters about the referral": what they were about
            out |= {x for c in tok.children if c.dep_ == "prep" and c.lower_ in ("about", "regarding", "concerning")
                    for g in c.children if g.dep_ == "pobj" for x in _noun_heads(g)}
        if tok.lemma_.lower() in ("appointment", "session", "slot", "date"):
            # "an assessment appointment", "the alcohol test appointment": the event it is for
            out |= {_obj(c.lemma_.lower()) for c in tok.children
                    if c.dep_ == "compound" and c.pos_ == "NOUN" and c.lemma_.lower() in _EVENT_NOUNS}
        if tok.lemma_.lower() in _CARRIERS:  # "a consent form" carries consent
            out |= {_norm(c.lemma_.lower()) for c in tok.children
                    if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")}
        for c in tok.children:
            if c.dep_ == "conj":
                out |= _noun_heads(c)
        return out
    return set()


_CHILD_TIME_VERBS = {"spend", "see", "live", "stay", "visit", "continue", "have", "remain", "go"}
_REPRESENTATIVES = {"solicitor", "solicitors", "barrister", "counsel", "representative", "lawyer"}


def _request_addressees(sent: Span, ctx: "_Ctx") -> list[tuple[str, Token, frozenset]]:
    """(party, word, core of what was asked) for every request, invitation, instruction, order,
    agreement or arrangement in ``sent`` that names its addressee.

    The addressee comes from the parse: the object of "asked / invited / directed" (or the
    subject of "was asked"), the subject of "agreed / undertook" (a commitment), the
    prepositional object of "arranged with / for", "an invitation to". The core is what was
    asked ("to bring Amy to the office" -> bring, office): a later failure is supported only
    by a request about the same duty (AUTHORING.md).
    """
    lemmas = _request_lemmas()
    out = []
    for t in sent:
        lem = t.lemma_.lower()
        if lem == "be" and t.pos_ == "AUX":
            # "Under the interim order, Ms F is to make Amy available", "neither party is to
            # discuss the proceedings": an obligation laid on the subject
            comp = next((c for c in t.children if c.dep_ == "xcomp" and c.pos_ == "VERB"
                         and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                         and not any(a.dep_ == "auxpass" for a in c.children)), None)
            sub = _subject(t)
            if comp is not None and sub is not None and sub.head == t:
                grp = ctx.group(sub) or ([r] if (r := _party(ctx.role(sub))) else [])
                out += [(r, t, frozenset(_heads(comp))) for r in grp]
            continue
        if t.pos_ not in ("VERB", "NOUN"):
            continue
        if lem not in lemmas and not (lem in _INSTRUCTING and t.pos_ == "VERB" and _to_infinitive(t)) \
                and not (t.pos_ == "NOUN" and lem in _REQUEST_NOUNS):
            continue
        # "the proposed move", "the agreed time", "the planned visit" name no request
        if t.dep_ == "amod" or any(c.dep_ == "neg" for c in t.children):
            continue
        found: set[str] = set()

        def add(tok: Token | None) -> None:
            if tok is None:
                return
            if tok.lemma_.lower() in _REPRESENTATIVES:
                # "wrote to Mr B's solicitor asking for", "the father's solicitor": a request
                # sent to a party's lawyer is a request to the party
                client = next((c for c in tok.children if c.dep_ == "poss"), None)
                if client is None and tok.dep_ == "appos":
                    client = next((c for c in tok.head.children if c.dep_ == "poss"), None)
                if client is None:
                    client = next((c for c in tok.children if c.dep_ == "appos"
                                   and any(p.dep_ == "poss" for p in c.children)), None)
                    client = next((p for p in client.children if p.dep_ == "poss"), None) if client is not None else None
                if client is not None:
                    tok = client
            grp = ctx.group(tok)
            if grp:
                found.update(grp)
                return
            r = _party(ctx.role(tok))
            if r:
                found.add(r)
            for c in tok.children:  # "Ms F and Mr B"; "Ms Devlin, Mr P's solicitor"
                if c.dep_ == "conj" or (c.dep_ == "appos" and c.lemma_.lower() in _REPRESENTATIVES and not r):
                    add(c)

        kids = list(t.children)
        pobj = {(c.lower_, g.i): g for c in _preps(t) for g in c.children if g.dep_ == "pobj"}
        content: set[str] = set()
        if t.pos_ == "VERB":
            if lem in _ASKING or lem in _ARRANGING:
                for c in kids:
                    if c.dep_ in ("dobj", "obj", "dative", "iobj", "nsubjpass"):
                        add(c)
                for (p, _), g in pobj.items():
                    if p in ("of", "to", "for", "with"):
                        add(g)
            if lem in _COMMITTING:
                sub = _subject(t)
                if sub is not None and sub.dep_ != "nsubjpass":
                    add(sub)
                for (p, _), g in pobj.items():
                    if p in ("with", "for"):
                        add(g)
            for c in kids:  # "asked Ms F to", "asked that Ms F bring", "it was agreed that Mr B would"
                if c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ in ("whether", "if") or m.tag_.startswith("W")
                                             for m in c.children):
                    continue  # "asks whether her dad is cross" is a question, not a request
                if c.dep_ == "ccomp" and c.i < t.i:
                    continue  # a clause before the verb is not what was asked ("Ms F is rigid ... Mr B proposed")
                if c.dep_ in ("xcomp", "ccomp"):
                    add(_subject(c) if _subject(c) is not None and _subject(c).head == c else None)
                    content |= _heads(c)
            if lem in _ASKING:
                # "requires both parties to attend the review and each of them to file a
                # statement": the second duty, which the parser hangs off the first or the verb
                content |= {x for d in t.subtree if d.i > t.i and d.pos_ == "VERB" and d.dep_ in ("conj", "advcl")
                            and any(a.dep_ == "aux" and a.lower_ == "to" for a in d.children) for x in _heads(d)}
            if (lem in ("order", "direct") and not found - {"child"}) or lem == "agree":
                # "the court ordered that Lily should continue to spend alternate weekends with
                # her father": an order about the child's time binds both parents; "the parents
                # agreed that Zara would stay with Mr S on alternate weekends" binds those who agreed
                for c in kids:
                    sub = _subject(c) if c.dep_ == "ccomp" else None
                    if sub is not None and ctx.role(sub) == "child" and c.lemma_.lower() in _CHILD_TIME_VERBS:
                        if lem != "agree":
                            found.update(r for r in ctx.parties if _party(r))
                        content.add("contact_time")
            for c in _preps(t):  # "commits her to telephoning the school"
                content |= {x for g in c.children if g.dep_ == "pcomp" and g.pos_ == "VERB" for x in _heads(g)}
            if not found and t.dep_ in ("advcl", "xcomp", "acl", "conj"):
                # "wrote to Mr H asking him to", "sent Ms A eleven messages asking to arrange contact"
                h = t.head
                for c in h.children:
                    if c.dep_ in ("dative", "dobj", "iobj"):
                        add(c)
                    if c.dep_ in ("prep", "dative") and c.lower_ == "to":
                        for g in c.children:
                            add(g)
            for c in kids:  # "asked Mr B for the name of his GP and for his consent to contact ..."
                if c.dep_ in ("advcl", "conj") and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children):
                    content |= {x for g in c.children if g.dep_ in ("nsubj", "nsubjpass") for x in _noun_heads(g)}
            if True:  # "arranged a session", "asked for consent", "asked both parents ... a timetable"
                content |= {x for c in kids if c.dep_ in ("dobj", "obj") and _party(ctx.role(c)) is None
                            for x in _noun_heads(c)}
                content |= {x for (p, _), g in pobj.items() if _party(ctx.role(g)) is None and not _is_when(g.head)
                            for x in _noun_heads(g)}
            if lem in _ARRANGING or lem in ("book", "schedule"):
                content |= {_norm(lem)} if lem in _SAME_DUTY else set()
            if lem == "invite" or (lem == "offer" and not any(c.dep_ == "xcomp" for c in kids)):
                content.add("attend")  # "invited to the conference", "offered a place": to attend it
            if lem in _WRITING or (t.dep_ in ("advcl", "xcomp", "conj") and t.head.lemma_.lower() in _WRITING):
                content.add("respond")  # "wrote to Mr N asking him to explain": a reply was due
        else:  # "the order that Mr B ...", "an invitation to Ms F", "a request for Ms F to"
            for (p, _), g in pobj.items():
                if p in ("to", "for", "with", "between"):
                    add(g)
            for c in kids:
                if c.dep_ in ("acl", "relcl", "ccomp"):
                    s = _subject(c)
                    if s is not None and s.head == c:
                        add(s)
                    content |= _heads(c)
                if c.dep_ == "poss" and lem in ("agreement", "undertaking"):
                    add(c)
                if c.pos_ == "ADV" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                    content |= _heads(c) | {_norm(c.lemma_.lower())}  # "agreement to forward" read as an adverb
            # "a request for her GP records", "an invitation to the review meeting": what was asked
            content |= {x for (p, _), g in pobj.items() if p in ("for", "to") and _party(ctx.role(g)) is None
                        for x in _noun_heads(g)}
            if lem in ("invitation", "offer"):
                content.add("attend")
            if not found:
                # the request noun with a verb of passing it on: "a request was made to Ms F",
                # "I sent Ms F a request", "Ms F received an invitation", "Mr B was given a reminder"
                h = t.head
                hl = h.lemma_.lower()
                if t.dep_ in ("dobj", "obj", "nsubjpass", "nsubj") and h.pos_ in ("VERB", "AUX"):
                    if hl in _RECEIVING and t.dep_ in ("dobj", "obj"):
                        sub = _subject(h)
                        if sub is not None and sub.dep_ == "nsubj":
                            add(sub)
                    elif hl in _PASSING_ON:
                        for c in h.children:
                            if c.dep_ in ("dative", "iobj") or (c.dep_ == "nsubjpass" and c is not t) \
                                    or (c.dep_ == "dobj" and c is not t and _party(ctx.role(c))):
                                add(c)
                        for c in _preps(h):
                            for g in c.children:
                                if g.dep_ != "pobj":
                                    continue
                                if c.lower_ == "to":
                                    add(g)
                                if c.lower_ == "for" and _party(ctx.role(g)) is None:
                                    content |= _noun_heads(g)  # "was made to Ms F for her records"
        if not found and t.pos_ == "NOUN" and lem == "order":
            kinds = _court_order_kinds(t)
            if kinds:
                # a court order made in the proceedings binds every party to them ("the child
                # arrangements order made in 2020"): an obligation addressed to all parties
                found.update(r for r in ctx.parties if _party(r))
                content |= kinds
        content.discard(_norm(lem))
        content.discard("n:" + lem)
        out += [(r, t, frozenset(content)) for r in found if r]
    return out


# what a court order is about, from its compounds: "child arrangements order", "contact order"
_ORDER_KINDS = {"arrangement": "arrangement", "arrangements": "arrangement", "contact": "contact",
                "residence": "residence", "steps": "steps", "specific": "issue", "issue": "issue",
                "prohibited": "steps"}
# verbs whose object order does not exist yet: "applied for an order", "recommend an order"
_ORDER_NOT_MADE = {"apply", "seek", "request", "recommend", "propose", "want", "consider", "ask",
                   "invite", "need", "support", "oppose"}


def _court_order_kinds(t: Token) -> set[str]:
    """The duty content of an existing court order named by the noun ``t``, or an empty set
    when ``t`` is not a court order or the order has not been made."""
    kinds = {_ORDER_KINDS[c.lower_] for c in t.children
             if c.dep_ in ("compound", "amod") and c.lower_ in _ORDER_KINDS}
    if not kinds:
        return set()
    h = t.head.head if t.head.dep_ == "prep" else t.head
    if h.lemma_.lower() in _ORDER_NOT_MADE:
        return set()
    if h.lemma_.lower() in ("make", "grant", "issue") and any(
            c.dep_ == "aux" and c.lower_ in _MODAL_AUX | {"to"} for c in h.children):
        return set()  # "the court should make a contact order", "to make an order"
    if kinds & {"arrangement", "contact", "residence"}:
        kinds = kinds | {"contact_time"}  # kept by making the child available for the time ordered
    return kinds

_REQUEST_NOUNS = {"request", "invitation", "reminder", "offer", "suggestion", "proposal", "direction",
                  "instruction", "arrangement", "order", "requirement", "agreement", "undertaking"}
# verbs that pass a request noun to its addressee: "a request was made to Ms F", "sent Mr B a
# reminder", "Ms F was given a direction"; and those whose subject is the addressee
_PASSING_ON = {"make", "send", "give", "issue", "serve", "put", "pass", "email", "e-mail", "write",
               "forward", "address", "extend", "repeat", "post", "deliver"}
_RECEIVING = {"receive", "get", "accept"}
# "told Ms F to return Amy", "was told to": an instruction only with a to-infinitive (otherwise
# "told" reports speech)
_INSTRUCTING = {"tell", "warn"}


def _to_infinitive(verb: Token) -> bool:
    return any(c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
               for c in verb.children)


def _preps(tok: Token) -> list[Token]:
    """The prepositions attached to ``tok``, with coordinated ones: "asked Mr B for the name of
    his GP and for his consent" gives both "for"s."""
    out = []
    for c in tok.children:
        if c.dep_ == "prep" or (c.dep_ == "dative" and c.pos_ == "ADP"):  # "was offered to both parents"
            out.append(c)
            out += [x for x in c.conjuncts if x.dep_ in ("prep", "conj") and x.pos_ == "ADP"]
    return out
_REFUSING = {"refuse", "decline", "refusal", "reject", "turn"}


def _failure_core(doc: Doc, h: CueHit) -> set[str] | None:
    """What duty the failure is about: "did not send the messages" -> hand_over, message.

    None when the failure only points back at a request ("had not facilitated this request",
    "failed to do so", "did not attend that meeting", a bare "declined"): any earlier request to
    the party supports it.
    """
    tok = doc[h.start:h.end].root
    # "in breach of the order", "contrary to that agreement", "despite the court's direction":
    # the failure points back at a duty it names without saying what it was
    named = list(doc[h.start:h.end])
    if named[-1].dep_ == "prep" or named[-1].pos_ == "ADP":
        named += [g for g in named[-1].children if g.dep_ == "pobj"]
    if any(x.lemma_.lower() in _DUTY_NOUNS and any(d.lower_ in _ANAPHORIC_DETS or d.dep_ == "poss"
                                                    for d in x.children) for x in named):
        return None
    if tok.dep_ == "prep" or tok.lower_ in _AGAINST:  # "has not provided X, despite being asked"
        tok = tok.head
    verb = tok
    for c in tok.children:  # "failed to bring Amy": the complement carries the duty
        if c.dep_ in ("xcomp", "acl") and c.pos_ in ("VERB", "AUX"):
            verb = c
    if tok.pos_ == "NOUN":  # "her refusal to engage", "failure to provide the messages"
        verb = next((c for c in tok.children if c.dep_ in ("acl", "xcomp")), tok)
    if verb.lower_ in ("do", "so") or any(c.lower_ == "so" for c in verb.children):
        return None
    if any(c.dep_ in ("dobj", "obj") and c.lower_ in ("it", "them") for c in verb.children):
        return None  # "has still not returned it": the duty is in the antecedent
    if verb.lemma_.lower() == "let" and any(x.lemma_.lower() == "deadline" for x in verb.subtree):
        return None  # "having let the 31 December deadline slip": a deadline set for what went before
    objs = [c for c in verb.children if c.dep_ in ("dobj", "obj")] + [
        g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    if any(o.lemma_.lower() in _ANAPHORIC | {"meeting", "session", "appointment", "visit", "request"}
           and any(d.lower_ in ("this", "that", "these", "those") for d in o.children) for o in objs):
        return None
    if any(o.lemma_.lower() in _ANAPHORIC and any(d.lower_ == "the" for d in o.children) for o in objs):
        return None
    core = _heads(verb) | {_norm(c.lemma_.lower()) for o in objs for c in o.children
                           if c.dep_ == "compound" and c.pos_ == "NOUN"}
    if any(c.dep_ == "auxpass" for c in verb.children):  # "No rota was received from Mr E"
        core |= {x for c in verb.children if c.dep_ == "nsubjpass" for x in _noun_heads(c)}
        if verb.lemma_.lower() == "receive":
            core.add("hand_over")
    if verb.lemma_.lower() in ("let", "allow", "make") and not core - _LIGHT:
        # "refused to let her see Isla" (the parser often reads "see" as a modifier): the
        # duty is the act let or made possible, wherever the parse put it
        core |= {_norm(t.lemma_.lower()) for t in verb.subtree
                 if t.i != verb.i and t.pos_ == "VERB" and t.lemma_.lower() not in _LIGHT}
        if verb.lemma_.lower() == "let" and any(t.lemma_.lower() == "know" for t in verb.subtree):
            core.add("notify")  # "did not let the worker know": the notice he agreed to give
    core = core - {"failure", "refusal", "unwillingness", "reluctance", "lack", "engagement",
                           "fail", "refuse", "decline", "neglect", "omit", "unwilling",
                           "n:failure", "n:refusal", "n:unwillingness", "n:reluctance", "n:lack", "n:engagement"}
    if "produce_child" in core and not set(_plain(core)) & _PROFESSIONAL_EVENTS:
        # "did not make Isla available for the Wednesday video call": the child's time with the
        # other parent, which a child arrangements order provides; not "for a home visit"
        core.add("contact_time")
    if tok.pos_ == "NOUN" and "engagement" in tok.lemma_.lower() + " " + " ".join(t.lower_ for t in doc[h.start:h.end]):
        core.add("engage")
    return core or None


def _antecedent_core(doc: Doc, h: CueHit, sent: Span) -> set[str] | None:
    """The core of the clauses before an anaphoric failure in its own sentence, or None."""
    out: set[str] = set()
    # the clauses the failure is embedded in ("The FCA is concerned that Ms F has not ...")
    # frame it; they are not what it points back to
    frame = set(a.i for a in doc[h.start:h.end].root.ancestors)
    for t in doc[sent.start:h.start]:
        if t.i in frame:
            continue
        if t.pos_ == "VERB" and t.dep_ not in ("amod", "aux") and t.lemma_.lower() not in _LIGHT:
            out |= {_norm(t.lemma_.lower())} | {x for c in t.children if c.dep_ in ("dobj", "obj") for x in _noun_heads(c)}
    drop = {"offer", "ask", "request", "invite", "say", "tell", "report", "note"}
    return (out - drop - {_norm(w) for w in drop} - {"n:" + w for w in drop}) or None


# "reluctance to", "unwilling to": an attitude; it presupposes a duty only towards one
# ("unwillingness to engage with the enquiries"), not towards any act ("unwilling to consider")
_ATTITUDE = {"reluctance", "reluctant", "unwilling", "unwillingness"}
# verbs of passing notice of what was due: "although Mrs C has passed on the dates"
_NOTIFYING = {"pass", "send", "forward", "give", "tell", "inform", "remind", "notify", "email",
              "e-mail", "text", "write", "share", "explain"}
_CONCESSIVE = {"although", "though", "despite", "even", "while", "whilst"}


def _attitude_to_duty(tok: Token) -> bool:
    comp = next((c for c in tok.children if c.dep_ in ("xcomp", "acl") and c.pos_ in ("VERB", "AUX")), None)
    return comp is not None and comp.lemma_.lower() in _compliance_lemmas()


def _clause_on_failure(root: Token, fverb: Token, verbs: set[str], marks: set[str]) -> Token | None:
    """An affirmative adverbial clause on the failure, headed by one of ``verbs`` and introduced
    by one of ``marks``: "although Mrs C has passed on the dates" (notice of what was due), "as
    the court directed on 4 April" (the direction itself)."""
    for v in (fverb, root):
        for c in v.children:
            if c.dep_ != "advcl" or c.lemma_.lower() not in verbs:
                continue
            if any(m.dep_ == "mark" and m.lower_ in marks for m in c.children) and \
                    not any(m.dep_ == "neg" for m in c.children):
                return c
    return None


# a specific earlier act of asking, named by the failure's own concessive: "despite my reminder
# of 18 March", "despite two reminders from the school", "in spite of the direction", "contrary to
# the working agreement", "until after a reminder"; not a bare "despite reminders", "despite being
# asked" or "despite the school's advice" (advice asks nothing)
_RECORDED_AGAINST = {"reminder", "order", "direction", "agreement", "instruction", "undertaking",
                     "request", "chaser"}


def _recorded_against(doc: Doc, sent: Span, ctx: "_Ctx") -> Token | None:
    for t in sent:
        low = t.lower_
        if low not in ("despite", "spite", "contrary", "after"):
            continue
        if low == "after" and not (t.i > sent.start and doc[t.i - 1].lower_ == "until"):
            continue
        obj = _against_object(t)
        if obj is None or obj.pos_ != "NOUN" or obj.lemma_.lower() not in _RECORDED_AGAINST:
            continue
        kids = list(obj.children)
        poss = [c for c in kids if c.dep_ == "poss"]
        # "despite her written reminder": the other parent's say-so is an allegation, not a record
        if any(_party(ctx.role(c)) is not None for c in poss):
            continue
        if poss or any(c.dep_ in ("det", "nummod", "prep", "acl", "relcl", "compound", "amod") for c in kids):
            return obj
    return None


def _offered_to_party(v: Token, party: str, ctx: "_Ctx") -> bool:
    """"the support offered to him", "the sessions offered to her": an offer made to the party,
    said on the thing the party did not take up (not "the support offered by the team", which
    names no one it was offered to)."""
    if v.dep_ not in ("acl", "relcl") or v.head.pos_ != "NOUN":
        return False
    if any(c.dep_ == "nsubjpass" and _party(ctx.role(c)) == party for c in v.children):
        return True  # "did not attend the MIAM he was offered"
    return any(c.dep_ in ("dative", "prep") and c.lower_ == "to" and any(
        g.dep_ == "pobj" and _party(ctx.role(g)) == party for g in c.children) for c in v.children)


def _same_sentence_support(doc: Doc, h: CueHit, sent: Span, ctx: "_Ctx") -> Token | None:
    """A request recorded in the failure's own sentence, if any.

    "he wrote asking her to call and she did not reply", "declined the offer", "did not attend
    the meetings that the school arranged", "failed to return it until after a reminder",
    "did not reply to her messages". Not "had not facilitated this request" (which names the
    request it presupposes without recording one) nor "offered to meet Amy but Ms F had not
    facilitated this request" (an offer to do something is what a refusal turns down, not a
    request to her).
    """
    root = doc[h.start:h.end].root
    fverb = root
    for c in root.children:
        if c.dep_ in ("xcomp", "acl") and c.pos_ in ("VERB", "AUX"):
            fverb = c
    refusing = root.lemma_.lower() in _REFUSING
    replying = fverb.lemma_.lower() in _REPLY_VERBS
    req_words = _request_lemmas() | {"invitation", "reminder", "offer", "request", "suggestion",
                                     "proposal", "direction", "instruction", "arrangement"}
    told = _clause_on_failure(root, fverb, _NOTIFYING, _CONCESSIVE)
    if told is not None:
        return told
    named = _recorded_against(doc, sent, ctx)
    if named is not None:
        return named
    # "has not filed details of any paternal relatives, as the court directed on 4 April"
    directed = _clause_on_failure(root, fverb, _ASKING | _COMMITTING, {"as"})
    if directed is not None:
        return directed
    if refusing or fverb.lemma_.lower() in ("allow", "let", "permit"):
        # "the social worker asked to see Amara alone, but Mrs F would not allow her to be spoken
        # to": a request asserted in a clause of its own, by someone else, before the refusal
        for t in doc[sent.start:h.start]:
            if t.pos_ == "VERB" and t.lemma_.lower() in _ASKING - {"tell", "write", "expect", "advise"} \
                    and t.dep_ in ("ROOT", "conj", "ccomp") and not any(c.dep_ == "neg" for c in t.children):
                sub = _subject(t)
                if sub is not None and _party(ctx.role(sub)) != h.target:
                    return t
    def on_failure(t: Token) -> bool:
        """Is ``t`` an argument of the failure itself ("ignored his requests", "did not respond
        to our request of 11 April", "refused the offer")? Such a request is presupposed by the
        failure's wording, like "this request", not recorded (ANNOTATION.md section 4)."""
        near = t.head if t.dep_ in ("pobj", "dobj", "conj") else t
        near = near.head if near.dep_ == "prep" else near
        return t.pos_ == "NOUN" and (near in (root, fverb) or (t.head.dep_ == "prep" and t.head.head in (root, fverb)))

    for r, v, _c in _request_addressees(sent, ctx):
        if r == h.target and not (h.start <= v.i < h.end):
            if v.lemma_.lower() == "offer" and not refusing and not _offered_to_party(v, h.target, ctx):
                continue
            if on_failure(v):
                continue
            return v
    for t in sent:
        if h.start <= t.i < h.end:
            continue
        lem = t.lemma_.lower()
        if on_failure(t):
            continue
        if replying and lem in _COMMUNICATIONS and t.pos_ == "NOUN" and not any(
                d.lower_ in ("this", "that") for d in t.children):
            return t  # "did not reply to her messages", "refused to answer his calls"
        if lem not in req_words or any(c.dep_ == "neg" for c in t.children):
            continue
        if t.pos_ == "NOUN" and lem not in _REQUEST_NOUNS:  # "Tobi's communication book"
            continue
        if t.i > h.start and doc[max(t.i - 2, 0)].lower_ == "despite":
            continue
        if t.pos_ == "NOUN":
            dets = {d.lower_ for d in t.children if d.dep_ == "det"}
            possessed = any(d.dep_ == "poss" for d in t.children)
            # "the request to meet Ama" only names a request; a request noun that is the
            # failure's own argument ("declined the offer") was skipped above as presupposed
            if dets & _ANAPHORIC_DETS and not possessed:
                continue
            if lem == "offer" and not refusing:
                continue
            return t
        # "the meetings that the school arranged", "the handovers arranged under the order";
        # not "a visit arranged for 3 May", which records no one asking her
        agent = any(c.dep_ in ("nsubj", "agent") or (c.dep_ == "prep" and c.lower_ in ("under", "by"))
                    for c in t.children)
        if refusing and lem == "offer" and t.pos_ == "VERB" and t.i < h.start:
            return t  # "he has offered to drive Hana to school and Ms T has refused"
        if t.pos_ == "VERB" and t.dep_ in ("acl", "relcl") and agent and lem in ("arrange", "book", "schedule", "rearrange", "offer"):
            if lem == "offer" and not refusing:
                continue
            return t  # "the meetings that the school arranged", "the handovers arranged under the order"
    return None


# a party's own act on an appointment records that it was made for them: "Ms F has cancelled
# sessions at short notice", "Mr B booked the hair-strand test", "Ms F postponed the review"
_OWN_ARRANGING = {"cancel", "rearrange", "postpone", "reschedule", "book", "confirm"}


def _own_arrangements(sent: Span, ctx: "_Ctx") -> list[tuple[str, Token, frozenset]]:
    """(party, verb, core) for every appointment a party cancelled, moved, booked or confirmed."""
    out = []
    for t in sent:
        if t.pos_ != "VERB" or t.lemma_.lower() not in _OWN_ARRANGING or any(c.dep_ == "neg" for c in t.children):
            continue
        sub = _subject(t)
        if sub is None or sub.dep_ != "nsubj":
            continue
        parties = ctx.group(sub) or ([r] if (r := _party(ctx.role(sub))) else [])
        objs = [x for c in t.children if c.dep_ in ("dobj", "obj") for x in _noun_heads(c)]
        if parties and objs:
            core = frozenset(objs)
            out += [(r, t, core) for r in parties]
    return out


def _presupposition_checks(doc, hits, statements, stmt_of, ctx) -> list[CueHit]:
    """For each presupposed failure, look for the request it presupposes, earlier in the report.

    A request supports the failure when it was addressed to the same party and is about the
    same duty (they share a core word, after folding words for one duty together: "asked Ms F
    to bring Amy" supports "Ms F did not make Amy available", not "Ms F did not reply"). A
    failure that names no duty of its own ("had not facilitated this request", "failed to do
    so") is supported by any earlier request to that party; a request whose content the parse
    cannot read supports only such failures.
    """
    out = []
    requests: list[tuple[int, str, Token, frozenset]] = []  # (statement index, party, verb, core)
    for k, sent in enumerate(statements):
        for r, verb, content in _request_addressees(sent, ctx):
            requests.append((k, r, verb, content))
        for r, verb, content in _own_arrangements(sent, ctx):
            requests.append((k, r, verb, content))
    lemmas = sorted(_request_lemmas())
    for h in hits:
        if h.category != "presupposed_failure" or h.target is None:
            continue
        k = stmt_of[h.start]
        want = _failure_core(doc, h)
        if want is None:
            # "The officer offered to meet Amy but Ms F had not facilitated this request": the
            # anaphor's antecedent is in the sentence, so only a request about it will do
            want = _antecedent_core(doc, h, statements[k])
        refusing = doc[h.start:h.end].root.lemma_.lower() in _REFUSING
        found = [(kk, v, c) for kk, r, v, c in requests
                 if r == h.target and kk < k and (want is None or _agrees(want, c)
                                                  # "I asked Mr B to write to Amy. He declined."
                                                  or (refusing and k - kk <= 2))]
        own = _same_sentence_support(doc, h, statements[k], ctx)
        if own is not None:
            found.append((k, own, frozenset()))
        if found:
            kk, v, c = found[-1]
            shared = ", ".join(_plain(want & c)) if want and c else "any request"
            note = (f"request recorded in statement {kk} ({v.lemma_!r} addressed to {h.target}, "
                    f"characters {v.idx}-{v.idx + len(v.text)}; shared content: {shared})")
            out.append(CueHit(h.start, h.end, "presupposed_failure", h.target, h.voice, "__supported__" + note))
        else:
            about = f" about {', '.join(_plain(want))}" if want else ""
            note = (f"searched statements 0-{k} for a request, invitation, instruction, order or "
                    f"agreement addressed to {h.target}{about} ({', '.join(lemmas)}): none recorded")
            out.append(CueHit(h.start, h.end, "unsupported_presupposition", h.target, h.voice, note))
    # fold the "supported" notes back into their presupposed_failure cue
    supported = {(c.start, c.end, c.target): c.note[len("__supported__"):] for c in out if c.note.startswith("__supported__")}
    for i, h in enumerate(hits):
        if h.category == "presupposed_failure" and (h.start, h.end, h.target) in supported:
            hits[i] = CueHit(h.start, h.end, h.category, h.target, h.voice,
                             h.note + "; " + supported[(h.start, h.end, h.target)])
    return [c for c in out if not c.note.startswith("__supported__")]


# --- unattributed contested matters (ANNOTATION.md section 2 rule 5) --------------------------
# verbs of stopping contact name one contested act in different ways ("stopped the visits" /
# "has never cancelled a Saturday" / "never prevented contact")
_STOPPING = {"stop": "stop", "cancel": "stop", "prevent": "stop", "withhold": "stop", "suspend": "stop",
             "end": "stop", "block": "stop", "halt": "stop", "pause": "stop"}
_DENIAL = {"deny", "dispute", "reject", "refute", "contest", "challenge"}
# predicates of an enquiry, a record or a plain circumstance, never a contested act of a party
_NOT_CONTESTED = {"be", "have", "do", "get", "go", "live", "meet", "see", "speak", "attend", "apply",
                  "say", "tell", "report", "state", "explain", "describe", "write", "telephone",
                  "ring", "call_author", "visit", "separate", "marry", "work", "move_in", "start",
                  "want", "wish", "agree", "ask", "request", "oppose", "seek", "make", "take",
                  "give", "provide", "show_author", "note", "observe", "appear", "seem", "look"}


def _act_key(tok: Token) -> str:
    lem = tok.lemma_.lower()
    return _STOPPING.get(lem, lem)


def _matter(sent: Span, ctx: "_Ctx") -> tuple[Token, str, set[str]] | None:
    """(predicate, party, act keys) of a statement asserting a party's act in the author's voice.

    The predicate is the main verb ("Mr B has stopped the visits"), or the verb of the clause
    after "It is noted that"; the party is its subject. For a copular predicate ("was under the
    influence of drugs") the keys are its nouns, else the verb itself.
    """
    roots = [t for t in sent if t.dep_ == "ROOT"]  # "7.3 It is noted that ...": the numbering is a root too
    v = next((t for t in roots if t.pos_ in ("VERB", "AUX")), sent.root)
    sub = _subject(v)
    if sub is not None and (sub.lower_ == "it" or sub.dep_ == "expl"):
        inner = next((c for c in v.children if c.dep_ in ("ccomp", "csubj", "csubjpass")), None)
        if inner is None:
            return None
        v, sub = inner, _subject(inner)
    if sub is None or v.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ == "nsubjpass" for c in v.children) or any(c.dep_ == "aux" and c.lower_ in _MODAL_AUX for c in v.children):
        return None
    party = _party(ctx.role(sub))
    if party is None or party == "child":
        return None
    if v.lemma_.lower() == "be":
        keys = {g.lemma_.lower() for c in v.children if c.dep_ == "prep"
                for g in c.subtree if g.pos_ == "NOUN" and g.dep_ == "pobj"}
        if not keys:
            return None
        return v, party, keys
    key = _act_key(v)
    if key in _NOT_CONTESTED or key in _LIGHT:
        return None
    return v, party, {key}


def _disputes(doc: Doc, other: Span, party: str, keys: set[str], copular: bool, ctx: "_Ctx",
              speaker: str | None, other_frames: list) -> Token | None:
    """The word in ``other`` (someone's reported account) that shows the matter disputed: the
    party's own account of the same act, negated or denied ("he has not stopped them", "denies
    that she discourages"), or another party's allegation that the party did it."""
    if speaker in (None, "author", "record", "third_party", "child"):
        return None
    for t in other:
        if copular:
            if not (t.pos_ == "NOUN" and t.lemma_.lower() in keys):
                continue
        elif not (t.pos_ == "VERB" and _act_key(t) in keys):
            continue
        if speaker == party:
            clause = [t] + [a for a in t.ancestors][:4]
            negated = any(c.dep_ == "neg" for x in clause for c in x.children)
            denied = any(x.lemma_.lower() in _DENIAL for x in other)
            # "has only cancelled when she was unwell": the act conceded only in part
            qualified = any(c.lower_ == "only" for c in t.children)
            # "Ms P insists that the visits she cancelled were called off because ...": an account
            # the report itself frames as contested
            distanced = any(f.category == "distancing_attribution" and f.speaker == party
                            for f in other_frames)
            if negated or denied or qualified or distanced:
                return t
        else:
            subj = _clause_subject(t)
            if subj is not None and _party(ctx.role(subj)) == party:
                return t
    return None


def _attributes(doc: Doc, frame) -> bool:
    """Does this frame attribute the statement to someone? Not "Mr B showed Amy a message"
    (conduct, no reported clause) nor "It is noted"."""
    if frame.verb_i is None:
        return True
    v = doc[frame.verb_i]
    lem = v.lemma_.lower()
    if lem in _NOT_STANCE:
        return False
    return not (lem in _CLAUSE_ONLY and not any(c.dep_ in ("ccomp", "xcomp") for c in v.children))


def _unattributed_contested(doc: Doc, statements: list[Span], ctx: "_Ctx", fr) -> list[CueHit]:
    """ANNOTATION.md rule 5: a party's act stated in the author's own voice, unattributed, when
    the report elsewhere shows the matter is disputed (the party denies it, or another party
    alleges it). Observations only: a cited record ("Police records show ...") is attributed."""
    accounts = [(j, st) for j, st in enumerate(statements)
                if st.label_ == "allegation" and _party(st.kb_id_ or None)]
    if not accounts:
        return []
    out = []
    for k, sent in enumerate(statements):
        if sent.label_ != "observation" or (sent.kb_id_ or "author") != "author":
            continue
        if any(f.speaker not in (None, "author") and _attributes(doc, f) for f in fr(k)):
            continue
        m = _matter(sent, ctx)
        if m is None:
            continue
        v, party, keys = m
        copular = v.lemma_.lower() == "be"
        for j, other in accounts:
            if j == k:
                continue
            w = _disputes(doc, other, party, keys, copular, ctx, other.kb_id_, fr(j))
            if w is None:
                continue
            start = min([c.i for c in v.children if c.dep_ in ("aux", "neg")] + [v.i])
            ends = [v.i + 1] + [c.right_edge.i + 1 for c in v.children
                                if c.dep_ in ("dobj", "obj", "acomp", "attr", "oprd", "dative")]
            first_prep = next((c for c in v.children if c.dep_ == "prep" and c.i > v.i), None)
            if copular and first_prep is not None:
                ends.append(first_prep.right_edge.i + 1)
            end = min(max(ends), sent.end)
            out.append(CueHit(start, end, "unattributed_contested", party, "author",
                              f"stated in the author's voice; disputed in statement {j} "
                              f"({other.kb_id_}'s account, {w.lemma_!r} at characters {w.idx}-{w.idx + len(w.text)})"))
            break
    return out
