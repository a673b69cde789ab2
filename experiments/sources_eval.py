"""Report-against-sources and hearing: evaluation on ``corpora/sources/pairs.jsonl``.

Thresholds (``found`` with ``strong``, then ``covered``) are chosen by grid search on the
**dev** split only, per backend (MiniLM + lexical + entity, and the lexical-only fallback as the
baseline); every number reported for ``test`` uses those dev-chosen thresholds, with 95%
bootstrap intervals that resample base pairs together with their role-swapped twins. The split is by pair, and a
role-swapped twin always sits in its base pair's split.

Metrics: precision/recall/F1 per status (over labelled report lines; a line the tool does not
check counts as predicted ``none``) and for omissions (over source lines about a party);
false-alarm rate on clean pairs (statement level and pair level); concerns-uptake accuracy;
swap invariance (per-party numbers of a pair equal the mirrored numbers of its twin).

Run: ``python -m experiments reproduce --only sources_eval`` (or ``python -m experiments.sources_eval``).
"""
from __future__ import annotations

import json
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np

from ._common import ROOT, write_result

PAIRS = ROOT / "corpora" / "sources" / "pairs.jsonl"
STATUSES = ("supported", "contradicted", "stronger_than_source", "not_found")
#: the issue's target for the false-alarm rate on clean pairs; ``tune`` keeps to it on dev
FA_TARGET = 0.05


def load_pairs() -> list[dict]:
    return [json.loads(l) for l in PAIRS.read_text(encoding="utf-8").splitlines() if l.strip()]


