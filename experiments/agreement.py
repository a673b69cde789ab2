"""Inter-annotator agreement: a blind second annotation of 400 s7synth statements against the gold.

``python -m experiments reproduce --only agreement``

``corpora/s7synth/second_annotation.jsonl`` holds a second, independent labelling (label and
source) of 400 statements drawn at random (seed 7) from the 66 original reports, all splits. The
second annotator saw only ANNOTATION.md and each statement with its two previous statements, the
next one and the report's parties; never the gold labels, the corpus files or any model output.
Reported: raw agreement and Cohen's kappa for the label and the source, the confusion matrix,
and agreement per writer. Both annotations were made with a language model's help, and the text
was written to the guidelines, so this measures how determinate the guidelines are on this
corpus, not agreement on real reports.
"""
from __future__ import annotations

import json
from pathlib import Path

from ._common import ROOT, write_result

SECOND = ROOT / "corpora" / "s7synth" / "second_annotation.jsonl"
AUTHORED = ROOT / "corpora" / "s7synth" / "authored"
LABELS = ["allegation", "observation", "opinion", "other"]


def run(*, quick: bool, seed: int, out: Path) -> dict:
    from sklearn.metrics import cohen_kappa_score, confusion_matrix

    files = sorted(AUTHORED.glob("*.json"))
    gold, writer = {}, {}
    for p in files:
        r = json.loads(p.read_text(encoding="utf-8"))
        writer[r["report_id"]] = r.get("writer", "?")
        for k, s in enumerate(r["statements"]):
            gold[(r["report_id"], k)] = s
    second = [json.loads(line) for line in SECOND.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [(gold[(s["report_id"], s["index"])], s) for s in second if (s["report_id"], s["index"]) in gold]
    ga, gb = [g["label"] for g, _ in pairs], [s["label"] for _, s in pairs]
    sa, sb = [g["source"] for g, _ in pairs], [s["source"] for _, s in pairs]
    per_writer: dict[str, list[int]] = {}
    for (g, s) in pairs:
        w = writer[s["report_id"]]
        per_writer.setdefault(w, [0, 0])
        per_writer[w][0] += g["label"] == s["label"]
        per_writer[w][1] += 1
    disagreements = [{"report_id": s["report_id"], "index": s["index"], "gold": g["label"],
                      "second": s["label"]} for g, s in pairs if g["label"] != s["label"]]
    res = {
        "n_statements": len(pairs), "n_reports": len({s["report_id"] for _, s in pairs}),
        "n_unmatched": len(second) - len(pairs),
        "label_agreement": round(sum(a == b for a, b in zip(ga, gb)) / max(len(pairs), 1), 4),
        "label_cohen_kappa": round(float(cohen_kappa_score(ga, gb)), 4),
        "source_agreement": round(sum(a == b for a, b in zip(sa, sb)) / max(len(pairs), 1), 4),
        "source_cohen_kappa": round(float(cohen_kappa_score(sa, sb)), 4),
        "label_confusion": {"labels": LABELS, "rows_gold_columns_second":
                            confusion_matrix(ga, gb, labels=LABELS).tolist()},
        "label_agreement_by_writer": {w: {"agreement": round(a / n, 4), "n": n}
                                      for w, (a, n) in sorted(per_writer.items())},
        "label_disagreements": disagreements,
    }
    write_result(out, "agreement", res, config={"sample_seed": 7, "quick": quick}, seed=seed,
                 inputs=[SECOND] + files)
    return res


def markdown(record: dict) -> str:
    m = record["metrics"]
    lines = [f"{m['n_statements']} statements from {m['n_reports']} reports, labelled blind by a second annotator.", "",
             "| | agreement | Cohen's kappa |", "|---|---|---|",
             f"| label | {m['label_agreement']:.3f} | {m['label_cohen_kappa']:.3f} |",
             f"| source | {m['source_agreement']:.3f} | {m['source_cohen_kappa']:.3f} |", "",
             "Label agreement by writer: " + ", ".join(f"{w} {v['agreement']:.3f} (n={v['n']})"
                                                     for w, v in m["label_agreement_by_writer"].items()),
             "", "Both annotations were LLM-assisted and the text was written to the guidelines: this shows the "
             "guidelines are determinate on this corpus, not that real reports are this easy to label.", ""]
    return "\n".join(lines)
