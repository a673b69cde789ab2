"""No network at import or run time (issue 10).

A fresh interpreter blocks every socket connection and DNS lookup *before* importing biaslens,
then runs the whole pipeline: analyze, scores, asymmetry, pseudonymise (Presidio, whose own
e-mail/URL recognisers would fetch the public-suffix list) and every renderer. Any attempt to
reach the network raises, and the test fails with the attempted address.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(r'''
    import json, socket, sys, warnings
    attempts = []

    def _refuse(*args, **kwargs):
        attempts.append(repr(args[:2])[:200])
        raise OSError("network access blocked by biaslens test_no_network")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.socket.sendto = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    socket.gethostbyname = _refuse

    warnings.simplefilter("ignore")
    import biaslens
    from biaslens import privacy, plot
    text = ("Rachel Finch (the mother) lives at 14 Mill Lane, Northfield NF3 7QT. "
            "Ms Finch said that Mr Bell refused to return Amy on 12 March 2024. "
            "Mr Bell claims that Ms Finch is hostile. Mr Bell wrote from d.bell@example.com "
            "and linked https://www.example.co.uk/page on 07700 900123. "
            "I observed that Amy was settled with both parents.")
    parties = {"mother": ["Rachel Finch", "Ms Finch"], "father": ["Mr Bell"]}
    done = []
    r = biaslens.analyze(text, parties=parties); done.append("analyze")
    try:
        import biaslens.framing
        r.scores(); done.append("scores")
        r.asymmetry("mother", "father", n_boot=50); done.append("asymmetry")
    except ImportError:
        pass
    p = r.pseudonymise(key="k"); done.append("pseudonymise")
    assert "d.bell@example.com" not in p.text and "NF3 7QT" not in p.text
    privacy.pseudonymise_text("Write to a@example.org or see www.example.com.")
    r.to_json(pseudonymise=True); r.to_frame(pseudonymise=True); done.append("json/frame")
    try:
        import biaslens.render
        r.to_html(pseudonymise=True); r.to_markdown(pseudonymise=True); done.append("html/markdown")
    except ImportError:
        pass
    plot.attributions(p); done.append("plot")
    print(json.dumps({"attempts": attempts, "done": done}))
''')


@pytest.mark.slow
def test_whole_pipeline_runs_with_sockets_blocked(tmp_path):
    env = dict(os.environ)
    env.update({"MPLBACKEND": "Agg", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                # a fresh, empty cache: a library that would download has nothing to fall back on
                "XDG_CACHE_HOME": str(tmp_path / "cache"), "TLDEXTRACT_CACHE": str(tmp_path / "tld"),
                "HOME": str(tmp_path)})
    env.pop("http_proxy", None)
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, cwd=Path(__file__).resolve().parents[1], timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["attempts"] == [], result
    assert {"analyze", "pseudonymise", "json/frame", "plot"} <= set(result["done"])


def test_blocking_works(tmp_path):
    """The harness itself: with sockets blocked, a connection attempt is caught and recorded."""
    script = SCRIPT.split("warnings.simplefilter")[0] + textwrap.dedent('''
        try:
            socket.create_connection(("example.com", 80), timeout=1)
        except OSError:
            pass
        print(json.dumps({"attempts": attempts}))
    ''')
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["attempts"]) == 1


def test_harness_catches_presidios_public_suffix_download(tmp_path):
    """Why biaslens does not load Presidio's predefined recognisers: with an empty cache, its
    e-mail recogniser (tldextract) tries to fetch the public-suffix list. The harness sees it."""
    script = SCRIPT.split("warnings.simplefilter")[0] + textwrap.dedent('''
        from presidio_analyzer.predefined_recognizers import EmailRecognizer
        EmailRecognizer().analyze("write to d.bell@example.com", entities=["EMAIL_ADDRESS"])
        print(json.dumps({"attempts": attempts}))
    ''')
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), TLDEXTRACT_CACHE=str(tmp_path / "tld"),
               HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1])["attempts"], \
        "Presidio's EmailRecognizer no longer fetches; the no-network test lost its witness"
