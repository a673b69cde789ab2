"""Framing-cue detection against the gold cues of ``corpora/s7synth`` (issue 4).

Each report's statements are joined into its text (AUTHORING.md), analysed by
``biaslens.analyze`` with the report's own ``parties``, and every predicted cue is matched to a
gold cue of the same category whose character span overlaps it (one-to-one, greedy in text
order). Two scorings: ``span`` (overlap + category) and ``span+target`` (also the same bound
party; ``None`` = no party). Precision / recall / F1 per category, micro over all categories.

Splits are by report (``biaslens.corpora.load("s7synth")`` when available, else the same
per-writer hash split the tagger experiments use). Rules were tuned on train/dev only; the
headline numbers are on ``test``.

``corpora/s7heldout`` (another writer, unseen styles) is scored as a second test set; it has
no train/dev and its errors are never listed.

Run: ``python -m experiments.cue_eval [--split dev] [--errors CATEGORY]``,
``python -m experiments.cue_eval --corpus s7heldout --split test``,
``python -m experiments.cue_eval --corpus s7cuedev --split train --errors unsupported_presupposition``.

``corpora/s7cuedev`` (writers F-I, written after the test figures of build 1 were known, to
exercise the presupposition search) is development material: its errors are read and fixed
like train's, so its figures are training figures, except those measured before any rule was
changed for it (recorded in the changelog with the commit that reproduces them).
"""
from __future__ import annotations

import argparse
import json
import warnings
from collections import Counter, defaultdict
from pathlib import Path

from ._common import write_result
from ._tagger_data import corpus_splits, hash_split, join, load_reports

NAME = "cue_eval"
TARGET_CATS = ("presupposed_failure", "unsupported_presupposition", "distancing_attribution",
               "neutral_attribution", "endorsing_attribution")


def gold_cues(report: dict) -> list[dict]:
    """Gold cues with character offsets in the joined text."""
    text, offs = join(report["statements"])
    out = []
    for k, (s, (a, _)) in enumerate(zip(report["statements"], offs)):
        for c in s.get("cues", []):
            occ = c.get("occurrence", 1)
            pos = -1
            for _ in range(occ):
                pos = s["text"].find(c["text"], pos + 1)
            if pos < 0:
                continue
            out.append({"start": a + pos, "end": a + pos + len(c["text"]), "category": c["category"],
                        "target": c.get("target"), "text": c["text"], "statement": k})
    return out


def match(gold: list[dict], pred: list[dict], *, with_target: bool) -> tuple[list, list, list]:
    """(true positives as (gold, pred), false negatives, false positives)."""
    used = set()
    tp, fn = [], []
    for g in gold:
        hit = None
        for j, p in enumerate(pred):
            if j in used or p["category"] != g["category"]:
                continue
            if p["start"] < g["end"] and g["start"] < p["end"] and (not with_target or p["target"] == g["target"]):
                hit = j
                break
        if hit is None:
            fn.append(g)
        else:
            used.add(hit)
            tp.append((g, pred[hit]))
    fp = [p for j, p in enumerate(pred) if j not in used]
    return tp, fn, fp


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def splits_for(reports: list[dict]) -> tuple[dict[str, str], str]:
    sp = corpus_splits()
    if sp:
        return sp, "biaslens.corpora"
    return hash_split(reports), "hash_per_writer_70_10_20"


HELDOUT = Path(__file__).resolve().parents[1] / "corpora" / "s7heldout" / "authored"
CUEDEV = Path(__file__).resolve().parents[1] / "corpora" / "s7cuedev" / "authored"


