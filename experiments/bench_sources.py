"""Benchmark: ``compare`` on a 300-sentence report with 5 sources of 200 sentences each, one core.

Target: under 5 s. The report is analysed once beforehand (spaCy pipeline, timed separately)
and passed as a Report; the embedding cache is cleared before every timed run. Two inputs:
``templated`` (sentences from a few templates: after masking names many repeat, and each
distinct sentence is encoded once) and ``unique`` (a distinct detail in every sentence, so
all 1,300 are encoded: the worst case). Synthetic sentences from invented templates, seeded.
The printout includes ``os.getloadavg()``: other processes on the machine slow it down.

Run: ``python -m experiments.bench_sources`` (prints the figures).
"""
from __future__ import annotations

import random
import time
import warnings


def make_text(n: int, rng: random.Random, names: list[str], unique: bool = False) -> str:
    verbs = ["said that", "told me that", "reported that", "explained that", "stated that"]
    acts = ["collected the child from school on {d}", "arrived {k} minutes late for the handover",
            "was worried about the child's sleep after contact", "attended the parents' evening in {m}",
            "did not attend the review meeting on {d}", "cooked dinner and helped with homework",
            "raised concerns about the journey between the homes", "missed the dental appointment in {m}"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    months = ["January", "March", "May", "July", "September", "November"]
    out = []
    for i in range(n):
        a, b = rng.sample(names, 2)
        act = rng.choice(acts).format(d=rng.choice(days), k=rng.randint(5, 60), m=rng.choice(months))
        s = f"{a} {rng.choice(verbs)} {b} {act}"
        # unique=True: a distinct detail per sentence, so no two sentences share an embedding
        # (the worst case for the encoder; real reports repeat few sentences verbatim)
        s += f" ({rng.choice(days)} visit {i + 1} of the {rng.choice(months)} review)." if unique else "."
        out.append(s[0].upper() + s[1:])
    return "\n".join(out)


def main(repeats: int = 3) -> dict:
    import os

    import torch

    torch.set_num_threads(1)
    import biaslens
    from biaslens import sources as S

    rng = random.Random(0)
    names = ["Ms Finch", "Mr Bell", "the teacher", "the health visitor"]
    parties = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
    nlp = biaslens.load()
    res = {"load_average_1_5_15": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    for unique in (False, True):
        res["unique_sentences" if unique else "templated_sentences"] = _one(
            rng, names, parties, nlp, unique, repeats, torch, biaslens, S)
    res["threads"] = torch.get_num_threads()
    res["target_seconds"] = 5.0
    for k, v in res.items():
        print(f"{k}: {v}")
    return res


def _one(rng, names, parties, nlp, unique, repeats, torch, biaslens, S) -> dict:
    report_text = make_text(300, rng, names, unique)
    srcs = {f"source_{k}": make_text(200, rng, names, unique).replace("\n", " ") for k in range(5)}
    S._encoder()  # model load is a one-off per process; reported apart
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rep = biaslens.analyze(report_text, parties=parties, nlp=nlp)
    analyse_s = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        S._CACHE.clear()
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            chk = S.compare(rep, srcs, parties=parties)
        times.append(time.perf_counter() - t0)
    return {"report_statements": len(rep.statements),
            "source_sentences": sum(len(v) for v in chk.source_sentences.values()),
            "checked": len(chk.attributions), "backend": chk.meta["backend"],
            "compare_seconds_min": round(min(times), 2),
            "compare_seconds_median": round(sorted(times)[len(times) // 2], 2),
            "analyse_report_seconds": round(analyse_s, 2)}


if __name__ == "__main__":  # pragma: no cover
    main()


def run(*, quick: bool, seed: int, out) -> dict:
    """Reproduce-command entry: the same benchmark, one repeat in quick mode."""
    from ._common import write_result

    res = main(repeats=1 if quick else 3)
    write_result(out, "bench_sources", res, config={"quick": quick}, seed=seed)
    return res
