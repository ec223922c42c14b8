"""Limits on what a reader will open, in one place: a file that breaks one is refused with a
Chinese :class:`~toolkit.errors.UnreadableError` (or :class:`~toolkit.errors.InputError` for a
record) before any parser spends time or memory on it.

A real form is a few hundred kilobytes: a .docx of a few dozen ZIP entries and an XML body under
a megabyte, a PDF of a few pages, a record JSON of a few kilobytes nested five levels. The limits
sit far above that and far below what hurts (tests/test_hostile.py runs the hostile corpus).

>>> json_depth({"a": [1, {"b": "[[[["}]})
3
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from ..errors import InputError, UnreadableError

MAX_ZIP_ENTRIES = 5000  # a .docx has 10-50
MAX_ZIP_TOTAL = 256 * 1024 * 1024  # uncompressed bytes of all entries together
MAX_ZIP_RATIO = 200  # uncompressed / compressed, for an entry over 1 MB
MAX_PDF_GRAPHICS = 5000  # lines, curves and rectangles (or points of one curve) on a page
MAX_PDF_CHARS = 20_000  # characters on a page
MAX_JSON_BYTES = 20 * 1024 * 1024
MAX_JSON_DEPTH = 200


def _bomb(name: str) -> UnreadableError:
    return UnreadableError(f"Word 文档内容异常庞大（疑似压缩炸弹），已拒绝读取：{name}")


def check_zip(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a ZIP container (a .docx) that is a bomb: too many entries, too much content in
    all, or an entry that expands far beyond its compressed size. Reads only the directory."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UnreadableError(f"Word 文档包含的部件过多（{len(infos)} 个，疑似压缩炸弹），已拒绝读取：{name}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise _bomb(name)
    if total > MAX_ZIP_TOTAL:
        raise _bomb(name)


def check_xml(data: bytes, name: str) -> None:
    """Refuse XML that declares a document type or entities (billion laughs, XXE): Word never
    writes one, so nothing is lost, and nothing it names is ever expanded or fetched."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise UnreadableError(f"Word 文档含有实体声明（DOCTYPE/ENTITY），可能是恶意文件，已拒绝读取：{name}")


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


def json_depth(value: Any) -> int:
    """The deepest nesting of objects and arrays in a loaded JSON value (without recursion)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            items = item.values()
        elif isinstance(item, list):
            items = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in items if isinstance(child, (dict, list)))
    return deepest


def load_json(path: Path, loads: Any) -> Any:
    """A record JSON file read with ``loads``, refused with a Chinese reason when it is missing,
    empty, too big, not UTF-8, not JSON, or nested too deep to be a record."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"文件不存在：{path}") from None
    if size > MAX_JSON_BYTES:
        raise InputError(f"JSON 文件过大（{size // (1024 * 1024)} MB），不像是申报记录：{path.name}")
    if size == 0:
        raise InputError(f"文件是空的：{path.name}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"JSON 文件不是 UTF-8 编码，请另存为 UTF-8 后再试：{path.name}") from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{path}（{exc.strerror or exc}）") from None
    too_deep = object()
    try:
        data = loads(text)
    except RecursionError:
        data = too_deep
    except ValueError as exc:  # json.JSONDecodeError
        raise InputError(f"不是有效的 JSON 记录文件：{path.name}（{exc}）") from None
    if data is too_deep or json_depth(data) > MAX_JSON_DEPTH:
        raise InputError(f"JSON 文件嵌套层数过多，不像是申报记录：{path.name}")
    if "\\u" in text:  # an escaped lone surrogate (\\ud800) cannot be written to any output
        import json

        try:
            json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(f"JSON 文件含有无效的 Unicode 字符（孤立的代理码位）：{path.name}") from None
    return data


def require_shape(record: dict[str, Any], name: str) -> None:
    """Refuse a record whose parts are not of their kind (a list where a value belongs, text
    where the member list belongs): checking, pairing and documents all walk its structure.
    Wrong values (a missing date, an amount written as text) are left to the checks."""
    from ..forms import form_ids
    from ..schema import validator

    form = record.get("form")
    if not isinstance(form, str) or form not in form_ids():
        return
    for error in validator(form).iter_errors(record):
        if error.validator != "type":
            continue
        expected = (
            error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        )
        if isinstance(error.instance, (dict, list)) or {"object", "array"} & set(expected):
            where = "/" + "/".join(str(p) for p in error.absolute_path)
            kind = "对象" if "object" in expected else "列表" if "array" in expected else "单个取值"
            raise InputError(f"记录的结构有误：{where} 应为{kind}：{name}")
