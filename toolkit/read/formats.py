"""Every kind of file ictk reads, in one table: what it is called, how it is recognised (suffix
and first bytes), which reader turns it into a :class:`~toolkit.read.Layout`, what that reader
needs beyond the base install, and the role the file plays in an application.

Roles: ``editable`` (the Word-like copy a unit fills in: .docx, .odt, .doc, .wps, .rtf),
``stamped`` (the signed and sealed copy: a PDF, or a scan as page images), ``archive`` (a .zip
holding one application's files), ``record`` (a record .json). The batch pairs an editable copy
with a stamped one whatever their suffixes.

Readers are named as ``module:function`` and imported only when a file of theirs is read, so
that reading a .docx loads no PDF, OCR or LibreOffice machinery.

>>> fmt = format_for_suffix(".ODT")
>>> (fmt.kind, fmt.name, fmt.role)
('odt', 'OpenDocument 文本', 'editable')
>>> magic(b"%PDF-1.7 ...")
'pdf'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EDITABLE, STAMPED, ARCHIVE, RECORD = "editable", "stamped", "archive", "record"


@dataclass(frozen=True)
class Format:
    kind: str  # the kind of file a result reports (docx, odt, doc, pdf, jpg, zip, json ...)
    name: str  # what a clerk calls it, in Chinese
    suffixes: tuple[str, ...]
    family: str | None  # what its first bytes look like (see :func:`magic`)
    role: str
    reader: str | None = None  # "module:function" reading a path into a Layout; None: not read
    needs: str | None = None  # beyond the base install: "ocr" (pip extra) or "libreoffice"
    advice: str | None = None  # for a file that is not read: what to do instead

    def load(self) -> Callable[[Path], Any]:
        """The reader function (imported now)."""
        if self.reader is None:  # pragma: no cover - callers check
            raise LookupError(self.kind)
        module, func = self.reader.split(":")
        return getattr(importlib.import_module(module), func)


_CONVERT = "toolkit.read.convert:read_converted"
_IMAGE = "toolkit.read.image_reader:read_image"
_ARCHIVE_ADVICE = "压缩包（RAR/7z），暂不支持，请解压后检查其中的申报表，或改用 .zip 打包"

FORMATS: tuple[Format, ...] = (
    Format("docx", "Word 文档", (".docx", ".docm"), "zip", EDITABLE, "toolkit.read.docx_reader:read_docx"),
    Format("odt", "OpenDocument 文本", (".odt",), "zip", EDITABLE, "toolkit.read.odt_reader:read_odt"),
    Format("doc", "旧版 Word 文档", (".doc",), "ole", EDITABLE, _CONVERT, "libreoffice"),
    Format("wps", "WPS 文字文档", (".wps",), "ole", EDITABLE, _CONVERT, "libreoffice"),
    Format("rtf", "RTF 文档", (".rtf",), "rtf", EDITABLE, _CONVERT, "libreoffice"),
    Format("pdf", "PDF 文件", (".pdf",), "pdf", STAMPED, "toolkit.read.pdf_reader:read_pdf"),
    Format("jpg", "JPEG 图片", (".jpg", ".jpeg"), "jpg", STAMPED, _IMAGE, "ocr"),
    Format("png", "PNG 图片", (".png",), "png", STAMPED, _IMAGE, "ocr"),
    Format("tif", "TIFF 图片", (".tif", ".tiff"), "tif", STAMPED, _IMAGE, "ocr"),
    Format("bmp", "BMP 图片", (".bmp",), "bmp", STAMPED, _IMAGE, "ocr"),
    Format("zip", "ZIP 压缩包", (".zip",), "zip", ARCHIVE, "toolkit.read.archive:read_archive"),
    Format("json", "记录文件", (".json",), None, RECORD),
    Format(
        "ofd",
        "OFD 版式文件",
        (".ofd",),
        None,
        STAMPED,
        advice="OFD 版式文件，暂不支持，请提供 PDF 版或 Word 版",
    ),
    Format("rar", "RAR 压缩包", (".rar",), None, ARCHIVE, advice=_ARCHIVE_ADVICE),
    Format("7z", "7z 压缩包", (".7z",), None, ARCHIVE, advice=_ARCHIVE_ADVICE),
)

_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
_BY_KIND = {fmt.kind: fmt for fmt in FORMATS}

# Chinese names of the roles, for messages
ROLE_NAME = {EDITABLE: "可编辑版", STAMPED: "盖章扫描版", ARCHIVE: "压缩包", RECORD: "记录文件"}


def format_for_suffix(suffix: str) -> Format | None:
    return _BY_SUFFIX.get(suffix.lower())


def format_for_kind(kind: str) -> Format | None:
    return _BY_KIND.get(kind)


def suffixes() -> set[str]:
    """Every suffix the batch picks up as (possibly) a form."""
    return set(_BY_SUFFIX)


def read_suffixes() -> list[str]:
    """The suffixes of the files that are read (not those only named with advice), in the
    table's order: what a clerk is told a skipped file is not."""
    return [sfx for fmt in FORMATS if fmt.reader or fmt.role == RECORD for sfx in fmt.suffixes]


def role_of(kind: str | None) -> str | None:
    fmt = _BY_KIND.get(kind or "")
    return fmt.role if fmt else None


def kind_of_name(name: str) -> str:
    """The kind of a file from its name alone (``doc``, ``jpg``), its suffix when unknown."""
    suffix = Path(name).suffix.lower()
    fmt = _BY_SUFFIX.get(suffix)
    return fmt.kind if fmt else suffix.lstrip(".")


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def magic(head: bytes) -> str | None:
    """The family of a file from its first bytes: ``zip``, ``pdf``, ``ole`` (old or encrypted
    Office file), ``rtf``, ``jpg``, ``png``, ``tif``, ``bmp``, or None."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tif"
    if head.startswith(b"BM") and len(head) > 14 and head[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return None