def load_heldout(folder: Path = HELDOUT) -> tuple[list[dict], list[Path]]:
    """``corpora/s7heldout``: reports by another writer in unseen styles, test only, never tuned on."""
    files = sorted(folder.glob("*.json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in files], files


def evaluate(split: str, *, nlp=None, errors: str | None = None, corpus: str = "s7synth",
             writers: set[str] | None = None) -> dict:
    """P/R/F1 per category on one split (or "all" for every split) of ``corpus``.

    ``corpus="s7heldout"`` has a test split only; asking it for errors is refused (it is never
    looked at for tuning). ``corpus="s7cuedev"`` (development reports for the presupposition
    search) has a train split only. ``writers`` keeps only the reports of those writers (the
    corpus card gives each writer's letter), for figures on one batch of reports.
    """
    import biaslens

    if corpus == "s7cuedev":
        if split not in ("train", "all"):
            raise ValueError("s7cuedev has a train split only")
        reports, _ = load_heldout(CUEDEV)
        sp, how = {r["report_id"]: "train" for r in reports}, "s7cuedev (train only)"
    elif corpus == "s7heldout":
        if split != "test":
            raise ValueError("s7heldout has a test split only")
        if errors:
            raise ValueError("s7heldout is held out: no error listing")
        reports, _ = load_heldout()
        sp, how = {r["report_id"]: "test" for r in reports}, "s7heldout (test only)"
    else:
        reports, _ = load_reports()
        sp, how = splits_for(reports)
    nlp = nlp or biaslens.load()
    counts = {mode: defaultdict(Counter) for mode in ("span", "span+target")}
    examples = []
    n_reports = 0
    for r in reports:
        if r.get("twin_of"):
            continue
        if split != "all" and sp.get(r["report_id"]) != split:
            continue
        if writers and r.get("writer") not in writers:
            continue
        n_reports += 1
        text, _ = join(r["statements"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rep = biaslens.analyze(text, r["parties"], nlp=nlp)
        pred = [{"start": c.start, "end": c.end, "category": c.category, "target": c.target,
                 "text": c.text, "note": c.note} for c in rep.cues]
        gold = gold_cues(r)
        for mode in counts:
            tp, fn, fp = match(gold, pred, with_target=mode == "span+target")
            for g, _ in tp:
                counts[mode][g["category"]]["tp"] += 1
            for g in fn:
                counts[mode][g["category"]]["fn"] += 1
            for p in fp:
                counts[mode][p["category"]]["fp"] += 1
            if errors and mode == "span+target":
                for g in fn:
                    if errors in (g["category"], "all"):
                        examples.append(("FN", r["report_id"], g, r["statements"][g["statement"]]["text"]))
                for p in fp:
                    if errors in (p["category"], "all"):
                        st = next((s.text for s in rep.statements if s.start <= p["start"] < s.end), "")
                        examples.append(("FP", r["report_id"], p, st))
    res = {"corpus": corpus, "split": split, "split_source": how, "n_reports": n_reports}
    if writers:
        res["writers"] = sorted(writers)
    for mode, cats in counts.items():
        per = {c: _prf(v["tp"], v["fp"], v["fn"]) for c, v in sorted(cats.items())}
        tot = Counter()
        for v in cats.values():
            tot.update(v)
        per["micro"] = _prf(tot["tp"], tot["fp"], tot["fn"])
        res[mode] = per
    if errors:
        res["examples"] = examples
    return res


def run(*, quick: bool, seed: int, out: Path) -> dict:
    """Cue P/R/F1 per category on the test split (dev too, for reference)."""
    import biaslens

    reports, files = load_reports()
    files = files + load_heldout()[1] + load_heldout(CUEDEV)[1]
    nlp = biaslens.load()
    metrics = {"test": evaluate("test", nlp=nlp), "s7heldout_test": evaluate("test", nlp=nlp, corpus="s7heldout")}
    if not quick:
        metrics["dev"] = evaluate("dev", nlp=nlp)
        metrics["train"] = evaluate("train", nlp=nlp)
        metrics["s7cuedev_train"] = evaluate("train", nlp=nlp, corpus="s7cuedev")
    metrics["targets_met"] = {c: metrics["test"]["span"].get(c, {}).get("f1", 0.0) >= 0.85
                              for c in TARGET_CATS}
    write_result(out, NAME, metrics, config={"quick": quick, "matching": "char-span overlap, one-to-one"},
                 seed=seed, inputs=files)
    return metrics


def _table(res: dict, mode: str) -> str:
    lines = [f"{'category':32s} {'P':>6s} {'R':>6s} {'F1':>6s} {'support':>8s}"]
    for c, v in res[mode].items():
        lines.append(f"{c:32s} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {v['support']:8d}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.cue_eval")
    ap.add_argument("--split", default="dev", help="train, dev, test or all")
    ap.add_argument("--errors", default=None, help="print errors of this category ('all' for every one)")
    ap.add_argument("--corpus", default="s7synth",
                    help="s7synth (train/dev/test), s7heldout (test only) or s7cuedev (train only)")
    ap.add_argument("--writers", default=None, help="only these writers' reports, e.g. J,K,L,M")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    writers = set(args.writers.split(",")) if args.writers else None
    res = evaluate(args.split, errors=args.errors, corpus=args.corpus, writers=writers)
    if args.json:
        print(json.dumps({k: v for k, v in res.items() if k != "examples"}, indent=2))
    else:
        print(f"corpus={res['corpus']} split={res['split']} ({res['split_source']}), {res['n_reports']} reports")
        for mode in ("span", "span+target"):
            print(f"\n[{mode}]\n" + _table(res, mode))
    for kind, rid, c, st in res.get("examples", []):
        print(f"{kind} {rid} {c['category']} {c['text']!r} target={c['target']} "
              f"{('note=' + c['note']) if c.get('note') else ''}\n     | {st}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
