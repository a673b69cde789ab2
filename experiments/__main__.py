"""``python -m experiments reproduce [--quick] [--seed 0] [--out results] [--only NAME ...]``.

Runs every registered experiment, writes ``results/<name>.json`` (+ figures) with provenance,
then regenerates the tables in ``experiments/README.md`` from those files.
"""
from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import time
from pathlib import Path

from ._common import ROOT
from .registry import EXPERIMENTS

log = logging.getLogger("experiments")


def reproduce(*, quick: bool, seed: int, out: Path, only: list[str] | None = None,
              readme: bool = True) -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    out.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name in EXPERIMENTS:
        if only and name not in only:
            continue
        t0 = time.perf_counter()
        mod = importlib.import_module(f"experiments.{name}")
        print(f"[reproduce] {name} ...", flush=True)
        metrics = mod.run(quick=quick, seed=seed, out=out)
        summary[name] = {"seconds": round(time.perf_counter() - t0, 1)}
        print(f"[reproduce] {name} done in {summary[name]['seconds']} s", flush=True)
    if readme:
        from .report import render_readme

        render_readme(out)
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("reproduce", help="regenerate every table and figure into results/")
    r.add_argument("--quick", action="store_true", help="the CI budget: under 10 minutes on 2 cores")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--out", type=Path, default=ROOT / "results")
    r.add_argument("--only", nargs="*", default=None, help="run only these experiments")
    r.add_argument("--no-readme", action="store_true", help="do not rewrite experiments/README.md")
    sub.add_parser("list", help="name the registered experiments")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    if args.cmd == "list":
        print("\n".join(EXPERIMENTS))
        return 0
    summary = reproduce(quick=args.quick, seed=args.seed, out=args.out, only=args.only,
                        readme=not args.no_readme)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
