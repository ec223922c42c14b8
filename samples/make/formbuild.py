"""A filled form as blocks: the form definition gives labels, order and options; the record gives
values; a :class:`Plan` says how this applicant wrote them (layout, label spellings, tick marks,
amount units, date style, rows moved or deleted).

Expected records never come from here: a builder takes the record and removes what its plan
deletes (``Plan.drop``) or makes unreadable (``Plan.unreadable``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from layout import Block, Cell, Para, Table

from toolkit.forms import Field, FormDef
from toolkit.forms import Table as TableDef
from toolkit.record import get_path


def num(value: Any) -> str:
    """Decimal or int as people write it: no exponent, no trailing zeros."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


@dataclass
class Plan:
    """How one applicant filled the form in."""

    name: str  # sample name, used for WRITTEN spellings
    layout: str = "four"  # four | two | group (a vertically merged section cell on the left)
    labels: dict[str, str] = field(default_factory=dict)  # field id -> label written instead
    label_style: Callable[[str], str] = staticmethod(lambda s: s)
    overrides: dict[str, str] = field(default_factory=dict)  # pointer -> cell text as written
    tick: tuple[str, str] = ("☑", "☐")
    yesno_words: bool = False  # 是 / 否 instead of ☑是 ☐否
    ticked_only: set[str] = field(default_factory=set)  # choice ids whose unticked options were deleted
    date: Callable[[str], str] = staticmethod(lambda iso: iso)
    percent_sign: bool = False
    inline: set[str] = field(default_factory=set)  # field ids written "label：value" in one cell
    below: set[str] = field(default_factory=set)  # field ids whose value sits in the row below
    drop: set[str] = field(default_factory=set)  # field ids whose row was deleted
    extras: dict[str, tuple[str, str]] = field(default_factory=dict)  # after field id -> (label, value)
    reverse_sections: set[int] = field(default_factory=set)  # section indexes whose rows are reversed
    nested_platforms: bool = False  # platforms table nested in a cell of the section table
    member_columns: list[str] | None = None  # column ids in written order
    column_labels: dict[str, str] = field(default_factory=dict)  # "members.uscc" -> header written
    trailing_rows: int = 0  # empty rows left at the end of member and platform tables
    notes: bool = True  # print the definition's notes under table headings
    fill: Callable[[Field, Any, str], Callable[[Any], None] | None] | None = None  # content controls
    written: dict[str, str] = field(default_factory=dict)  # pointer -> applicant's spelling


def _choice_text(plan: Plan, f: Field, value: str | None) -> str:
    on, off = plan.tick
    if f.id in plan.ticked_only:
        return f"{on}{value}" if value else ""
    return "  ".join(f"{on if opt == value else off}{opt}" for opt in f.options)


def _yesno_text(plan: Plan, value: bool | None) -> str:
    on, off = plan.tick
    if plan.yesno_words:
        return {True: "是", False: "否", None: ""}[value]
    if value is None:
        return f"{off}是  {off}否"
    return f"{on if value else off}是  {off if value else on}否"


def value_text(plan: Plan, f: Field, value: Any, pointer: str) -> str:
    """The text an applicant wrote for a top-level field."""
    if pointer in plan.overrides:
        return plan.overrides[pointer]
    if pointer in plan.written:
        return plan.written[pointer]
    if f.type == "choice":
        return _choice_text(plan, f, value)
    if f.type == "yesno":
        return _yesno_text(plan, value)
    if value is None:
        return ""
    if f.type == "date":
        return plan.date(value)
    if f.type == "percent":
        return num(value) + ("%" if plan.percent_sign else "")
    if f.type in ("amount", "integer", "number"):
        return num(value)
    return str(value)


def _label(plan: Plan, f: Field) -> str:
    return plan.label_style(plan.labels.get(f.id, f.label))


