"""Pseudonymise a report: identifiers become placeholders, everything else is kept.

Analysis is kept apart from anonymisation, in the manner of Microsoft Presidio, on which this
module is built:

1. **Find** (:func:`find_identifiers`). A Presidio ``AnalyzerEngine`` runs a registry of
   recognisers over the text:

   * biaslens's own parties and child, as an ad-hoc recogniser fed with ``Report.parties``
     (aliases and mention offsets) and ``Report.child``;
   * spaCy's named entities from the *same* English pipeline biaslens already loads
     (:func:`biaslens.pipeline._base`), wrapped in a custom ``NlpEngine`` so that Presidio
     never loads or downloads a model of its own;
   * pattern recognisers for UK postcodes, UK phone numbers, e-mail addresses, family-court
     case numbers, exact dates, schools, street addresses and titled names ("Mr Quayle").

   Presidio's predefined registry is *not* loaded: its e-mail and URL recognisers call
   ``tldextract``, which fetches the public-suffix list from the internet on first use.
   ``tests/test_no_network.py`` proves that nothing here touches the network.

2. **Decide** by span, not by entity type. The small English pipeline finds the spans of
   names, places and numbers but often mistypes them ("Leo" as ORG, "Fennel Close" as
   PERSON). So every NER span of PERSON / ORG / GPE / LOC / FAC / NORP type is a candidate;
   its type is decided by evidence around it (a title before it, a name already known, a
   pattern that covers it) and ordinary words are kept (a word that the report also writes in
   lower case, such as "Addendum", is not a name). Names found once are propagated: once
   "Hannah Lowe" is known, a later bare "Hannah" is redacted too.

3. **Replace** (:func:`pseudonymise`). Overlaps are resolved by priority (party > pattern >
   titled name > propagated name > NER), placeholders are assigned in order of first
   appearance (or from a keyed hash when ``key`` is given), and every offset in the report is
   remapped to the new text.

Examples
--------
>>> from biaslens.privacy import pseudonymise_text
>>> pseudonymise_text("Ms Finch lives at 14 Mill Lane, NF3 7QT. Ms Finch called 07700 900123.",
...                   parties={"mother": ["Ms Finch"]})
'[MOTHER] lives at [ADDRESS_1], [POSTCODE_1]. [MOTHER] called [PHONE_1].'
"""
from __future__ import annotations

import bisect
import hashlib
import hmac
import json
import logging
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from .errors import BiasLensError, Errors, require
from .report import Cue, Party, Report, Statement

if TYPE_CHECKING:  # pragma: no cover
    from os import PathLike

logger = logging.getLogger("biaslens")

#: Placeholder types, in the order their counters are reported.
TYPES = ("PARTY", "CHILD", "PERSON", "SCHOOL", "ADDRESS", "PLACE", "POSTCODE", "PHONE", "EMAIL",
         "CASE_NUMBER", "DATE")
#: Higher wins an overlap; equal priorities go to the longer span.
PRIORITY = {"PARTY": 100, "CHILD": 95, "EMAIL": 90, "CASE_NUMBER": 88, "POSTCODE": 86,
            "PHONE": 84, "ADDRESS": 82, "SCHOOL": 80, "DATE": 78, "PERSON": 70, "PLACE": 60}

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Lady",
          "Lord", "PC", "DC", "DS", "DI", "Sgt", "Rev", "Revd", "Cllr", "Judge", "HHJ", "FCA")
_TITLE_RE = "|".join(sorted(TITLES, key=len, reverse=True))
_NAME_WORD = r"[A-Z][a-z]+(?:['\u2019-][A-Z]?[a-z]+)*|[A-Z]['\u2019][A-Z][a-z]+|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+"
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_STREET = ("Road|Street|Lane|Close|Avenue|Drive|Way|Crescent|Court|Gardens|Place|Rise|View|Mews|"
           "Walk|Terrace|Yard|Wharf|Cottages|Hill|Grove|Square|Row|Parade|Park|Green|Vale|End|"
           "Meadows?|Fields|Mead|Croft|Chase|Gate|Wynd|Path|Bank|Lea|House|Heights|Wharfside|"
           "Quay|Ride|Villas|Buildings|Estate|Boulevard|Embankment|Hollow|Orchard|Side|Dale|Wood|Top|"
           "Brow|Cross|Circus|Approach|Common|Heath|Nook|Rd|St|Ave")
_SCHOOL = (r"(?:(?:Primary|Infant|Infants|Junior|Secondary|High|Grammar|Nursery|Specialist|Special|"
           r"Community|Church of England|Church|Catholic|C of E|CE|RC|Free|Prep|Preparatory|Middle|Upper|Lower|"
           r"Learning|Studio|Sixth Form)\s+)*(?:School|Academy|College|Nursery|Pupil Referral Unit|"
           r"Learning Centre|Children's Centre|Family Centre|Pre-School|Preschool)")
