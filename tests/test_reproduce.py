"""Issue 7: the reproduce command regenerates identical metrics, with provenance."""
import json

import pytest

from experiments import registry
from experiments.__main__ import reproduce
from experiments._common import stable_metrics
from experiments.report import generic

# cheap, data-dependent experiments: enough to show that seeds and splits are fixed
CHEAP = ["cue_eval", "corpus_asymmetry"]


def test_registry_names_importable_modules():
    import importlib

    for name in registry.EXPERIMENTS:
        mod = importlib.import_module(f"experiments.{name}")
        assert callable(mod.run), name


@pytest.mark.slow
def test_two_runs_give_identical_metrics(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    reproduce(quick=True, seed=0, out=a, only=CHEAP, readme=False)
    reproduce(quick=True, seed=0, out=b, only=CHEAP, readme=False)
    for name in CHEAP:
        ra = json.loads((a / f"{name}.json").read_text())
        rb = json.loads((b / f"{name}.json").read_text())
        assert stable_metrics(ra["metrics"]) == stable_metrics(rb["metrics"]), name
        # provenance: configuration, seed, versions, commit and input hashes are recorded
        for key in ("config", "seed", "versions", "git_commit", "inputs_sha256"):
            assert key in ra, (name, key)
        assert ra["inputs_sha256"], name
        assert all(len(h) == 64 for h in ra["inputs_sha256"].values())


def test_stable_metrics_drops_timings_only():
    m = {"macro_f1": 0.9, "timing_fit_seconds": 3.2, "nested": {"peak_rss_mb": 700, "n": 4}}
    assert stable_metrics(m) == {"macro_f1": 0.9, "nested": {"n": 4}}


def test_generic_markdown_renders_tables():
    md = generic({"n": 3, "per_class": {"opinion": {"f1": 0.5, "support": 4}}})
    assert "| opinion | 0.500 | 4 |" in md


def test_figures_are_drawn_from_result_files_and_reproducible(tmp_path):
    import shutil

    import matplotlib.image as mpimg

    from experiments import figures
    from experiments._common import ROOT

    for name in ("tagger_eval", "cue_eval", "corpus_asymmetry_reports", "bench_batch"):
        shutil.copy(ROOT / "results" / f"{name}.json", tmp_path / f"{name}.json")
    m1 = figures.run(quick=True, seed=0, out=tmp_path)["figures"]
    assert {"tagger_confusion.png", "tagger_ood.png", "cue_f1.png", "corpus_asymmetry.png",
            "benchmarks.png", "example_report.png"} <= set(m1)
    for name in m1:
        img = mpimg.imread(tmp_path / "figures" / name)
        assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100, name
    m2 = figures.run(quick=True, seed=0, out=tmp_path)["figures"]
    assert {k: v["sha256"] for k, v in m1.items()} == {k: v["sha256"] for k, v in m2.items()}
    record = json.loads((tmp_path / "figures.json").read_text())
    assert "![tagger_confusion.png](../results/figures/tagger_confusion.png)" in figures.markdown(record)
