"""Linguistic features of one statement, computed once from the parsed ``Span``.

The learned backends never see a party's name, title or gendered pronoun: party mentions become
``PARTY``, the child ``CHILD``, titles ``TITLE``, kinship words ``KIN`` and third-person
pronouns ``PRON`` before any n-gram is taken. Swapping the two parents' names and roles
therefore cannot change a feature, which is what keeps the predicted labels swap invariant
(ANNOTATION.md: parties are roles, not genders).

Examples
--------
>>> import biaslens
>>> from biaslens.tagger.features import featurize
>>> nlp = biaslens.load(backend="rules")
>>> doc = nlp("Ms Finch told me that Mr Bell shouted at Amy.")
>>> f = featurize(doc.spans["biaslens_statements"][0])
>>> f.text
'PARTY told me that PARTY shouted at NAME .'
>>> f.feats["frame_main"]
'neutral_attribution|party'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span

from ..attribution import (AGENCY_WORDS, RECORD_NOUNS, RECORD_VERBS, Frame, _author_index,
                           frames, role_index, role_of)
from ..lexicons import load_lexicon
from ..parties import ROLE_WORDS, TITLES
from .rules import OPINION_FRAMES, RuleDecision, decide, is_heading

PRON3 = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
KIN = set(ROLE_WORDS) | {w + "s" for w in ROLE_WORDS} | {"mum's", "dad's", "mummy", "daddy",
                                                          "mothers", "fathers", "step-parent",
                                                          "stepparent", "parent"} - {"parent"}
# gendered child words would leak the child's sex, which a role swap does not change; kept
PERCEPTION = {"observe", "see", "notice", "watch", "hear", "appear", "seem", "look", "witness",
              "note", "present"}
ENQUIRY = {"read", "speak", "meet", "visit", "interview", "attend", "contact", "telephone",
           "email", "review", "consult", "receive", "check", "complete", "undertake"}
MODALS = {"may", "might", "could", "would", "should", "must", "will", "can", "shall", "ought"}
_NUM_PREFIX = re.compile(r"^(\d+(\.\d+)*\.?|[A-Z]\.|[ivx]+\.|\(?[a-z0-9]\))\s+")


def _neutral_pronoun(t, low: str) -> str:
    """they/them/their for he/she/him/her/his, by the (role-neutral) tag, never by the word.

    "her" is possessive or object; reading that from the word would map "her GP" to "them GP"
    and its role-swapped twin "his GP" to "their GP". The parse comes from the neutral copy
    (biaslens/neutral.py), so the tag is the same for both.
    """
    if low in ("himself", "herself"):
        return "themselves"
    if low in ("he", "she"):
        return "they"
    if low == "hers":
        return "theirs"
    return "their" if t.tag_ == "PRP$" else "them"


def _role_class(role: str | None) -> str:
    """Collapse a role to a swap-invariant class: which parent it is never matters."""
    if role is None:
        return "none"
    if role in ("author", "child", "third_party", "record"):
        return role
    return "party"


@lru_cache(maxsize=1)
def _lex() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name in ("descriptors", "hedges", "boosters", "failures", "mental_health", "pattern",
                 "stance_frames"):
        for e in load_lexicon(name):
            out.setdefault(e.category, set()).add(e.term.lower())
    return out


@lru_cache(maxsize=1)
def _lex_patterns() -> dict[str, "re.Pattern[str]"]:
    """One alternation per cue category: a lexicon term as whole space-separated tokens."""
    lex = _lex()
    out = {}
    for cat in ("hedge", "booster", "negative_descriptor", "positive_descriptor",
                "pattern_presupposition", "author_stance", "mental_health_reference"):
        terms = sorted(lex.get(cat, ()), key=len, reverse=True)
        if terms:
            out[cat] = re.compile(" (?:" + "|".join(re.escape(t) for t in terms) + ") ")
    return out


@dataclass
class Features:
    """What the learned backends see of one statement."""

    text: str                     # normalised tokens, placeholders for parties
    plain: str                    # normalised readable text for sentence embeddings
    feats: dict = field(default_factory=dict)
    rule: RuleDecision | None = None
    frames: list[Frame] = field(default_factory=list)


def normalise_tokens(sent: Span, roles: dict[int, str]) -> tuple[list[str], list[str]]:
    """Token strings with parties, titles, kinship words and he/she replaced."""
    toks, plain = [], []
    for t in sent:
        if t.is_space:
            continue
        low = t.lower_
        r = roles.get(t.i)
        if r is not None:
            tok = "CHILD" if r == "child" else "PARTY"
            pl = "the child" if r == "child" else "the parent"
            if low in PRON3:
                pl = _neutral_pronoun(t, low)
        elif low in PRON3:
            tok, pl = "PRON", _neutral_pronoun(t, low)
        elif t.text.rstrip(".") in TITLES:
            tok, pl = "TITLE", ""
        elif low in KIN or t.lemma_.lower() in KIN:
            tok, pl = "KIN", "parent"
        elif t.pos_ == "PROPN" and low not in AGENCY_WORDS and low not in RECORD_NOUNS:
            tok, pl = "NAME", "Sam"
        elif t.like_num:
            tok, pl = "NUM", t.text
        else:
            tok, pl = low, t.text
        if tok in ("PARTY", "CHILD") and toks and toks[-1] == tok and t.i - 1 in roles \
                and roles.get(t.i - 1) == r:
            continue  # one placeholder per mention, however many words the name has
        if tok == "NAME" and toks and toks[-1] == "NAME":
            continue
        toks.append(tok)
        if pl:
            plain.append(pl)
    return toks, plain


def featurize(sent: Span, fr: list[Frame] | None = None,
              rule: RuleDecision | None = None) -> Features:
    """Features of one statement ``Span`` (parsed by a biaslens pipeline; never re-parsed)."""
    doc = sent.doc
    roles = role_index(doc)
    author = _author_index(doc)
    if fr is None:
        fr = frames(sent)
    if rule is None:
        rule = decide(sent, fr, roles=roles, author=author)
    toks, plain = normalise_tokens(sent, roles)
    lex = _lex()
    lows = [t.lower_ for t in sent]
    low_text = " ".join(lows)
    text = sent.text  # Span.text joins every token: build it once
    stripped = text.strip()
    f: dict[str, object] = {
        "rule": rule.label, "rule_name": rule.rule,
        "heading": is_heading(sent),
        "ends": stripped[-1:] if stripped else "",
        "numbered": bool(_NUM_PREFIX.match(stripped)),
        "n_tok_bin": min(len(sent) // 5, 8),
        "all_caps": text.isupper(),
        "opinion_frame": bool(OPINION_FRAMES.search(low_text)),
    }
    root = sent.root
    f["root_pos"] = root.pos_
    f["root_tag"] = root.tag_
    f["root_lemma"] = root.lemma_.lower() if root.i not in roles and root.pos_ != "PROPN" else "ENT"
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")), None)
    subj_role = _role_class(role_of(subj, roles, author)) if subj is not None else "nosubj"
    f["subj_role"] = subj_role
    f["subj_dep"] = subj.dep_ if subj is not None else "none"
    if subj is not None and subj.lower_ == "it":
        f["subj_it"] = True
    f["root+subj"] = f"{f['root_lemma']}|{subj_role}"
    for c in root.children:
        f[f"root_child={c.dep_}"] = True
    # reporting frames: which stance, whose voice, and whether it governs the main clause
    for k, fra in enumerate(fr):
        sp = _role_class(fra.speaker)
        f[f"frame={fra.category}|{sp}"] = True
        governs = fra.verb_i is None or fra.verb_i == root.i or (
            doc[fra.verb_i].head == root and doc[fra.verb_i].dep_ in ("conj", "advcl", "ccomp"))
        if governs and "frame_main" not in f:
            f["frame_main"] = f"{fra.category}|{sp}"
        if fra.verb_i is not None:
            f[f"frame_verb={doc[fra.verb_i].lemma_.lower()}|{sp}"] = True
    f["n_frames"] = min(len(fr), 3)
    # first person, modals, perception and enquiry verbs, records
    neg_desc, pos_desc = lex.get("negative_descriptor", ()), lex.get("positive_descriptor", ())
    # each attribute read is a string-store lookup: read each once per token, and only when needed
    for t, low in zip(sent, lows):
        pos = t.pos_
        dep = t.dep_
        if t.i in author or low in ("i", "me", "my", "we", "our", "us"):
            f["first_person"] = True
            if dep in ("nsubj", "nsubjpass") and t.head == root:
                f["first_person_subj"] = True
                f[f"fp_verb={root.lemma_.lower()}"] = True
        if t.tag_ == "MD" or (low in MODALS and pos == "AUX"):
            f[f"modal={low}"] = True
            if t.head == root:
                f["modal_root"] = True
        if pos == "VERB":
            lem = t.lemma_.lower()
            if lem in PERCEPTION:
                f[f"percep={lem}"] = True
                s2 = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                f[f"percep_subj={_role_class(role_of(s2, roles, author)) if s2 is not None else 'none'}"] = True
            if lem in ENQUIRY and t.head == t:
                f[f"enquiry_subj={subj_role}"] = True
            if lem in RECORD_VERBS:
                s2 = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if s2 is not None and s2.lemma_.lower() in RECORD_NOUNS:
                    f["record_verb"] = True
        if dep in ("acomp", "attr", "oprd", "amod") and (low in neg_desc or low in pos_desc):
            f[f"evaluative_{dep}"] = True
            if t.head == root:
                f["evaluative_root"] = True
        if t.ent_type_ == "DATE":
            f["date"] = True
    padded = " " + low_text + " "
    for cat, rx in _lex_patterns().items():
        if rx.search(padded):
            f[f"lex={cat}"] = True
    f["tense"] = ",".join(root.morph.get("Tense")) or "none"
    return Features(" ".join(toks), " ".join(plain), f, rule, fr)