_CAPWORD = r"(?:St\.?|[A-Z][\w'\u2019-]*)"
#: (type, regex, score) for the pattern recognisers; case-sensitive on purpose (names are capitalised).
PATTERNS: tuple[tuple[str, str, float], ...] = (
    ("EMAIL", r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", 0.95),
    ("POSTCODE", r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b", 0.9),
    ("PHONE", r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w-])", 0.9),
    ("CASE_NUMBER", r"\b[A-Z]{2}\d{2}[A-Z]{1,2}\d{4,6}\b", 0.9),
    ("CASE_NUMBER", r"(?i:\bcase\s+(?:no\.?|number|ref(?:erence)?)\s*:?\s*)\K[A-Z0-9][A-Z0-9/-]{4,}\b", 0.9),
    ("DATE", rf"\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?\d{{1,2}}(?:st|nd|rd|th)?"
             rf"(?:\s*(?:and|-|to|&)\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?\b", 0.85),
    ("DATE", rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", 0.85),
    ("DATE", rf"\b(?:{_MONTHS})\s+\d{{4}}\b", 0.8),
    ("DATE", r"\b\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b", 0.8),
    ("DATE", r"\b\d{4}-\d{2}-\d{2}\b", 0.8),
    ("SCHOOL", rf"\b(?:{_CAPWORD}\s+){{1,4}}{_SCHOOL}\b", 0.85),
    ("ADDRESS", rf"(?:\b(?:Flat|Apartment|Unit|Room)\s+\d+[A-Za-z]?,?\s+)?\b\d{{1,4}}[A-Za-z]?,?\s+"
                rf"(?:{_CAPWORD}\s+){{0,3}}(?:{_STREET})\b(?:,\s*(?:[A-Z][a-z]+)(?:[ -][A-Z][a-z]+)?(?=[\s,.;:)]|$))?", 0.85),
    ("ADDRESS", rf"\b(?:Flat|Apartment|Unit|Room)\s+\d+[A-Za-z]?,\s+(?:{_CAPWORD}\s+){{0,3}}(?:{_CAPWORD})"
                rf"(?:,\s*(?:[A-Z][a-z]+)(?:[ -][A-Z][a-z]+)?(?=[\s,.;:)]|$))?", 0.85),
    # "Gwen Pritchard, Family Court Adviser": a name introduced by its profession
    ("PERSON", r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}(?=,\s+(?:the\s+|a\s+|an\s+|our\s+)?(?:[\w'-]+\s+){0,3}"
               r"(?:[Aa]dvis[eo]r|[Oo]fficer|[Ww]orker|[Gg]uardian|[Pp]ractitioner|[Mm]anager|[Aa]ssessor|"
               r"[Tt]eacher|[Hh]eadteacher|GP|[Dd]octor|[Nn]urse|[Vv]isitor|SENCO|[Ss]upervisor|"
               r"[Tt]herapist|[Pp]sychologist|[Cc]ounsellor|[Ss]olicitor)\b)", 0.75),
    ("PERSON", rf"\b(?:{_TITLE_RE})\.?\s+(?:(?:{_NAME_WORD})\s+)?(?:{_NAME_WORD})(?:-(?:{_NAME_WORD}))?\b", 0.8),
)
#: capitalised words that are never a person's or a place's name in a welfare report.
NOT_NAMES = frozenset("""
Cafcass CAFCASS Court Family Children Act Section Mr Mrs Ms Miss Dr GP NHS Police Council Local
Authority Service Services Team Unit Centre Hospital Clinic Practice School Academy Nursery
Report Addendum Introduction Background Analysis Recommendation Recommendations Conclusion
Summary Assessment Safeguarding Welfare Checklist Contact Order Orders Judge Magistrates
England Wales English Welsh British UK Monday Tuesday Wednesday Thursday Friday Saturday Sunday
January February March April May June July August September October November December Christmas
Easter Mum Dad Mummy Daddy Nan Nana Nanna Grandma Grandad Granddad Gran Grandpa Auntie Uncle
FCA CAMHS MARAC IDVA DBS PNC SGO CAO CPP CIN LAC EHCP SENCO SEN ADHD ASD PTSD HHJ Child Parent
Mother Father Cafcass Cymru Social Worker Health Visitor Officer Adviser Guardian Sir Madam
""".split())
_PRONOUNS = frozenset("i me my he him his she her hers they them their theirs we us our it its "
                      "himself herself themselves".split())


class PrivacyError(BiasLensError):
    """Pseudonymisation was asked for something it cannot do safely."""


@dataclass(frozen=True)
class IdentifierSpan:
    """One identifier found in a text: its offsets, its decided type and the evidence.

    ``group`` names the person or value the span belongs to (a role for parties), so that the
    same person gets the same placeholder throughout. ``source`` says which recogniser found it.
    """

    start: int
    end: int
    type: str
    group: str
    source: str
    score: float = 1.0


# ------------------------------------------------------------------------------------------
# Presidio engine (built once, offline)
# ------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _analyzer(model: str | None = None):
    """A Presidio AnalyzerEngine on biaslens's spaCy pipeline with biaslens's recognisers."""
    require("presidio_analyzer", feature="pseudonymisation", extra="privacy")
    import regex
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    from .pipeline import _base, spacy_model_name

    nlp = _base(model or spacy_model_name())

    class BiasLensNlpEngine(SpacyNlpEngine):
        """Presidio's spaCy engine on an already loaded pipeline: never loads or downloads."""

        def __init__(self, language_model) -> None:
            super().__init__(
                models=[{"lang_code": "en", "model_name": language_model.meta.get("name", "en")}],
                ner_model_configuration=NerModelConfiguration(
                    model_to_presidio_entity_mapping={
                        "PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION",
                        "LOC": "LOCATION", "FAC": "LOCATION", "NORP": "NRP"},
                    labels_to_ignore=["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT",
                                      "TIME", "DATE", "LAW", "EVENT", "LANGUAGE", "PRODUCT",
                                      "WORK_OF_ART"]))
            self.nlp = {"en": language_model}

        def load(self) -> None:  # the pipeline is given; nothing to load, nothing to fetch
            return None

    engine = BiasLensNlpEngine(nlp)
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(
        supported_entities=["PERSON", "ORGANIZATION", "LOCATION", "NRP"], ner_strength=0.6))
    flags = regex.DOTALL | regex.MULTILINE  # not IGNORECASE: capitalisation is evidence
    for i, (etype, rx, score) in enumerate(PATTERNS):
        registry.add_recognizer(PatternRecognizer(
            supported_entity=f"BL_{etype}", name=f"biaslens_{etype.lower()}_{i}",
            patterns=[Pattern(f"{etype}_{i}", rx, score)], global_regex_flags=flags))
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])


def _known_spans_recognizer(spans: list[tuple[int, int, str, str]]):
    """An ad-hoc Presidio recogniser that returns biaslens's own party/child mention spans."""
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    class BiasLensPartyRecognizer(EntityRecognizer):
        def load(self) -> None:
            return None

        def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
            return [RecognizerResult(f"BL_{t}", s, e, 1.0, recognition_metadata={
                "recognizer_name": self.name, "recognizer_identifier": self.id, "group": g})
                for s, e, t, g in spans]

    return BiasLensPartyRecognizer(supported_entities=["BL_PARTY", "BL_CHILD"],
                                   name="biaslens_parties")


# ------------------------------------------------------------------------------------------
# finding
# ------------------------------------------------------------------------------------------
def _strip_title(name: str) -> str:
    parts = name.replace(".", " ").split()
    while parts and parts[0] in TITLES:
        parts = parts[1:]
    return " ".join(parts)


def _name_tokens(name: str) -> list[str]:
    return [t for t in re.findall(r"[A-Z][\w'\u2019-]*", _strip_title(name))
            if t not in NOT_NAMES and len(t) > 1]


def _norm_possessive(s: str) -> str:
    return re.sub(r"['\u2019]s?$", "", s)


def _is_name_like(text: str, span: str, lower_words: set[str]) -> bool:
    """Capitalised words, none an ordinary word of this report, none a known non-name."""
    toks = re.findall(r"[\w'\u2019-]+", span)
    if not toks:
        return False
    for t in toks:
        base = _norm_possessive(t)
        if not base or not base[0].isupper() or base in NOT_NAMES:
            return False
        if base.lower() in lower_words or base.lower() in _PRONOUNS:
            return False
    return True


def _party_spans(text: str, parties: Mapping[str, Iterable[str]], child: Iterable[str],
                 mentions: Mapping[str, Iterable[tuple[int, int]]] | None) -> list[tuple[int, int, str, str]]:
    """Mention spans of parties and child that are names (never pronouns or kinship words)."""
    from .parties import ROLE_WORDS, find_mentions

    forms: dict[str, list[str]] = {}
    for role, aliases in parties.items():
        forms[role] = [a for a in aliases if a and a.lower() not in ROLE_WORDS]
    # the child detector is rules-based and sometimes takes a heading word ("Addendum") for
    # a name: keep only names that the report never writes in lower case
    lower_words = _lower_words(text)
    child_forms = [c for c in child if c and c.lower() not in ROLE_WORDS
                   and _is_name_like(text, c, lower_words)]
    if child_forms:
        forms["\x00child"] = child_forms
    out = []
    for s, e, role in find_mentions(text, forms):
        out.append((s, e, "CHILD" if role == "\x00child" else "PARTY",
                    "child" if role == "\x00child" else role))
    # mention offsets from the pipeline: only those whose text is one of the aliases, because
    # resolved pronouns and "the mother" are mentions too and are not identifiers
    for role, spans in (mentions or {}).items():
        alias_set = {a.lower() for a in forms.get(role if role != "child" else "\x00child", [])}
        for s, e in spans:
            if text[s:e].lower() in alias_set:
                out.append((s, e, "CHILD" if role == "child" else "PARTY", role))
    return out


def find_identifiers(text: str, parties: Mapping[str, Iterable[str]] | None = None, *,
                     child: Iterable[str] = (),
                     mentions: Mapping[str, Iterable[tuple[int, int]]] | None = None,
                     model: str | None = None) -> list[IdentifierSpan]:
    """Every identifier in ``text``, as non-overlapping typed spans in text order.

    Parameters
    ----------
    text : str
        The text to search.
    parties : dict, optional
        Role -> aliases; their occurrences become ``PARTY`` spans grouped by role.
    child : iterable of str
        The child's names; occurrences become ``CHILD`` spans.
    mentions : dict, optional
        Role (or ``"child"``) -> mention offsets from a :class:`~biaslens.report.Report`.
    model : str, optional
        The spaCy pipeline to use (default: the one biaslens loads).

    Returns
    -------
    list of IdentifierSpan

    Examples
    --------
    >>> from biaslens.privacy import find_identifiers
    >>> [(s.type, s.group) for s in find_identifiers("Mr Bell e-mailed bell@example.com.",
    ...                                               {"father": ["Mr Bell"]})]
    [('PARTY', 'father'), ('EMAIL', 'bell@example.com')]
    """
    parties = dict(parties or {})
    child = list(child)
    if not text:
        return []
    analyzer = _analyzer(model)
    nlp = analyzer.nlp_engine.nlp["en"]
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    known = _party_spans(text, parties, child, mentions)
    results = analyzer.analyze(text, language="en", score_threshold=0.0,
                               ad_hoc_recognizers=[_known_spans_recognizer(known)])
    lower_words = _lower_words(text)
    cands: list[IdentifierSpan] = []
    for r in results:
        span = text[r.start:r.end]
        meta = r.recognition_metadata or {}
        et = r.entity_type
        if et.startswith("BL_"):
            t = et[3:]
            if t in ("PARTY", "CHILD"):
                cands.append(IdentifierSpan(r.start, r.end, t, meta.get("group", t.lower()), "party", 1.0))
                continue
            if t == "PHONE" and not 10 <= len(re.sub(r"\D", "", span.replace("+44", "0"))) <= 11:
                continue
            if t == "SCHOOL":
                s, e = _trim_leading_common(text, r.start, r.end, lower_words)
                if s is None:
                    continue
                r_start, span = s, text[s:e]
                cands.append(IdentifierSpan(r_start, e, t, _canon(t, span), "pattern", r.score))
                continue
            if t == "PERSON":
                name = _strip_title(_norm_possessive(span))
                if not name or all(w in NOT_NAMES for w in name.split()):
                    continue
                if name == span and not _is_name_like(text, span, lower_words):
                    continue  # untitled: every word must look like a name
                cands.append(IdentifierSpan(r.start, r.end, t, _canon(t, span), "titled", r.score))
                continue
            cands.append(IdentifierSpan(r.start, r.end, t, _canon(t, span), "pattern", r.score))
            continue
        # spaCy NER: trust the span, not the label
        s, e = _trim_ner(text, r.start, r.end)
        if s is None or not _is_name_like(text, text[s:e], lower_words):
            continue
        t = "PLACE" if et in ("LOCATION",) else "PERSON"
        cands.append(IdentifierSpan(s, e, t, _canon(t, text[s:e]), "ner", r.score))
    cands = _type_by_evidence(text, cands, parties, child)
    cands += _propagate(text, cands, lower_words)
    return _merge_names(text, _resolve(cands))


def _lower_words(text: str) -> set[str]:
    """Words the report writes in lower case (outside e-mails and URLs): ordinary words."""
    text = re.sub(r"\S+@\S+|\bhttps?://\S+|\bwww\.\S+", " ", text)
    return set(re.findall(r"(?<![\w.@-])[a-z][\w'-]*", text))


def _merge_names(text: str, spans: list[IdentifierSpan]) -> list[IdentifierSpan]:
    """'Leo' + 'Mensah' -> one span: a child's or person's name followed by a known surname."""
    names = ("PARTY", "CHILD", "PERSON")
    out: list[IdentifierSpan] = []
    for s in spans:
        if (out and s.type in names and out[-1].type in names
                and re.fullmatch(r"[ \t]", text[out[-1].end:s.start])
                and (out[-1].type != "PARTY" or s.group == out[-1].group)):
            out[-1] = replace(out[-1], end=s.end)
            continue
        out.append(s)
    return out


def _trim_leading_common(text: str, s: int, e: int, lower_words: set[str]):
    """'At Oakfield Primary School' -> 'Oakfield Primary School'."""
    while True:
        m = re.match(r"([\w'\u2019.-]+)\s+", text[s:e])
        if not m:
            return s, e
        w = m.group(1)
        if w in ("St", "St.", "Saint") or not (w.lower() in lower_words or w in NOT_NAMES
                                               or w.lower() in _PRONOUNS or w == "The"):
            return s, e
        s += m.end()
        if not re.search(r"[A-Z]", text[s:e].split()[0] if text[s:e].split() else ""):
            return None, None


def _trim_ner(text: str, s: int, e: int):
    """Drop a leading 'the' and a trailing possessive from an NER span."""
    span = text[s:e]
    m = re.match(r"(?:the|The)\s+", span)
    if m:
        s += m.end()
    m = re.search(r"['\u2019]s?$", text[s:e])
    if m:
        e -= len(m.group(0))
    return (s, e) if e > s else (None, None)


def _type_by_evidence(text: str, cands: list[IdentifierSpan], parties, child) -> list[IdentifierSpan]:
    """Retype NER spans by what else is known: party/child names, titled names, places."""
    party_tok: dict[str, str] = {}
    for role, aliases in parties.items():
        for a in aliases:
            for t in _name_tokens(a):
                party_tok.setdefault(t, role)
    child_tok = {t for c in child for t in _name_tokens(c)}
    out = []
    for c in cands:
        if c.source != "ner":
            out.append(c)
            continue
        span = text[c.start:c.end]
        before = text[max(0, c.start - 12):c.start]
        if re.search(rf"\b(?:{_TITLE_RE})\.?\s+$", before):
            out.append(replace(c, type="PERSON"))
            continue
        toks = _name_tokens(span)
        if toks and all(t in child_tok for t in toks):
            out.append(replace(c, type="CHILD", group="child"))
        elif toks and all(t in party_tok for t in toks) and len({party_tok[t] for t in toks}) == 1:
            out.append(replace(c, type="PARTY", group=party_tok[toks[0]]))
        else:
            out.append(c)
    return out


def _propagate(text: str, cands: list[IdentifierSpan], lower_words: set[str]) -> list[IdentifierSpan]:
    """Redact later bare occurrences of names found once (first names, surnames, towns)."""
    tok_group: dict[str, tuple[str, str]] = {}
    order = sorted(cands, key=lambda c: -PRIORITY.get(c.type, 0))
    for c in order:
        if c.type not in ("PARTY", "CHILD", "PERSON", "PLACE", "ADDRESS"):
            continue
        span = text[c.start:c.end]
        if c.type == "ADDRESS":
            # the town after the last comma of an address is a place wherever it appears
            m = re.search(r",\s*([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s*$", span)
            if m and m.group(1) not in NOT_NAMES and m.group(1).lower() not in lower_words:
                tok_group.setdefault(m.group(1), ("PLACE", _canon("PLACE", m.group(1))))
            continue
        for t in _name_tokens(_norm_possessive(span)):
            base = _norm_possessive(t)
            if base.lower() in lower_words or len(base) < 2:
                continue
            tok_group.setdefault(base, (c.type, c.group if c.type in ("PARTY", "CHILD") else c.group))
    out = []
    for tok, (t, g) in tok_group.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(tok)}(?![\w-])", text):
            out.append(IdentifierSpan(m.start(), m.end(), t, g, "propagated", 0.5))
    # double-barrelled names: "Asante-Fletcher" when "Mr Asante" or "Mr Fletcher" is known
    for m in re.finditer(r"(?<![\w-])[A-Z][\w'\u2019]*(?:-[A-Z][\w'\u2019]*)+(?![\w-])", text):
        hits = [tok_group[p] for p in m.group(0).split("-") if p in tok_group]
        if hits:
            out.append(IdentifierSpan(m.start(), m.end(), hits[0][0], hits[0][1], "propagated", 0.5))
    return out