def _units(
    plan: Plan, form: FormDef, section_fields: tuple[Field, ...], record: dict, wide: int
) -> list[list[list[Cell]]]:
    """Rows of one section's single-value fields, grouped in units that stay together when reordered."""
    units: list[list[list[Cell]]] = []
    fields = [f for f in section_fields if f.id not in plan.drop]
    i = 0
    while i < len(fields):
        f = fields[i]
        pair = (
            plan.layout == "four"
            and f.half
            and i + 1 < len(fields)
            and fields[i + 1].half
            and f.id not in plan.below
            and fields[i + 1].id not in plan.below
        )
        group = [f, fields[i + 1]] if pair else [f]
        i += len(group)
        if f.id in plan.below:
            label = Cell(_label(plan, f), colspan=wide)
            units.append([[label], [_value_cell(plan, f, record, colspan=wide)]])
        else:
            row: list[Cell] = []
            for g in group:
                span = 1 if pair else wide - 1
                if g.id in plan.inline:
                    text = (
                        _label(plan, g).rstrip("：:")
                        + "："
                        + value_text(plan, g, get_path(record, g.id), g.pointer)
                    )
                    row.append(Cell(text, colspan=span + 1))
                else:
                    row.append(Cell(_label(plan, g)))
                    row.append(_value_cell(plan, g, record, colspan=span))
            units.append([row])
        if group[-1].id in plan.extras:
            extra_label, extra_value = plan.extras[group[-1].id]
            units.append([[Cell(extra_label), Cell(extra_value, colspan=wide - 1)]])
    return units


def _value_cell(plan: Plan, f: Field, record: dict, colspan: int) -> Cell:
    value = get_path(record, f.id)
    if plan.fill is not None:
        fill = plan.fill(f, value, f.pointer)
        if fill is not None:
            return Cell(colspan=colspan, fill=fill)
    return Cell(value_text(plan, f, value, f.pointer), colspan=colspan)


def table_model(plan: Plan, t: TableDef, rows: list[dict], widths: dict[str, float]) -> Table:
    """A repeating group as written: header row, one row per entry, maybe empty rows after."""
    keys = [c.id for c in t.columns]
    if plan.member_columns and t.id == "members":
        keys = plan.member_columns
    cols = [t.column(k) for k in keys]
    header = [Cell(plan.column_labels.get(f"{t.id}.{c.id}", c.label), bold=True) for c in cols]
    body = []
    for n, row in enumerate(rows):
        cells = []
        for c in cols:
            pointer = f"{t.pointer}/{n}/{c.id}"
            if c.id == "index":
                text = str(n + 1)
            elif pointer in plan.overrides:
                text = plan.overrides[pointer]
            elif pointer in plan.written:
                text = plan.written[pointer]
            else:
                text = num(row[c.id]) if c.id in row else ""
            cells.append(Cell(text))
        body.append(cells)
    for _ in range(plan.trailing_rows):
        body.append([Cell("") for _ in cols])
    return Table([header, *body], widths=[widths.get(k, 20) for k in keys])


MEMBER_WIDTHS = {
    "index": 8,
    "name": 25,
    "uscc": 43,
    "org_type": 16,
    "layer": 15,
    "location": 18,
    "basis": 25,
    "consortia_count": 10,
}
PLATFORM_WIDTHS = {"name": 80, "level": 30, "type": 50}


def build_blocks(form: FormDef, record: dict, plan: Plan) -> list[Block]:
    wide = {"four": 4, "two": 2, "group": 3}[plan.layout]
    widths = {"four": [36, 44, 36, 44], "two": [55, 105], "group": [18, 50, 92]}[plan.layout]
    blocks: list[Block] = [Para(form.title, "title")]
    for s_index, section in enumerate(form.sections):
        blocks.append(Para(section.title, "heading"))
        units = _units(plan, form, section.fields, record, wide if plan.layout != "group" else 2)
        if s_index in plan.reverse_sections:
            units.reverse()
        rows = [row for unit in units for row in unit]
        platforms = next((t for t in section.tables if t.id == "lead.platforms"), None)
        if platforms is not None and plan.nested_platforms:
            inner = table_model(plan, platforms, get_path(record, platforms.id) or [], PLATFORM_WIDTHS)
            inner.widths = []
            span = (wide - 1) if plan.layout != "group" else 1
            rows.append([Cell(platforms.label), Cell(colspan=span, nested=inner)])
        if rows:
            if plan.layout == "group":
                title = section.title.split("、", 1)[-1]
                rows[0] = [Cell(title, rowspan=len(rows)), *rows[0]]
            blocks.append(Table(rows, widths=widths))
        for t in section.tables:
            if t.id == "lead.platforms" and plan.nested_platforms:
                continue
            blocks.append(Para(t.label, "heading"))
            if plan.notes and t.note:
                blocks.append(Para(f"（{t.note}）", "note"))
            table_widths = MEMBER_WIDTHS if t.id == "members" else PLATFORM_WIDTHS
            blocks.append(table_model(plan, t, get_path(record, t.id) or [], table_widths))
    for signature in form.signatures:
        blocks.append(Para(f"{signature}：", "body"))
    return blocks
