"""Privacy of logs and errors (issue 10): no report text at INFO or above, none in exceptions.

Reports are confidential, so biaslens may log sizes, counts, roles and file names, never the
text. Each check plants distinctive words in a report and looks for them in what was logged
at INFO and above (every logger, Presidio's and spaCy's included) and in exception messages.
"""
from __future__ import annotations

import importlib.util
import inspect
import logging
import warnings

import pytest

import biaslens
from biaslens.errors import InputError
from biaslens.readers import ReaderError, read

#: words that occur nowhere but in the planted report
MARKERS = ("Zebedee", "Quartermaine", "xylophonic", "Vorbury", "QZ7 4XX", "07700 900777",
           "zq@example.com", "Plumtree")
TEXT = ("Zebedee Quartermaine (the father) lives at 4 Plumtree Lane, Vorbury QZ7 4XX. "
        "Ms Larkin said that Mr Quartermaine was xylophonic and refused to attend on 3 May 2024. "
        "Mr Quartermaine can be reached on 07700 900777 or zq@example.com. "
        "I observed that the child was settled with both parents.")
PARTIES = {"father": ["Zebedee Quartermaine", "Mr Quartermaine"], "mother": ["Ms Larkin"]}


def _leaked(records, level=logging.INFO):
    out = []
    for r in records:
        if r.levelno < level:
            continue
        msg = r.getMessage() + (str(r.exc_info[1]) if r.exc_info else "")
        out += [(r.name, r.levelname, m) for m in MARKERS if m.lower() in msg.lower()]
    return out


@pytest.fixture
def debug_logs(caplog):
    caplog.set_level(logging.DEBUG)  # root: every logger, biaslens, presidio, spacy
    caplog.set_level(logging.DEBUG, logger="biaslens")
    return caplog


def test_analyze_and_outputs_log_no_text_at_info(debug_logs, nlp, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = biaslens.analyze(TEXT, parties=PARTIES, nlp=nlp)
    p = r.pseudonymise()
    from biaslens.privacy import pseudonymise, write_mapping

    _, mapping = pseudonymise(r, return_mapping=True)
    write_mapping(mapping, tmp_path / "mapping.json")
    r.to_json(str(tmp_path / "r.json"))
    if importlib.util.find_spec("biaslens.render") is not None:
        r.to_html(str(tmp_path / "r.html"))
    assert any(rec.levelno >= logging.DEBUG for rec in debug_logs.records), "nothing was captured"
    assert _leaked(debug_logs.records) == []
    assert "[FATHER]" in p.text


def test_reprs_hold_no_text(nlp):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = biaslens.analyze(TEXT, parties=PARTIES, nlp=nlp)
    assert not [m for m in MARKERS if m in repr(r)]


@pytest.mark.parametrize("text,kwargs", [
    (TEXT, {"max_length": 50}),                      # too long (E003)
    ("   \n\t  " , {}),                              # empty (E002)
    ("!!! ??? ... 12345 ---", {}),                   # no letters (E015)
    (TEXT.encode("utf-8"), {}),                      # bytes, not str (E001)
])
def test_input_errors_hold_no_text(text, kwargs, nlp):
    with pytest.raises(InputError) as err:
        biaslens.analyze(text, nlp=nlp, **kwargs)
    msg = str(err.value)
    assert msg.startswith("[E0")
    assert not [m for m in MARKERS if m.lower() in msg.lower()]
    assert "12345" not in msg


@pytest.mark.parametrize("name,content", [
    ("report.xyz", TEXT.encode("utf-8")),                        # unsupported type
    ("report.txt", b"\x00\x01\x02" + TEXT.encode("utf-16")[:40] + bytes(range(256)) * 8),  # binary
    ("report.txt", b"   \n  "),                                   # empty
])
def test_reader_errors_hold_no_text(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    try:
        read(path)
    except ReaderError as err:
        msg = str(err) + err.reason + err.hint
        assert not [m for m in MARKERS if m.lower() in msg.lower()]
        assert str(path) in str(err)
    else:  # the hardened reader may accept binary-looking text; the other two must fail
        assert name == "report.txt" and content.startswith(b"\x00")


def test_reader_error_is_raised_for_unsupported_type(tmp_path):
    path = tmp_path / "Quartermaine-notes.xyz"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(ReaderError) as err:
        read(path)
    # the file's *name* may appear (the user chose it); its content may not
    assert "xylophonic" not in str(err.value) and "Plumtree" not in str(err.value)


def test_score_corpus_logs_no_text(debug_logs, tmp_path):
    batch = pytest.importorskip("biaslens.batch", reason="biaslens.batch (score_corpus) is not in this tree yet")
    score_corpus = getattr(batch, "score_corpus", None)
    if score_corpus is None:
        pytest.skip("biaslens.batch has no score_corpus yet")
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for i in range(2):
        p = folder / f"r{i}.txt"
        p.write_text(TEXT, encoding="utf-8")
        paths.append(p)
    (folder / "broken.xyz").write_text(TEXT, encoding="utf-8")
    params = inspect.signature(score_corpus).parameters
    kwargs = {}
    if "out" in params:
        kwargs["out"] = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = score_corpus(folder, **kwargs)
        except TypeError:
            result = score_corpus(paths, **kwargs)
    assert _leaked(debug_logs.records) == []
    if "out" in kwargs:
        for f in (tmp_path / "out").rglob("*"):
            if f.is_file() and f.name in ("run.json", "errors.json", "errors.jsonl"):
                content = f.read_text(encoding="utf-8", errors="replace")
                assert not [m for m in MARKERS if m in content], f.name
    assert result is not None