def _resolve(cands: list[IdentifierSpan]) -> list[IdentifierSpan]:
    """Non-overlapping spans: higher priority first, then more evidence, then longer."""
    # a party or child name inside an e-mail, address or school name goes with the container:
    # "k.mensah@example.com" is one e-mail, "22 Larkspur Close, Kestlemoor" one address
    boxes = [c for c in cands if c.type in ("EMAIL", "ADDRESS", "SCHOOL") and c.source == "pattern"]
    cands = [c for c in cands if c.type not in ("PARTY", "CHILD") or not any(
        b.start <= c.start and c.end <= b.end and (b.end - b.start) > (c.end - c.start) for b in boxes)]
    rank = {"party": 4, "pattern": 3, "titled": 3, "ner": 1, "propagated": 2}
    # propagated bare names only fill gaps: "Ms Fiona Reid" (a titled person) must not be cut
    # into "Ms Fiona" + [FATHER] because the father is "Mr Reid"
    cands = sorted(cands, key=lambda c: (c.source == "propagated", -PRIORITY.get(c.type, 0),
                                         -rank.get(c.source, 0), -(c.end - c.start), c.start))
    taken: list[IdentifierSpan] = []
    starts: list[int] = []
    for c in cands:
        k = bisect.bisect_left(starts, c.start)
        if k > 0 and taken[k - 1].end > c.start:
            continue
        if k < len(taken) and taken[k].start < c.end:
            continue
        taken.insert(k, c)
        starts.insert(k, c.start)
    return taken


