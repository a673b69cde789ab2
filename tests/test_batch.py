"""Batch scoring: score_corpus, score_dataset, engines, the resumable `biaslens score`."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import biaslens
from biaslens.batch import load_manifest, score_to_dir

PARTIES = {"mother": ["Ms Finch"], "father": ["Mr Bell"]}
TEXTS = [
    "Ms Finch claims that Mr Bell refused to attend. Mr Bell explained that he was ill. Ms Finch was hostile.",
    "Mr Bell alleged that Ms Finch had failed to bring the child. Ms Finch said that the bus was late.",
    "I observed Ms Finch playing with the child. Mr Bell arrived late and was aggressive.",
    "Ms Finch told me that she wants contact to continue. Mr Bell stated that he agrees.",
]
SECRET = "Zebediah"


def _corpus(tmp_path: Path, n: int = 6) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for i in range(n):
        (d / f"r{i:02d}.txt").write_text(f"Report {i}.\n" + TEXTS[i % len(TEXTS)] + f" Note {i}.")
    (d / "empty.txt").write_text("")
    (d / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    return d


def test_texts_and_pairs(nlp):
    res = biaslens.score_corpus([TEXTS[0], (TEXTS[1], {"parties": PARTIES, "site": "A"})],
                                parties=None, progress=False, n_boot=50)
    assert len(res.reports) == 2 and res.errors.empty
    assert set(res.statements["report_id"]) == set(res.reports["report_id"])
    row = res.reports.iloc[1]
    assert row["parties"] == "mother,father" and row["meta_site"] == "A"
    assert row["composite_ci_low"] <= row["composite"] <= row["composite_ci_high"]
    for m in biaslens.framing.METRICS:
        assert f"{m}_diff" in res.reports.columns
    # the same analysis as analyze() + asymmetry()
    r = biaslens.analyze(TEXTS[1], parties=PARTIES, nlp=nlp)
    assert list(res.statements[res.statements.report_id == row["report_id"]]["label"]) == [s.label for s in r.statements]
    assert row["composite"] == pytest.approx(r.asymmetry(n_boot=50, seed=0).value)


def test_folder_with_bad_files_goes_on(tmp_path):
    d = _corpus(tmp_path, 3)
    res = biaslens.score_corpus(d, parties=PARTIES, progress=False, n_boot=20)
    assert len(res.reports) == 3
    assert sorted(res.errors["code"]) == ["E184", "E189"]
    assert set(res.errors.columns) >= {"file", "error", "code", "reason", "hint"}
    assert res.statements["path"].str.endswith(".txt").all()


@pytest.mark.parametrize("text,code", [("", "E002"), ("... !!! ---", "E015"), ("x" * 2_000_001, "E003")])
def test_bad_texts_become_error_rows(text, code):
    res = biaslens.score_corpus([text, TEXTS[0]], progress=False, n_boot=20)
    assert len(res.reports) == 1 and list(res.errors["code"]) == [code]


def test_not_english_is_a_warning_not_an_error():
    de = ("Der Vater hat das Kind am Wochenende nicht gebracht und die Mutter war sehr wütend "
          "darüber, weil sie lange gewartet hatte und niemand angerufen hat.")
    res = biaslens.score_corpus([de], progress=False, n_boot=20)
    assert "W004" in res.reports.iloc[0]["warnings"]


def test_bad_engine_and_inputs():
    with pytest.raises(biaslens.InputError, match="E194"):
        biaslens.score_corpus([TEXTS[0]], engine="spark", progress=False)
    with pytest.raises(biaslens.InputError, match="E195"):
        biaslens.score_corpus([42], progress=False)


def test_score_dataset():
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"text": [TEXTS[0], "", TEXTS[2]], "id": [1, 2, 3]})
    out = biaslens.score_dataset(ds, n_boot=20, batch_size=2)
    assert out.num_rows == 3 and out["id"] == [1, 2, 3]
    assert out["error_code"] == ["", "E002", ""]
    ref = biaslens.score_corpus([TEXTS[0], TEXTS[2]], progress=False, n_boot=20).reports
    assert out["composite"][0] == pytest.approx(ref["composite"][0], nan_ok=True)
    assert out["n_statements"][2] == ref["n_statements"][1]


def test_manifest_paths_outside_refused(tmp_path):
    d = _corpus(tmp_path, 2)
    man = tmp_path / "parties.csv"
    man.write_text("path,role,aliases\n"
                   "in/r00.txt,mother,Ms Finch|Rachel Finch\n"
                   "in/r00.txt,father,Mr Bell\n"
                   "../../etc/passwd,mother,X\n"
                   "/etc/hostname,father,Y\n")
    parties, errors = load_manifest(man, roots=[d])
    assert parties == {str((d / "r00.txt").resolve()): {"mother": ["Ms Finch", "Rachel Finch"], "father": ["Mr Bell"]}}
    assert [e["code"] for e in errors] == ["E182", "E182"]
    jl = tmp_path / "parties.jsonl"
    jl.write_text(json.dumps({"path": "in/r01.txt", "role": "mother", "aliases": ["Ms Finch"]}) + "\n")
    assert load_manifest(jl, roots=[d])[0] == {str((d / "r01.txt").resolve()): {"mother": ["Ms Finch"]}}
    bad = tmp_path / "bad.csv"
    bad.write_text("path,role\nin/r00.txt,mother\n")
    with pytest.raises(biaslens.InputError, match="E193"):
        load_manifest(bad, roots=[d])


def test_symlink_out_of_folder_is_an_error_row(tmp_path):
    d = _corpus(tmp_path, 1)
    secret = tmp_path / "secret.txt"
    secret.write_text(TEXTS[0])
    (d / "link.txt").symlink_to(secret)
    res = biaslens.score_corpus(d, progress=False, n_boot=20)
    assert "E182" in set(res.errors["code"]) and len(res.reports) == 1


def test_nothing_confidential_in_logs_errors_or_run_json(tmp_path, caplog):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(f"Ms {SECRET} claims that Mr Bell refused to attend.")
    (d / "b.txt").write_text(f"{SECRET} " * 3 + "\x01\x02\x03" * 200)
    caplog.set_level("DEBUG", logger="biaslens")
    rec = score_to_dir([d], tmp_path / "out", fmt="jsonl", n_boot=20, progress=False)
    info_up = " ".join(r.getMessage() for r in caplog.records if r.levelno >= 20)
    assert SECRET not in info_up
    assert SECRET not in (tmp_path / "out" / "run.json").read_text()
    assert SECRET not in (tmp_path / "out" / "errors.jsonl").read_text()
    assert rec["counts"]["errors"] == 1


@pytest.mark.slow
def test_pseudonymised_outputs(tmp_path):
    pytest.importorskip("presidio_analyzer")
    d = tmp_path / "in"
    d.mkdir()
    (d / f"{SECRET}.txt").write_text(f"Ms {SECRET} claims that Mr Bell refused to attend. Mr Bell said that Ms {SECRET} lied.")
    score_to_dir([d], tmp_path / "out", fmt="csv", pseudonymise=True, n_boot=20, progress=False,
                 parties_file=None)
    for f in ("reports.csv", "statements.csv", "errors.jsonl", "run.json"):
        assert SECRET not in (tmp_path / "out" / f).read_text(), f


@pytest.mark.slow
def test_deterministic_across_processes_and_dask(tmp_path):
    pytest.importorskip("distributed")
    texts = [(t + f" Item {i}.", {"parties": PARTIES}) for i, t in enumerate(TEXTS * 2)]
    one = biaslens.score_corpus(texts, progress=False, n_boot=50, batch_size=2)
    two = biaslens.score_corpus(texts, progress=False, n_boot=50, batch_size=2, n_process=2)
    pd.testing.assert_frame_equal(one.reports, two.reports)
    pd.testing.assert_frame_equal(one.statements, two.statements)
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cl, Client(cl) as client:
        dk = biaslens.score_corpus(texts, progress=False, n_boot=50, batch_size=2, engine="dask", client=client)
    pd.testing.assert_frame_equal(one.reports, dk.reports)
    pd.testing.assert_frame_equal(one.statements, dk.statements)


def _cli(args, **kw):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "biaslens", "score", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["parquet"])
def test_cli_killed_midway_resumes_to_identical_outputs(tmp_path, fmt):
    n = 40  # enough that the kill lands midway even now that each report is checkpointed
    d = _corpus(tmp_path, n)
    common = [str(d), "--format", fmt, "--n-boot", "20", "--chunk-size", "2"]
    ref = _cli([*common, "--out", str(tmp_path / "ref")])
    assert ref.wait(timeout=600) == 0, ref.stderr.read().decode()[-2000:]

    out = tmp_path / "run"
    shards = out / ".biaslens_shards"
    p = _cli([*common, "--out", str(out)])
    t0 = time.time()
    while time.time() - t0 < 300:
        if shards.exists() and len(list(shards.glob("*.json"))) >= 4:
            break
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    n_done = len(list(shards.glob("*.json")))
    assert 4 <= n_done < n, "the kill should land midway"
    assert not (out / f"reports.{fmt}").exists()  # nothing final was half-written
    again = _cli([*common, "--out", str(out)])
    assert again.wait(timeout=600) == 0, again.stderr.read().decode()[-2000:]
    run = json.loads((out / "run.json").read_text())
    assert run["counts"]["resumed"] == n_done and run["counts"]["scored_this_run"] == n - n_done
    for name in (f"reports.{fmt}", f"statements.{fmt}", "errors.jsonl"):
        assert (out / name).read_bytes() == (tmp_path / "ref" / name).read_bytes(), name
    reports = pd.read_parquet(out / f"reports.{fmt}")
    assert len(reports) == n and reports["report_id"].is_unique
    assert not list(out.glob(".*.tmp")) and not list(shards.glob(".*.tmp"))
    # a third run scores nothing and changes nothing
    third = _cli([*common, "--out", str(out)])
    assert third.wait(timeout=600) == 0
    assert json.loads((out / "run.json").read_text())["counts"]["scored_this_run"] == 0
    assert (out / f"statements.{fmt}").read_bytes() == (tmp_path / "ref" / f"statements.{fmt}").read_bytes()


def test_cli_csv_and_bad_format(tmp_path):
    from typer.testing import CliRunner

    from biaslens.cli import app

    d = _corpus(tmp_path, 2)
    r = CliRunner().invoke(app, ["score", str(d), "--out", str(tmp_path / "o"), "--format", "csv", "--n-boot", "20"])
    assert r.exit_code == 0, r.output
    st = pd.read_csv(tmp_path / "o" / "statements.csv")
    assert {"report_id", "path", "label"} <= set(st.columns)
    errs = [json.loads(x) for x in (tmp_path / "o" / "errors.jsonl").read_text().splitlines()]
    assert sorted(e["code"] for e in errs) == ["E184", "E189"]
    r = CliRunner().invoke(app, ["score", str(d), "--out", str(tmp_path / "o2"), "--format", "xlsx"])
    assert r.exit_code == 2 and "E197" in r.output


def test_errors_keep_their_place_in_the_stream_whatever_n_process():
    # error rows (unreadable texts) between analysed ones: one stream over everything must
    # give every row in input order, the same with worker processes
    texts = [(TEXTS[0], {"parties": PARTIES}), "", TEXTS[1], "... !!! ---", (TEXTS[2], {"parties": PARTIES}), ""]
    one = biaslens.score_corpus(texts, progress=False, n_boot=20, batch_size=2)
    assert list(one.errors["code"]) == ["E002", "E015", "E002"]
    assert list(one.reports["report_id"]) == [biaslens.batch.content_hash(t if isinstance(t, str) else t[0])[:16]
                                              for t in (texts[0], texts[2], texts[4])]
    two = biaslens.score_corpus(texts, progress=False, n_boot=20, batch_size=2, n_process=2)
    pd.testing.assert_frame_equal(one.reports, two.reports)
    pd.testing.assert_frame_equal(one.statements, two.statements)
    pd.testing.assert_frame_equal(one.errors, two.errors)


def test_a_report_failing_inside_the_pipeline_is_an_error_row(monkeypatch):
    import biaslens.batch as B

    real = B.pack

    def flaky(doc, **kw):
        if "Note 1." in doc.text:
            raise RuntimeError("boom")
        return real(doc, **kw)

    monkeypatch.setattr(B, "pack", flaky)
    texts = [t + f" Note {i}." for i, t in enumerate(TEXTS[:3])]
    res = biaslens.score_corpus(texts, parties=PARTIES, progress=False, n_boot=20)
    assert len(res.reports) == 2 and list(res.errors["code"]) == ["E196"]
    assert list(res.errors["error"]) == ["RuntimeError"]
    assert res.errors.iloc[0]["report_id"] == B.content_hash(texts[1])[:16]
    assert "boom" not in res.errors.to_json()  # the class only, never the message


@pytest.mark.slow
def test_dask_on_a_scheduler_address(tmp_path):
    # a cluster reached by its address, as a deployed scheduler would be (tcp, not in-process)
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    texts = [(t + f" Item {i}.", {"parties": PARTIES}) for i, t in enumerate(TEXTS)] + [""]
    local = biaslens.score_corpus(texts, progress=False, n_boot=20, batch_size=2)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                      dashboard_address=None) as cl:
        assert cl.scheduler_address.startswith("tcp://")
        by_str = biaslens.score_corpus(texts, progress=False, n_boot=20, batch_size=2, engine="dask",
                                       client=cl.scheduler_address)
        with Client(cl.scheduler_address) as client:
            by_client = biaslens.score_corpus(texts, progress=False, n_boot=20, batch_size=2, engine="dask",
                                              client=client)
            assert client.status == "running"  # a caller's client is left open
    for res in (by_str, by_client):
        pd.testing.assert_frame_equal(local.reports, res.reports)
        pd.testing.assert_frame_equal(local.statements, res.statements)
        pd.testing.assert_frame_equal(local.errors, res.errors)