def _texts(rec):
    import sys

    sys.path.insert(0, str(ROOT / "corpora" / "sources"))
    from build_sources import texts

    return texts(rec)


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def prepare(recs, nlp):
    """Analyse each report once (the thresholds do not change the analysis)."""
    import biaslens

    out = []
    for rec in recs:
        text, srcs, spans, sspans = _texts(rec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rep = biaslens.analyze(text, parties=rec["parties"], nlp=nlp)
        out.append((rec, rep, srcs, spans, sspans))
    return out


def predict(prepared, th, use_embeddings):
    from biaslens.sources import compare

    res = []
    for rec, rep, srcs, spans, sspans in prepared:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            chk = compare(rep, srcs, parties=rec["parties"], thresholds=th,
                          use_embeddings=use_embeddings, n_boot=200, seed=0)
        lines, disc = [], []
        for k, line in enumerate(rec["report"]):
            if line["heading"]:
                continue
            pred = next((a.status for a in chk.attributions
                         if _overlap((a.report_start, a.report_end), spans[k])), "none")
            lines.append((rec["kind"], line["gold"] or "none", pred))
            disc.append(line["discrepancy"])
        oms = []
        for n, ls in rec["sources"].items():
            for j, line in enumerate(ls):
                if line["party"] is None:
                    continue
                hit = any(o.source == n and _overlap((o.start, o.end), sspans[n][j]) and o.party == line["party"]
                          for o in chk.omissions)
                oms.append((rec["kind"], bool(line["omitted"]), hit))
        res.append({"rec": rec, "rep": rep, "chk": chk, "lines": lines, "oms": oms, "disc": disc})
    return res


def prf(pairs, positive) -> dict:
    tp = sum(g == positive and p == positive for g, p in pairs)
    fp = sum(g != positive and p == positive for g, p in pairs)
    fn = sum(g == positive and p != positive for g, p in pairs)
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return {"precision": round(pr, 3), "recall": round(rc, 3), "f1": round(f1, 3), "support": tp + fn}


def metrics(res) -> dict:
    lines = [(g, p) for r in res for _, g, p in r["lines"]]
    out = {s: prf(lines, s) for s in STATUSES}
    oms = [(g, p) for r in res for _, g, p in r["oms"]]
    out["omission"] = prf(oms, True)
    clean = [(g, p) for r in res for k, g, p in r["lines"] if k == "clean" and g == "supported"]
    out["clean_false_alarm_rate"] = round(sum(p not in ("supported", "none") for _, p in clean) / max(len(clean), 1), 3)
    out["clean_not_checked_rate"] = round(sum(p == "none" for _, p in clean) / max(len(clean), 1), 3)
    clean_om = [p for r in res for k, g, p in r["oms"] if k == "clean"]
    out["clean_omission_false_alarm_rate"] = round(sum(clean_om) / max(len(clean_om), 1), 3)
    clean_pairs = [r for r in res if r["rec"]["kind"] == "clean"]
    out["clean_pairs_with_any_flag"] = round(sum(
        any(p not in ("supported", "none") for _, _, p in r["lines"]) or any(p for _, _, p in r["oms"])
        for r in clean_pairs) / max(len(clean_pairs), 1), 3)
    out["n_lines"] = len(lines)
    out["n_pairs"] = len(res)
    return out


def objective(m) -> float:
    return float(np.mean([m[s]["f1"] for s in STATUSES] + [m["omission"]["f1"]]))


def tune(prepared, backend, use_embeddings):
    """Choose ``found`` (with ``strong``) then ``covered`` on the given (dev) pairs.

    ``found``/``strong``: the best mean F1 of the four statuses among the settings whose
    false-alarm rate on the clean dev pairs is at most :data:`FA_TARGET`.

    The statuses depend on ``found`` only and the omissions on ``covered`` only, so the two
    are searched one after the other (same optimum as the full grid, a fraction of the runs).
    """
    from biaslens.sources import DEFAULT_THRESHOLDS

    base = DEFAULT_THRESHOLDS[backend]
    grid = np.round(np.arange(0.2, 0.81, 0.05), 2) if use_embeddings else np.round(np.arange(0.1, 0.61, 0.05), 2)

    def stat_key(m):
        return float(np.mean([m[s]["f1"] for s in STATUSES]))

    best = None
    strongs = (0.7, 0.75, 0.8, 0.85, 0.9, 1.01) if use_embeddings else (1.01,)
    for f in grid:
        for sg in strongs:
            if sg < f:
                continue
            th = replace(base, found=float(f), strong=float(sg))
            m = metrics(predict(prepared, th, use_embeddings))
            # constrained: among the settings whose dev false-alarm rate on clean pairs meets
            # the target, the best mean F1 (if none meets it, the best mean F1 overall)
            key = (m["clean_false_alarm_rate"] <= FA_TARGET, stat_key(m),
                   -abs(f - base.found), -abs(sg - base.strong))
            if best is None or key > best[0]:
                best = (key, th, m)
    th = best[1]
    best = None
    for c in grid:
        t2 = replace(th, covered=float(c))
        m = metrics(predict(prepared, t2, use_embeddings))
        key = (m["omission"]["f1"], -m["clean_omission_false_alarm_rate"], -abs(c - base.covered))
        if best is None or key > best[0]:
            best = (key, t2, m)
    return best[1], best[2]


def recall_by_discrepancy(res) -> dict:
    """Per planted kind: how many lines, and the share given their gold status."""
    out: dict[str, list[int]] = {}
    for r in res:
        for (_, g, p), d in zip(r["lines"], r["disc"]):
            if d:
                n = out.setdefault(d, [0, 0])
                n[0] += 1
                n[1] += g == p
    return {d: {"n": n, "recall": round(c / n, 3)} for d, (n, c) in sorted(out.items())}


def bootstrap_ci(res, *, n_boot: int = 1000, seed: int = 0) -> dict:
    """95% intervals for the headline test numbers, resampling base pairs with their twins.

    With 28 planted cases per status a point F1 moves by several points when one case flips;
    the interval says how much. Twins are resampled together (they are not independent).
    """
    groups: dict[str, list] = {}
    for r in res:
        groups.setdefault(r["rec"]["twin_of"] or r["rec"]["id"], []).append(r)
    keys = sorted(groups)
    rng = np.random.default_rng(seed)
    draws = {k: [] for k in ("contradicted", "not_found", "stronger_than_source", "omission",
                             "clean_false_alarm_rate")}
    for _ in range(n_boot):
        sample = [r for i in rng.integers(0, len(keys), len(keys)) for r in groups[keys[i]]]
        m = metrics(sample)
        for k in draws:
            draws[k].append(m[k] if k.endswith("rate") else m[k]["f1"])
    return {k: [round(float(x), 3) for x in np.quantile(v, [0.025, 0.975])] for k, v in draws.items()}


def concerns_accuracy(res) -> dict:
    from biaslens.hearing import concerns_frame

    gold_n = correct = found = extra = 0
    for r in res:
        rec, rep = r["rec"], r["rep"]
        text, _, spans, _ = _texts(rec)
        cf = concerns_frame(rep)
        pred = {}
        for _, row in cf.iterrows():
            st = rep.statements[row.statement_id]
            k = next((k for k, sp in enumerate(spans) if _overlap((st.start, st.end), sp)), None)
            pred[(k, row.party)] = row.uptake
        gold = {(c["line"], c["party"]): c["uptake"] for c in rec["concerns"]}
        for key, u in gold.items():
            gold_n += 1
            if key in pred:
                found += 1
                correct += pred[key] == u
        extra += sum(k not in gold for k in pred)
    return {"gold_concerns": gold_n, "found": found, "uptake_correct": correct,
            "uptake_accuracy": round(correct / max(gold_n, 1), 3), "spurious_concerns": extra}


def swap_invariance(res) -> dict:
    from biaslens.hearing import party_metrics

    by_id = {r["rec"]["id"]: r for r in res}
    flip = {"mother": "father", "father": "mother"}
    n = mirrored = 0
    max_diff = 0.0
    broken = []
    for r in res:
        tw = r["rec"]["twin_of"]
        if tw is None or tw not in by_id:
            continue
        a, b = by_id[tw], r
        n += 1
        ok = True
        for role in ("mother", "father"):
            sa = a["chk"].omission_shares[role]["share"]
            sb = b["chk"].omission_shares[flip[role]]["share"]
            if not (np.isnan(sa) and np.isnan(sb)):
                d = abs(sa - sb)
                max_diff = max(max_diff, d)
                ok &= d < 1e-9
            ca = {s: sum(x.status == s and role in x.targets for x in a["chk"].attributions) for s in STATUSES}
            cb = {s: sum(x.status == s and flip[role] in x.targets for x in b["chk"].attributions) for s in STATUSES}
            ok &= ca == cb
        ha, hb = party_metrics(a["rep"]), party_metrics(b["rep"])
        hb = hb.rename(index=flip).loc[ha.index]
        ok &= bool(np.allclose(ha.fillna(-1).to_numpy(float), hb.fillna(-1).to_numpy(float)))
        mirrored += ok
        if not ok:
            broken.append(tw)
    return {"twin_pairs": n, "mirrored": mirrored, "mirrored_share": round(mirrored / max(n, 1), 3),
            "max_omission_share_difference": round(max_diff, 4), "not_mirrored": broken}


def run(*, quick: bool, seed: int, out: Path) -> dict:
    import biaslens
    from biaslens.sources import _encoder

    recs = load_pairs()
    nlp = biaslens.load()
    prepared = prepare(recs, nlp)
    dev = [p for p in prepared if p[0]["split"] == "dev"]
    test = [p for p in prepared if p[0]["split"] == "test"]
    metrics_out = {"n_pairs": {"dev": len(dev), "test": len(test)}}
    backends = [("lexical", False)] + ([("minilm", True)] if _encoder() is not None else [])
    for backend, use_emb in backends:
        th, dev_m = tune(dev, backend, use_emb)
        test_res = predict(test, th, use_emb)
        all_res = predict(prepared, th, use_emb)
        metrics_out[backend] = {
            "thresholds_chosen_on_dev": {"found": th.found, "covered": th.covered, "strong": th.strong},
            "dev": dev_m,
            "test": metrics(test_res),
            "test_ci95_bootstrap_over_base_pairs": bootstrap_ci(test_res, seed=seed),
            "test_recall_by_discrepancy": recall_by_discrepancy(test_res),
            "concerns_uptake_test": concerns_accuracy(test_res),
            "concerns_uptake_all": concerns_accuracy(all_res),
            "swap_invariance_all": swap_invariance(all_res),
        }
    write_result(out, "sources_eval", metrics_out,
                 config={"quick": quick, "grid": "found, then covered, in steps of 0.05",
                         "objective": "mean F1 of 4 statuses (subject to a clean-pair false-alarm "
                                      f"rate <= {FA_TARGET} on dev), then omission F1, on dev"},
                 seed=seed, inputs=[PAIRS, PAIRS.with_name("more_pairs.txt"),
                                    ROOT / "biaslens" / "lexicons" / "polarity.tsv"])
    return metrics_out


if __name__ == "__main__":  # pragma: no cover
    import pprint

    pprint.pprint(run(quick=True, seed=0, out=ROOT / "results"), width=120)
