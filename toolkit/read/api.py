"""Files to records: ``parse_file(path)`` for programs, ``ictk parse`` for people.

>>> from toolkit.read.api import sniff
>>> sniff(b"%PDF-1.7 ...")
'pdf'
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, UnreadableError
from . import Layout, ParseResult

MAX_FILE_BYTES = 200 * 1024 * 1024


_SAVE_AS = "请在 Word 或 WPS 中另存为 .docx 后再检查"
_AS_PDF = "请把扫描的各页合成一个 PDF 文件后再检查"
# Files an applicant may send instead of a .docx or .pdf form, and what to do with each.
OTHER_FORMATS = {
    ".doc": f"旧版 Word 文件（.doc），{_SAVE_AS}",
    ".wps": f"WPS 文字文件（.wps），{_SAVE_AS}",
    ".rtf": f"RTF 文件，{_SAVE_AS}",
    ".odt": f"OpenDocument 文本（.odt），{_SAVE_AS}",
    ".ofd": "OFD 版式文件，暂不支持，请提供 PDF 版或 Word 版",
    ".jpg": f"图片文件，{_AS_PDF}",
    ".jpeg": f"图片文件，{_AS_PDF}",
    ".png": f"图片文件，{_AS_PDF}",
    ".tif": f"图片文件，{_AS_PDF}",
    ".tiff": f"图片文件，{_AS_PDF}",
    ".bmp": f"图片文件，{_AS_PDF}",
    ".zip": "压缩包，请解压后检查其中的申报表",
    ".rar": "压缩包，请解压后检查其中的申报表",
    ".7z": "压缩包，请解压后检查其中的申报表",
}


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
    advice = OTHER_FORMATS.get(p.suffix.lower())
    if advice and not p.suffix.lower().startswith((".doc", ".wps")):
        raise UnreadableError(f"{advice}：{p.name}")
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
    if advice:
        raise UnreadableError(f"{advice}：{p.name}")
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
        result.colourless = layout.colourless
        result.problems.extend(review_scan(result, layout))
    return result


def read_application(path: str | Path, form_id: str | None = None) -> ParseResult:
    """What a command is given as one application: a filled form (parsed) or a record ``.json``
    (read as is, ``kind`` ``json``). ``form_id`` names the form of a record that lacks ``form``."""
    p = Path(path)
    if p.suffix.lower() != ".json":
        return parse_file(p, form_id)
    from ..forms import form_ids
    from ..record import load_record

    if not p.is_file():
        raise InputError(f"文件不存在：{p}")
    record = load_record(p)
    declared = record.get("form")
    if form_id and declared and declared != form_id:
        raise InputError(f"记录的表单编号为 {declared}，与 --form 指定的 {form_id} 不一致")
    if not declared:
        if not form_id:
            raise InputError(f"记录中没有表单编号（form），请用 --form 指定表单：{p.name}")
        record = {"form": form_id, **record}
    if record["form"] not in form_ids():
        raise InputError(f"记录中的表单编号无效：{record['form']!r}（可用：{'、'.join(form_ids())}）")
    from .guard import require_shape

    require_shape(record, p.name)
    return ParseResult(record=record, form=record["form"], source=str(p), kind="json")
