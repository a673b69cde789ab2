"""Packaging promises: citation metadata, entry points, python -m, shipped data files."""
import subprocess
import sys
from importlib import metadata, resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_citation_cff_is_valid():
    cffconvert = pytest.importorskip("cffconvert")  # noqa: F841
    exe = Path(sys.executable).with_name("cffconvert")
    out = subprocess.run([str(exe), "--validate", "-i", str(ROOT / "CITATION.cff")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_python_m_biaslens_help():
    out = subprocess.run([sys.executable, "-m", "biaslens", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "analyze" in out.stdout


def test_spacy_factories_entry_points():
    eps = {ep.name for ep in metadata.entry_points(group="spacy_factories")}
    assert {"biaslens_parties", "biaslens_statements", "biaslens_cues"} <= eps


def test_lexicons_have_a_source_for_every_row():
    from biaslens.lexicons import NAMES, load_lexicon

    for name in NAMES:
        rows = load_lexicon(name)
        assert rows, name
        assert all(r.source.strip() for r in rows), name


def test_py_typed_shipped():
    assert resources.files("biaslens").joinpath("py.typed").is_file()


def test_nothing_pickled_in_repository():
    bad = [p for p in ROOT.rglob("*") if p.suffix in {".pkl", ".pickle", ".joblib"}
           and ".venv" not in p.parts]
    assert bad == []
