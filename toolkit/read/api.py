"""Files to records: ``parse_file(path)`` for programs, ``ictk parse`` for people.

Which reader reads a file is looked up in one table, :data:`toolkit.read.formats.FORMATS`, by
the file's first bytes and its suffix (a .docx renamed .doc is still read as a .docx).

>>> from toolkit.read.api import sniff
>>> sniff(b"%PDF-1.7 ...")
'pdf'
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, UnreadableError
from . import Layout, ParseResult
from .formats import FORMATS, Format, format_for_kind, format_for_suffix, magic

MAX_FILE_BYTES = 200 * 1024 * 1024

# What to do with a file that is not read, by suffix.
OTHER_FORMATS = {suffix: fmt.advice for fmt in FORMATS for suffix in fmt.suffixes if fmt.advice}

_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # an encrypted Office file's stream
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # the main stream of a Word 97-2003 file


def sniff(head: bytes) -> str | None:
    """The family of a file from its first bytes: ``zip``, ``pdf``, ``ole`` (old or encrypted
    Office file), ``rtf``, an image kind, or None (see :func:`toolkit.read.formats.magic`)."""
    return magic(head)


def _open_head(p: Path) -> tuple[int, bytes]:
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
    return size, head


def _zip_kind(p: Path) -> str:
    """``docx``, ``odt`` or ``zip`` (an archive of other files), from the names inside."""
    import zipfile

    try:
        with zipfile.ZipFile(p) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "content.xml" in names and "mimetype" in names:
                if zf.getinfo("mimetype").file_size < 200 and b"opendocument.text" in zf.read("mimetype"):
                    return "odt"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        pass  # the reader of the suffix says what is wrong
    return "zip"


def _ole_kind(p: Path, suffix_fmt: Format | None) -> str:
    """An OLE (compound) file: an old Word or WPS document to convert, or an encrypted one."""
    name = p.name
    with p.open("rb") as fh:
        data = fh.read(MAX_FILE_BYTES)
    if _ENCRYPTED in data:
        raise UnreadableError(f"文件已加密（需要密码），请另存为未加密的 .docx 后再试：{name}")
    if suffix_fmt is not None and suffix_fmt.kind == "wps":
        return "wps"  # WPS files do not always name a WordDocument stream: LibreOffice decides
    if _WORD_STREAM in data:
        return "doc"
    if suffix_fmt is not None and suffix_fmt.kind == "doc":
        raise UnreadableError(f"旧版 Word 文件（.doc）已损坏或已加密，无法读取：{name}")
    raise UnreadableError(f"文件已加密或是旧版 Word（.doc）格式，请另存为未加密的 .docx 后再试：{name}")


def resolve_format(path: str | Path) -> Format:
    """The entry of the format table that reads ``path``: by its first bytes, the suffix
    breaking ties (a zip is a .docx, an .odt or an archive by what it holds). Raises
    :class:`UnreadableError` (in Chinese) for a file no reader takes."""
    p = Path(path)
    _, head = _open_head(p)
    suffix_fmt = format_for_suffix(p.suffix)
    if suffix_fmt is not None and suffix_fmt.advice:
        raise UnreadableError(f"{suffix_fmt.advice}：{p.name}")
    family = magic(head)
    if family == "zip":
        if suffix_fmt is not None and suffix_fmt.family == "zip":
            return suffix_fmt
        return format_for_kind(_zip_kind(p))  # type: ignore[return-value]
    if family == "ole":
        return format_for_kind(_ole_kind(p, suffix_fmt))  # type: ignore[return-value]
    if family is not None:
        return format_for_kind(family)  # type: ignore[return-value]
    if suffix_fmt is not None and suffix_fmt.reader:
        shown = p.suffix.lower().lstrip(".").upper()
        raise UnreadableError(f"文件已损坏，不是有效的 {shown} 文件：{p.name}")
    raise UnreadableError(
        f"不支持的文件类型，请提供 Word（.docx/.doc/.wps/.odt）、PDF 或扫描图片申报表：{p.name}"
    )


def read_layout(path: str | Path) -> Layout:
    """The layout of a form file, read by the reader its format has in the table."""
    p = Path(path)
    fmt = resolve_format(p)
    if fmt.needs == "ocr":
        from ..ocr import require_extra

        require_extra(f"{p.name}是{fmt.name}，按扫描件识别")
    return fmt.load()(p)


def parse_file(path: str | Path, form_id: str | None = None) -> ParseResult:
    """Read a filled form (.docx, or .pdf with a text layer; scans through OCR when installed)
    into the canonical record. ``form_id`` None: recognised from the title."""
    from .extract import extract

    layout = read_layout(path)
    if layout.kind == "scan":
        # labels and values cleaned by their field's type, then the values read by OCR that a
        # person must confirm (low confidence, USCC check characters, 大写/小写 amounts
        # disagreeing) as problems on their fields
        from ..ocr.reader import parse_layout

        return parse_layout(layout, form_id)
    return extract(layout, form_id)


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
    from ..record import require_shape

    require_shape(record, p.name)
    return ParseResult(record=record, form=record["form"], source=str(p), kind="json")
