"""Versioned cue lexicons: data files with a ``source`` column for every row.

The packaged TSV files are never edited by code. Users add entries through the
``extra_lexicon=`` argument of :func:`biaslens.load` / :func:`biaslens.analyze`, as a path to a
TSV/JSONL file with the same columns or as a list of dicts.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import Errors, InputError

COLUMNS = ("term", "category", "match", "source")
#: Packaged lexicon names, one TSV file each.
NAMES = ("attribution", "hedges", "boosters", "failures", "requests", "descriptors",
         "mental_health", "pattern", "stance_frames", "compliance")
#: lexicons that are not cue categories themselves but steer the cue finder
AUXILIARY = ("requests", "stance_frames", "compliance")
VERSION = "1.3"


@dataclass(frozen=True)
class LexEntry:
    """One lexicon row. ``match`` is ``"lemma"`` (inflections match) or ``"lower"`` (exact words)."""

    term: str
    category: str
    match: str
    source: str


def _parse_rows(rows: Iterable[Mapping[str, str]], where: str) -> list[LexEntry]:
    out = []
    for i, row in enumerate(rows, start=2):
        missing = [c for c in ("term", "category") if not (row.get(c) or "").strip()]
        if missing:
            raise InputError(Errors.E013.format(path=where, line=i, reason=f"empty {missing}",
                                                columns=", ".join(COLUMNS)))
        match = (row.get("match") or "lower").strip()
        if match not in ("lemma", "lower"):
            raise InputError(Errors.E013.format(path=where, line=i,
                                                reason=f"match must be 'lemma' or 'lower', not {match!r}",
                                                columns=", ".join(COLUMNS)))
        out.append(LexEntry(row["term"].strip().lower(), row["category"].strip(), match,
                            (row.get("source") or "user").strip()))
    return out


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> tuple[LexEntry, ...]:
    """Load a packaged lexicon by name (see :data:`NAMES`)."""
    text = resources.files(__package__).joinpath(f"{name}.tsv").read_text(encoding="utf-8")
    return tuple(_parse_rows(csv.DictReader(text.splitlines(), delimiter="\t"), f"{name}.tsv"))


def read_extra(extra: str | Path | Iterable[Mapping[str, str]] | None) -> list[LexEntry]:
    """Read user lexicon entries from a TSV/JSONL path or an iterable of dicts."""
    if extra is None:
        return []
    if isinstance(extra, (str, Path)):
        path = Path(extra)
        text = path.read_text(encoding="utf-8")
        if path.suffix in (".jsonl", ".json"):
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
        return _parse_rows(rows, str(path))
    return _parse_rows(list(extra), "extra_lexicon")


def all_entries() -> list[LexEntry]:
    """Every packaged entry, across lexicons."""
    return [e for n in NAMES for e in load_lexicon(n)]