def _canon(t: str, value: str) -> str:
    """The value that identifies a person or thing across reports (for keyed placeholders)."""
    v = " ".join(_norm_possessive(value).split())
    if t == "PHONE":
        return re.sub(r"\D", "", v.replace("+44", "0"))
    if t == "POSTCODE":
        return v.replace(" ", "").upper()
    if t in ("EMAIL", "CASE_NUMBER"):
        return v.lower()
    if t == "PERSON":
        # keep the title: "Mr Abara" and "Miss Abara" are different people
        return v.lower()
    return v.lower()


def _person_groups(text: str, spans: list[IdentifierSpan]) -> list[IdentifierSpan]:
    """Link 'Hannah Lowe', 'Ms Lowe' and 'Hannah' into one PERSON group where unambiguous."""
    persons = [s for s in spans if s.type == "PERSON"]
    full: dict[str, str] = {}  # token -> group of the first multi-token name holding it
    for s in persons:
        toks = _name_tokens(_norm_possessive(text[s.start:s.end]))
        if len(toks) >= 2 and _strip_title(text[s.start:s.end]) == text[s.start:s.end]:
            for t in toks:
                full.setdefault(t, s.group)
    out = []
    for s in spans:
        if s.type == "PERSON":
            toks = _name_tokens(_norm_possessive(text[s.start:s.end]))
            titled = _strip_title(text[s.start:s.end]) != text[s.start:s.end]
            if len(toks) == 1 and not titled and toks[0] in full:
                s = replace(s, group=full[toks[0]])
            elif len(toks) >= 1 and titled and toks[-1] in full:
                s = replace(s, group=full[toks[-1]])
        out.append(s)
    return out


