"""Speed of the statement tagger relative to bare spaCy parsing (issue 3's speed target).

``python -m experiments.bench_tagger [--backends rules linear transformer] [--n 20]``

Bare spaCy time: the English pipeline biaslens builds on, ``nlp(text)`` on each report text.
Tagger time: ``get_tagger(backend).predict_spans`` plus the source/targets step on the
statements of the same texts, parsed once beforehand. Prints, per backend,
``(bare + tagger) / bare``; the target for the default backend is at most 1.25.

The role-neutral parse (``biaslens/neutral.py``), which keeps the tagger's labels swap invariant,
is measured too: the biaslens pipeline up to and including the parse (party detection, the
neutral copy, the wrapped spaCy components, the attribute ruler and lemmatizer) against bare
spaCy, and ``ratio_with_neutral_parse`` = ``(neutral parse + tagger) / bare``.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import warnings


def bench(backends: list[str], n: int = 20, repeats: int = 2) -> dict:
    import biaslens
    from biaslens.components import statement_spans
    from biaslens.corpora import read_reports
    from biaslens.pipeline import make_doc, spacy_model_name
    from biaslens.tagger import get_tagger
    from biaslens.tagger.source import source_and_targets

    reports = [r for r in read_reports() if r["split"] == "test" and not r.get("is_twin")][:n]
    texts = [r["text"] for r in reports]
    bare = importlib.import_module(spacy_model_name()).load()
    for t in texts[:2]:
        bare(t)  # warm up
    best_bare = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for t in texts:
            bare(t)
        best_bare = min(best_bare, time.perf_counter() - t0)
    nlp = biaslens.load(backend="rules")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = [make_doc(nlp, r["text"], r["parties"]) for r in reports]
    n_stmts = sum(len(statement_spans(d)) for d in docs)
    # the parse as biaslens runs it: neutral copy + wrapped components, no biaslens annotators
    after = [n for n in nlp.pipe_names if n.startswith("biaslens_") and n != "biaslens_neutral_parse"]
    best_neutral = float("inf")
    with nlp.select_pipes(disable=after), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeats):
            t0 = time.perf_counter()
            for r in reports:
                make_doc(nlp, r["text"], r["parties"])
            best_neutral = min(best_neutral, time.perf_counter() - t0)
    out = {"n_reports": len(texts), "n_statements": n_stmts, "bare_spacy_seconds": round(best_bare, 3),
           "neutral_parse_seconds": round(best_neutral, 3),
           "neutral_parse_ratio": round(best_neutral / best_bare, 3),
           "spacy_model": spacy_model_name(), "backends": {}}
    for b in backends:
        tagger = get_tagger(b)
        tagger.predict_spans(statement_spans(docs[0]))  # load and warm up
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            for d in docs:
                spans = statement_spans(d)
                for sp, (lab, _) in zip(spans, tagger.predict_spans(spans)):
                    source_and_targets(sp, lab)
                d.user_data.pop("biaslens_tagger_cache", None)
                d.user_data.pop("biaslens_source_cache", None)
            best = min(best, time.perf_counter() - t0)
        out["backends"][b] = {"tagger_seconds": round(best, 3),
                              "ratio": round((best_bare + best) / best_bare, 3),
                              "ratio_with_neutral_parse": round((best_neutral + best) / best_bare, 3),
                              "loaded_as": type(tagger).__name__}
    return out


def run(*, quick: bool, seed: int, out) -> dict:
    """Reproduce-command entry: rules and linear always, the transformer in the full run."""
    from ._common import write_result

    backends = ["rules", "linear"] if quick else ["rules", "linear", "transformer"]
    res = bench(backends, n=10 if quick else 20)
    write_result(out, "bench_tagger", res, config={"backends": backends, "quick": quick},
                 seed=seed)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.bench_tagger")
    ap.add_argument("--backends", nargs="*", default=["rules", "linear"])
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args(argv)
    res = bench(args.backends, args.n)
    for b, v in res["backends"].items():
        print(f"{b}: (spaCy + tagger) / spaCy = {v['ratio']:.3f}  "
              f"(tagger {v['tagger_seconds']} s, spaCy {res['bare_spacy_seconds']} s, "
              f"{res['n_statements']} statements in {res['n_reports']} reports); "
              f"(neutral parse + tagger) / spaCy = {v['ratio_with_neutral_parse']:.3f}")
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
