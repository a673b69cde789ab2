"""biaslens: how even-handed is a child-welfare court report?

>>> import biaslens
>>> r = biaslens.analyze("Ms Finch claims that Mr Bell refused to attend.",
...                      parties={"mother": ["Ms Finch"], "father": ["Mr Bell"]})
>>> r.statements[0].source
'mother'
"""
from __future__ import annotations

import logging

from .about import __version__
from .errors import BiasLensError, BiasLensWarning, InputError, MissingDependencyError, PartiesError
from .pipeline import analyze, load
from .readers import ReaderError, read, read_with_provenance
from .batch import CorpusResult, score_corpus, score_dataset
from .report import Cue, Party, Report, Statement
from .framing import (Counterfactual, CorpusAsymmetry, FramingAsymmetry, asymmetry,
                      corpus_asymmetry, counterfactual, scores)
from .sources import SourceCheck, compare
from .privacy import pseudonymise, pseudonymise_text, write_mapping

logging.getLogger("biaslens").addHandler(logging.NullHandler())

__all__ = [
    "read",
    "read_with_provenance",
    "ReaderError",
    "score_corpus",
    "score_dataset",
    "CorpusResult",
    "__version__",
    "analyze",
    "load",
    "Report",
    "Statement",
    "Cue",
    "Party",
    "BiasLensError",
    "BiasLensWarning",
    "InputError",
    "PartiesError",
    "MissingDependencyError",
    "scores",
    "asymmetry",
    "counterfactual",
    "corpus_asymmetry",
    "FramingAsymmetry",
    "CorpusAsymmetry",
    "Counterfactual",
    "compare",
    "SourceCheck",
    "pseudonymise",
    "pseudonymise_text",
    "write_mapping",
]


def __getattr__(name: str):
    # submodules a user reaches as attributes (biaslens.plot.framing(r)) without paying for
    # matplotlib or datasets at import time
    if name in ("plot", "corpora", "swap", "hearing", "privacy", "render"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'biaslens' has no attribute {name!r}")
