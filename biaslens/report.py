"""Plain, frozen result objects returned to users.

They hold offsets and strings only, never spaCy objects, so they pickle-free serialise to JSON,
survive a process boundary (batch scoring, Dask) and can be pseudonymised by rewriting text.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

LABELS = ("observation", "allegation", "opinion", "other")
CUE_CATEGORIES = (
    "presupposed_failure",
    "unsupported_presupposition",
    "distancing_attribution",
    "neutral_attribution",
    "endorsing_attribution",
    "hedge",
    "booster",
    "negative_descriptor",
    "positive_descriptor",
    "mental_health_reference",
    "pattern_presupposition",
    "evaluation_as_fact",
    "unattributed_contested",
)
#: Sources that are not parties: the report's author, the child, anyone else.
NON_PARTY_SOURCES = ("author", "child", "third_party")


@dataclass(frozen=True)
class Party:
    """A party to the proceedings (or the child), identified by a role name.

    Attributes
    ----------
    role : str
        Free role name such as ``"mother"``, ``"father_2"`` or ``"grandmother"``.
    aliases : tuple of str
        The names the report uses for the party.
    mentions : tuple of (int, int)
        Character offsets of every mention in the report text, pronouns resolved only when
        unambiguous.
    """

    role: str
    aliases: tuple[str, ...]
    mentions: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "aliases": list(self.aliases),
                "mentions": [list(m) for m in self.mentions]}


@dataclass(frozen=True)
class Cue:
    """A framing cue (ANNOTATION.md section 4) bound to the party it bears on.

    ``voice`` is ``"author"`` when the author frames the party, ``"reported"`` when the cue sits
    inside someone else's reported words. ``note`` explains the binding or, for an
    ``unsupported_presupposition``, the search that found no recorded request.
    """

    text: str
    start: int
    end: int
    category: str
    target: str | None
    voice: str = "author"
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Statement:
    """One sentence (or heading / list item) with its epistemic label."""

    text: str
    start: int
    end: int
    label: str
    source: str
    targets: tuple[str, ...]
    cues: tuple[Cue, ...] = ()
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["targets"] = list(self.targets)
        d["cues"] = [c.to_dict() for c in self.cues]
        return d


@dataclass(frozen=True)
class Report:
    """The analysis of one report: its text, parties, statements and cues.

    Examples
    --------
    >>> import biaslens
    >>> r = biaslens.analyze("Ms Finch said that Mr Bell refused to attend.",
    ...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
    >>> r.statements[0].label
    'allegation'
    """

    text: str
    parties: dict[str, Party]
    statements: list[Statement]
    child: Party | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    # -- views ---------------------------------------------------------------------------
    @property
    def cues(self) -> list[Cue]:
        """Every cue of every statement, in text order."""
        return [c for s in self.statements for c in s.cues]

    def to_dict(self, *, pseudonymise: bool = False, key: str | bytes | None = None) -> dict[str, Any]:
        """A JSON-serialisable dict of everything in the report."""
        rep = self.pseudonymise(key=key) if pseudonymise else self
        return {
            "text": rep.text,
            "parties": {r: p.to_dict() for r, p in rep.parties.items()},
            "child": rep.child.to_dict() if rep.child else None,
            "statements": [s.to_dict() for s in rep.statements],
            "meta": rep.meta,
        }

    def to_json(self, path: str | None = None, *, pseudonymise: bool = False,
                key: str | bytes | None = None, indent: int | None = 2) -> str:
        """Serialise to JSON; also write it atomically to ``path`` when given."""
        out = json.dumps(self.to_dict(pseudonymise=pseudonymise, key=key), indent=indent,
                         ensure_ascii=False)
        if path is not None:
            from ._io import atomic_write_text

            atomic_write_text(path, out)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        """Rebuild a report from :meth:`to_dict` output."""
        parties = {r: Party(p["role"], tuple(p["aliases"]), tuple(tuple(m) for m in p["mentions"]))
                   for r, p in data["parties"].items()}
        child = data.get("child")
        statements = [
            Statement(s["text"], s["start"], s["end"], s["label"], s["source"], tuple(s["targets"]),
                      tuple(Cue(**c) for c in s["cues"]), s.get("confidence", 1.0))
            for s in data["statements"]
        ]
        return cls(data["text"], parties, statements,
                   Party(child["role"], tuple(child["aliases"]), tuple(tuple(m) for m in child["mentions"])) if child else None,
                   dict(data.get("meta", {})))

    def to_frame(self, *, pseudonymise: bool = False, key: str | bytes | None = None) -> "pd.DataFrame":
        """One row per statement: offsets, label, source, targets, confidence and cue summary."""
        import pandas as pd

        rep = self.pseudonymise(key=key) if pseudonymise else self
        columns = ["statement_id", "start", "end", "text", "label", "source", "targets",
                   "confidence", "n_cues", "cues"]
        return pd.DataFrame(rep.statement_records(), columns=columns)

    def statement_records(self) -> list[dict[str, Any]]:
        """The rows of :meth:`to_frame` as plain dicts (no pandas; batch scoring's hot path)."""
        return [{
            "statement_id": i,
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "label": s.label,
            "source": s.source,
            "targets": ",".join(s.targets),
            "confidence": s.confidence,
            "n_cues": len(s.cues),
            "cues": ";".join(f"{c.category}:{c.target or ''}" for c in s.cues),
        } for i, s in enumerate(self.statements)]

    def cues_frame(self) -> "pd.DataFrame":
        """One row per cue with the statement it sits in."""
        import pandas as pd

        rows = [{"statement_id": i, "statement_label": s.label, "statement_source": s.source,
                 **c.to_dict()} for i, s in enumerate(self.statements) for c in s.cues]
        cols = ["statement_id", "statement_label", "statement_source", "text", "start", "end",
                "category", "target", "voice", "note"]
        return pd.DataFrame(rows, columns=cols)

    # -- analysis conveniences (implemented downstream; nothing flows backwards) -----------
    def scores(self) -> "pd.DataFrame":
        """Per-party framing scores; see :func:`biaslens.framing.scores`."""
        from .framing import scores

        return scores(self)

    def asymmetry(self, a: str | None = None, b: str | None = None, *, n_boot: int = 2000,
                  seed: int = 0):
        """Framing asymmetry between two parties; see :func:`biaslens.framing.asymmetry`."""
        from .framing import asymmetry

        return asymmetry(self, a, b, n_boot=n_boot, seed=seed)

    def pseudonymise(self, *, key: str | bytes | None = None) -> "Report":
        """A copy with identifiers replaced by placeholders; see :mod:`biaslens.privacy`."""
        from .privacy import pseudonymise

        return pseudonymise(self, key=key)

    def to_html(self, path: str | None = None, *, pseudonymise: bool = False,
                key: str | bytes | None = None) -> str:
        """A self-contained HTML view; written atomically to ``path`` when given."""
        from .render import to_html

        return to_html(self, path, pseudonymise=pseudonymise, key=key)

    def to_markdown(self, *, pseudonymise: bool = False, key: str | bytes | None = None) -> str:
        """A Markdown summary with the per-party table and flagged statements."""
        from .render import to_markdown

        return to_markdown(self, pseudonymise=pseudonymise, key=key)

    def _repr_html_(self) -> str:
        from .render import repr_html

        return repr_html(self)

    def __repr__(self) -> str:  # never print report text in reprs: it ends up in logs
        counts = {lab: sum(s.label == lab for s in self.statements) for lab in LABELS}
        return (f"Report(parties={list(self.parties)}, statements={len(self.statements)}, "
                f"labels={counts}, cues={len(self.cues)})")


def statements_about(statements: Iterable[Statement], role: str) -> list[Statement]:
    """The statements whose targets include ``role``."""
    return [s for s in statements if role in s.targets]
