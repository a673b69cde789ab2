"""Read report files (.txt, .md, .pdf, .docx) into text, safely, with provenance.

Report files come from many hands and some are hostile or broken, so every reader treats its
input as untrusted: sizes are checked before anything is decompressed or parsed, only regular
files are opened (never a device, pipe or socket), a file reached through a symlink must stay
inside the folder being read, and nothing is ever fetched or executed (PDF JavaScript, DOCX
external references and XML entities are ignored). Each failure is a :class:`ReaderError`
naming the file, the reason and the fix, never the report's content. ``docs/bad_input.md``
lists every case.

Examples
--------
>>> import pathlib, tempfile, biaslens
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "r.txt").write_bytes("Ms F said that Mr B was late. Caf\\xe9.".encode("cp1252"))
>>> text, info = biaslens.readers.read_with_provenance(d / "r.txt")
>>> text.endswith("Café.")
True
>>> info.format, info.encoding
('text', 'cp1252')
"""
from __future__ import annotations

import codecs
import logging
import os
import re
import stat
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BiasLensError, Errors, warn

logger = logging.getLogger("biaslens")

TEXT_SUFFIXES = {".txt", ".md", ".text"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES

#: Largest file read at all (a 300-page report as PDF is about 5-20 MB).
MAX_BYTES = 64 * 1024 * 1024
#: Most pages read from a PDF; a section 7 report has 10-60.
MAX_PDF_PAGES = 1000
#: Most bytes a .docx may declare once decompressed, all members together.
MAX_DOCX_UNCOMPRESSED = 256 * 1024 * 1024
#: Highest compression ratio allowed for a member larger than 1 MiB: Word XML compresses
#: 5-30x; zip bombs compress 1000x or more.
MAX_DOCX_RATIO = 200
MAX_DOCX_MEMBERS = 5000
#: Share of control characters above which a decoded "text" is called binary.
MAX_CONTROL_SHARE = 0.05

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ReaderError(BiasLensError):
    """A file could not be read as a report. ``path``, ``reason``, ``hint`` and ``code`` say why.

    The message names the file and the problem, never the file's content.
    """

    def __init__(self, path: str | os.PathLike, reason: str, hint: str) -> None:
        self.path, self.reason, self.hint = str(path), reason, hint
        m = re.match(r"\[(E\d+)\]", reason)
        self.code = m.group(1) if m else ""
        super().__init__(f"{path}: {reason}. {hint}")

    def to_record(self) -> dict:
        """The error as a row of ``errors.jsonl``: file, error class, code, reason, hint."""
        return {"file": self.path, "error": type(self).__name__, "code": self.code,
                "reason": self.reason, "hint": self.hint}


@dataclass(frozen=True)
class ReadInfo:
    """Where a text came from: never its content.

    Attributes
    ----------
    path : str
    format : str
        ``"text"``, ``"pdf"`` or ``"docx"``.
    n_bytes : int
        Size of the file.
    sha256 : str
        Hash of the file's bytes (what a resumed batch uses to skip work already done).
    encoding : str or None
        The detected encoding of a text file.
    n_pages : int or None
        Pages of a PDF.
    warnings : tuple of str
        Coded warnings (``"W180 ..."``) raised while reading; they name counts, not content.
    """

    path: str
    format: str
    n_bytes: int
    sha256: str
    encoding: str | None = None
    n_pages: int | None = None
    warnings: tuple[str, ...] = field(default=())


def _err(path, reason: str, hint: str) -> ReaderError:
    return ReaderError(path, reason, hint)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def check_inside(path: str | os.PathLike, root: str | os.PathLike) -> Path:
    """``path`` resolved, or a :class:`ReaderError` if it (or a symlink on the way) leaves ``root``."""
    p, r = Path(path), Path(root).resolve()
    try:
        real = (p if p.is_absolute() else Path.cwd() / p).resolve()
    except (OSError, RuntimeError) as exc:  # symlink loops
        raise _err(p, Errors.E182.format(root=r, how=f"unresolvable: {type(exc).__name__}"),
                   "Copy the file into the folder instead of linking to it.") from None
    if real != r and r not in real.parents:
        how = "a symlink points outside it" if p.is_symlink() or real != p.absolute() else "outside"
        raise _err(p, Errors.E182.format(root=r, how=how),
                   "Copy the file into the input folder, or name it as an input itself.")
    return real


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing non-regular files and oversize files before reading them."""
    # O_NONBLOCK: opening a FIFO must not hang; fstat on the open descriptor (not a second
    # stat of the path) so the file cannot be swapped between the check and the read.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _err(path, Errors.E180, "Check the path.") from None
    except IsADirectoryError:
        raise _err(path, Errors.E181.format(kind="a folder"),
                   "Pass the folder to score_corpus() or `biaslens score`, not to read().") from None
    except OSError as exc:
        raise _err(path, Errors.E181.format(kind=f"cannot be opened: {exc.strerror}"),
                   "Check the file's permissions.") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _err(path, Errors.E181.format(kind=_kind(st.st_mode)),
                       "Give the path of a report file.")
        if st.st_size > max_bytes:
            raise _err(path, Errors.E183.format(size=st.st_size, limit=max_bytes),
                       "Split the file into its reports, or pass max_bytes= if it is one report.")
        chunks, total = [], 0
        while True:
            block = os.read(fd, 1 << 20)
            if not block:
                break
            total += len(block)
            if total > max_bytes:  # the file grew while being read
                raise _err(path, Errors.E183.format(size=total, limit=max_bytes),
                           "Split the file into its reports, or pass max_bytes=.")
            chunks.append(block)
        return b"".join(chunks)
    finally:
        os.close(fd)


# -- text ----------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


_TLS = threading.local()


def _fallback(exc: UnicodeDecodeError):
    # one handler registered once; the legacy encoding and the counter are per thread, so
    # concurrent reads (Dask threads) do not mix
    bad = exc.object[exc.start:exc.end]
    _TLS.n += len(bad)
    return bad.decode(_TLS.encoding, errors="replace"), exc.end


codecs.register_error("biaslens_legacy_fallback", _fallback)


def decode_text(data: bytes, path: str = "<bytes>") -> tuple[str, str, list[str]]:
    """Decode ``data``: (text, encoding, coded warnings).

    A BOM decides first; then strictly valid UTF-8 is UTF-8; otherwise charset-normalizer
    detects the encoding. A file that is mostly UTF-8 with some bytes in a legacy encoding
    (a report pasted together from two sources) keeps its UTF-8 and reads the rest in the
    detected legacy encoding, with a warning, instead of turning every accent into mojibake.
    """
    warns: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, warns
            except UnicodeDecodeError:
                text = data.decode(enc, errors="replace")
                warns.append(Errors.W184.format(path=path, n=text.count("\ufffd")))
                return text, enc, warns
    if data.count(b"\x00") > len(data) // 4:
        # UTF-16 without a BOM: ASCII text then has a NUL in every other byte, which is
        # also valid UTF-8, so it must be tried first
        odd, even = data[1::2].count(b"\x00"), data[0::2].count(b"\x00")
        for enc, share in (("utf-16-le", odd), ("utf-16-be", even)):
            if share > 0.8 * (len(data) // 2) and len(data) % 2 == 0:
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if not _CONTROL.search(text):
                    return text, enc, warns
    try:
        return data.decode("utf-8"), "utf-8", warns
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Lines that are valid UTF-8 and not ASCII prove that the file is (partly) UTF-8; the
    # legacy encoding is detected on the other lines only (a sample keeps 5 MB files fast).
    bad, utf8_seen = [], False
    for line in data.split(b"\n"):
        try:
            line.decode("utf-8")
            utf8_seen = utf8_seen or not line.isascii()
        except UnicodeDecodeError:
            bad.append(line)
    sample = b"\n".join(bad)[:200_000]
    enc = _choose(list(from_bytes(sample)))
    if utf8_seen or enc is None or enc.replace("-", "_").lower() in ("utf_8", "ascii"):
        legacy = enc if enc and _single_byte(enc) else "cp1252"
        _TLS.encoding, _TLS.n = legacy, 0
        text = data.decode("utf-8", errors="biaslens_legacy_fallback")
        warns.append(Errors.W181.format(path=path, n=_TLS.n, encoding=legacy))
        return text, "utf-8+" + legacy, warns
    text = data.decode(enc, errors="replace")
    n_bad = text.count("\ufffd")
    if n_bad:
        warns.append(Errors.W184.format(path=path, n=n_bad))
    return text, enc, warns


def _choose(matches) -> str | None:
    """charset-normalizer's pick, but Windows-1252 among equally plausible candidates.

    Short Western texts decode cleanly in a dozen code pages; the reports are English
    (mostly from Windows), so cp1252 is the most likely of the tied candidates.
    """
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= best + 0.01]
    for m in tied:
        if "cp1252" in m.could_be_from_charset:
            return "cp1252"
    return tied[0].encoding


def _single_byte(enc: str) -> bool:
    try:
        return len("é".encode(enc, errors="ignore")) <= 1 and len(bytes(range(256)).decode(enc, errors="replace")) == 256
    except LookupError:
        return False


def _clean_text(text: str, path, warns: list[str]) -> str:
    n_nul = text.count("\x00")
    if n_nul:
        text = text.replace("\x00", "")
        warns.append(Errors.W180.format(path=path, n=n_nul))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _check_not_binary(text: str, path, n_nul: int = 0) -> None:
    n = len(text) + n_nul
    if n == 0:
        return
    n_ctrl = len(_CONTROL.findall(text)) + n_nul
    if n_ctrl / n > MAX_CONTROL_SHARE:
        raise _err(path, Errors.E185.format(why=f"{n_ctrl / n:.0%} control characters"),
                   "Export the report as .txt (UTF-8), .pdf or .docx.")


def _read_text(data: bytes, path) -> tuple[str, str, list[str]]:
    text, enc, warns = decode_text(data, str(path))
    _check_not_binary(text.replace("\x00", ""), path, n_nul=text.count("\x00"))
    return _clean_text(text, path, warns), enc, warns


# -- PDF -----------------------------------------------------------------------------------

_JS = re.compile(rb"/(JavaScript|JS)\b|/J#61vaScript", re.I)


def _read_pdf(data: bytes, path, max_pages: int) -> tuple[str, int, list[str]]:
    import io

    warns: list[str] = []
    if b"%PDF-" not in data[:1024]:
        raise _err(path, Errors.E189.format(exc="no %PDF header"),
                   "Check that the file is a PDF; re-export it from the original.")
    if _JS.search(data):
        warns.append(Errors.W182.format(path=path))
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdftypes import resolve1

    try:
        from pdfminer.pdfdocument import PDFEncryptionError
    except ImportError:  # pragma: no cover
        PDFEncryptionError = PDFPasswordIncorrect  # type: ignore
    try:
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError:  # pragma: no cover
        PdfminerException = Exception  # type: ignore

    def classify(exc: BaseException) -> ReaderError:
        inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or \
                isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)):
            return _err(path, Errors.E187, "Save an unencrypted copy (print to PDF) and read that.")
        name = type(inner).__name__ if isinstance(inner, BaseException) else type(exc).__name__
        return _err(path, Errors.E189.format(exc=name),
                    "Re-export the PDF from the original, or save the report as .docx or .txt.")

    pages_text: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            try:
                declared = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
            except Exception:  # a broken page tree is caught when the pages are walked
                declared = None
            if isinstance(declared, int) and declared > max_pages:
                raise _err(path, Errors.E190.format(pages=declared, limit=max_pages),
                           "Split the PDF into its reports, or pass max_pages= if it is one report.")
            n_pages = 0
            for page in pdf.pages:  # pages are walked lazily: a lying /Count is caught here
                n_pages += 1
                if n_pages > max_pages:
                    raise _err(path, Errors.E190.format(pages=n_pages, limit=max_pages),
                               "Split the PDF into its reports, or pass max_pages=.")
                pages_text.append(page.extract_text() or "")
                page.close()
    except ReaderError:
        raise
    except RecursionError:
        raise _err(path, Errors.E189.format(exc="structure nested too deeply"),
                   "Re-export the PDF from the original.") from None
    except Exception as exc:  # pdfminer raises many unrelated types on malformed input
        raise classify(exc) from None
    text = "\n\n".join(pages_text)
    if not text.strip():
        if n_pages == 0:
            raise _err(path, Errors.E189.format(exc="no pages"), "Re-export the PDF from the original.")
        raise _err(path, Errors.E188.format(pages=n_pages),
                   "Run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`), or ask for the original document.")
    return text, n_pages, warns


# -- DOCX ----------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes, path, *, max_uncompressed: int = MAX_DOCX_UNCOMPRESSED,
              max_ratio: float = MAX_DOCX_RATIO, max_members: int = MAX_DOCX_MEMBERS) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking its directory for a zip bomb, before any inflation.

    The declared sizes bind: Python's zipfile stops inflating a member at its declared size
    (and then fails its CRC check), so a directory that lies cannot make it inflate more.
    """
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, IndexError, KeyError, UnicodeDecodeError) as exc:
        raise _err(path, Errors.E192.format(exc=f"{type(exc).__name__}: not a valid zip"),
                   "Open it in Word and save it again as .docx.") from None
    if len(infos) > max_members:
        raise _err(path, Errors.E191.format(why=f"{len(infos):,} members (limit {max_members:,})"),
                   "Open it in Word and save it again, or export the report as PDF.")
    total = sum(i.file_size for i in infos)
    if total > max_uncompressed:
        raise _err(path, Errors.E191.format(why=f"{total:,} bytes once decompressed (limit {max_uncompressed:,})"),
                   "Open it in Word and save it again, or export the report as PDF.")
    for i in infos:
        if i.file_size > (1 << 20) and i.file_size > max_ratio * max(i.compress_size, 1):
            raise _err(path, Errors.E191.format(
                why=f"a member compresses {i.file_size / max(i.compress_size, 1):,.0f}:1 (limit {max_ratio:,.0f}:1)"),
                "Open it in Word and save it again, or export the report as PDF.")
    return zf


