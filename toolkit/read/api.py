"""Files to records: ``parse_file(path)`` for programs, ``ictk parse`` for people.

>>> from toolkit.read.api import sniff
>>> sniff(b"%PDF-1.7 ...")
'pdf'
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UnreadableError
from . import Layout, ParseResult

MAX_FILE_BYTES = 200 * 1024 * 1024


def sniff(head: bytes) -> str | None:
    """The kind of file from its first bytes: ``docx`` (a ZIP), ``pdf``, ``ole`` (old or encrypted
    Office file), or None."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def read_layout(path: str | Path) -> Layout:
    """The layout of a .docx or .pdf file, dispatched on its content (not only its suffix)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(1024)
    except FileNotFoundError:
        raise UnreadableError(f"文件不存在：{p}") from None
    except IsADirectoryError:
        raise UnreadableError(f"这是一个文件夹，不是文件：{p}") from None
    except OSError as exc:
        raise UnreadableError(f"无法读取文件：{p}（{exc.strerror or exc}）") from None
    if size == 0:
        raise UnreadableError(f"文件是空的：{p.name}")
    if size > MAX_FILE_BYTES:
        raise UnreadableError(f"文件过大（{size // (1024 * 1024)} MB），不像是申报表：{p.name}")
    kind = sniff(head)
    if kind == "docx":
        from .docx_reader import read_docx

        return read_docx(p)
    if kind == "pdf":
        from .pdf_reader import read_pdf

        return read_pdf(p)
    if kind == "ole":
        raise UnreadableError(f"文件已加密或是旧版 Word（.doc）格式，请另存为未加密的 .docx 后再试：{p.name}")
    suffix = p.suffix.lower()
    if suffix in (".docx", ".pdf"):
        raise UnreadableError(f"文件已损坏，不是有效的 {suffix[1:].upper()} 文件：{p.name}")
    raise UnreadableError(f"不支持的文件类型，请提供 .docx 或 .pdf 申报表：{p.name}")


def parse_file(path: str | Path, form_id: str | None = None) -> ParseResult:
    """Read a filled form (.docx, or .pdf with a text layer; scans through OCR when installed)
    into the canonical record. ``form_id`` None: recognised from the title."""
    from .extract import extract

    layout = read_layout(path)
    result = extract(layout, form_id)
    if layout.kind == "scan":
        # Values read by OCR that a person must confirm (low confidence, USCC check characters,
        # 大写/小写 amounts disagreeing), as problems on their fields.
        from ..ocr.verify import review_scan

        result.seals = list(layout.seals)
        result.problems.extend(review_scan(result, layout))
    return result
