"""Performance of the framing layer (issue 4): printed ratios, not timed tests.

* ``bootstrap_seconds``: ``asymmetry(n_boot=2000)`` on a 300-statement report (target < 0.5 s);
* ``cues_scores_overhead_ratio``: (time of the ``biaslens_cues`` component + ``scores()``) /
  (time of the rest of ``analyze``) over the s7synth reports (target <= 0.15).

Run: ``python -m experiments.bench_framing``.
"""
from __future__ import annotations

import json
import time
import warnings
from pathlib import Path

from ._common import write_result
from ._tagger_data import join, load_reports

NAME = "bench_framing"


def _synthetic(n: int):
    """A Report with ``n`` statements and cues for two parties (no NLP needed)."""
    from biaslens.report import Cue, Party, Report, Statement

    words = [("claimed", "distancing_attribution"), ("said", "neutral_attribution"),
             ("accepted", "endorsing_attribution"), ("hostile", "negative_descriptor"),
             ("warm", "positive_descriptor"), ("refused", "presupposed_failure")]
    sts, pos = [], 0
    for i in range(n):
        role = ("mother", "father")[i % 2]
        w, cat = words[(i * 7) % len(words)]
        text = f"Statement {i} about {role} with {w}."
        a = pos + text.index(w)
        cues = (Cue(w, a, a + len(w), cat, role),)
        lab = "allegation" if cat.endswith("attribution") else "opinion"
        sts.append(Statement(text, pos, pos + len(text), lab, role if lab == "allegation" else "author",
                             (role,), cues))
        pos += len(text) + 1
    text = " ".join(s.text for s in sts)
    return Report(text, {r: Party(r, (r,), ((0, 1),)) for r in ("mother", "father")}, sts)


def run(*, quick: bool, seed: int, out: Path) -> dict:
    import biaslens
    from biaslens.framing import asymmetry, scores

    rep = _synthetic(300)
    asymmetry(rep, n_boot=50, seed=seed)  # warm-up
    reps = 5 if quick else 20
    t0 = time.perf_counter()
    for _ in range(reps):
        asymmetry(rep, n_boot=2000, seed=seed)
    boot = (time.perf_counter() - t0) / reps

    nlp = biaslens.load()
    reports, files = load_reports()
    reports = [r for r in reports if not r.get("twin_of")][: (12 if quick else None)]
    t_cues = t_rest = t_scores = 0.0
    from biaslens.pipeline import to_report

    for r in reports:
        text, _ = join(r["statements"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = nlp.make_doc(text)
            doc.user_data["biaslens_parties"] = r["parties"]
            for name, proc in nlp.pipeline:
                t = time.perf_counter()
                doc = proc(doc)
                dt = time.perf_counter() - t
                if name == "biaslens_cues":
                    t_cues += dt
                else:
                    t_rest += dt
            t = time.perf_counter()
            report = to_report(doc)
            t_rest += time.perf_counter() - t
            t = time.perf_counter()
            scores(report)
            asymmetry(report, n_boot=0)
            t_scores += time.perf_counter() - t
    metrics = {
        "bootstrap_seconds_300_statements_2000_resamples": round(boot, 4),
        "bootstrap_target_seconds": 0.5,
        "n_reports_timed": len(reports),
        "analysis_seconds_without_cues": round(t_rest, 3),
        "cues_seconds": round(t_cues, 3),
        "scores_seconds": round(t_scores, 3),
        "cues_scores_overhead_ratio": round((t_cues + t_scores) / t_rest, 4),
        "overhead_target_ratio": 0.15,
    }
    write_result(out, NAME, metrics, config={"quick": quick, "repeats": reps}, seed=seed, inputs=files)
    return metrics


if __name__ == "__main__":
    import tempfile

    print(json.dumps(run(quick=False, seed=0, out=Path(tempfile.mkdtemp())), indent=2))
