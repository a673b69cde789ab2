"""Labelled corpora as ``datasets.DatasetDict`` objects, split by report.

Four corpora are known:

``s7synth``
    Synthetic section-7-style welfare reports written for this project (``corpora/README.md``
    is its data card), each with a role-swapped twin. Shipped inside the package
    (``biaslens._corpora``, i.e. the repository's ``corpora/`` folder) and rebuilt with
    ``python corpora/build.py``. Splits ``train`` / ``dev`` / ``test`` are by report, and a
    report and its twin are always in the same split.
``s7heldout``
    Another writer's reports in styles absent from ``s7synth``, with twins: ``test`` only,
    never trained or tuned on.
``s7cuedev``
    Reports written later to exercise the presupposition search (many presupposed failures,
    with and without the request they presuppose), with twins: ``train`` only. Development
    material for the cue rules; a separate corpus so that adding it moved nothing between the
    ``s7synth`` splits.
``newssd-eng``
    NewsSD-ENG (Antici et al. 2024, CC BY 4.0): English news sentences labelled OBJ / SUBJ.
    Never copied into the repository: read from ``$BIASLENS_SHARED/data/newssd-eng/``
    (default ``<repo>/../shared``). ``SUBJ`` maps to biaslens's ``opinion``, ``OBJ`` to
    ``not_opinion`` (the binary task of ``../shared/data/newssd-eng/README.md``).

Examples
--------
>>> from biaslens import corpora
>>> corpora.list()
['s7synth', 's7heldout', 's7cuedev', 'newssd-eng']
>>> ds = corpora.load("s7synth")                      # doctest: +SKIP
>>> ds["train"][0]["label"]                            # doctest: +SKIP
'other'
"""
from __future__ import annotations

import builtins
import csv
import importlib.resources
import json
import logging
import os
from pathlib import Path
from typing import Any

from .errors import Errors, InputError

logger = logging.getLogger("biaslens")

__all__ = ["load", "list", "read_reports", "shared_dir", "SPLITS", "LABELS", "NEWSSD_LABELS"]

SPLITS = ("train", "dev", "test")
LABELS = ("observation", "allegation", "opinion", "other")
NEWSSD_LABELS = {"SUBJ": "opinion", "OBJ": "not_opinion"}
_NEWSSD_FILES = {"train": "train.csv", "dev": "val.csv", "test": "test.csv"}
_CORPORA = ("s7synth", "s7heldout", "s7cuedev", "newssd-eng")


def _names() -> builtins.list[str]:
    return builtins.list(_CORPORA)


def shared_dir() -> Path:
    """The shared folder: ``$BIASLENS_SHARED``, else ``<repo>/../shared``."""
    env = os.environ.get("BIASLENS_SHARED")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parent.parent.parent / "shared"


def _s7synth_file(name: str = "s7synth") -> Path:
    res = importlib.resources.files("biaslens._corpora").joinpath(name, "reports.jsonl")
    return Path(str(res))


def read_reports(path: str | os.PathLike | None = None) -> builtins.list[dict]:
    """Every report of ``s7synth`` as a dict (the JSONL records: text, statements, offsets, split).

    Parameters
    ----------
    path : path-like, optional
        A ``reports.jsonl`` written by ``corpora/build.py``; default: the shipped one.

    Examples
    --------
    >>> from biaslens.corpora import read_reports
    >>> reports = read_reports()                       # doctest: +SKIP
    >>> r = reports[0]; s = r["statements"][0]         # doctest: +SKIP
    >>> r["text"][s["start"]:s["end"]] == s["text"]    # doctest: +SKIP
    True
    """
    p = Path(path) if path is not None else _s7synth_file()
    if not p.is_file():
        raise FileNotFoundError(Errors.E106.format(path=p))
    with p.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _statement_rows(rep: dict) -> builtins.list[dict[str, Any]]:
    rows = []
    sts = rep["statements"]
    a, b = (rep["main_parties"] + [None, None])[:2]
    n = len(sts)
    for i, st in enumerate(sts):
        src = st["source"]
        rows.append({
            "report_id": rep["report_id"],
            "twin_group": rep["twin_group"],
            "is_twin": rep["is_twin"],
            "index": st["index"],
            "text": st["text"],
            "label": st["label"],
            "source": src,
            "targets": builtins.list(st["targets"]),
            # role-agnostic views: "party_a" is the first main party whatever its role is called
            "source_position": ("party_a" if src == a else "party_b" if src == b
                                else "other_party" if src in rep["parties"] else src),
            "target_positions": sorted({"party_a" if t == a else "party_b" if t == b
                                        else "other_party" if t in rep["parties"] else t
                                        for t in st["targets"]}),
            "cues": [{"text": c["text"], "category": c["category"], "target": c["target"],
                      "start": c["start"] - st["start"], "end": c["end"] - st["start"]}
                     for c in st["cues"]],
            "start": st["start"],
            "end": st["end"],
            "paragraph_start": st["paragraph_start"],
            "position": i / max(1, n - 1),
            "prev_text": sts[i - 1]["text"] if i > 0 else "",
            "next_text": sts[i + 1]["text"] if i + 1 < n else "",
            "writer": rep["writer"],
            "style": rep["style"],
            "framing": rep["framing"],
            "main_parties": builtins.list(rep["main_parties"]),
            "parties_json": json.dumps(rep["parties"], ensure_ascii=False),
        })
    return rows


