"""Swap two parties' identities in a text: names, kinship words and bound pronouns.

``swap_roles`` is the single place that makes a *role-swapped twin* of a report: what the
mother's name did in the text the father's name now does, and the other way round, so that
each party's framing is carried over to the other. It backs the role-swapped twins of the
``s7synth`` corpus (``corpora/build.py``) and ``biaslens.counterfactual``; its signature and
the :class:`SwapMap` it returns are a stable API.

What is swapped, in this order of precedence (an earlier kind wins where spans overlap):

1. **Names.** Every alias of ``a`` becomes the alias of ``b`` of the same *form* and vice
   versa: titled ("Ms Finch" <-> "Mr Bell"), full ("Rachel Finch" <-> "Daniel Bell"), first
   name ("Rachel" <-> "Daniel"), kin nickname ("Mum Temi" <-> "Mum Jo"). Missing forms are
   derived from the full name (first name = all but the last word; "Ms" + full name); a form
   with no counterpart falls back to the other party's first name, else its first alias.
   Bare surnames are never swapped: a child often shares one.
2. **Kinship words**, only when the two roles differ as words: mother <-> father,
   mum <-> dad, mummy <-> daddy, maternal <-> paternal (and the grand-/step- families), or
   the role phrases themselves ("maternal grandmother" <-> "father") for roles of
   different kinds. A kinship word owned by a party ("Ms Finch's mother", "his father" where
   *his* is Mr Bell) names someone else and is left alone.
3. **Pronouns** bound to ``a`` or ``b`` (he/she, him/her, his/her/hers, himself/herself),
   only when one party is female and the other male; spaCy's tag picks *him* or *his* for
   *her*. A pronoun is bound by a transparent rule: the nearest gender-compatible mention
   earlier in its sentence (known gender before unknown; subjects first within each),
   else, for a fronted possessive, the subject that follows it ("In her account, Ms Finch
   ..."), else the first such mention of the previous two sentences. Bound pronouns become
   mentions themselves, so chains carry on. A person of unknown gender (an untitled name,
   "the teacher") that wins blocks the swap, because a wrong swap is worse than none.

Same-gender pairs (two mothers) and gender-neutral parties (Mx, or ``genders={"parent_a":
"n"}``) swap names only, which keeps the text grammatical.
"""
from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .errors import Errors, InputError
from .parties import CHILD_WORDS, PROFESSIONS, ROLE_WORDS, TITLES, find_mentions, validate

logger = logging.getLogger("biaslens")

__all__ = ["swap_roles", "swap_value", "SwapMap", "Edit", "party_gender", "aligned_forms"]

FEMALE = {"Ms", "Mrs", "Miss"}
MALE = {"Mr"}
NEUTRAL = {"Mx"}
_F_WORDS = {"mother", "mum", "mummy", "grandmother", "grandma", "gran", "nan", "nanny", "stepmother",
            "stepmum", "aunt", "auntie", "sister", "wife", "daughter", "girl", "woman"}
_M_WORDS = {"father", "dad", "daddy", "grandfather", "grandpa", "grandad", "granddad",
            "stepfather", "stepdad", "uncle", "brother", "husband", "son", "boy", "man"}
#: first words of a kin nickname alias ("Mum Temi", "Nanny Mo", "Grandpa Sam").
_NICK_HEADS = {"mum", "mummy", "mam", "mama", "dad", "daddy", "papa", "dada", "nan", "nana",
               "nanny", "gran", "granny", "grandma", "grandpa", "grandad", "granddad", "auntie",
               "aunty", "uncle"}
