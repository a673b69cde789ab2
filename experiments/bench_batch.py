"""Batch throughput, scaling and memory of biaslens.score_corpus / `biaslens score` (issue 6).

In one run, on one synthetic corpus (reports assembled from the statements of
``corpora/s7synth/authored/*.json``, each keeping its source report's parties):

* throughput of ``score_corpus`` against bare spaCy ``nlp.pipe`` of the same English model
  (target ratio >= 0.75);
* scaling from 1 to 2 processes (target >= 1.6x);
* peak memory (max RSS of a fresh process running the resumable folder scorer) for 1,000
  and 10,000 reports (target: flat, under 2 GB). ``quick`` uses 100 and 400 reports and
  says so in the result.

Timing protocol (throughput and scaling)
----------------------------------------
* The same reports (400; ``quick``: 200) are timed for all three: bare spaCy ``nlp.pipe`` of
  the model biaslens builds on (``batch_size=16``), and ``score_corpus`` (``batch_size=16``,
  ``n_boot=100``) with ``n_process=1`` and ``n_process=2``. Every timed call does the whole
  job: parse, analyse, bootstrap, build the result frames.
* Model load is outside every timed region: both pipelines are loaded and warmed on a few
  reports first. With ``n_process=2`` the worker processes are started inside the timed call
  (forked from the warmed process, so they load no model) and that start-up is counted: a user
  pays it once per run. With 200+ reports per process it is amortised.
* The three are timed in interleaved rounds (spaCy, 1 process, 2 processes; 3 rounds,
  ``quick``: 2). The machine is shared (2 cores; other jobs only ever add time), so each
  headline number uses the fastest round of each contender (the least disturbed, as
  ``timeit`` does); the median-based numbers, every round's seconds and the load average
  before and after are kept in the result too.
* Diagnostics, not headline: the CPU seconds of each timed call (this process plus its
  finished worker processes). On a busy machine they still say how much work each did:
  ``throughput_ratio_vs_spacy_cpu`` compares the CPU seconds of bare spaCy and biaslens, and
  ``cpu_work_1_vs_2_processes`` is the 1-process run's CPU over the 2-process run's (1.0: the
  second process costs no extra work; the wall-clock speedup on 2 idle cores cannot exceed
  twice it).

Run: ``python -m experiments reproduce --only bench_batch [--quick]``.
"""
from __future__ import annotations

import glob
import json
import os
import random
import resource
import statistics
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
    rounds = 2 if quick else 3
    mem_sizes = (100, 400) if quick else (1000, 10000)
    docs = corpus(n_tp, seed)
    texts = [t for t, _ in docs]
    n_chars = sum(map(len, texts))

    # load and warm both pipelines (model load is not throughput)
    base = _base(spacy_model_name())
    list(base.pipe(texts[:8], batch_size=16))
    biaslens.score_corpus(docs[:8], progress=False, n_boot=100, batch_size=16, seed=seed)

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    load_before = [round(x, 2) for x in os.getloadavg()]
    secs: dict[str, list[float]] = {"spacy": [], "1": [], "2": []}
    cpus: dict[str, list[float]] = {"spacy": [], "1": [], "2": []}
    results = {}
    for _ in range(rounds):
        c0, t0 = cpu(), time.perf_counter()
        for _doc in base.pipe(texts, batch_size=16):
            pass
        secs["spacy"].append(time.perf_counter() - t0)
        cpus["spacy"].append(cpu() - c0)
        for n_process in (1, 2):
            c0, t0 = cpu(), time.perf_counter()
            results[n_process] = biaslens.score_corpus(docs, progress=False, n_boot=100, n_process=n_process,
                                                       batch_size=16, seed=seed)
            secs[str(n_process)].append(time.perf_counter() - t0)
            cpus[str(n_process)].append(cpu() - c0)
    load_after = [round(x, 2) for x in os.getloadavg()]
    cpu_best = {k: min(v) for k, v in cpus.items()}
    best = {k: min(v) for k, v in secs.items()}
    med = {k: statistics.median(v) for k, v in secs.items()}
    identical = (results[1].reports.equals(results[2].reports)
                 and results[1].statements.equals(results[2].statements))
    memory = {str(n): _peak(n, seed) for n in mem_sizes}
    metrics = {
        "n_reports_throughput": n_tp,
        "n_chars_throughput": n_chars,
        "timing_rounds": rounds,
        "spacy_per_second": round(n_tp / best["spacy"], 2),
        "biaslens_per_second_1proc": round(n_tp / best["1"], 2),
        "biaslens_per_second_2proc": round(n_tp / best["2"], 2),
        "throughput_ratio_vs_spacy": round(best["spacy"] / best["1"], 3),
        "speedup_1_to_2_processes": round(best["1"] / best["2"], 3),
        "throughput_ratio_vs_spacy_median": round(med["spacy"] / med["1"], 3),
        "speedup_1_to_2_processes_median": round(med["1"] / med["2"], 3),
        "seconds_per_round": {k: [round(x, 2) for x in v] for k, v in secs.items()},
        "cpu_seconds_per_round": {k: [round(x, 2) for x in v] for k, v in cpus.items()},
        "throughput_ratio_vs_spacy_cpu": round(cpu_best["spacy"] / cpu_best["1"], 3),
        "cpu_work_1_vs_2_processes": round(cpu_best["1"] / cpu_best["2"], 3),
        "load_average_before_after": [load_before, load_after],
        "identical_outputs_1_vs_2_processes": bool(identical),
        "peak_memory_mb": {k: round(v["peak_rss_mb"], 1) for k, v in memory.items()},
        "memory_runs": memory,
        "memory_sizes_note": ("quick mode: 100 and 400 reports stand in for 1,000 and 10,000"
                              if quick else "1,000 and 10,000 reports"),
        "targets": {"throughput_ratio_vs_spacy": 0.75, "speedup_1_to_2_processes": 1.6,
                    "peak_memory_mb_max": 2048},
        "cpu_count": os.cpu_count(),
    }
    print(f"[bench_batch] fastest of {rounds} interleaved rounds: bare spaCy {metrics['spacy_per_second']} reports/s, biaslens "
          f"{metrics['biaslens_per_second_1proc']} reports/s (ratio {metrics['throughput_ratio_vs_spacy']}, "
          f"target >= 0.75); 2 processes {metrics['biaslens_per_second_2proc']} reports/s "
          f"(speedup {metrics['speedup_1_to_2_processes']}x, target >= 1.6); medians: ratio "
          f"{metrics['throughput_ratio_vs_spacy_median']}, speedup {metrics['speedup_1_to_2_processes_median']}x; "
          f"load average {load_before} -> {load_after}; identical outputs: {identical}; "
          f"peak RSS {metrics['peak_memory_mb']} MB ({metrics['memory_sizes_note']})", flush=True)
    write_result(out, "bench_batch", metrics, config={"quick": quick, "n_boot": 100, "batch_size": 16,
                                                      "timing_rounds": rounds, "headline": "fastest round"},
                 seed=seed, inputs=_inputs())
    return metrics
