"""`biaslens analyze`: the README's first command, outputs, and clean errors (exit 2)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from biaslens.cli import _parse_parties, app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example_report.txt"
SHORT = ("Ms Finch claims that Mr Bell shouted at Amy. Mr Bell explained that he was tired. "
         "Ms Finch was hostile throughout the visit.")

runner = CliRunner()


@pytest.fixture(autouse=True)
def _pipeline(nlp):
    """Load the pipeline once per session (biaslens.load is cached), not once per command."""
    return nlp


def _ok(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res


def test_readme_first_command(tmp_path):
    out = tmp_path / "out"
    res = _ok(["analyze", str(EXAMPLE), "--table", str(out / "example.csv"),
               "--plot", str(out / "example.png"), "--json", str(out / "example.json")])
    assert "mother" in res.output and "father" in res.output and "statements about" in res.output
    assert "framing asymmetry mother vs father" in res.output
    data = json.loads((out / "example.json").read_text(encoding="utf-8"))
    assert set(data["parties"]) >= {"mother", "father"}
    assert (out / "example.csv").read_text(encoding="utf-8").startswith("statement_id,")
    assert (out / "example.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_markdown_and_plot_kinds(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(SHORT, encoding="utf-8")
    _ok(["analyze", str(f), "-p", "mother=Ms Finch", "-p", 'father="Mr Bell"',
         "--html", str(tmp_path / "r.html"), "--markdown", str(tmp_path / "r.md"),
         "--plot", str(tmp_path / "r.svg"), "--plot-kind", "cues", "--n-boot", "50"])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "bl-cue" in page
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# biaslens summary")
    assert b"<svg" in (tmp_path / "r.svg").read_bytes()[:500]


@pytest.mark.slow
def test_pseudonymise_applies_to_written_files(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(SHORT, encoding="utf-8")
    _ok(["analyze", str(f), "-p", "mother=Ms Finch", "-p", "father=Mr Bell", "--pseudonymise",
         "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "r.html"), "--n-boot", "0"])
    for name in ("r.json", "r.html"):
        body = (tmp_path / name).read_text(encoding="utf-8")
        assert "Finch" not in body and "Bell" not in body


@pytest.mark.parametrize("suffix,writer", [
    (".docx", "docx"),
    (".pdf", "pdf"),
    (".md", "text"),
])
def test_reads_each_supported_format(tmp_path, suffix, writer):
    f = tmp_path / f"report{suffix}"
    if writer == "docx":
        docx = pytest.importorskip("docx")
        d = docx.Document()
        for sent in SHORT.split(". "):
            d.add_paragraph(sent.rstrip(".") + ".")
        d.save(f)
    elif writer == "pdf":
        canvas = pytest.importorskip("reportlab.pdfgen.canvas")
        c = canvas.Canvas(str(f))
        y = 800
        for sent in SHORT.split(". "):
            c.drawString(50, y, sent.rstrip(".") + ".")
            y -= 20
        c.save()
    else:
        f.write_text(SHORT, encoding="utf-8")
    res = _ok(["analyze", str(f), "-p", "mother=Ms Finch", "-p", "father=Mr Bell", "--n-boot", "0"])
    assert "distancing verbs" in res.output


# (args builder, text expected in the message). Every failure: exit 2, no traceback.
ERRORS = [
    (lambda t: ["analyze", str(t / "missing.txt")], "missing.txt"),
    (lambda t: ["analyze", str(_write(t / "empty.txt", ""))], "empty.txt"),
    (lambda t: ["analyze", str(_write(t / "r.xyz", SHORT))], "r.xyz"),
    (lambda t: ["analyze", str(_write(t / "r.txt", SHORT)), "--plot", str(t / "p.nope")], "E165"),
    (lambda t: ["analyze", str(_write(t / "r.txt", SHORT)), "--json", str(_write(t / "afile", "x") / "r.json")], "E164"),
    (lambda t: ["analyze", str(_write(t / "r.txt", SHORT)), "-p", "mother"], "role=alias"),
    (lambda t: ["analyze", str(_write(t / "r.txt", SHORT)), "-p", "=Ms Finch"], "role=alias"),
    (lambda t: ["analyze", str(_write(t / "r.txt", SHORT)), "-p", "child=Amy"], "r.txt"),
    (lambda t: ["analyze", str(_write(t / "r.txt", SHORT)), "--plot-kind", "pie"], "pie"),
]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("build,expected", ERRORS)
def test_errors_are_clean(tmp_path, build, expected):
    res = runner.invoke(app, build(tmp_path))
    assert res.exit_code == 2, res.output
    assert expected in " ".join(res.output.split()), res.output
    assert "Traceback" not in res.output
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit)


def test_warnings_are_printed_cleanly(tmp_path):
    f = _write(tmp_path / "r.txt", SHORT)
    res = _ok(["analyze", str(f), "-p", "mother=Ms Finch", "-p", "father=Mr Nobody", "--n-boot", "0"])
    assert "warning: [W001]" in res.output and "warnings.warn" not in res.output


@pytest.mark.parametrize("items,expected", [
    (None, None),
    (["mother=Ms F"], {"mother": ["Ms F"]}),
    (['mother="Ms F"', "mother=Rachel Finch", "father = Mr B"],
     {"mother": ["Ms F", "Rachel Finch"], "father": ["Mr B"]}),
])
def test_parse_parties(items, expected):
    assert _parse_parties(items) == expected
