"""Statement taggers behind one interface.

``get_tagger(backend)`` returns an object with ``predict_spans(spans) -> list[(label, confidence)]``
used by the ``biaslens_statements`` component. Backends:

* ``"rules"``: the transparent baseline (:mod:`biaslens.tagger.rules`);
* ``"linear"``: logistic regression over linguistic features and n-grams, shipped in
  ``biaslens/models/linear.skops``;
* ``"transformer"``: MiniLM sentence embeddings with a trained head, shipped in
  ``biaslens/models/transformer.safetensors`` (needs the ``transformers`` extra).

All three are :class:`StatementClassifier` estimators; see ``models/<backend>.md`` for each
model card and ``experiments/tagger_eval.py`` for how they were measured.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span

from ..errors import Errors, InputError, ModelError
from .estimator import BACKENDS, LABELS, StatementClassifier
from .features import featurize
from ..attribution import frames
from .rules import decide

logger = logging.getLogger("biaslens")

#: The most accurate backend that is near the speed target (tagger time at most 25% of bare
#: spaCy parsing time, experiments/bench_tagger.py): linear measured 1.34x vs rules 1.21x and
#: transformer 9.5x; its test macro-F1 is 0.977 vs 0.78 for rules (models/linear.md).
DEFAULT_BACKEND = "linear"

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "LABELS", "StatementClassifier", "get_tagger",
           "model_path", "RuleTagger", "LearnedTagger"]


def model_path(backend: str) -> Path:
    """Where the shipped artefact of ``backend`` lives (without suffix)."""
    from importlib import resources

    try:
        base = Path(str(resources.files("biaslens.models")))
    except ModuleNotFoundError:  # pragma: no cover - source checkout without install
        base = Path(__file__).resolve().parents[2] / "models"
    return base / backend


def _remember(span: Span, fr, rule) -> None:
    """Keep a statement's frames and rule decision for the source step, so neither is recomputed."""
    span.doc.user_data.setdefault("biaslens_tagger_cache", {})[(span.start, span.end)] = (fr, rule)


class RuleTagger:
    """The rule baseline as a span tagger."""

    name = "rules"

    def predict_spans(self, spans: list[Span]) -> list[tuple[str, float]]:
        out = []
        for s in spans:
            fr = frames(s)
            d = decide(s, fr)
            _remember(s, fr, d)
            out.append((d.label, d.confidence))
        return out

    def predict_many(self, groups: list[list[Span]]) -> list[list[tuple[str, float]]]:
        return [self.predict_spans(spans) for spans in groups]


class LearnedTagger:
    """A fitted :class:`StatementClassifier` as a span tagger."""

    def __init__(self, clf: StatementClassifier) -> None:
        self.clf = clf
        self.name = clf.backend

    def predict_spans(self, spans: list[Span]) -> list[tuple[str, float]]:
        if not spans:
            return []
        feats = []
        for s in spans:
            f = featurize(s)
            _remember(s, f.frames, f.rule)
            feats.append(f)
        P = self.clf.proba_from_features(feats)
        k = P.argmax(axis=1)
        return [(str(self.clf.classes_[j]), float(P[i, j])) for i, j in enumerate(k)]

    def predict_many(self, groups: list[list[Span]]) -> list[list[tuple[str, float]]]:
        """:meth:`predict_spans` for the statements of several docs in one model call.

        The scikit-learn pipeline costs a few milliseconds per call whatever the number of
        rows, as much as the rows of a short report; rows are scored independently, so one
        call over a batch of docs gives the same numbers as one call per doc (linear backend;
        the others keep one call per doc).
        """
        if self.clf.backend != "linear":
            # sentence embeddings are padded per batch: keep each doc's own batches
            return [self.predict_spans(spans) for spans in groups]
        flat = [s for spans in groups for s in spans]
        preds = self.predict_spans(flat)
        out, i = [], 0
        for spans in groups:
            out.append(preds[i:i + len(spans)])
            i += len(spans)
        return out


@lru_cache(maxsize=None)
def get_tagger(backend: str = "default"):
    """Load the tagger for ``backend`` ("default", or one of :data:`BACKENDS`).

    A missing or unreadable model file falls back to the rules tagger with a logged warning,
    so that an incomplete install still analyses reports.
    """
    if backend == "default":
        backend = DEFAULT_BACKEND
    if backend == "rules":
        return RuleTagger()
    if backend not in BACKENDS:
        raise InputError(Errors.E009.format(backend=backend, options=("default",) + BACKENDS))
    path = model_path(backend)
    try:
        return LearnedTagger(StatementClassifier.load(path))
    except ModelError:
        logger.warning(Errors.W120.format(backend=backend, path=path.name))
        return RuleTagger()
