"""Coded errors and warnings.

Every message says what was expected, what arrived, and what to do about it, in the manner of
``spacy/errors.py``. Messages never contain report text: they name files, roles and sizes only,
because reports are confidential.
"""
from __future__ import annotations

import warnings


class _Coded(type):
    """Prefix every message attribute with its code: ``Errors.E001`` -> ``"[E001] ..."``."""

    def __getattribute__(cls, code: str) -> str:
        msg = super().__getattribute__(code)
        if code.startswith(("E", "W")) and code[1:].isdigit():
            return f"[{code}] {msg}"
        return msg


class Errors(metaclass=_Coded):
    E001 = ("analyze() expects the report as a str, but got {type}. Read files with "
            "biaslens.read(path) first, or decode bytes with .decode('utf-8').")
    E002 = ("The report text is empty or only whitespace ({n_chars} characters). Pass the full "
            "text of the report; for a file, check that biaslens.read(path) returned text.")
    E003 = ("The report is {n_chars:,} characters long; biaslens analyses at most {max_length:,} "
            "characters per report (about {pages:,} pages). Split the text into its separate "
            "reports, or pass max_length= if you are sure it is one report and have the memory "
            "(roughly 1 GB per 100,000 characters).")
    E004 = ("parties must be a dict mapping a role name to a list of aliases, e.g. "
            "{{'mother': ['Ms F', 'Rachel Finch'], 'father': ['Mr B']}}; got {type}.")
    E005 = ("Party role {role!r} is not a valid role name. Use a short identifier of letters, "
            "digits and underscores (e.g. 'mother', 'father_2', 'grandmother').")
    E006 = ("The aliases for party {role!r} must be a non-empty list of non-empty strings; got "
            "{value!r}.")
    E007 = ("Role {role!r} is reserved for a non-party ({reserved}). Name the parties by their "
            "relationship to the child, e.g. 'mother', 'father', 'grandmother'.")
    E008 = ("The alias {alias!r} is given for both {role_a!r} and {role_b!r}; an alias must "
            "identify one party. Remove it from one of them.")
    E009 = ("Unknown statement-tagger backend {backend!r}. Choose one of {options}.")
    E010 = ("The model file {path} is missing or unreadable. Reinstall biaslens-welfare, or "
            "train it with `python -m experiments train`.")
    E011 = ("Optional dependency {package!r} is needed for {feature}. Install it with: "
            "pip install 'biaslens-welfare[{extra}]'")
    E012 = ("Party {role!r} is not in this report; its parties are {roles}. Pass two of them, "
            "e.g. report.asymmetry({example}).")
    E013 = ("Lexicon file {path} is malformed at line {line}: {reason}. Each row needs the "
            "columns {columns}, tab-separated.")
    E014 = ("Unknown cue category {category!r} in an extra lexicon; expected one of {options}.")
    E015 = ("The text contains no sentences that biaslens could segment ({n_chars} characters "
            "of punctuation, symbols or whitespace). Check that the file was read as text.")

    W001 = ("The alias {alias!r} for party {role!r} does not occur in the report text. Check "
            "its spelling, or the report may use another form of the name.")
    W002 = ("Party {role!r} has no mentions in the report text; its scores will be empty.")
    W003 = ("Using the spaCy pipeline {name!r}: the official 'en_core_web_sm' is not "
            "installed. Results are identical for version 3.8.0.")
    W004 = ("The text looks like it is not English (only {share:.0%} of its words are common "
            "English words). biaslens's models are for English reports; results may be "
            "meaningless.")


class BiasLensError(ValueError):
    """Base class of every error biaslens raises on purpose."""


class InputError(BiasLensError):
    """The text or arguments given to biaslens cannot be analysed as they are."""


class PartiesError(InputError):
    """The ``parties`` argument is malformed."""


class ModelError(BiasLensError):
    """A trained artefact is missing or does not match the library."""


class MissingDependencyError(ImportError):
    """An optional dependency is not installed; the message gives the pip command."""


class BiasLensWarning(UserWarning):
    """Base class of biaslens warnings."""


def warn(message: str, *, stacklevel: int = 3) -> None:
    """Emit a :class:`BiasLensWarning` with ``message``."""
    warnings.warn(message, BiasLensWarning, stacklevel=stacklevel)


def require(package: str, *, feature: str, extra: str):
    """Import an optional dependency or fail with the install hint."""
    import importlib

    try:
        return importlib.import_module(package)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            Errors.E011.format(package=package, feature=feature, extra=extra)
        ) from exc