def _read_docx(data: bytes, path) -> tuple[str, list[str]]:
    import io

    warns: list[str] = []
    zf = check_zip(data, path)
    try:
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            raise _err(path, Errors.E192.format(exc="no word/document.xml"),
                       "Open it in Word and save it again as .docx.")
        main = zf.read("word/document.xml")
        rels = b"".join(zf.read(n) for n in names if n.endswith(".rels"))
    except ReaderError:
        raise
    except Exception as exc:  # CRC errors, truncated members
        raise _err(path, Errors.E192.format(exc=type(exc).__name__),
                   "Open it in Word and save it again as .docx.") from None
    # python-docx parses with resolve_entities=False and lxml never reaches the network by
    # default: the warnings only tell the user that something was there and ignored.
    if b"<!DOCTYPE" in main or b"<!ENTITY" in main:
        warns.append(Errors.W183.format(path=path, what="an XML DOCTYPE/entity declaration"))
    if b'TargetMode="External"' in rels:
        warns.append(Errors.W183.format(path=path, what="external (remote) references"))
    import docx
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors on bad parts
        raise _err(path, Errors.E192.format(exc=type(exc).__name__),
                   "Open it in Word and save it again as .docx.") from None
    paras: list[str] = []
    try:
        for el in body.iter(_W + "p"):
            # text runs only; w:instrText (field codes such as INCLUDETEXT "http://...") is
            # not text and is never followed
            parts = []
            for node in el.iter(_W + "t", _W + "tab", _W + "br"):
                if node.tag == _W + "t":
                    parts.append(node.text or "")
                elif node.tag == _W + "tab":
                    parts.append("\t")
                else:
                    parts.append("\n")
            paras.append("".join(parts))
    except (etree.LxmlError, ValueError) as exc:  # pragma: no cover - parsed already
        raise _err(path, Errors.E192.format(exc=type(exc).__name__),
                   "Open it in Word and save it again as .docx.") from None
    return "\n".join(paras), warns


