"""A tiny document model (paragraphs and tables with spans) and its two renderers: python-docx and HTML.

The sample builders describe a filled form once as blocks; the producers only differ in how the
blocks become a file.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    fill: Callable[[Any], None] | None = None  # docx only: writes runs or controls into the paragraph
    nested: Table | None = None
    bold: bool = False


@dataclass
class Table:
    rows: list[list[Cell]]
    widths: list[float] = field(default_factory=list)  # millimetres, one per grid column


@dataclass
class Para:
    text: str
    kind: str = "body"  # title | heading | note | body


Block = Para | Table


def grid_columns(table: Table) -> int:
    return len(table.widths) or max(sum(c.colspan for c in row) for row in table.rows)


def placements(table: Table) -> list[tuple[int, int, Cell]]:
    """Grid position of every cell, HTML-style: a rowspan covers the slots below it."""
    occupied: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, c + dc))
            c += cell.colspan
    return placed


# ---------------------------------------------------------------- docx


def _style_run(run, size: float = 9, bold: bool = False) -> None:
    from docx.shared import Pt

    from toolkit.officedoc import LATIN, SONGTI, set_fonts

    set_fonts(run._r, SONGTI, LATIN)
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True


def _fill_table(t, model: Table) -> None:
    from docx.shared import Mm

    placed = placements(model)
    if model.widths:
        t.autofit = False
        for i, col in enumerate(t.columns):
            col.width = Mm(model.widths[i])
    for r, c, cell in placed:
        if cell.rowspan > 1 or cell.colspan > 1:
            t.cell(r, c).merge(t.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        if model.widths:
            t.cell(r, c).width = Mm(sum(model.widths[c : c + cell.colspan]))
    for r, c, cell in placed:
        target = t.cell(r, c)
        p = target.paragraphs[0]
        if cell.fill is not None:
            cell.fill(p)
        elif cell.text:
            _style_run(p.add_run(cell.text), bold=cell.bold)
        if cell.nested is not None:
            inner = target.add_table(len(cell.nested.rows), grid_columns(cell.nested))
            inner.style = "Table Grid"
            _fill_table(inner, cell.nested)


def render_docx(
    blocks: list[Block], path: Path, plain: bool = False, setup: Callable[[Any], None] | None = None
) -> Path:
    """Write ``blocks`` with python-docx. ``plain`` starts from python-docx's bare template (as a
    hand-made WPS file would), otherwise from the project's form page."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from toolkit.officedoc import FORM, new_document

    doc = Document() if plain else new_document(FORM)
    if plain:  # python-docx's bare template is US Letter; a form filled in China is A4
        from docx.shared import Mm

        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
    if setup is not None:
        setup(doc)
    for block in blocks:
        if isinstance(block, Table):
            t = doc.add_table(rows=len(block.rows), cols=grid_columns(block))
            t.style = "Table Grid"
            _fill_table(t, block)
            continue
        p = doc.add_paragraph()
        size = {"title": 18, "heading": 14, "note": 9}.get(block.kind, 12)
        if block.kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _style_run(p.add_run(block.text), size=size, bold=block.kind in ("title", "heading"))
    save_docx(doc, path)
    return path


def save_docx(doc, path: Path) -> None:
    """Save with fixed metadata and zip times, so that rebuilding gives the same bytes."""
    import datetime as dt

    props = doc.core_properties
    props.author = "ictk samples"
    props.last_modified_by = "ictk samples"
    props.created = props.modified = dt.datetime(2024, 1, 1)
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    normalise_zip(buf.getvalue(), path)


def normalise_zip(data: bytes, path: Path) -> None:
    src = zipfile.ZipFile(io.BytesIO(data))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            out.writestr(fixed, src.read(info.filename))


# ---------------------------------------------------------------- html


def _html_table(model: Table) -> str:
    out = ['<table width="100%" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">']
    if model.widths:
        total = sum(model.widths)
        out.append(
            "<colgroup>"
            + "".join(f'<col width="{w / total * 100:.0f}%">' for w in model.widths)
            + "</colgroup>"
        )
    for row in model.rows:
        out.append("<tr>")
        for cell in row:
            attrs = ""
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            body = html.escape(cell.text)
            if cell.bold:
                body = f"<b>{body}</b>"
            if cell.nested is not None:
                body += _html_table(cell.nested)
            out.append(f"<td{attrs}>{body}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_html(blocks: list[Block], title: str) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:'Noto Serif CJK SC',SimSun,serif;font-size:10.5pt}"
        "td{font-size:10.5pt}</style></head><body>",
    ]
    for block in blocks:
        if isinstance(block, Table):
            parts.append(_html_table(block))
        elif block.kind == "title":
            parts.append(f'<h1 style="text-align:center">{html.escape(block.text)}</h1>')
        elif block.kind == "heading":
            parts.append(f"<h3>{html.escape(block.text)}</h3>")
        else:
            parts.append(f"<p>{html.escape(block.text)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