def _report_row(rep: dict) -> dict[str, Any]:
    return {
        "report_id": rep["report_id"],
        "twin_group": rep["twin_group"],
        "twin_of": rep["twin_of"],
        "is_twin": rep["is_twin"],
        "writer": rep["writer"],
        "style": rep["style"],
        "author": rep["author"],
        "court": rep["court"],
        "year": rep["year"],
        "topics": builtins.list(rep["topics"]),
        "framing": rep["framing"],
        "main_parties": builtins.list(rep["main_parties"]),
        "parties_json": json.dumps(rep["parties"], ensure_ascii=False),
        "children": builtins.list(rep["children"]),
        "others": builtins.list(rep["others"]),
        "identifiers": [{"text": i["text"], "type": i["type"]} for i in rep["identifiers"]],
        "text": rep["text"],
        "statements": [{"index": s["index"], "text": s["text"], "start": s["start"],
                        "end": s["end"], "paragraph_start": s["paragraph_start"],
                        "label": s["label"], "source": s["source"],
                        "targets": builtins.list(s["targets"]),
                        "cues": [{"text": c["text"], "category": c["category"],
                                  "target": c["target"], "start": c["start"], "end": c["end"]}
                                 for c in s["cues"]]}
                       for s in rep["statements"]],
    }


def _split_of(rep: dict, ood_writer: str | None) -> str | None:
    if ood_writer is None:
        return rep["split"]
    if rep["writer"] == ood_writer:
        return "test"
    # other writers' test reports are left out, so train/dev are exactly the in-domain
    # train/dev minus the held-out writer and the two settings stay comparable
    return None if rep["split"] == "test" else rep["split"]


def _load_s7synth(level: str, ood_writer: str | None, path, name: str = "s7synth"):
    import datasets

    reports = read_reports(path if path is not None else _s7synth_file(name))
    writers = sorted({r["writer"] for r in reports})
    if ood_writer is not None and ood_writer not in writers:
        raise InputError(Errors.E109.format(writer=ood_writer, writers=writers))
    rows: dict[str, builtins.list[dict]] = {s: [] for s in SPLITS}
    for rep in reports:
        split = _split_of(rep, ood_writer)
        if split is None:
            continue
        if level == "statement":
            rows[split] += _statement_rows(rep)
        else:
            rows[split].append(_report_row(rep))
    logger.info("s7synth (%s level%s): %s", level,
                f", ood_writer={ood_writer}" if ood_writer else "",
                ", ".join(f"{k} {len(v)}" for k, v in rows.items()))
    if name == "s7heldout":  # evaluation only: no train or dev split exists
        return datasets.DatasetDict({"test": datasets.Dataset.from_list(rows["test"])})
    if name == "s7cuedev":  # development material only
        return datasets.DatasetDict({"train": datasets.Dataset.from_list(rows["train"])})
    return datasets.DatasetDict({k: datasets.Dataset.from_list(v) for k, v in rows.items()})


