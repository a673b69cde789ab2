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
from .report import Cue, Party, Report, Statement

logging.getLogger("biaslens").addHandler(logging.NullHandler())

__all__ = [
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
]