# -- entry points ----------------------------------------------------------------------------

def read_with_provenance(path: str | os.PathLike, *, root: str | os.PathLike | None = None,
                         max_bytes: int = MAX_BYTES, max_pages: int = MAX_PDF_PAGES
                         ) -> tuple[str, ReadInfo]:
    """The text of a report file and where it came from.

    Parameters
    ----------
    path : str or Path
        A .txt, .md, .pdf or .docx file.
    root : str or Path, optional
        The input folder: the file (after following symlinks) must lie inside it.
    max_bytes : int
        Largest file accepted (checked before reading).
    max_pages : int
        Most PDF pages accepted.

    Returns
    -------
    (str, ReadInfo)

    Raises
    ------
    ReaderError
        With ``path``, ``reason`` (coded E180-E192) and ``hint``; never with file content.

    Examples
    --------
    >>> import pathlib, tempfile, biaslens
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.md"
    >>> _ = p.write_text("# Report\\nMs F attended.\\n", encoding="utf-8")
    >>> text, info = biaslens.readers.read_with_provenance(p)
    >>> info.encoding, info.n_bytes
    ('utf-8', 24)
    """
    from ._io import sha256_bytes

    p = Path(path)
    if root is not None:
        check_inside(p, root)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        # checked before opening, so a device or FIFO with an odd name is never touched
        if p.exists() and not p.is_file():
            raise _err(p, Errors.E181.format(kind=_kind(p.stat().st_mode)), "Give the path of a report file.")
        hint = ("Save it as .docx in Word first." if suffix in (".doc", ".rtf", ".odt")
                else "Use .txt, .md, .pdf or .docx.")
        raise _err(p, Errors.E186.format(suffix=suffix or "(none)"), hint)
    data = _read_bytes(p, max_bytes)
    if not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise _err(p, Errors.E184.format(size=len(data)), "Check that the right file was exported.")
    encoding = n_pages = None
    if suffix in TEXT_SUFFIXES:
        text, encoding, warns = _read_text(data, p)
        fmt = "text"
    elif suffix in PDF_SUFFIXES:
        text, n_pages, warns = _read_pdf(data, p, max_pages)
        text = _clean_text(text, p, warns)
        fmt = "pdf"
    else:
        text, warns = _read_docx(data, p)
        text = _clean_text(text, p, warns)
        fmt = "docx"
    if not text.strip():
        raise _err(p, Errors.E184.format(size=len(text.strip())), "Check that the right file was exported.")
    for w in warns:
        warn(w, stacklevel=3)
    info = ReadInfo(str(p), fmt, len(data), sha256_bytes(data), encoding, n_pages, tuple(warns))
    logger.debug("read %s: %s, %d bytes, %d characters", p.name, fmt, len(data), len(text))
    return text, info


def read(path: str | os.PathLike, **kwargs) -> str:
    """The text of a report file (.txt, .md, .pdf, .docx); see :func:`read_with_provenance`.

    Examples
    --------
    >>> import pathlib, tempfile, biaslens
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
    >>> _ = p.write_text("Ms F attended the meeting.", encoding="utf-8")
    >>> biaslens.read(p)
    'Ms F attended the meeting.'
    """
    return read_with_provenance(path, **kwargs)[0]