# ------------------------------------------------------------------------------------------
# replacing
# ------------------------------------------------------------------------------------------
def _key_bytes(key: str | bytes | None) -> bytes | None:
    if key is None:
        return None
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, (bytes, bytearray)) or len(key) == 0:
        raise PrivacyError(Errors.E200.format(type=type(key).__name__))
    return bytes(key)


def _placeholders(text: str, spans: list[IdentifierSpan], key: bytes | None,
                  roles: Mapping[str, str] | None = None) -> list[str]:
    """One placeholder per span: roles for parties, numbered or keyed for everything else."""
    counters: dict[str, int] = {}
    assigned: dict[tuple[str, str], str] = {}
    child_groups = sorted({s.group for s in spans if s.type == "CHILD"})
    out = []
    for s in spans:
        if s.type == "PARTY":
            out.append(f"[{(roles or {}).get(s.group, s.group).upper()}]")
            continue
        if s.type == "CHILD":
            out.append("[CHILD]" if len(child_groups) <= 1 else
                       f"[CHILD_{child_groups.index(s.group) + 1}]")
            continue
        k = (s.type, s.group)
        if k not in assigned:
            if key is not None:
                digest = hmac.new(key, f"{s.type}\x1f{s.group}".encode("utf-8"), hashlib.sha256)
                assigned[k] = f"[{s.type}_{digest.hexdigest()[:8].upper()}]"
            else:
                counters[s.type] = counters.get(s.type, 0) + 1
                assigned[k] = f"[{s.type}_{counters[s.type]}]"
        out.append(assigned[k])
    return out


