"""Does the framing index recover the s7synth reports' ``framing`` metadata? (issue 4)

Every authored report is analysed with its own parties. Two views:

* per report: for an ``against:<role>`` report, ``a`` = that role and ``b`` = the other main
  party, so a correct index is > 0 (and its 95% interval excludes 0 when the framing is
  strong); for an ``even`` report, ``a``/``b`` are the default pair and the interval should
  cover 0;
* corpus level: the mother/father reports pooled with ``biaslens.corpus_asymmetry`` (a =
  mother, b = father, hierarchical bootstrap), grouped by ``framing`` and by author / court /
  year: ``against:mother`` should come out > 0, ``against:father`` < 0, ``even`` near 0.

The composite index was fixed before looking at these numbers (biaslens/framing.py); the cue
rules were tuned on the train/dev reports, so the ``test`` rows are the honest ones.

Run: ``python -m experiments.corpus_asymmetry``.
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

from ._common import write_result
from ._tagger_data import join, load_reports
from .cue_eval import splits_for

NAME = "corpus_asymmetry"


def _summary(rows: list[dict]) -> dict:
    out = {}
    for kind in ("against", "even"):
        rs = [r for r in rows if r["kind"] == kind]
        if not rs:
            continue
        v = np.array([r["value"] for r in rs], dtype=float)
        d = {"n_reports": len(rs), "mean_value": round(float(np.nanmean(v)), 4)}
        if kind == "against":
            d["share_value_gt_0"] = round(float(np.mean(v > 0)), 4)
            d["share_ci_excludes_0_positive"] = round(float(np.mean([r["ci_low"] > 0 for r in rs])), 4)
        else:
            d["share_ci_covers_0"] = round(float(np.mean([r["ci_low"] <= 0 <= r["ci_high"] for r in rs])), 4)
            d["mean_abs_value"] = round(float(np.nanmean(np.abs(v))), 4)
        out[kind] = d
    ag = [r["value"] for r in rows if r["kind"] == "against"]
    ev = [abs(r["value"]) for r in rows if r["kind"] == "even"]
    if ag and ev:
        # AUC: an against-report's (signed) index above an even report's |index|
        pairs = [(x > y) + 0.5 * (x == y) for x in ag for y in ev]
        out["auc_against_vs_even"] = round(float(np.mean(pairs)), 4)
    return out


def run(*, quick: bool, seed: int, out: Path) -> dict:
    import pandas as pd

    import biaslens

    reports, files = load_reports()
    splits, how = splits_for(reports)
    nlp = biaslens.load()
    n_boot = 500 if quick else 2000
    rows, mf_reports, mf_meta = [], [], []
    for k, r in enumerate(reports):
        if r.get("twin_of"):
            continue
        text, _ = join(r["statements"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rep = biaslens.analyze(text, r["parties"], nlp=nlp)
            framing = r.get("framing", "even")
            if framing.startswith("against:") and framing.split(":", 1)[1] in rep.parties:
                a = framing.split(":", 1)[1]
                fa = rep.asymmetry(a, None, n_boot=n_boot, seed=seed + k)
                kind = "against"
            else:
                fa = rep.asymmetry(n_boot=n_boot, seed=seed + k)
                kind = "even" if framing == "even" else "other"
        rows.append({"report_id": r["report_id"], "split": splits.get(r["report_id"], "?"),
                     "framing": framing, "kind": kind, "a": fa.a, "b": fa.b,
                     "value": round(fa.value, 4), "ci_low": round(fa.ci[0], 4),
                     "ci_high": round(fa.ci[1], 4), "p_value": round(fa.p_value, 4)})
        if {"mother", "father"} <= set(rep.parties):
            mf_reports.append(rep)
            mf_meta.append({"framing": framing, "author": r.get("author"), "court": r.get("court"),
                            "year": r.get("year"), "split": splits.get(r["report_id"], "?")})
    metrics: dict = {"split_source": how, "n_boot": n_boot,
                     "per_report": {"test": _summary([x for x in rows if x["split"] == "test"]),
                                    "all": _summary(rows)}}
    if mf_reports:
        ca = biaslens.corpus_asymmetry(mf_reports, pd.DataFrame(mf_meta), by=["framing", "author", "court", "year"],
                                       a="mother", b="father", n_boot=n_boot, seed=seed)
        g = ca.groups
        metrics["corpus_mother_vs_father"] = {
            "n_reports": ca.n_reports, "value": round(ca.value, 4), "ci": [round(x, 4) for x in ca.ci],
            "by_framing": {row.group: {"n_reports": int(row.n_reports), "value": round(row.value, 4),
                                       "ci": [round(row.ci_low, 4), round(row.ci_high, 4)]}
                           for row in g[g["by"] == "framing"].itertuples()},
        }
        (Path(out) / f"{NAME}_groups.json").write_text(
            json.dumps(ca.to_dict()["groups"], indent=2, default=str), encoding="utf-8")
    (Path(out) / f"{NAME}_reports.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    write_result(out, NAME, metrics, config={"quick": quick, "n_boot": n_boot}, seed=seed, inputs=files)
    return metrics


if __name__ == "__main__":
    import tempfile

    res = run(quick=False, seed=0, out=Path(tempfile.mkdtemp()))
    print(json.dumps(res, indent=2))
