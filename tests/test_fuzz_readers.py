"""Fuzz the readers with hypothesis: any bytes under any supported name either read to a str or
raise ReaderError (never another exception, never a hang). Bounded budget for CI."""
from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biaslens.readers import ReaderError, read_with_provenance

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _read(name: str, data: bytes):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                text, info = read_with_provenance(p, root=d)
            except ReaderError as exc:
                assert exc.code.startswith("E1") and exc.hint
                return None
        assert isinstance(text, str) and text.strip() and "\x00" not in text
        assert info.n_bytes == len(data)
        return text


def _pdf_seed() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Ms Finch said that Mr Bell was late.")
    c.showPage()
    c.save()
    return buf.getvalue()


def _docx_seed() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("Ms Finch said that Mr Bell was late.")
    d.save(buf)
    return buf.getvalue()


PDF, DOCX = _pdf_seed(), _docx_seed()


def _mutate(seed: bytes):
    """Seed files with random byte flips, cuts and insertions: deep enough to reach the parsers."""
    def apply(ops):
        b = bytearray(seed)
        for kind, pos, val in ops:
            i = pos % max(len(b), 1)
            if kind == 0 and b:
                b[i] = val
            elif kind == 1:
                del b[max(i, 8):]  # cut, keeping the header so the parser is reached
            else:
                b[i:i] = bytes([val]) * 3
        return bytes(b)

    return st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10 ** 7), st.integers(0, 255)),
                    min_size=1, max_size=8).map(apply)


@SETTINGS
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".md", ".pdf", ".docx"]))
def test_random_bytes(data, suffix):
    _read("f" + suffix, data)


@SETTINGS
@given(text=st.text(max_size=2000), enc=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_encoded_text_round_trips_or_fails_cleanly(text, enc):
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        return
    got = _read("f.txt", data)
    if got is not None and enc in ("utf-8", "utf-16") and "\x00" not in text and "\r" not in text \
            and not any(ord(c) < 32 and c not in "\t\n\x0c" for c in text):
        assert got == text


@SETTINGS
@given(data=_mutate(PDF))
def test_mutated_pdf(data):
    _read("f.pdf", data)


@SETTINGS
@given(data=_mutate(DOCX))
def test_mutated_docx(data):
    _read("f.docx", data)


@SETTINGS
@given(members=st.lists(st.tuples(st.sampled_from(["word/document.xml", "[Content_Types].xml",
                                                     "_rels/.rels", "word/_rels/document.xml.rels", "x"]),
                                  st.binary(max_size=300)), max_size=5))
def test_random_zip_members(members):
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in members:
                zf.writestr(name, data)
    _read("f.docx", buf.getvalue())
