"""Figures: every plot in the evaluation, drawn from the result files of this run.

``python -m experiments reproduce --only figures`` (after the other experiments) redraws them
from ``results/*.json`` alone, so a figure can never disagree with its table. One figure,
``example_report.png``, is drawn by the library itself (``biaslens.plot.attributions``) on the
bundled example report. PNGs are written without a timestamp, so an unchanged result gives an
identical file.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from ._common import ROOT, write_result

log = logging.getLogger("experiments")
PNG_META = {"Software": None, "Creation Time": None}  # no version or time stamp: reproducible bytes


def _load(out: Path, name: str):
    p = out / f"{name}.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else None


def _save(fig, path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight", metadata=PNG_META)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tagger_confusion(rec: dict, path: Path) -> str:
    """Row-normalised confusion matrices of each backend on the s7synth test split."""
    import matplotlib.pyplot as plt
    import numpy as np

    backends = rec["metrics"]["backends"]
    fig, axes = plt.subplots(1, len(backends), figsize=(3.6 * len(backends), 3.4), squeeze=False)
    for ax, (name, m) in zip(axes[0], backends.items()):
        labels = m["confusion_matrix"]["labels"]
        cm = np.asarray(m["confusion_matrix"]["matrix"], float)
        norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
        ax.imshow(norm, vmin=0, vmax=1, cmap="Blues")
        for i in range(len(labels)):
            for j in range(len(labels)):
                ax.text(j, i, int(cm[i, j]), ha="center", va="center",
                        color="white" if norm[i, j] > 0.5 else "black", fontsize=8)
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_title(f"{name}: macro-F1 {m['macro_f1']:.3f}", fontsize=9)
        ax.set_xlabel("predicted", fontsize=8)
    axes[0][0].set_ylabel("gold", fontsize=8)
    fig.suptitle("Statement tagger, s7synth test split (counts; colour = row share)", fontsize=10)
    return _save(fig, path)


def tagger_ood(rec: dict, path: Path) -> str:
    """Macro-F1 in domain, on unseen styles, per left-out writer and on NewsSD-ENG."""
    import matplotlib.pyplot as plt
    import numpy as np

    m = rec["metrics"]
    backends = list(m["backends"])
    groups = {"s7synth test": lambda b: m["backends"][b]["macro_f1"],
              "s7heldout (unseen styles)": lambda b: m["backends"][b]["s7heldout_unseen_styles"]["macro_f1"],
              "NewsSD-ENG (zero-shot, 2 classes)": lambda b: m["backends"][b].get(
                  "newssd_eng_test_zero_shot", {}).get("macro_f1", np.nan)}
    fig, ax = plt.subplots(figsize=(7, 3.4))
    width = 0.8 / len(backends)
    for k, b in enumerate(backends):
        vals = [f(b) for f in groups.values()]
        bars = ax.bar(np.arange(len(groups)) + k * width, vals, width, label=b)
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
    ax.axhline(0.90, ls="--", lw=0.8, color="grey")
    ax.text(len(groups) - 0.5, 0.905, "in-domain target 0.90", fontsize=7, color="grey", ha="right")
    ax.set_xticks(np.arange(len(groups)) + 0.4 - width / 2, list(groups), fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("macro-F1")
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Statement tagger in and out of domain", fontsize=10)
    return _save(fig, path)


def cue_f1(rec: dict, path: Path) -> str:
    """Per-category cue F1 (span + category) on the test split and s7heldout."""
    import matplotlib.pyplot as plt
    import numpy as np

    m = rec["metrics"]
    test, ho = m["test"]["span"], m.get("s7heldout_test", {}).get("span", {})
    cats = sorted(c for c, v in test.items() if isinstance(v, dict) and v.get("support", 0) > 0)
    y = np.arange(len(cats))
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(cats) + 1.2))
    ax.barh(y + 0.2, [test[c]["f1"] for c in cats], 0.4, label="s7synth test")
    ax.barh(y - 0.2, [ho.get(c, {}).get("f1", np.nan) for c in cats], 0.4, label="s7heldout")
    ax.axvline(0.85, ls="--", lw=0.8, color="grey")
    ax.set_yticks(y, [f"{c} (n={test[c]['support']})" for c in cats], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1 (span and category)")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Framing cues; dashed: the 0.85 target for the issue's five categories", fontsize=9)
    return _save(fig, path)


def corpus_asymmetry(rows: list[dict], path: Path) -> str:
    """Each report's asymmetry index and 95% interval, grouped by how the corpus wrote it."""
    import matplotlib.pyplot as plt

    order = {"against": 0, "even": 1}
    rows = sorted(rows, key=lambda r: (order.get(r["kind"], 2), r["value"]))
    fig, ax = plt.subplots(figsize=(7, 0.11 * len(rows) + 1.5))
    colours = {"against": "tab:red", "even": "tab:grey"}
    for k, r in enumerate(rows):
        c = colours.get(r["kind"], "tab:blue")
        ax.plot([r["ci_low"], r["ci_high"]], [k, k], color=c, lw=1)
        ax.plot(r["value"], k, "o", color=c, ms=3)
    ax.axvline(0, color="black", lw=0.8)
    for kind, c in colours.items():
        ax.plot([], [], "o-", color=c, label=f"written {kind}" + (" party a" if kind == "against" else ""))
    ax.set_yticks([])
    ax.set_xlabel("composite index (> 0: party a framed worse than b), 95% bootstrap interval")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Does the index recover each s7synth report's written framing?", fontsize=10)
    return _save(fig, path)


