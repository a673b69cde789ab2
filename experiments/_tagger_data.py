"""Statement-level data for the tagger experiments, parsed in the context of their report.

Each report's statements are joined into its text (AUTHORING.md: ``"p": true`` starts a
paragraph), parsed once by the biaslens pipeline with the report's own ``parties``, and every
gold statement is mapped to a ``Span`` of that parse by its character offsets. Models are fitted
and evaluated on these spans, so they see exactly what ``analyze()`` sees.

Splits are by report (never by sentence): ``biaslens.corpora.load("s7synth")``'s split when
that module is available, else a deterministic per-writer hash split (70/10/20).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ._common import ROOT

AUTHORED = ROOT / "corpora" / "s7synth" / "authored"


@dataclass
class Item:
    report_id: str
    writer: str
    split: str
    span: object  # spacy Span
    label: str
    source: str
    targets: tuple
    twin_of: str | None = None
    extra: dict = field(default_factory=dict)


def _hash(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def load_reports() -> tuple[list[dict], list[Path]]:
    """Authored reports (dicts) and the files they came from (for provenance hashes)."""
    files = sorted(AUTHORED.glob("*.json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in files], files


def corpus_splits() -> dict[str, str] | None:
    """report_id -> split from ``biaslens.corpora`` if it exists, else None."""
    try:
        from biaslens import corpora  # type: ignore
    except ImportError:
        return None
    try:
        dd = corpora.load("s7synth")
    except Exception:  # the corpus module is being built alongside; fall back to our own split
        return None
    out = {}
    for split, ds in dd.items():
        for rid in set(ds["report_id"]):
            out[rid] = split
    return out


def hash_split(reports: list[dict]) -> dict[str, str]:
    by_writer: dict[str, list[str]] = {}
    for r in reports:
        by_writer.setdefault(r.get("writer", "?"), []).append(r["report_id"])
    out = {}
    for ids in by_writer.values():
        ids = sorted(ids, key=_hash)
        n = len(ids)
        n_test = max(1, round(0.2 * n))
        n_dev = max(1, round(0.1 * n))
        for k, rid in enumerate(ids):
            out[rid] = "test" if k < n_test else "dev" if k < n_test + n_dev else "train"
    return out


def join(statements: list[dict]) -> tuple[str, list[tuple[int, int]]]:
    text, offs = "", []
    for k, s in enumerate(statements):
        if k:
            text += "\n\n" if s.get("p") else " "
        offs.append((len(text), len(text) + len(s["text"])))
        text += s["text"]
    return text, offs


def parse_reports(reports: list[dict], splits: dict[str, str], nlp) -> list[Item]:
    from biaslens.pipeline import make_doc

    items: list[Item] = []
    for r in reports:
        split = splits.get(r["report_id"])
        if split is None:
            continue
        text, offs = join(r["statements"])
        doc = make_doc(nlp, text, r["parties"])
        for s, (a, b) in zip(r["statements"], offs):
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None:
                continue
            toks = [t for t in span if not t.is_space]
            span = doc[toks[0].i:toks[-1].i + 1]
            items.append(Item(r["report_id"], r.get("writer", "?"), split, span, s["label"],
                              s["source"], tuple(s.get("targets", ())), r.get("twin_of")))
    return items


def parse_corpus(reports: list[dict], nlp) -> list[Item]:
    """Items from ``biaslens.corpora.read_reports()`` records (text + statement offsets)."""
    from biaslens.pipeline import make_doc

    items: list[Item] = []
    for r in reports:
        doc = make_doc(nlp, r["text"], r["parties"])
        for s in r["statements"]:
            span = doc.char_span(s["start"], s["end"], alignment_mode="expand")
            toks = [t for t in span if not t.is_space] if span is not None else []
            if not toks:
                continue
            span = doc[toks[0].i:toks[-1].i + 1]
            items.append(Item(r["report_id"], r.get("writer", "?"), r["split"], span, s["label"],
                              s["source"], tuple(s.get("targets", ())), r.get("twin_of"),
                              {"index": s["index"], "is_twin": r.get("is_twin", False)}))
    return items


def build_heldout(nlp=None) -> tuple[list[Item], list[Path]]:
    """Items of ``s7heldout`` (writer E's unseen styles, test only), originals and twins."""
    import warnings

    import biaslens
    from biaslens.corpora import _s7synth_file, read_reports

    nlp = nlp or biaslens.load(backend="rules")
    path = _s7synth_file("s7heldout")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return parse_corpus(read_reports(path), nlp), [path]


def build(nlp=None, *, only_originals_for_train: bool = False) -> tuple[list[Item], list[Path], str]:
    """Parsed items, input files, and where the split came from.

    Uses the built corpus (``biaslens.corpora.read_reports()``: report texts, offsets, report-
    level splits, role-swapped twins) when it exists, else the authored files.
    """
    import warnings

    import biaslens

    nlp = nlp or biaslens.load(backend="rules")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from biaslens.corpora import _s7synth_file, read_reports

            reports = read_reports()
            if only_originals_for_train:
                # quick runs: twins are only needed on test (for swap invariance)
                reports = [r for r in reports if r["split"] == "test" or not r.get("is_twin")]
            return parse_corpus(reports, nlp), [_s7synth_file()], "biaslens.corpora"
        except (ImportError, FileNotFoundError):
            reports, files = load_reports()
            splits = hash_split(reports)
            return parse_reports(reports, splits, nlp), files, "hash_per_writer_70_10_20"