class _OffsetMap:
    """Maps offsets of the old text to the new text after span replacements."""

    def __init__(self, spans: list[tuple[int, int, int]]) -> None:
        # (old_start, old_end, new_length), sorted and non-overlapping
        self.spans = spans
        self.starts = [s for s, _, _ in spans]
        self.new_starts = []
        delta = 0
        for s, e, n in spans:
            self.new_starts.append(s + delta)
            delta += n - (e - s)

    def __call__(self, pos: int, *, side: str) -> int:
        k = bisect.bisect_right(self.starts, pos) - 1
        if k < 0:
            return pos
        s, e, n = self.spans[k]
        ns = self.new_starts[k]
        if pos >= e:
            return ns + n + (pos - e)
        if pos == s:
            return ns
        # strictly inside a replaced span: a start snaps to its start, an end to its end
        return ns if side == "start" else ns + n


def _rewrite(text: str, spans: list[IdentifierSpan], placeholders: list[str]):
    parts, last = [], 0
    for s, p in zip(spans, placeholders):
        parts.append(text[last:s.start])
        parts.append(p)
        last = s.end
    parts.append(text[last:])
    new = "".join(parts)
    omap = _OffsetMap([(s.start, s.end, len(p)) for s, p in zip(spans, placeholders)])
    return new, omap


