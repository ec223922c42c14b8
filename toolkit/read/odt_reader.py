"""OpenDocument text (.odt) -> :class:`Layout`, reading ``content.xml`` with lxml directly.

What the Word reader sees in ``w:tc`` cells it sees here in ``table:table-cell``: merged cells
(``number-columns-spanned`` / ``number-rows-spanned`` with ``covered-table-cell`` for the parts
covered) appear once, the lower part of a vertical merge as a ``continued`` cell. Checkboxes
become ☑ / ☐: LibreOffice's content controls (``loext:content-control loext:checkbox``) and
legacy form fields (``field:fieldmark`` of type FORMCHECKBOX, ticked by a ``Checkbox_Checked``
parameter). Comments, footnotes, tracked deletions and placeholder text are not read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from ..errors import UnreadableError
from . import Cell, Grid, Layout
from .docx_reader import CHECKED, UNCHECKED
from .guard import xml_part

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
FIELD = "urn:openoffice:names:experimental:ooo-ms-interop:xmlns:field:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
_O, _T, _TB, _D, _F, _L = (f"{{{ns}}}" for ns in (OFFICE, TEXT, TABLE, DRAW, FIELD, LOEXT))

T_P, T_H, T_SPAN, T_S, T_TAB, T_BR = (_T + n for n in ("p", "h", "span", "s", "tab", "line-break"))
T_LIST, T_ITEM, T_HEADER, T_SECTION = (_T + n for n in ("list", "list-item", "list-header", "section"))
T_NOTE, T_CHANGES, T_PLACEHOLDER = _T + "note", _T + "tracked-changes", _T + "placeholder"
T_A, T_META = _T + "a", _T + "meta"
TB_TABLE, TB_ROW, TB_CELL, TB_COVERED = (
    _TB + n for n in ("table", "table-row", "table-cell", "covered-table-cell")
)
_ROW_GROUPS = {_TB + n for n in ("table-header-rows", "table-rows", "table-row-group")}
_COLS_SPANNED, _ROWS_SPANNED = _TB + "number-columns-spanned", _TB + "number-rows-spanned"
_COLS_REPEATED, _ROWS_REPEATED = _TB + "number-columns-repeated", _TB + "number-rows-repeated"
D_FRAME, D_TEXTBOX = _D + "frame", _D + "text-box"
F_MARK, F_MARK_START, F_PARAM = _F + "fieldmark", _F + "fieldmark-start", _F + "param"
L_CONTROL = _L + "content-control"
_ANNOTATION, _ANNOTATION_END = _O + "annotation", _O + "annotation-end"
_SKIP = {T_NOTE, T_CHANGES, T_PLACEHOLDER, _ANNOTATION, _ANNOTATION_END, _T + "bookmark-ref"}
_CONTAINERS = {T_LIST, T_ITEM, T_HEADER, T_SECTION, _T + "index-body"}
MAX_REPEAT = 64  # repeated empty rows/cells at the end of a table: enough to keep the grid shape


def read_odt(path: str | Path) -> Layout:
    """Paragraphs and tables of the document body, in reading order."""
    p = Path(path)
    root = _content_xml(p)
    body = root.find(f"{_O}body/{_O}text")
    if body is None:
        raise UnreadableError(f"OpenDocument 文本内容为空：{p.name}")
    return Layout(source=str(p), kind="odt", blocks=_blocks(body))  # type: ignore[arg-type]


def _content_xml(path: Path) -> etree._Element:
    def encrypted(zf: zipfile.ZipFile) -> bool:
        return "META-INF/manifest.xml" in zf.namelist() and _encrypted(zf)

    return xml_part(path, "content.xml", "OpenDocument 文本", encrypted)[1]


def _encrypted(zf: zipfile.ZipFile) -> bool:
    """A password-protected .odt lists ``manifest:encryption-data`` for its content.xml."""
    info = zf.getinfo("META-INF/manifest.xml")
    if info.file_size > 1 << 20:
        return False
    return b"encryption-data" in zf.read(info)


# --- blocks ----------------------------------------------------------------------------------


def _blocks(container: etree._Element) -> list[str | Grid]:
    out: list[str | Grid] = []
    for child in container:
        tag = child.tag
        if tag in (T_P, T_H):
            text = _para_text(child)
            if text.strip():
                out.append(text)
        elif tag == TB_TABLE:
            out.extend(_tables(child))
        elif tag in _CONTAINERS:
            out.extend(_blocks(child))
    return out


def _rows(table: etree._Element):
    for child in table:
        if child.tag == TB_ROW:
            repeat = min(MAX_REPEAT, int(child.get(_ROWS_REPEATED, "1") or 1))
            for _ in range(repeat):
                yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)


def _tables(table: etree._Element) -> list[Grid]:
    """The table as a grid, then every table nested in its cells (recursively)."""
    rows: list[list[Cell]] = []
    nested: list[Grid] = []
    merges: dict[int, tuple[Cell, int]] = {}  # grid column -> (cell a vertical merge starts with, last row)
    for r, tr in enumerate(_rows(table)):
        col = 0
        row: list[Cell] = []
        skip = 0  # covered cells still to pass over: the rest of a horizontal merge
        for tc in tr:
            if tc.tag == TB_COVERED:
                if skip:
                    skip -= 1
                    col += 1
                    continue
                merge = merges.get(col)
                if merge is not None and merge[1] >= r:
                    top = merge[0]
                    row.append(Cell(text=top.text, col=col, span=top.span, continued=True))
                    skip = top.span - 1
                col += 1
                continue
            if tc.tag != TB_CELL:
                continue
            skip = 0
            span = max(1, int(tc.get(_COLS_SPANNED, "1") or 1))
            down = max(1, int(tc.get(_ROWS_SPANNED, "1") or 1))
            repeat = min(MAX_REPEAT, max(1, int(tc.get(_COLS_REPEATED, "1") or 1)))
            paragraphs: list[str] = []
            _cell_content(tc, paragraphs, nested)
            text = "\n".join(paragraphs)
            for _ in range(repeat):
                cell = Cell(text=text, col=col, span=span)
                row.append(cell)
                if down > 1:
                    merges[col] = (cell, r + down - 1)
                col += span
            skip = span - 1
        rows.append(row)
    return [Grid(rows=rows), *nested]


def _cell_content(el: etree._Element, paragraphs: list[str], nested: list[Grid]) -> None:
    for child in el:
        tag = child.tag
        if tag in (T_P, T_H):
            paragraphs.append(_para_text(child))
        elif tag == TB_TABLE:
            nested.extend(_tables(child))
        elif tag in _CONTAINERS:
            _cell_content(child, paragraphs, nested)


# --- text of a paragraph ---------------------------------------------------------------------


def _para_text(p: etree._Element) -> str:
    out: list[str] = []
    if p.text:
        out.append(p.text)
    _inline(p, out)
    return "".join(out)


def _inline(el: etree._Element, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag == T_S:
            out.append(" " * min(1000, int(child.get(_T + "c", "1") or 1)))
        elif tag == T_TAB:
            out.append(" ")
        elif tag == T_BR:
            out.append("\n")
        elif tag in _SKIP:
            pass
        elif tag == L_CONTROL:
            if child.get(_L + "checkbox") == "true":
                out.append(CHECKED if child.get(_L + "checked") == "true" else UNCHECKED)
            elif child.get(_L + "showing-place-holder") != "true":
                if child.text:
                    out.append(child.text)
                _inline(child, out)
        elif tag == F_MARK or tag == F_MARK_START:
            if child.get(_F + "type", "").endswith("FORMCHECKBOX"):
                out.append(CHECKED if _fieldmark_checked(child) else UNCHECKED)
        elif tag == D_FRAME:
            for box in child.iter(D_TEXTBOX):
                for para in box.iter(T_P, T_H):
                    out.append("\n" + _para_text(para))
        elif isinstance(tag, str) and not tag.startswith(_D):
            # spans, links, fields (date, page, user fields): their text as shown
            if child.text:
                out.append(child.text)
            _inline(child, out)
        if child.tail:
            out.append(child.tail)


def _fieldmark_checked(mark: etree._Element) -> bool:
    for param in mark.iter(F_PARAM):
        if param.get(_F + "name") == "Checkbox_Checked":
            return param.get(_F + "value", "false").lower() in ("true", "1")
    return False
