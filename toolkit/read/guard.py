"""Limits on what a reader will open, in one place: a file that breaks one is refused with a
Chinese :class:`~toolkit.errors.UnreadableError` before any parser spends time or memory on it
(a record JSON's limits are in :mod:`toolkit.record`).

A real form is a few hundred kilobytes: a .docx of a few dozen ZIP entries and an XML body under
a megabyte, a PDF of a few pages, a record JSON of a few kilobytes nested five levels. The limits
sit far above that and far below what hurts (tests/test_hostile.py runs the hostile corpus).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import DAMAGED_HINT, UnreadableError

MAX_ZIP_ENTRIES = 5000  # a .docx has 10-50
MAX_ZIP_TOTAL = 256 * 1024 * 1024  # uncompressed bytes of all entries together
MAX_ZIP_RATIO = 200  # uncompressed / compressed, for an entry over 1 MB
MAX_PDF_GRAPHICS = 5000  # lines, curves and rectangles (or points of one curve) on a page
MAX_PDF_CHARS = 20_000  # characters on a page


def _bomb(name: str, label: str = "Word 文档") -> UnreadableError:
    return UnreadableError(f"{label}内容异常庞大（疑似压缩炸弹），已拒绝读取：{name}")


def check_zip(zf: zipfile.ZipFile, name: str, label: str = "Word 文档") -> None:
    """Refuse a ZIP container (a .docx) that is a bomb: too many entries, too much content in
    all, or an entry that expands far beyond its compressed size. Reads only the directory."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UnreadableError(f"{label}包含的部件过多（{len(infos)} 个，疑似压缩炸弹），已拒绝读取：{name}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise _bomb(name, label)
    if total > MAX_ZIP_TOTAL:
        raise _bomb(name, label)


def check_xml(data: bytes, name: str, label: str = "Word 文档") -> None:
    """Refuse XML that declares a document type or entities (billion laughs, XXE): Word never
    writes one, so nothing is lost, and nothing it names is ever expanded or fetched."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise UnreadableError(f"{label}含有实体声明（DOCTYPE/ENTITY），可能是恶意文件，已拒绝读取：{name}")


def check_pdf_page(page: Any, number: int, name: str) -> None:
    """Refuse a page drawn with far more than any form has (a form page: under 3000 characters
    and a few hundred ruling lines): the table finder matches every line against every other."""
    objects = page.objects
    graphics = sum(len(objects.get(kind, ())) for kind in ("line", "curve", "rect"))
    points = max((len(c.get("pts") or ()) for c in objects.get("curve", ())), default=0)
    chars = len(objects.get("char", ()))
    if graphics > MAX_PDF_GRAPHICS or points > MAX_PDF_GRAPHICS or chars > MAX_PDF_CHARS:
        raise UnreadableError(
            f"PDF 第{number}页的图形或文字对象过多（{max(graphics, points, chars)} 个），不像是申报表：{name}"
        )


def pdf_open_error(exc: BaseException, name: str) -> UnreadableError:
    """The Chinese error for a PDF that pdfplumber could not open (it wraps pdfminer's own)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(
        exc, (PDFPasswordIncorrect, PDFEncryptionError)
    ):
        return UnreadableError(f"PDF 已加密（需要密码），无法读取：{name}")
    return UnreadableError(f"PDF 文件已损坏，无法读取：{name}（{type(cause).__name__}）")


MAX_XML_BYTES = 64 * 1024 * 1024  # a form's XML is well under 1 MB; more is a zip bomb or not a form
MAX_PART_RATIO = 200  # an XML part over 1 MB packed more than this is a zip bomb


def xml_part(
    path: Path, member: str, label: str, encrypted: Callable[[zipfile.ZipFile], bool] | None = None
) -> tuple[bytes, Any]:
    """The bytes and the parsed root of the XML part ``member`` of the ZIP container ``path``
    (a .docx's ``word/document.xml``, an .odt's ``content.xml``), every limit checked: the
    container (:func:`check_zip`), encryption, the part's size and packing ratio, DOCTYPE and
    entities (:func:`check_xml`), nesting depth. ``label`` names the kind of file in messages."""
    from lxml import etree

    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, name, label)
            try:
                info = zf.getinfo(member)
            except KeyError:
                raise UnreadableError(f"不是 {label}（缺少 {member}）：{name}") from None
            if info.flag_bits & 0x1 or (encrypted is not None and encrypted(zf)):
                raise UnreadableError(f"{label}已加密，请另存为未加密的文件后再试：{name}")
            packed = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_XML_BYTES or (info.file_size > 1 << 20 and packed > MAX_PART_RATIO):
                raise _bomb(name, label)
            with zf.open(info) as fh:
                data = fh.read(MAX_XML_BYTES + 1)
    except UnreadableError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise UnreadableError(f"{label}已损坏，无法读取：{name}（{DAMAGED_HINT}）") from None
    if len(data) > MAX_XML_BYTES:
        raise _bomb(name, label)
    check_xml(data, name, label)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return data, etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        # the parser's own words are English and technical: say what it means instead
        why = "内容嵌套层数异常，可能是恶意文件" if "depth" in (exc.msg or "") else "XML 无法解析"
        raise UnreadableError(f"{label}已损坏（{why}）：{name}（{DAMAGED_HINT}）") from None
