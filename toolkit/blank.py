"""Blank forms drawn from the definitions: the Word form a bureau publishes, and an empty record.

Everything printed comes from ``forms/<id>.yaml``: title, sections, labels (units included, as
``FORMS.md`` prints them), options with ☐ boxes, tables with their header row and empty rows,
notes and the signature-and-stamp block. Layout hints there: ``half`` (two fields share a
four-column row), ``blank_rows`` (empty rows of a table).

>>> record = blank_record(load_form("lz-preapply-2024"))
>>> record["lead"]["revenue"] is None, record["members"][0]["uscc"] is None
(True, True)
>>> prune(record)
{'form': 'lz-preapply-2024'}
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .forms import Field, FormDef, Section, Table, load_form
from .record import set_path

BOX = "☐"
# Column widths in millimetres on the 160 mm text width of officedoc.FORM.
LABEL_MM, VALUE_MM = 38.0, 42.0
FULL_MM = 2 * (LABEL_MM + VALUE_MM)
LABEL_CHARS = 8  # characters of 小四 that fit on one line of a label cell
LABEL_FILL = "EDEDED"
ROW_MM, LONG_MM, TABLE_ROW_MM = 10.0, 32.0, 9.0
# Relative widths of table columns by field type (the members table is the widest).
COLUMN_WEIGHT = {"uscc": 3.3, "text": 2.6, "choice": 2.0, "integer": 1.8, "longtext": 3.0}


def blank_record(form: FormDef) -> dict[str, Any]:
    """An empty record a program can fill: every field present with ``None``; every table a list
    holding one example row whose columns are all ``None``. Order follows the record."""
    record: dict[str, Any] = {"form": form.id}
    for section in form.sections:
        for f in section.fields:
            set_path(record, f.id, None)
        for table in section.tables:
            set_path(record, table.id, [{c.id: None for c in table.columns if c.in_record}])
    return record


def prune(value: Any) -> Any:
    """Drop ``None`` values, rows with nothing filled and groups left empty: a filled blank record
    becomes a canonical record (where a field left blank is absent)."""
    if isinstance(value, dict):
        out = {k: prune(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in out.items() if v not in ({}, [])}
    if isinstance(value, list):
        rows = [prune(v) for v in value if v is not None]
        return [r for r in rows if r not in ({}, [])]
    return value


def option_line(f: Field) -> str:
    """``☐制造业 ☐科技与信息服务业 ☐其他`` for a choice, ``☐是 ☐否`` for yes/no, else ''."""
    if f.type == "choice":
        return " ".join(BOX + o for o in f.options)
    if f.type == "yesno":
        return f"{BOX}是 {BOX}否"
    return ""


def printed_label(f: Field) -> str:
    """The label as printed: the definition's label, with its unit when the label lacks it."""
    if f.unit and f.unit not in f.label:
        return f"{f.label}（{f.unit}）"
    return f.label


def _rows(fields: tuple[Field, ...]) -> list[tuple[str, tuple[Field, ...]]]:
    """Group a section's fields into rows: ("long", (f,)), ("pair", (a, b)) or ("full", (f,))."""
    rows: list[tuple[str, tuple[Field, ...]]] = []
    pending: Field | None = None
    for f in fields:
        if f.half and f.type != "longtext":
            if pending is None:
                pending = f
                continue
            rows.append(("pair", (pending, f)))
            pending = None
            continue
        if pending is not None:
            rows.append(("full", (pending,)))
            pending = None
        rows.append(("long" if f.type == "longtext" else "full", (f,)))
    if pending is not None:
        rows.append(("full", (pending,)))
    return rows


def _label_cell(cell, text: str, size: float) -> None:
    from . import officedoc as od

    od.shade(cell, LABEL_FILL)
    od.cell_text(cell, text, od.FANGSONG, size, align="center")