def benchmarks(recs: dict, path: Path) -> str:
    """Every speed ratio against its target, measured in this run."""
    import matplotlib.pyplot as plt

    bars = []  # (label, value, target, higher_is_better)
    t = recs.get("bench_tagger")
    if t:
        m = t["metrics"]
        lin = m["backends"].get("linear", {})
        if lin:
            bars.append(("tagger: (spaCy + linear tagger) / spaCy", lin["ratio"], 1.25, False))
            if "ratio_with_neutral_parse" in lin:
                bars.append(("tagger incl. neutral parse / spaCy", lin["ratio_with_neutral_parse"], 1.25, False))
    f = recs.get("bench_framing")
    if f:
        fm = f["metrics"]
        bars.append(("cues + scores: added share of analysis time", fm["cues_scores_overhead_ratio"],
                     fm.get("overhead_target_ratio", 0.15), False))
    b = recs.get("bench_batch")
    if b:
        bars.append(("batch: biaslens / bare spaCy throughput", b["metrics"]["throughput_ratio_vs_spacy"], 0.75, True))
        bars.append(("batch: 2 processes / 1 process", b["metrics"]["speedup_1_to_2_processes"], 1.6, True))
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(bars), 1) + 1))
    for k, (label, v, target, higher) in enumerate(bars):
        ok = v >= target if higher else v <= target
        ax.barh(k, v, color="tab:green" if ok else "tab:red")
        ax.plot([target, target], [k - 0.4, k + 0.4], color="black", lw=1.5)
        ax.text(v, k, f" {v:.3f} (target {'>=' if higher else '<='} {target})", va="center", fontsize=7)
    ax.set_yticks(range(len(bars)), [x[0] for x in bars], fontsize=8)
    ax.set_xlim(0, max([x[1] for x in bars] + [2.0]) * 1.35)
    ax.set_title("Speed ratios measured in this run (black tick: target)", fontsize=10)
    return _save(fig, path)


def example_report(path: Path) -> str:
    """The library's own per-party figure for the bundled example report."""
    import warnings

    import biaslens
    from biaslens import plot

    text = (ROOT / "examples" / "example_report.txt").read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rep = biaslens.analyze(text)
    fig = plot.attributions(rep)
    fig = getattr(fig, "figure", fig)
    return _save(fig, path)


def run(*, quick: bool, seed: int, out: Path) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    out = Path(out)
    figdir = out / "figures"
    made: dict[str, str] = {}
    inputs = []
    te = _load(out, "tagger_eval")
    if te:
        made["tagger_confusion.png"] = tagger_confusion(te, figdir / "tagger_confusion.png")
        made["tagger_ood.png"] = tagger_ood(te, figdir / "tagger_ood.png")
        inputs.append(out / "tagger_eval.json")
    ce = _load(out, "cue_eval")
    if ce:
        made["cue_f1.png"] = cue_f1(ce, figdir / "cue_f1.png")
        inputs.append(out / "cue_eval.json")
    ca = _load(out, "corpus_asymmetry_reports")
    if ca:
        made["corpus_asymmetry.png"] = corpus_asymmetry(ca, figdir / "corpus_asymmetry.png")
        inputs.append(out / "corpus_asymmetry_reports.json")
    recs = {n: _load(out, n) for n in ("bench_tagger", "bench_framing", "bench_batch")}
    if any(recs.values()):
        made["benchmarks.png"] = benchmarks({k: v for k, v in recs.items() if v}, figdir / "benchmarks.png")
        inputs += [out / f"{n}.json" for n, v in recs.items() if v]
    made["example_report.png"] = example_report(figdir / "example_report.png")
    inputs.append(ROOT / "examples" / "example_report.txt")
    metrics = {"figures": {k: {"path": f"figures/{k}", "sha256": v} for k, v in made.items()}}
    write_result(out, "figures", metrics, config={"quick": quick}, seed=seed, inputs=inputs)
    log.info("figures: %d drawn", len(made))
    return metrics


CAPTIONS = {
    "tagger_confusion.png": "Statement tagger confusion matrices (s7synth test).",
    "tagger_ood.png": "Tagger macro-F1 in domain and out of domain.",
    "cue_f1.png": "Cue F1 per category, s7synth test and s7heldout.",
    "corpus_asymmetry.png": "Per-report asymmetry index against the corpus's written framing.",
    "benchmarks.png": "Speed ratios against their targets.",
    "example_report.png": "biaslens.plot.attributions on examples/example_report.txt.",
}


def markdown(record: dict) -> str:
    lines = []
    for name, info in record["metrics"]["figures"].items():
        lines += [f"**{CAPTIONS.get(name, name)}** (`results/{info['path']}`)", "",
                  f"![{name}](../results/{info['path']})", ""]
    return "\n".join(lines)
