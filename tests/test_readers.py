"""Readers: every bad-input case of docs/bad_input.md, with fixtures generated here (no blobs)."""
from __future__ import annotations

import io
import os
import socket
import threading
import warnings
import zipfile
from pathlib import Path

import pytest

import biaslens
from biaslens.readers import ReaderError, read, read_with_provenance

REPORT = ("Ms Finch said that Mr Bell had not attended the contact session. "
          "The officer observed that Ms Finch arrived on time.")
SECRET = "ZZSECRETZZ"


# -- fixture makers -------------------------------------------------------------------------

def make_pdf(path: Path, pages: list[str], *, encrypt: str | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for text in pages:
        if text:
            c.drawString(72, 760, text)
        c.showPage()
    c.save()
    return path


def make_image_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    import numpy as np
    from PIL import Image

    img = Image.fromarray((np.arange(64 * 64).reshape(64, 64) % 255).astype("uint8"))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(buf), 72, 500, 200, 200)
    c.showPage()
    c.save()
    return path


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF assembled by hand with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def js_pdf(text: str = "Ms Finch attended the meeting.") -> bytes:
    stream = b"BT /F1 12 Tf 72 720 Td (" + text.encode() + b") Tj ET"
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /S /JavaScript /JS (app.alert('x');) >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def lying_count_pdf(count: int) -> bytes:
    stream = b"BT /F1 12 Tf 72 720 Td (Ms Finch attended.) Tj ET"
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def make_docx(path: Path, paragraphs: list[str], *, table: list[list[str]] | None = None) -> Path:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    d.save(str(path))
    return path


