"""Statement taggers behind one interface.

``get_tagger(backend)`` returns an object with ``predict_spans(spans) -> list[(label, confidence)]``
used by the ``biaslens_statements`` component. ``"rules"`` is the transparent baseline
(:mod:`biaslens.tagger.rules`).
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span

from ..errors import Errors, InputError
from .rules import decide

BACKENDS = ("rules",)
DEFAULT_BACKEND = "rules"


class RuleTagger:
    """The rule baseline as a span tagger."""

    name = "rules"

    def predict_spans(self, spans: list[Span]) -> list[tuple[str, float]]:
        out = []
        for s in spans:
            d = decide(s)
            out.append((d.label, d.confidence))
        return out


@lru_cache(maxsize=None)
def get_tagger(backend: str = "default"):
    """Load the tagger for ``backend`` ("default", or one of :data:`BACKENDS`)."""
    if backend == "default":
        backend = DEFAULT_BACKEND
    if backend == "rules":
        return RuleTagger()
    raise InputError(Errors.E009.format(backend=backend, options=("default",) + BACKENDS))
