"""Batch throughput, scaling and memory of biaslens.score_corpus / `biaslens score` (issue 6).

In one run, on one synthetic corpus (reports assembled from the statements of
``corpora/s7synth/authored/*.json``, each keeping its source report's parties):

* throughput of ``score_corpus`` against bare spaCy ``nlp.pipe`` of the same English model
  (target ratio >= 0.75);
* scaling from 1 to 2 processes (target >= 1.6x);
* peak memory (max RSS of a fresh process running the resumable folder scorer) for 1,000
  and 10,000 reports (target: flat, under 2 GB). ``quick`` uses 100 and 400 reports and
  says so in the result.

Run: ``python -m experiments reproduce --only bench_batch [--quick]``.
"""
from __future__ import annotations

import glob
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._common import ROOT, write_result

N_STATEMENTS = (6, 14)


def corpus(n: int, seed: int) -> list[tuple[str, dict]]:
    """``n`` synthetic reports: runs of consecutive statements from the authored reports."""
    rng = random.Random(seed)
    sources = []
    for f in sorted(glob.glob(str(ROOT / "corpora/s7synth/authored/*.json"))):
        d = json.loads(Path(f).read_text(encoding="utf-8"))
        sources.append((d["statements"], d["parties"]))
    out = []
    for i in range(n):
        stmts, parties = sources[rng.randrange(len(sources))]
        k = rng.randint(*N_STATEMENTS)
        start = rng.randrange(max(1, len(stmts) - k))
        text = ""
        for s in stmts[start:start + k]:
            text += ("\n\n" if s.get("p") and text else (" " if text else "")) + s["text"]
        out.append((text + f"\n\nReference {i}.", {"parties": parties}))
    return out


def _inputs() -> list[Path]:
    return sorted(Path(p) for p in glob.glob(str(ROOT / "corpora/s7synth/authored/*.json")))


MEM_SCRIPT = r"""
import json, resource, sys, tempfile, pathlib
sys.path.insert(0, sys.argv[3])
from experiments.bench_batch import corpus
from biaslens.batch import score_to_dir
n, seed = int(sys.argv[1]), int(sys.argv[2])
d = pathlib.Path(tempfile.mkdtemp())
# files on disk, as a charity would have them
(d / "in").mkdir()
rows = []
for i, (text, meta) in enumerate(corpus(n, seed)):
    (d / "in" / f"r{i:05d}.txt").write_text(text, encoding="utf-8")
    for role, aliases in meta["parties"].items():
        rows.append(json.dumps({"path": f"in/r{i:05d}.txt", "role": role, "aliases": aliases}))
(d / "parties.jsonl").write_text("\n".join(rows) + "\n")
rec = score_to_dir([d / "in"], d / "out", parties_file=d / "parties.jsonl", fmt="parquet",
                   n_boot=100, progress=False, chunk_size=64)
print(json.dumps({"reports": rec["counts"]["reports"], "statements": rec["counts"]["statements"],
                  "errors": rec["counts"]["errors"],
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _peak(n: int, seed: int) -> dict:
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", MEM_SCRIPT, str(n), str(seed), str(ROOT)],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    rec = json.loads(res.stdout.strip().splitlines()[-1])
    rec["seconds"] = round(time.perf_counter() - t0, 1)
    return rec


def run(*, quick: bool, seed: int, out: Path) -> dict:
    import biaslens
    from biaslens.pipeline import _base, spacy_model_name

    # quick mode still needs enough work for the 1 -> 2 process comparison: with 60 short
    # reports (4 batches) the two workers' start-up and the uneven last batch dominated
    n_tp = 200 if quick else 400
    mem_sizes = (100, 400) if quick else (1000, 10000)
    docs = corpus(n_tp, seed)
    texts = [t for t, _ in docs]
    n_chars = sum(map(len, texts))

    # warm both pipelines (model load is not throughput)
    base = _base(spacy_model_name())
    list(base.pipe(texts[:4]))
    biaslens.score_corpus(docs[:4], progress=False, n_boot=100)

    t0 = time.perf_counter()
    for _ in base.pipe(texts, batch_size=16):
        pass
    t_spacy = time.perf_counter() - t0

    timings = {}
    results = {}
    for n_process in (1, 2):
        t0 = time.perf_counter()
        results[n_process] = biaslens.score_corpus(docs, progress=False, n_boot=100, n_process=n_process,
                                                   batch_size=16, seed=seed)
        timings[n_process] = time.perf_counter() - t0
    identical = (results[1].reports.equals(results[2].reports)
                 and results[1].statements.equals(results[2].statements))
    memory = {str(n): _peak(n, seed) for n in mem_sizes}
    metrics = {
        "n_reports_throughput": n_tp,
        "n_chars_throughput": n_chars,
        "spacy_per_second": round(n_tp / t_spacy, 2),
        "biaslens_per_second_1proc": round(n_tp / timings[1], 2),
        "biaslens_per_second_2proc": round(n_tp / timings[2], 2),
        "throughput_ratio_vs_spacy": round(t_spacy / timings[1], 3),
        "speedup_1_to_2_processes": round(timings[1] / timings[2], 3),
        "identical_outputs_1_vs_2_processes": bool(identical),
        "peak_memory_mb": {k: round(v["peak_rss_mb"], 1) for k, v in memory.items()},
        "memory_runs": memory,
        "memory_sizes_note": ("quick mode: 100 and 400 reports stand in for 1,000 and 10,000"
                              if quick else "1,000 and 10,000 reports"),
        "targets": {"throughput_ratio_vs_spacy": 0.75, "speedup_1_to_2_processes": 1.6,
                    "peak_memory_mb_max": 2048},
        "cpu_count": os.cpu_count(),
    }
    print(f"[bench_batch] bare spaCy {metrics['spacy_per_second']} reports/s, biaslens "
          f"{metrics['biaslens_per_second_1proc']} reports/s (ratio {metrics['throughput_ratio_vs_spacy']}, "
          f"target >= 0.75); 2 processes {metrics['biaslens_per_second_2proc']} reports/s "
          f"(speedup {metrics['speedup_1_to_2_processes']}x, target >= 1.6); identical outputs: {identical}; "
          f"peak RSS {metrics['peak_memory_mb']} MB ({metrics['memory_sizes_note']})", flush=True)
    write_result(out, "bench_batch", metrics, config={"quick": quick, "n_boot": 100, "batch_size": 16},
                 seed=seed, inputs=_inputs())
    return metrics