def _load_newssd(path):
    import datasets

    folder = Path(path) if path is not None else shared_dir() / "data" / "newssd-eng"
    missing = [f for f in _NEWSSD_FILES.values() if not (folder / f).is_file()]
    if missing:
        raise FileNotFoundError(Errors.E107.format(name="newssd-eng", path=folder / missing[0],
                                                   files=", ".join(_NEWSSD_FILES.values())))
    out = {}
    for split, fname in _NEWSSD_FILES.items():
        with (folder / fname).open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            need = {"Sentence", "Label"}
            if not need <= set(reader.fieldnames or ()):
                raise InputError(Errors.E112.format(name="newssd-eng", path=folder / fname,
                                                    missing=sorted(need - set(reader.fieldnames or ())),
                                                    expected=sorted(need)))
            rows = []
            for i, row in enumerate(reader):
                lab = row["Label"].strip()
                if lab not in NEWSSD_LABELS:
                    raise InputError(Errors.E112.format(
                        name="newssd-eng", path=folder / fname, missing=[f"Label={lab!r} at row {i}"],
                        expected=sorted(NEWSSD_LABELS)))
                rows.append({"id": f"{split}-{i}", "text": row["Sentence"].strip(),
                             "label_binary": NEWSSD_LABELS[lab], "subjective": int(lab == "SUBJ"),
                             "original_label": lab,
                             "solved_conflict": str(row.get("Solved conflict", "")).strip() == "True"})
        out[split] = datasets.Dataset.from_list(rows)
    return datasets.DatasetDict(out)


def load(name: str = "s7synth", *, level: str = "statement", ood_writer: str | None = None,
         path: str | os.PathLike | None = None):
    """Load a labelled corpus as a ``datasets.DatasetDict`` with ``train``, ``dev``, ``test``.

    Parameters
    ----------
    name : str
        ``"s7synth"`` (default), ``"s7heldout"`` (unseen styles, test only), ``"s7cuedev"``
        (reports written to exercise the presupposition search, train only) or
        ``"newssd-eng"``; see :func:`list`.
    level : {"statement", "report"}
        ``s7synth`` only. ``"statement"``: one row per statement with ``report_id``,
        ``text``, ``label``, ``source``, ``targets``, ``cues`` (offsets within the
        statement), role-agnostic ``source_position`` / ``target_positions`` (``party_a`` /
        ``party_b`` = first / second main party), and context (``prev_text``, ``next_text``,
        ``paragraph_start``, ``position`` in the report, ``writer``, ``style``, ``framing``).
        ``"report"``: one row per report with its text, metadata and statements (offsets
        within the report).
    ood_writer : str, optional
        ``s7synth`` only: leave one writer out. That writer's reports (``"A"`` to ``"D"``)
        form ``test``; ``train`` and ``dev`` are the usual ones without that writer (other
        writers' test reports are left out).
    path : path-like, optional
        ``s7synth``: a ``reports.jsonl`` file; ``newssd-eng``: the folder with
        ``train.csv``, ``val.csv``, ``test.csv`` (default
        ``$BIASLENS_SHARED/data/newssd-eng``).

    Returns
    -------
    datasets.DatasetDict
        Splits by report: no report (nor its role-swapped twin) is in two splits.
        For ``newssd-eng`` the columns are ``id``, ``text``, ``label_binary``
        (``opinion`` / ``not_opinion``), ``subjective`` (1 = SUBJ), ``original_label``,
        ``solved_conflict``; ``dev`` is NewsSD's ``val``.

    Raises
    ------
    InputError
        Unknown ``name`` (E105), bad ``level`` (E108), unknown ``ood_writer`` (E109).
    FileNotFoundError
        The corpus file or shared folder is missing (E106, E107); the message gives the fix.

    Examples
    --------
    >>> from biaslens import corpora
    >>> ds = corpora.load("s7synth")
    >>> sorted(ds)
    ['dev', 'test', 'train']
    >>> train_reports = set(ds["train"]["report_id"])
    >>> train_reports.isdisjoint(ds["test"]["report_id"])
    True
    >>> ood = corpora.load("s7synth", ood_writer="C")
    >>> set(ood["test"]["writer"])
    {'C'}
    """
    if name not in _CORPORA:
        raise InputError(Errors.E105.format(name=name, options=_names()))
    if name == "newssd-eng":
        return _load_newssd(path)
    if level not in ("statement", "report"):
        raise InputError(Errors.E108.format(level=level))
    return _load_s7synth(level, ood_writer, path, name)


def list() -> builtins.list[str]:  # noqa: A001 - the documented name, as in the issue
    """Names of the corpora :func:`load` knows.

    Examples
    --------
    >>> import biaslens.corpora
    >>> biaslens.corpora.list()
    ['s7synth', 's7heldout', 's7cuedev', 'newssd-eng']
    """
    return _names()