def rewrite_docx(src: Path, dst: Path, edit) -> Path:
    """Copy a .docx, passing each member's (name, bytes) through ``edit``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = edit(info.filename, zin.read(info.filename))
            zout.writestr(name, data)
    return dst


def zip_bomb(path: Path, *, member_mb: int = 50) -> Path:
    """A .docx-shaped zip with one member that inflates 1000:1 (made by hand, never committed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(member_mb):
                fh.write(block)
    return path


def many_members_zip(path: Path, n: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(n):
            zf.writestr(f"m{i}.xml", b"x")
    return path


# -- text ---------------------------------------------------------------------------------

ENCODED = [
    ("utf-8", "Ms Finch said the café was closed. Naïve — “quoted”."),
    ("utf-8-sig", "Ms Finch said the café was closed."),
    ("cp1252", "Ms Finch said that the café was closed and the naïve plan — fell through."),
    ("latin-1", "Ms Finch said that the café was closed and the naïve plan failed."),
    ("utf-16", "Ms Finch said the café was closed."),
    ("utf-16-le", "Ms Finch said that the report was late."),
    ("utf-16-be", "Ms Finch said that the report was late."),
    ("cp1251", "Мать сказала, что отец не пришёл на встречу с ребёнком вчера вечером."),
]


@pytest.mark.parametrize("encoding,text", ENCODED)
def test_text_encodings_detected(tmp_path, encoding, text):
    p = tmp_path / "r.txt"
    p.write_bytes(text.encode(encoding))
    got, info = read_with_provenance(p)
    assert got == text
    assert info.format == "text" and info.n_bytes == p.stat().st_size


def test_mixed_encodings_keep_both(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes("Ms Finch: “café”.\n".encode("utf-8") + "Mr Bell: naïve.\n".encode("cp1252"))
    with pytest.warns(biaslens.BiasLensWarning, match="W181"):
        got, info = read_with_provenance(p)
    assert got == "Ms Finch: “café”.\nMr Bell: naïve.\n"
    assert info.encoding == "utf-8+cp1252" and any("W181" in w for w in info.warnings)


def test_nul_bytes_removed_with_warning(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(REPORT.encode()[:30] + b"\x00" + REPORT.encode()[30:])
    with pytest.warns(biaslens.BiasLensWarning, match="W180"):
        assert read(p) == REPORT


def test_crlf_normalised(tmp_path):
    p = tmp_path / "r.md"
    p.write_bytes(b"# Report\r\nMs F attended.\r\n")
    assert read(p) == "# Report\nMs F attended.\n"


def test_five_megabyte_single_line(tmp_path):
    p = tmp_path / "long.txt"
    line = ("Ms Finch attended the meeting on time and café. " * 110_000)[: 5 * 1024 * 1024]
    p.write_bytes(line.encode("utf-8"))
    text = read(p)
    assert len(text) >= 5_000_000 and "\n" not in text


def test_five_megabyte_line_legacy_encoding(tmp_path):
    p = tmp_path / "long.txt"
    p.write_bytes(("Ms Finch went to the café. " * 200_000).encode("cp1252"))
    text, info = read_with_provenance(p)
    assert info.encoding == "cp1252" and text.count("café") == 200_000


@pytest.mark.parametrize("data,code", [
    (b"", "E184"),
    (b"   \n\t\r\n  ", "E184"),
    (b"\x00\x00\x00\x00", "E184"),
    (bytes(range(256)) * 40, "E185"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 50, "E185"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 100, "E185"),
])
def test_empty_and_binary_text_files(tmp_path, data, code):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(ReaderError, match=code) as exc:
        read(p)
    assert exc.value.code == code and exc.value.path == str(p) and exc.value.hint


def test_oversized_refused_before_reading(tmp_path):
    p = tmp_path / "big.txt"
    with open(p, "wb") as fh:  # sparse: the test does not need the bytes
        fh.truncate(2_000_000)
    with pytest.raises(ReaderError, match="E183"):
        read(p, max_bytes=1_000_000)


@pytest.mark.parametrize("name,code", [("r.doc", "E186"), ("r.rtf", "E186"), ("r", "E186"),
                                       ("r.exe", "E186")])
def test_unsupported_types(tmp_path, name, code):
    p = tmp_path / name
    p.write_text(REPORT)
    with pytest.raises(ReaderError, match=code):
        read(p)


def test_missing_file(tmp_path):
    with pytest.raises(ReaderError, match="E180"):
        read(tmp_path / "nope.txt")


# -- paths, symlinks, devices ----------------------------------------------------------------

def test_device_files_refused():
    for dev in ("/dev/zero", "/dev/null", "/dev/urandom"):
        if os.path.exists(dev):
            with pytest.raises(ReaderError, match="E18[16]"):
                read(dev)


def test_device_behind_txt_symlink_refused(tmp_path):
    link = tmp_path / "r.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(ReaderError, match="E181") as exc:
        read(link)
    assert "character device" in exc.value.reason


def test_fifo_refused_without_hanging(tmp_path):
    fifo = tmp_path / "r.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReaderError, match="E181") as exc:
        read(fifo)
    assert "pipe" in exc.value.reason


def test_folder_refused(tmp_path):
    d = tmp_path / "d.txt"
    d.mkdir()
    with pytest.raises(ReaderError, match="E181"):
        read(d)


def test_symlink_leaving_root_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(REPORT)
    root = tmp_path / "in"
    root.mkdir()
    (root / "ok.txt").write_text(REPORT)
    (root / "link.txt").symlink_to(outside / "secret.txt")
    (root / "inner.txt").symlink_to(root / "ok.txt")
    assert read(root / "ok.txt", root=root) == REPORT
    assert read(root / "inner.txt", root=root) == REPORT  # a link that stays inside is fine
    with pytest.raises(ReaderError, match="E182"):
        read(root / "link.txt", root=root)
    with pytest.raises(ReaderError, match="E182"):
        read(root / ".." / "outside" / "secret.txt", root=root)


def test_symlink_loop_refused(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(ReaderError, match="E18[012]"):
        read(a, root=tmp_path)


# -- PDF ------------------------------------------------------------------------------------

def test_pdf_text(tmp_path):
    p = make_pdf(tmp_path / "r.pdf", ["Ms Finch said that Mr Bell was late.", "Page two text."])
    text, info = read_with_provenance(p)
    assert "Ms Finch said that Mr Bell was late." in text and "Page two text." in text
    assert info.format == "pdf" and info.n_pages == 2


def test_pdf_encrypted(tmp_path):
    p = make_pdf(tmp_path / "enc.pdf", ["Ms Finch said hello."], encrypt="s3cret")
    with pytest.raises(ReaderError, match="E187") as exc:
        read(p)
    assert "Ms Finch" not in str(exc.value)


def test_pdf_image_only(tmp_path):
    p = make_image_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ReaderError, match="E188") as exc:
        read(p)
    assert "OCR" in exc.value.hint


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n%garbage\n" + bytes(range(256)) * 4,
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"not a pdf at all, just words",
    b"%PDF-1.7\n" + b"[" * 5000 + b"\n%%EOF",
], ids=["garbage", "no-pages", "no-header", "deep-nesting"])
def test_pdf_corrupt(tmp_path, data):
    p = tmp_path / "bad.pdf"
    p.write_bytes(data)
    with pytest.raises(ReaderError, match="E18[89]"):
        read(p)


def test_pdf_truncated(tmp_path):
    good = make_pdf(tmp_path / "r.pdf", ["Ms Finch said that Mr Bell was late."]).read_bytes()
    p = tmp_path / "trunc.pdf"
    p.write_bytes(good[: len(good) // 3])
    try:
        text = read(p)  # pdfminer may recover the text from a truncated file: that is fine
        assert "Ms Finch" in text
    except ReaderError as exc:
        assert exc.code in ("E188", "E189")


def test_pdf_too_many_pages(tmp_path):
    p = make_pdf(tmp_path / "long.pdf", ["Ms Finch attended."] * 6)
    assert read(p, max_pages=6)
    with pytest.raises(ReaderError, match="E190"):
        read(p, max_pages=5)


def test_pdf_lying_page_count_refused_before_parsing(tmp_path):
    p = tmp_path / "huge.pdf"
    p.write_bytes(lying_count_pdf(10 ** 9))
    with pytest.raises(ReaderError, match="E190"):
        read(p)


def test_pdf_javascript_ignored_with_warning(tmp_path):
    p = tmp_path / "js.pdf"
    p.write_bytes(js_pdf())
    with pytest.warns(biaslens.BiasLensWarning, match="W182"):
        text, info = read_with_provenance(p)
    assert "Ms Finch attended the meeting." in text
    assert "app.alert" not in text and any("W182" in w for w in info.warnings)


# -- DOCX -----------------------------------------------------------------------------------

def test_docx_paragraphs_and_tables(tmp_path):
    p = make_docx(tmp_path / "r.docx", ["Ms Finch said that Mr Bell was late.", "Second paragraph."],
                  table=[["Name", "Role"], ["Ms Finch", "mother"]])
    text, info = read_with_provenance(p)
    assert text.splitlines()[:2] == ["Ms Finch said that Mr Bell was late.", "Second paragraph."]
    assert "mother" in text and info.format == "docx"


def test_docx_zip_bomb_refused_before_inflating(tmp_path, monkeypatch):
    p = zip_bomb(tmp_path / "bomb.docx", member_mb=50)
    assert p.stat().st_size < 200_000
    inflated = []
    real_read = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, *a, **k: inflated.append(a) or real_read(self, *a, **k))
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: inflated.append(a) or (_ for _ in ()).throw(AssertionError("inflated")))
    with pytest.raises(ReaderError, match="E191") as exc:
        read(p)
    assert "compresses" in exc.value.reason and inflated == []


def test_docx_total_size_limit(tmp_path):
    from biaslens.readers import check_zip

    p = zip_bomb(tmp_path / "bomb.docx", member_mb=3)
    with pytest.raises(ReaderError, match="E191"):
        check_zip(p.read_bytes(), p, max_uncompressed=2 * 1024 * 1024, max_ratio=10 ** 9)


def test_docx_too_many_members(tmp_path):
    p = many_members_zip(tmp_path / "many.docx", 5001)
    with pytest.raises(ReaderError, match="E191"):
        read(p)


def test_docx_lying_directory_does_not_inflate_more(tmp_path):
    """A central directory that under-declares a member's size cannot make zipfile inflate more."""
    p = tmp_path / "lie.docx"
    zip_bomb(p, member_mb=5)
    data = bytearray(p.read_bytes())
    # patch the declared uncompressed size of word/document.xml in the central directory
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    data[cd + 24:cd + 28] = (1000).to_bytes(4, "little")
    p.write_bytes(bytes(data))
    with pytest.raises(ReaderError, match="E19[12]"):
        read(p)


@pytest.mark.parametrize("data", [b"PK\x03\x04garbage", b"plain text pretending", b"PK\x05\x06" + b"\0" * 18],
                         ids=["bad-zip", "not-zip", "empty-zip"])
def test_docx_corrupt(tmp_path, data):
    p = tmp_path / "bad.docx"
    p.write_bytes(data)
    with pytest.raises(ReaderError, match="E192"):
        read(p)


def test_docx_zip_without_document(tmp_path):
    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "Ms Finch")
    with pytest.raises(ReaderError, match="E192"):
        read(p)


def test_docx_truncated(tmp_path):
    good = make_docx(tmp_path / "r.docx", [REPORT]).read_bytes()
    p = tmp_path / "t.docx"
    p.write_bytes(good[: len(good) // 2])
    with pytest.raises(ReaderError, match="E192"):
        read(p)


class _Listener:
    """A local TCP server that counts connections: proves nothing is fetched."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = False
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
                self.hits += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        self._stop = True
        self.t.join()
        self.sock.close()


def test_docx_external_entities_and_remote_refs_ignored(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    srv = _Listener()
    try:
        url = f"http://127.0.0.1:{srv.port}/x"
        src = make_docx(tmp_path / "src.docx", ["Ms Finch said hello. &ext; &remote;"])

        def edit(name, data):
            if name == "word/document.xml":
                data = data.replace(b"&amp;ext;", b"&ext;").replace(b"&amp;remote;", b"&remote;")
                decl = (f'<!DOCTYPE w:document [<!ENTITY ext SYSTEM "file://{secret}">'
                        f'<!ENTITY remote SYSTEM "{url}">]>').encode()
                head, rest = data.split(b"?>", 1)
                data = head + b"?>" + decl + rest
            if name == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>",
                                    f'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
                                    f'Target="{url}/t.dotm" TargetMode="External"/></Relationships>'.encode())
            return name, data

        p = rewrite_docx(src, tmp_path / "xxe.docx", edit)
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            text, info = read_with_provenance(p)
        assert SECRET not in text and "Ms Finch said hello." in text
        assert srv.hits == 0
        assert sum("W183" in w for w in info.warnings) == 2
        assert any("W183" in str(r.message) for r in rec)
    finally:
        srv.close()


def test_docx_billion_laughs_not_expanded(tmp_path):
    src = make_docx(tmp_path / "src.docx", ["Ms Finch said hello. LAUGH"])
    ents = '<!ENTITY a "lol">' + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))

    def edit(name, data):
        if name == "word/document.xml":
            head, rest = data.split(b"?>", 1)
            data = head + b"?>" + f"<!DOCTYPE w:document [{ents}]>".encode() + rest.replace(b"LAUGH", b"&i;")
        return name, data

    p = rewrite_docx(src, tmp_path / "lol.docx", edit)
    try:
        text = read(p)
        assert "lol" * 100 not in text and len(text) < 10_000
    except ReaderError as exc:
        assert exc.code == "E192"


# -- messages carry no content ---------------------------------------------------------------

@pytest.mark.parametrize("name,data", [
    ("a.txt", (SECRET + " ").encode() + bytes(range(32)) * 20),
    ("a.pdf", b"%PDF-1.4\n(" + SECRET.encode() + b")\n"),
    ("a.docx", b"PK\x03\x04" + SECRET.encode()),
])
def test_error_messages_carry_no_content(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(ReaderError) as exc:
        read(p)
    assert SECRET not in str(exc.value) and SECRET not in repr(exc.value.to_record())


def test_read_is_exported():
    assert biaslens.read is read
    assert "read" in biaslens.__all__
