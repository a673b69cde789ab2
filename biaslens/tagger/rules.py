"""Transparent rule baseline for the statement label (ANNOTATION.md section 2, rules in order).

Every decision names the rule that made it (``RuleDecision.rule``), so a user can see why a
sentence was called an opinion. The learned backends use these rule outputs as features.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span

from ..attribution import Frame, frames, role_index, role_of, _author_index, RECORD_NOUNS
from ..lexicons import load_lexicon

BOILERPLATE = re.compile(
    r"(section 7 of the children act|children act 1989|this report (is|was|has been) "
    r"(prepared|written|filed)|the court (has )?(asked|directed|ordered|requested)|"
    r"^(documents?|sources?( of information)?|enquiries|papers) (read|considered|seen)|"
    r"^(list of|appendix|annex|schedule|contents|signed|dated|date of report|case number|"
    r"court reference)\b|confidential|^page \d+|this report should be read|not be disclosed|"
    r"filed (and served )?(in accordance|pursuant)|prepared (for|in accordance)|"
    r"the author of this report|qualifications|my name is)", re.I)
OPINION_FRAMES = re.compile(
    r"\b(i (am|was|remain) (concerned|worried|satisfied|of the view|not satisfied|unable to "
    r"support|confident)|in (my|our|the writer'?s?|the social worker'?s?|the fca'?s?|the "
    r"guardian'?s?|the local authority'?s?) (view|assessment|opinion|judgement|judgment)|"
    r"i (would )?(consider|recommend|believe|think|suggest|propose|conclude|assess|support|"
    r"find|found|formed)|we (would )?(consider|recommend|believe|conclude|assess)|"
    r"(it is|it was) (my|our) (view|assessment|opinion)|(the writer|the social worker|the fca|"
    r"the guardian|the local authority|the author) (considers|recommends|believes|is of the view|"
    r"concludes|assesses|is concerned|remains concerned|is satisfied|would recommend|supports)|"
    r"\bit is (likely|unlikely|probable|clear|evident|apparent|important|essential|necessary|"
    r"imperative|recommended|considered|my view|in .{0,20} best interests)|"
    r"\b(it|this) (appears|seems|would appear|would seem|may be|might be|suggests)\b|"
    r"\b(would|will|could|should) (benefit|be (beneficial|in|best|helpful|important|"
    r"appropriate|harmful|detrimental|likely|unlikely))|\brecommend(ed|ation)?\b|"
    r"\bbest interests?\b|\bwelfare checklist\b|\bon balance\b|\bthere is (a|no) (risk|"
    r"evidence|reason|concern)|\brisk of\b|\bneeds? to (be|have|ensure|continue|understand)\b|"
    r"\bshould\b|\bought to\b|\bmust\b|\bwill need\b|\bis likely to\b|\bis unlikely to\b)", re.I)
RECORD_SUBJ = re.compile(r"\b(police|school|gp|medical|attendance|health|nursery|hospital|"
                         r"court|criminal|disclosure|dbs|pnc|local authority)?\s*(checks?|"
                         r"records?|reports?|letters?|logs?|notes|disclosure|register|"
                         r"chronology|results?|minutes)\b", re.I)


@dataclass(frozen=True)
class RuleDecision:
    label: str
    source: str
    confidence: float
    rule: str


@lru_cache(maxsize=1)
def _evaluative_terms() -> set[str]:
    return {e.term for e in load_lexicon("descriptors")}


def is_heading(sent: Span) -> bool:
    text = sent.text.strip()
    # fast path for the common case, a full sentence: none of the tests below can succeed
    # for a mixed-case text that ends with "." and has a word in it
    if text.endswith(".") and not text.isupper() and any(c.isalnum() for c in text):
        return False
    words = [t for t in sent if not t.is_space and not t.is_punct]
    if not words:
        return True
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in words)
    if re.match(r"^(\d+(\.\d+)*\.?|[A-Z]\.|[ivx]+\.|\(?[a-z]\))\s+\S", text) and len(words) <= 8 and not text.endswith("."):
        return True
    if not has_verb and len(words) <= 10 and not text.endswith("."):
        return True
    if text.isupper() and len(words) <= 10:
        return True
    return False


def decide(sent: Span, fr: list[Frame] | None = None, *, roles: dict[int, str] | None = None,
           author: set[int] | None = None) -> RuleDecision:
    """Label one statement by the annotation rules, in order.

    ``roles`` / ``author`` (from :func:`biaslens.attribution.role_index` and the author
    mentions) may be passed in when the caller already has them, to avoid recomputing them.
    """
    text = sent.text.strip()
    low = text.lower()
    if fr is None:
        fr = frames(sent)
    if is_heading(sent):
        return RuleDecision("other", "author", 0.9, "heading")
    if BOILERPLATE.search(low):
        return RuleDecision("other", "author", 0.8, "boilerplate")
    doc = sent.doc
    roles = role_index(doc) if roles is None else roles
    author = _author_index(doc) if author is None else author
    root = sent.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    subj_role = role_of(subj, roles, author) if subj is not None else None
    # rule 1: evaluation / recommendation in the author's voice
    if OPINION_FRAMES.search(low) and not any(f.speaker not in (None, "author", "record") and f.start <= root.i < f.end + 1 for f in fr):
        # a reported opinion ("Ms F believes Amy should live with her") stays an allegation
        main = [f for f in fr if f.verb_i is not None and (f.verb_i == root.i) and f.speaker not in ("author", None, "record")]
        if not main:
            return RuleDecision("opinion", "author", 0.75, "author_evaluation_frame")
    # rule 2: content attributed to someone else
    main_frames = [f for f in fr if f.speaker not in ("author", "record", None)
                   and (f.verb_i is None or f.verb_i == root.i or doc[f.verb_i].head == root
                        and doc[f.verb_i].dep_ in ("conj", "advcl", "ccomp"))]
    if main_frames:
        sp = main_frames[0].speaker
        return RuleDecision("allegation", sp if sp in roles.values() or sp == "child" else "third_party", 0.8, "reporting_frame")
    # child's or party's wishes/feelings/position
    if subj_role not in (None, "author", "record") and root.lemma_ in ("want", "wish", "hope", "feel", "prefer", "like", "worry", "fear", "believe", "think", "deny", "accept", "dispute", "oppose", "agree", "disagree"):
        return RuleDecision("allegation", subj_role if subj_role != "third_party" else "third_party", 0.7, "stance_verb")
    if re.search(r"\b(position|view|case|account|concern|evidence|belief|wish|wishes)\b is\b", low) and subj is not None:
        poss = [t for t in subj.children if t.dep_ == "poss"]
        if poss:
            r = role_of(poss[0], roles, author)
            if r not in (None, "author", "record"):
                return RuleDecision("allegation", r, 0.7, "possessed_position")
    # evaluative predicate about a party in the author's voice (rule 1)
    ev = _evaluative_terms()
    if subj_role not in (None, "author", "record", "third_party"):
        for t in sent:
            if t.dep_ in ("acomp", "attr", "oprd") and (t.lower_ in ev or t.lemma_ in ev):
                return RuleDecision("opinion", "author", 0.7, "evaluative_predicate")
    # rule 3 / 7: a record cited as the source
    if RECORD_SUBJ.search(low) and subj is not None and subj.lemma_.lower() in RECORD_NOUNS:
        return RuleDecision("observation", "author", 0.8, "record")
    return RuleDecision("observation", "author", 0.6, "default_narration")