def _fields_table(doc, section: Section) -> None:
    from . import officedoc as od

    size = od.SIZE["小四"]
    table = od.add_table(doc, [LABEL_MM, VALUE_MM, LABEL_MM, VALUE_MM])
    for kind, fields in _rows(section.fields):
        if kind == "pair":
            row = od.add_row(table, ROW_MM)
            for i, f in enumerate(fields):
                _label_cell(row.cells[2 * i], printed_label(f), size)
                od.cell_text(row.cells[2 * i + 1], option_line(f), od.FANGSONG, size)
        elif kind == "full":
            (f,) = fields
            row = od.add_row(table, ROW_MM)
            if f.type == "yesno" and len(printed_label(f)) > LABEL_CHARS:
                # A long question and a short answer: the question takes half the row, unwrapped.
                label, value = row.cells[0].merge(row.cells[1]), row.cells[2].merge(row.cells[3])
            else:
                label, value = row.cells[0], row.cells[1].merge(row.cells[3])
            _label_cell(label, printed_label(f), size)
            od.cell_text(value, option_line(f), od.FANGSONG, size)
        else:  # long text: the label over a tall value cell spanning the row
            (f,) = fields
            row = od.add_row(table, ROW_MM * 0.8)
            label = row.cells[0].merge(row.cells[3])
            od.shade(label, LABEL_FILL)
            od.cell_text(label, printed_label(f), od.FANGSONG, size, align="left")
            label.paragraphs[0].paragraph_format.keep_with_next = True  # never alone at a page foot
            row = od.add_row(table, LONG_MM)
            od.cell_text(row.cells[0].merge(row.cells[3]), "", od.FANGSONG, size, valign="top")


def _column_widths(table: Table) -> list[float]:
    weights = [1.1 if not c.in_record else COLUMN_WEIGHT.get(c.type, 2.0) for c in table.columns]
    total = sum(weights)
    return [round(FULL_MM * w / total, 1) for w in weights]


def _repeating_table(doc, table: Table) -> None:
    from . import officedoc as od

    size = od.SIZE["五号"]
    od.paragraph(doc, table.label, od.HEITI, od.SIZE["小四"]).paragraph_format.keep_with_next = True
    grid = od.add_table(doc, _column_widths(table))
    header = od.add_row(grid, ROW_MM)
    od.repeat_header(header)
    for cell, col in zip(header.cells, table.columns, strict=True):
        _label_cell(cell, printed_label(col), size)
    row = header
    for _ in range(table.blank_rows):
        row = od.add_row(grid, TABLE_ROW_MM)
        for cell in row.cells:
            od.cell_text(cell, "", od.FANGSONG, size)
    if table.note:
        # The note explains the table: its last row goes to the next page with it rather than
        # leaving the note alone at the top of a page (Word and LibreOffice both honour this).
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
        od.paragraph(doc, f"注：{table.note}", od.FANGSONG, size)


def _signature_block(doc, form: FormDef) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from . import officedoc as od

    if not form.signatures:
        return
    size = od.SIZE["小四"]
    n = len(form.signatures)
    grid = od.add_table(doc, [FULL_MM / n] * n)
    row = od.add_row(grid, 42.0)
    for cell, signature in zip(row.cells, form.signatures, strict=True):
        od.cell_text(cell, signature, od.FANGSONG, size, valign="top")
        for _ in range(3):
            cell.add_paragraph()
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        od.style_run(p.add_run("年    月    日"), od.FANGSONG, size)


def blank_document(form: FormDef):
    """The blank Word form of ``form`` as a python-docx Document."""
    from docx.shared import Pt

    from . import officedoc as od

    doc = od.new_document(od.FORM)
    title = od.paragraph(doc, form.title, od.XIAOBIAOSONG, od.SIZE["二号"], bold=True, align="center")
    title.paragraph_format.space_after = Pt(12)
    for section in form.sections:
        heading = od.paragraph(doc, section.title, od.HEITI, od.SIZE["四号"])
        heading.paragraph_format.space_before = Pt(10)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
        if section.fields:
            _fields_table(doc, section)
        for table in section.tables:
            _repeating_table(doc, table)
    od.paragraph(doc, "")
    _signature_block(doc, form)
    od.add_page_number_footer(doc)
    doc.core_properties.title = form.title
    doc.core_properties.author = "ictk"
    return doc


def blank_docx_bytes(form: FormDef) -> bytes:
    buffer = io.BytesIO()
    blank_document(form).save(buffer)
    return buffer.getvalue()


def write_blank(form_id: str, output: str | Path, fmt: str = "docx", force: bool = False) -> Path:
    """Write the blank form of ``form_id`` (``fmt`` ``docx`` or ``json``) atomically to ``output``."""
    from .outputs import check_target, write_bytes
    from .record import dumps

    form = load_form(form_id)
    target = check_target(output, force)  # before any work
    if fmt == "json":
        return write_bytes(target, (dumps(blank_record(form)) + "\n").encode("utf-8"), force)
    return write_bytes(target, blank_docx_bytes(form), force)