# one-to-one pairs (female, male): a many-to-one pair would not swap back.
_KIN_FAMILIES = {
    "parent": [("mother", "father"), ("mum", "dad"), ("mummy", "daddy"), ("maternal", "paternal")],
    "grand": [("grandmother", "grandfather"), ("grandma", "grandpa"), ("gran", "grandad"),
              ("maternal", "paternal")],
    "step": [("stepmother", "stepfather"), ("stepmum", "stepdad"), ("step-mother", "step-father")],
    "sibling_of_parent": [("aunt", "uncle")],
}
_HEAD_FAMILY = {"mother": "parent", "father": "parent", "grandmother": "grand",
                "grandfather": "grand", "stepmother": "step", "stepfather": "step",
                "aunt": "sibling_of_parent", "uncle": "sibling_of_parent"}
_PRON_GENDER = {"she": "f", "her": "f", "hers": "f", "herself": "f",
                "he": "m", "him": "m", "his": "m", "himself": "m"}
_SUBJ = {"nsubj", "nsubjpass"}


@dataclass(frozen=True)
class Edit:
    """One replacement: ``old`` at ``[old_start, old_end)`` became ``new`` at ``[new_start, new_end)``.

    ``kind`` is ``"name"``, ``"kinship"`` or ``"pronoun"``; ``role`` the party it refers to.
    """

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    old: str
    new: str
    kind: str
    role: str