def _mapping(text: str, spans: list[IdentifierSpan], placeholders: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s, p in zip(spans, placeholders):
        lst = out.setdefault(p, [])
        if text[s.start:s.end] not in lst:
            lst.append(text[s.start:s.end])
    return out


def _scrub(value: Any, surface: list[tuple[str, str]]) -> Any:
    """Replace known identifier strings inside free strings (notes, meta) as a last resort."""
    if isinstance(value, str):
        for orig, ph in surface:
            value = re.sub(rf"(?<![\w-]){re.escape(orig)}(?![\w-])", ph, value)
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, surface) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_scrub(v, surface) for v in value)
    return value


def identifier_spans(report: Report, *, model: str | None = None) -> list[IdentifierSpan]:
    """The spans :func:`pseudonymise` replaces in ``report.text``, with their types and groups.

    Examples
    --------
    >>> import biaslens
    >>> r = biaslens.analyze("Ms Finch said that Mr Bell missed contact on 3 May 2024.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> [s.type for s in identifier_spans(r)]
    ['PARTY', 'PARTY', 'DATE']
    """
    if not isinstance(report, Report):
        raise PrivacyError(Errors.E201.format(type=type(report).__name__))
    parties = {r: list(p.aliases) for r, p in report.parties.items()}
    mentions = {r: list(p.mentions) for r, p in report.parties.items()}
    child = list(report.child.aliases) if report.child else []
    if report.child:
        mentions["child"] = list(report.child.mentions)
    spans = find_identifiers(report.text, parties, child=child, mentions=mentions, model=model)
    return _person_groups(report.text, spans)