class SwapMap:
    """Character-offset map from the original text to the swapped one.

    Outside the edits offsets shift by the accumulated length change; a span that starts or
    ends inside an edited stretch is widened to cover the whole replacement, so an annotation
    over "Ms Finch" maps onto "Mr Bell".

    Examples
    --------
    >>> from biaslens.swap import swap_roles
    >>> text, m = swap_roles("Ms Finch said that.", {"mother": ["Ms Finch"], "father": ["Mr Bell"]},
    ...                      "mother", "father")
    >>> m.span(0, 8), text[slice(*m.span(0, 8))]
    ((0, 7), 'Mr Bell')
    >>> m.span(9, 13), text[slice(*m.span(9, 13))]
    ((8, 12), 'said')
    """

    def __init__(self, edits: Sequence[Edit], old_len: int, new_len: int):
        self.edits: tuple[Edit, ...] = tuple(edits)
        self.old_len = old_len
        self.new_len = new_len
        self._starts = [e.old_start for e in self.edits]

    def __len__(self) -> int:
        return len(self.edits)

    def __iter__(self):
        return iter(self.edits)

    def pairs(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """``[((old_start, old_end), (new_start, new_end)), ...]`` for every edit."""
        return [((e.old_start, e.old_end), (e.new_start, e.new_end)) for e in self.edits]

    def offset(self, i: int, *, side: str = "start") -> int:
        """Map one offset. Inside an edit, ``side="start"`` gives its new start, else its new end."""
        if not 0 <= i <= self.old_len:
            raise InputError(Errors.E104.format(offset=i, n_chars=self.old_len))
        k = bisect.bisect_right(self._starts, i) - 1
        if k < 0:
            return i
        e = self.edits[k]
        if i == e.old_start:
            return e.new_start  # a span may start here, or end right before the edit
        if i < e.old_end:
            return e.new_start if side == "start" else e.new_end
        return e.new_end + (i - e.old_end)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span, widening it over any edit it cuts into."""
        if end < start:
            raise InputError(Errors.E104.format(offset=end, n_chars=self.old_len))
        s = self.offset(start, side="start")
        e = self.offset(end, side="end") if end > start else s
        return s, max(s, e)

    __call__ = span


def _form_kind(alias: str) -> str:
    words = alias.split()
    if not words:
        return "other"
    if words[0].rstrip(".") in TITLES:
        return "title"
    if words[0].lower() in _NICK_HEADS:
        return "nick"
    return "full" if len(words) > 1 else "first"


def _forms_by_kind(aliases: Sequence[str]) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {}
    for a in aliases:
        kinds.setdefault(_form_kind(a), []).append(a)
    full = kinds.get("full", [None])[0]
    if full and "first" not in kinds:
        kinds["first"] = [" ".join(full.split()[:-1])]
    title = kinds.get("title", [None])[0]
    if full and title and len(title.split()) == 2:
        kinds["title_full"] = [f"{title.split()[0]} {full}"]
    return kinds


def aligned_forms(aliases_a: Sequence[str], aliases_b: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs ``(form of a, form of b)`` to swap, matched by form (title, full, first, nickname).

    Examples
    --------
    >>> aligned_forms(["Rachel Finch", "Ms Finch"], ["Daniel Bell", "Mr Bell"])
    [('Ms Finch', 'Mr Bell'), ('Rachel Finch', 'Daniel Bell'), ('Rachel', 'Daniel'), ('Ms Rachel Finch', 'Mr Daniel Bell')]
    """
    ka, kb = _forms_by_kind(aliases_a), _forms_by_kind(aliases_b)

    def fallback(k: dict[str, list[str]], aliases: Sequence[str]) -> str:
        return (k.get("first") or [aliases[0]])[0]

    order = ["title", "full", "first", "nick", "title_full", "other"]
    pairs: list[tuple[str, str]] = []
    for kind in order:
        fa, fb = ka.get(kind, []), kb.get(kind, [])
        for i in range(max(len(fa), len(fb))):
            x = fa[i] if i < len(fa) else None
            y = fb[i] if i < len(fb) else None
            if kind == "title_full" and (x is None or y is None):
                continue  # derived forms only pair with each other
            if x is None:
                x = fallback(ka, aliases_a)
            if y is None:
                y = fallback(kb, aliases_b)
            if (x, y) not in pairs:
                pairs.append((x, y))
    return pairs


def party_gender(role: str, aliases: Sequence[str]) -> str:
    """``"f"``, ``"m"``, ``"n"`` (neutral, Mx) or ``""`` (unknown), from titles, then the role word.

    Examples
    --------
    >>> party_gender("parent_a", ["Mx Lee"]), party_gender("grandmother", ["Patricia Doyle"])
    ('n', 'f')
    """
    for a in aliases:
        g = _title_gender(a)
        if g:
            return g
    head = _role_phrase(role).split()[-1] if _role_phrase(role) else ""
    return "f" if head in _F_WORDS else "m" if head in _M_WORDS else ""


def _role_phrase(role: str) -> str:
    words = role.lower().split("_")
    while len(words) > 1 and (len(words[-1]) == 1 or words[-1].isdigit()):
        words.pop()  # mother_a, father_2: the suffix only numbers the party
    return " ".join(words)


def _kin_pairs(role_a: str, role_b: str, g_a: str, g_b: str) -> list[tuple[str, str]]:
    """(word for a's kind, word for b's kind) pairs to swap between the two roles."""
    pa, pb = _role_phrase(role_a), _role_phrase(role_b)
    if pa == pb:
        return []
    ha, hb = pa.split()[-1], pb.split()[-1]
    fam_a, fam_b = _HEAD_FAMILY.get(ha), _HEAD_FAMILY.get(hb)
    pairs: list[tuple[str, str]] = []
    if pa != ha or pb != hb:
        pairs.append((pa, pb))  # "maternal grandmother" <-> "father"
    if fam_a and fam_a == fam_b and ha != hb:
        female_first = ha == _KIN_FAMILIES[fam_a][0][0]
        pairs += [(f, m) if female_first else (m, f) for f, m in _KIN_FAMILIES[fam_a]]
    elif ha != hb:
        pairs.append((ha, hb))
    else:
        # same head, different modifier: maternal grandmother <-> paternal grandmother
        pairs.append(("maternal", "paternal") if "maternal" in pa else ("paternal", "maternal"))
    # drop duplicates keeping order, and pairs that would make one word map two ways
    out, used_a, used_b = [], set(), set()
    for x, y in pairs:
        if x in used_a or y in used_b or x == y:
            continue
        used_a.add(x)
        used_b.add(y)
        out.append((x, y))
    return out


def _match_case(src: str, new: str) -> str:
    if src.isupper() and len(src) > 1:
        return new.upper()
    if src[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def swap_value(value, a: str, b: str):
    """Swap role names ``a`` <-> ``b`` inside a label value (str, list, ``"against:<role>"``, None).

    Examples
    --------
    >>> swap_value(["mother", "child"], "mother", "father"), swap_value("against:father", "mother", "father")
    (['father', 'child'], 'against:mother')
    """
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return type(value)(swap_value(v, a, b) for v in value)
    if isinstance(value, str):
        if ":" in value:
            head, _, tail = value.partition(":")
            return f"{head}:{swap_value(tail, a, b)}"
        return b if value == a else a if value == b else value
    return value


def _find(text: str, forms: Mapping[str, object]) -> list[tuple[int, int, str]]:
    """Non-overlapping word-bounded matches of ``forms``, longest first (labelled by the form)."""
    return find_mentions(text, {f: [f] for f in forms if f})


@dataclass
class _Mention:
    start: int
    end: int
    key: str          # party role, "other:<name>", "person"
    gender: str       # "f" | "m" | "" (unknown: blocks)
    sent: int = -1
    subject: bool = False
    tok: int = -1
    quote: int = -1   # index of the double-quoted stretch it is in, -1 outside quotes


def _quote_ids(text: str) -> list[int]:
    """Per character, the index of the double-quoted stretch it lies in (-1: outside)."""
    ids = [-1] * (len(text) + 1)
    q, inside = -1, False
    for i, ch in enumerate(text):
        if ch == "\u201c" or (ch == '"' and not inside):
            q, inside = q + 1, True
            continue
        if ch == "\u201d" or (ch == '"' and inside):
            inside = False
            continue
        if ch == "\n" and text[i:i + 2] == "\n\n":
            inside = False  # an unclosed quote ends with its paragraph
        if inside:
            ids[i] = q
    return ids


def _title_gender(name: str) -> str:
    """'f', 'm' or 'n' from a leading title (Ms, Mr, Mx ...), '' when untitled."""
    t = name.split()[0].rstrip(".") if name.split() else ""
    return "f" if t in FEMALE else "m" if t in MALE else "n" if t in NEUTRAL else ""


def _other_gender(name: str, text: str, doc, party_spans: list[tuple[int, int]]) -> str:
    g = _title_gender(name)
    if g:
        return g
    # an untitled name (usually the child): the pronouns of sentences that mention it and no party
    votes = {"f": 0, "m": 0}
    pat = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
    for sent in doc.sents:
        s_text = sent.text
        if not pat.search(s_text):
            continue
        if any(sent.start_char <= ps < sent.end_char for ps, _ in party_spans):
            continue
        for tok in sent:
            g = _PRON_GENDER.get(tok.lower_)
            if g and tok.tag_ in ("PRP", "PRP$"):
                votes[g] += 1
    if votes["f"] > 2 * votes["m"]:
        return "f"
    if votes["m"] > 2 * votes["f"]:
        return "m"
    return ""


def _load_nlp():
    from .pipeline import _base, spacy_model_name

    return _base(spacy_model_name())


def swap_roles(text: str, parties: Mapping[str, Sequence[str]], a: str, b: str, *, nlp=None,
               others: Iterable[str] = (), genders: Mapping[str, str] | None = None,
               also: Iterable[tuple[str, str]] = ()) -> tuple[str, SwapMap]:
    """Swap the identities of parties ``a`` and ``b`` in ``text``.

    Parameters
    ----------
    text : str
        The report (or any text).
    parties : dict
        Role -> list of aliases, as for :func:`biaslens.analyze`. Roles other than ``a`` and
        ``b`` are not swapped but help bind pronouns.
    a, b : str
        The two roles to swap.
    nlp : spacy.Language, optional
        A parsed pipeline for pronoun binding (tagger + parser); only used when pronouns or
        kinship words must change. Default: the plain English pipeline biaslens builds on.
    others : iterable of str
        Names of other people in the text (children, professionals). A titled name gives its
        gender; an untitled one's gender is read from the pronouns near it; unknown ones
        block pronoun binding.
    genders : dict, optional
        Role -> ``"f"``/``"m"``/``"n"`` to override the gender read from titles and role
        words (``"n"``: they/them, so no pronoun is swapped).
    also : iterable of (str, str)
        More strings to exchange verbatim, each pair (``a``'s, ``b``'s), e.g. the two
        parties' e-mail addresses or phone numbers.

    Returns
    -------
    swapped : str
        The text with the two identities exchanged.
    mapping : SwapMap
        Offsets from ``text`` to ``swapped``: ``mapping.span(start, end)`` carries an
        annotation across; ``mapping.edits`` lists every replacement.

    Raises
    ------
    InputError
        ``text`` is not a str (E101), ``a`` or ``b`` is not a role of ``parties`` (E102), or
        ``a == b`` (E103).

    Examples
    --------
    >>> from biaslens.swap import swap_roles
    >>> parties = {"mother": ["Rachel Finch", "Ms Finch"], "father": ["Daniel Bell", "Mr Bell"]}
    >>> text = "Ms Finch said that Mr Bell shouted at her. The father denies this."
    >>> swapped, m = swap_roles(text, parties, "mother", "father")
    >>> swapped
    'Mr Bell said that Ms Finch shouted at him. The mother denies this.'
    >>> swap_roles(swapped, parties, "mother", "father")[0] == text
    True
    """
    if not isinstance(text, str):
        raise InputError(Errors.E101.format(type=type(text).__name__))
    clean = validate(parties)
    for r in (a, b):
        if r not in clean:
            raise InputError(Errors.E102.format(role=r, roles=sorted(clean)))
    if a == b:
        raise InputError(Errors.E103.format(role=a))
    genders = dict(genders or {})
    g = {r: genders.get(r) or party_gender(r, al) for r, al in clean.items()}

    # 1. names
    name_map: dict[str, tuple[str, str]] = {}
    for x, y in aligned_forms(clean[a], clean[b]):
        name_map.setdefault(x, (y, a))
    for y, x in aligned_forms(clean[b], clean[a]):
        name_map.setdefault(y, (x, b))
    for x, y in also:
        if x and y and x != y:
            name_map[x] = (y, a)
            name_map[y] = (x, b)
    name_hits = _find(text, name_map)
    edits: list[tuple[int, int, str, str, str]] = [
        (s, e, name_map[f][0], "name", name_map[f][1]) for s, e, f in name_hits]
    occupied = bytearray(len(text) + 1)
    for s, e, *_ in edits:
        occupied[s:e] = b"\x01" * (e - s)

    kin = _kin_pairs(a, b, g[a], g[b])
    swap_pron = {g[a], g[b]} == {"f", "m"}
    if kin or swap_pron:
        edits += _context_edits(text, clean, a, b, g, kin, swap_pron, nlp or _load_nlp(),
                                list(others), occupied)
    edits.sort()
    out: list[str] = []
    done: list[Edit] = []
    pos = 0
    new_len = 0
    for s, e, new, kind, role in edits:
        out.append(text[pos:s])
        new_len += s - pos
        done.append(Edit(s, e, new_len, new_len + len(new), text[s:e], new, kind, role))
        out.append(new)
        new_len += len(new)
        pos = e
    out.append(text[pos:])
    swapped = "".join(out)
    logger.debug("swap_roles: %d name, %d kinship, %d pronoun edits",
                 sum(d.kind == "name" for d in done), sum(d.kind == "kinship" for d in done),
                 sum(d.kind == "pronoun" for d in done))
    return swapped, SwapMap(done, len(text), len(swapped))


def _context_edits(text, parties, a, b, g, kin, swap_pron, nlp, others, occupied):
    doc = nlp(text)
    sent_starts = [s.start_char for s in doc.sents]

    def sent_of(ch: int) -> int:
        return max(0, bisect.bisect_right(sent_starts, ch) - 1)

    def tok_at(ch: int):
        span = doc.char_span(ch, ch + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    mentions: list[_Mention] = []
    # parties: names and their own role words ("the mother")
    forms = {}
    for role, aliases in parties.items():
        for f in aliases:
            forms[f] = role
        for k, vs in _forms_by_kind(aliases).items():
            for f in vs:
                forms.setdefault(f, role)
    party_spans = []
    for s, e, f in _find(text, forms):
        mentions.append(_Mention(s, e, forms[f], g.get(forms[f], "")))
        party_spans.append((s, e))
    role_words = {}
    for w, r in ROLE_WORDS.items():
        for role in parties:
            if _role_phrase(role) == r.replace("_", " ") or _role_phrase(role) == w:
                role_words[w] = role
    for s, e, f in _find(text.lower(), role_words):
        if not any(occupied[s:e]):
            mentions.append(_Mention(s, e, role_words[f], g.get(role_words[f], "")))
    # other people: named others, then unknown persons (names from NER, professions, child words)
    for name in others:
        gen = _other_gender(name, text, doc, party_spans)
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if not any(occupied[m.start():m.end()]):
                mentions.append(_Mention(m.start(), m.end(), f"other:{name}", gen))
    covered = bytearray(len(text) + 1)
    for m in mentions:
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    for ent in doc.ents:
        if ent.label_ == "PERSON" and not any(covered[ent.start_char:ent.end_char]):
            mentions.append(_Mention(ent.start_char, ent.end_char, f"person:{ent.text}", ""))
    person_words = {w: "" for w in PROFESSIONS if " " not in w and len(w) > 2}
    # singular only: "the children" is never the antecedent of he/she
    person_words.update({w: ("m" if w in ("son", "boy") else "f" if w in ("daughter", "girl") else "")
                         for w in CHILD_WORDS if not w.endswith(("s", "ren"))})
    for s, e, f in _find(text.lower(), person_words):
        if not any(covered[s:e]):
            mentions.append(_Mention(s, e, f"person:{f}", person_words[f]))
    for m in mentions:
        m.sent = sent_of(m.start)
        t = tok_at(m.end - 1)
        if t is not None:
            m.tok = t.i
            # the head of a multi-word name is its last token ("Ms Finch" -> Finch)
            m.subject = t.dep_ in _SUBJ
    mentions.sort(key=lambda m: m.start)
    starts = [m.start for m in mentions]

    quotes = _quote_ids(text)
    for m in mentions:
        m.quote = quotes[m.start]

    def compatible(m: _Mention, gen: str, q: int = -1) -> bool:
        # a name inside someone's quoted words ("a week at Dad's") binds only inside them
        return m.gender in (gen, "") and m.quote in (-1, q)

    def pick(cands: list[_Mention], *, last: bool) -> _Mention | None:
        # a person of the right gender before one of unknown gender (who only wins, and so
        # blocks the swap, when nobody of the right gender is there); subjects first in each
        for known in (True, False):
            for subject in (True, False):
                c = [m for m in cands if m.subject == subject and bool(m.gender) == known]
                if c:
                    return c[-1] if last else c[0]
        return None

    def resolve(tok) -> _Mention | None:
        gen = _PRON_GENDER[tok.lower_]
        q = quotes[tok.idx]
        si = sent_of(tok.idx)
        k = bisect.bisect_left(starts, tok.idx)
        before = [m for m in mentions[:k] if m.sent == si and m.end <= tok.idx and compatible(m, gen, q)]
        if before:
            return pick(before, last=True)
        if _possessive(tok):
            # "In her account, Ms Finch said ...": a fronted possessive looks ahead to the subject
            after = [m for m in mentions[k:] if m.sent == si and m.subject and compatible(m, gen, q)]
            if after:
                return after[0]
        for back in (1, 2):
            prev = [m for m in mentions[:k] if m.sent == si - back and compatible(m, gen, q)]
            if prev:
                return pick(prev, last=False)
        return None

    # resolve in reading order; a bound pronoun becomes a mention itself, so chains
    # ("Ms Finch ... She claims ... She insists ...") carry over sentence boundaries
    bound: dict[int, _Mention | None] = {}
    for tok in doc:
        if tok.lower_ in _PRON_GENDER and tok.tag_ in ("PRP", "PRP$", "NNS", "NN"):
            m = resolve(tok)
            bound[tok.i] = m
            if m is not None and m.gender:
                pm = _Mention(tok.idx, tok.idx + len(tok), m.key, m.gender, sent_of(tok.idx),
                              tok.dep_ in _SUBJ, tok.i, quotes[tok.idx])
                k = bisect.bisect_left(starts, tok.idx)
                mentions.insert(k, pm)
                starts.insert(k, tok.idx)

    edits = []
    if swap_pron:
        for tok in doc:
            m = bound.get(tok.i)
            if m is None or m.key not in (a, b) or any(occupied[tok.idx:tok.idx + len(tok)]):
                continue
            new = _swap_pronoun(tok)
            if new:
                edits.append((tok.idx, tok.idx + len(tok), _match_case(tok.text, new), "pronoun", m.key))
    if kin:
        kin_map = {}
        for x, y in kin:
            kin_map[x] = y
            kin_map[y] = x
            for suf in ("s",):
                if " " not in x and " " not in y:
                    kin_map.setdefault(x + suf, y + suf)
                    kin_map.setdefault(y + suf, x + suf)
        owner_role = {x: a for x, _ in kin} | {y: b for _, y in kin}
        low = text.lower()
        for s, e, f in _find(low, kin_map):
            if any(occupied[s:e]):
                continue
            if _owned_by_party(doc, s, mentions, bound, parties):
                continue
            base = f[:-1] if f not in owner_role and f.endswith("s") else f
            edits.append((s, e, _match_case(text[s:e], kin_map[f]), "kinship", owner_role.get(base, "")))
    return edits


def _owned_by_party(doc, ch: int, mentions, bound, parties) -> bool:
    """True for "Ms Finch's mother" / "his father" when the owner is a party: another person."""
    span = doc.char_span(ch, ch + 1, alignment_mode="expand")
    if span is None:
        return False
    tok = span[-1]
    for child in tok.head.children if tok.dep_ == "amod" else tok.children:
        if child.dep_ != "poss":
            continue
        if child.i in bound:
            m = bound[child.i]
            return m is not None and m.key in parties
        for m in mentions:
            if m.tok == child.i or m.start <= child.idx < m.end:
                return m.key in parties
    return False


def _possessive(tok) -> bool:
    """Possessive use of her/his: tagged so, or followed by what it determines ("her last two")."""
    if tok.tag_ == "PRP$" and tok.lower_ != "his" or tok.dep_ == "poss":
        return True
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.pos_ in ("NOUN", "ADJ", "NUM", "PROPN") and nxt.head.i != tok.i \
        and nxt.dep_ not in ("dobj", "dative")


def _swap_pronoun(tok) -> str | None:
    w = tok.lower_
    if w == "she":
        return "he"
    if w == "he":
        return "she"
    if w == "herself":
        return "himself"
    if w == "himself":
        return "herself"
    if w == "him":
        return "her"
    if w == "hers":
        return "his"
    if w == "her":
        return "his" if _possessive(tok) else "him"
    if w == "his":
        # determiner "his coat" -> "her"; standalone "the choice was his" -> "hers"
        return "her" if tok.dep_ == "poss" or tok.head.i > tok.i else "hers"
    return None