def pseudonymise(report: Report, *, key: str | bytes | None = None,
                 return_mapping: bool = False, model: str | None = None):
    """A copy of ``report`` whose identifiers are replaced by placeholders.

    Parties become their role (``[MOTHER]``, ``[FATHER]``, ``[MATERNAL_GRANDMOTHER]``), the
    child ``[CHILD]``, other people ``[PERSON_1]``..., and schools, addresses, places,
    postcodes, phone numbers, e-mails, case numbers and exact dates typed placeholders
    (``[SCHOOL_1]``, ``[DATE_2]`` ...). The same person or value gets the same placeholder
    throughout the report. Labels, sources, targets, cue categories and scores are unchanged;
    every offset is remapped to the new text.

    Parameters
    ----------
    report : Report
        The analysed report.
    key : str or bytes, optional
        A secret. When given, placeholders of non-party identifiers are derived from
        HMAC-SHA256(key, type + value), so the same person or value gets the same placeholder
        across a corpus (``[PERSON_3F9A1C2B]``). Keep the key secret: with it, a guessed
        name can be confirmed.
    return_mapping : bool
        Also return ``{placeholder: [original strings]}``. The mapping is never put in the
        report; write it to a separate, protected file with :func:`write_mapping`.
    model : str, optional
        The spaCy pipeline for entity spans (default: the one biaslens loads).

    Returns
    -------
    Report, or (Report, dict) when ``return_mapping`` is true.

    Examples
    --------
    >>> import biaslens
    >>> r = biaslens.analyze("Ms Finch said that Mr Bell missed contact on 3 May 2024.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> p = r.pseudonymise()
    >>> p.text
    '[MOTHER] said that [FATHER] missed contact on [DATE_1].'
    >>> p.statements[0].source, p.parties["father"].aliases
    ('mother', ('[FATHER]',))
    """
    if not isinstance(report, Report):
        raise PrivacyError(Errors.E201.format(type=type(report).__name__))
    kb = _key_bytes(key)
    if report.meta.get("pseudonymised"):
        logger.debug("pseudonymise: the report is already pseudonymised; pseudonymising again")
    text = report.text
    parties = {r: list(p.aliases) for r, p in report.parties.items()}
    child = list(report.child.aliases) if report.child else []
    spans = identifier_spans(report, model=model)
    placeholders = _placeholders(text, spans, kb)
    new, omap = _rewrite(text, spans, placeholders)
    mapping = _mapping(text, spans, placeholders)
    # longest first, so "Rachel Finch" is replaced before "Rachel"
    surface = sorted(((o, p) for p, origs in mapping.items() for o in origs),
                     key=lambda x: -len(x[0]))
    for role, aliases in parties.items():
        surface += [(a, f"[{role.upper()}]") for a in aliases if a.lower() not in _PRONOUNS]
    surface += [(c, "[CHILD]") for c in child]
    surface.sort(key=lambda x: -len(x[0]))

    def span(s: int, e: int) -> tuple[int, int]:
        return omap(s, side="start"), omap(e, side="end")

    def cue(c: Cue) -> Cue:
        s, e = span(c.start, c.end)
        return replace(c, text=new[s:e], start=s, end=e, note=_scrub(c.note, surface))

    statements = []
    for st in report.statements:
        s, e = span(st.start, st.end)
        statements.append(replace(st, text=new[s:e], start=s, end=e,
                                  cues=tuple(cue(c) for c in st.cues)))

    def party(p: Party, placeholder: str) -> Party:
        return Party(p.role, (placeholder,), tuple(span(s, e) for s, e in p.mentions))

    new_parties = {r: party(p, f"[{r.upper()}]") for r, p in report.parties.items()}
    new_child = party(report.child, "[CHILD]") if report.child else None
    meta = _scrub(dict(report.meta), surface)
    meta["pseudonymised"] = True
    meta["pseudonymisation"] = {"keyed": kb is not None,
                                "counts": {t: sum(s.type == t for s in spans) for t in TYPES}}
    out = Report(new, new_parties, statements, new_child, meta)
    logger.debug("pseudonymised a report: %d identifier spans replaced", len(spans))
    return (out, mapping) if return_mapping else out


def pseudonymise_text(text: str, parties: Mapping[str, Iterable[str]] | None = None, *,
                      key: str | bytes | None = None, child: Iterable[str] = (),
                      return_mapping: bool = False, model: str | None = None):
    """Pseudonymise a bare text (a source document, a comparison) the way reports are.

    Parameters
    ----------
    text : str
        Any text.
    parties : dict, optional
        Role -> aliases; their occurrences become ``[ROLE]``.
    key : str or bytes, optional
        See :func:`pseudonymise`.
    child : iterable of str
        The child's names; they become ``[CHILD]``.
    return_mapping : bool
        Also return ``{placeholder: [original strings]}``.

    Examples
    --------
    >>> pseudonymise_text("Amy told Mrs Patel about it.", child=["Amy"])
    '[CHILD] told [PERSON_1] about it.'
    """
    if not isinstance(text, str):
        raise PrivacyError(Errors.E202.format(type=type(text).__name__))
    kb = _key_bytes(key)
    if parties is not None:
        from .parties import validate

        parties = validate(parties)
    spans = _person_groups(text, find_identifiers(text, parties or {}, child=list(child), model=model))
    placeholders = _placeholders(text, spans, kb)
    new, _ = _rewrite(text, spans, placeholders)
    return (new, _mapping(text, spans, placeholders)) if return_mapping else new


def write_mapping(mapping: Mapping[str, Iterable[str]], path: "str | PathLike[str]") -> None:
    """Write a placeholder -> originals mapping to its own JSON file, readable by the owner only.

    The file re-identifies the family: keep it apart from anything shared.
    """
    import os
    from pathlib import Path

    from ._io import atomic_write_text

    if not isinstance(mapping, Mapping):
        raise PrivacyError(Errors.E203.format(type=type(mapping).__name__))
    p = Path(path)
    data = json.dumps({k: list(v) for k, v in mapping.items()}, indent=2, ensure_ascii=False,
                      sort_keys=True)
    atomic_write_text(p, data)
    try:
        os.chmod(p, 0o600)
    except OSError:  # pragma: no cover - filesystems without permissions
        logger.warning("could not restrict permissions of the mapping file %s", p)
    logger.info("wrote a pseudonymisation mapping with %d placeholders to %s", len(mapping), p)
