"""Layout -> canonical record, by label (the same for Word, PDF and OCR layouts).

Fields are found by the labels in the form definition (``forms/*.yaml``), never by position:

- a cell whose text is a label (spaces, full-width spaces, a trailing colon, ``（）`` vs ``()``,
  a unit suffix and leading ``*`` or numbering ignored) takes its value from the cell to its
  right, or from the row below when it has no cell to its right (long text);
- a cell or paragraph written ``label：value`` carries its own value, several pairs per line;
- repeating groups (members, platforms) are found by their header rows, whatever the column
  order; their rows are read until the next label, heading or table.

A value that cannot be read is left out of the record and reported in ``problems``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as _field
from functools import cache, lru_cache
from typing import Any

from ..errors import UnreadableError
from ..findings import Finding
from ..forms import Field, FormDef, Table, detect_form, form_ids, load_form
from ..record import set_path
from . import Cell, Grid, Layout, ParseResult, normalize

_QUOTES = "\"'“”‘’「」『』"
_LEAD = re.compile(r"^(?:[*★☆※]+|\d{1,2}[.、]|\([0-9一二三四五六七八九十]{1,2}\))")
_UNIT = re.compile(r"\([^()]*\)$")
_SEAL = re.compile(r"\((盖章|签字|签章|公章|签名)[^()]*\)")
_PAIR_HINT = re.compile(r"[:：\n☑☒■√✓✔●☐□]")
_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_NOTE = re.compile(r"^[(（]?(注|说明|备注|填表说明)")


_NO_QUOTES = {ord(q): None for q in _QUOTES}


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """What is left of a label once the ways people write it are ironed out.

    >>> label_key("牵 头 单 位 名 称：")
    '牵头单位名称'
    >>> label_key("*上年度主营业务收入（万元）:")
    '上年度主营业务收入(万元)'
    """
    key = normalize.squeeze(text)
    key = key.translate(_NO_QUOTES)
    key = _LEAD.sub("", key)
    return key.rstrip(":*").lstrip("*")


@lru_cache(maxsize=8192)
def _strip_unit(key: str) -> str:
    while True:
        shorter = _UNIT.sub("", key)
        if shorter == key or not shorter:
            return key
        key = shorter


@dataclass
class _Labels:
    """The single-field labels of one form, and its table column labels."""

    form: FormDef
    exact: dict[str, Field]
    loose: dict[str, Field]  # unit suffix removed
    pairs: re.Pattern[str]
    signatures: tuple[str, ...]  # 推荐单位（盖章） is where the seal goes, not the label 推荐单位
    columns: dict[str, dict[str, Field]]  # table id -> column label key (with and without unit) -> column
    column_keys: frozenset[str] = frozenset()  # every key of ``columns``
    header_needs: int = 1  # the fewest column labels a header row of any table shows
    tables: tuple[tuple[Table, tuple[Field, ...]], ...] = ()  # each table with its columns in the record
    memo: dict[str, Field | None] = _field(default_factory=dict)  # field_of, within one form read

    def field_of(self, text: str) -> Field | None:
        if not text or len(text) > 60:
            return None
        memo = self.memo
        if text in memo:
            return memo[text]
        key = label_key(text)
        found = None if self.is_signature(key) else self.exact.get(key) or self.loose.get(_strip_unit(key))
        memo[text] = found
        return found

    def is_signature(self, key: str) -> bool:
        return key in self.signatures or bool(_SEAL.search(key))


def _label_pattern(key: str) -> str:
    glue = rf"[\s\u3000{_QUOTES}]*"
    parts = []
    for ch in _strip_unit(key):
        if ch == "(":
            parts.append("[(（]")
        elif ch == ")":
            parts.append("[)）]")
        else:
            parts.append(re.escape(ch))
    return glue.join(parts)


@cache
def labels_for(form_id: str) -> _Labels:
    form = load_form(form_id)
    exact: dict[str, Field] = {}
    loose: dict[str, Field] = {}
    for f in form.fields:
        for label in f.labels:
            key = label_key(label)
            exact.setdefault(key, f)
            loose.setdefault(_strip_unit(key), f)
    surfaces = sorted({_strip_unit(k) for k in exact}, key=len, reverse=True)
    alternation = "|".join(f"(?:{_label_pattern(k)})" for k in surfaces)
    pairs = re.compile(
        rf"(?:^|(?<=[\s，,；;。、]))[*★]?(?P<label>{alternation})"
        r"(?:\s*[(（][^()（）\n]{0,16}[)）])?[ \t\u3000]*(?:[:：]|\n|(?=[☑☒■√✓✔●☐□]))"
    )
    signatures = tuple(label_key(s) for s in form.signatures)
    columns: dict[str, dict[str, Field]] = {}
    for table in form.tables:
        keys: dict[str, Field] = {}
        for col in table.columns:
            for label in col.labels:
                keys.setdefault(label_key(label), col)
        for col in table.columns:
            for label in col.labels:
                keys.setdefault(_strip_unit(label_key(label)), col)
        columns[table.id] = keys
    needs = min((min(3, sum(c.in_record for c in t.columns) - 1) for t in form.tables), default=1)
    return _Labels(
        form=form,
        exact=exact,
        loose=loose,
        pairs=pairs,
        signatures=signatures,
        columns=columns,
        column_keys=frozenset(k for keys in columns.values() for k in keys),
        header_needs=max(1, needs),
        tables=tuple((t, tuple(c for c in t.columns if c.in_record)) for t in form.tables),
    )


def _pairs(text: str, labels: _Labels) -> list[tuple[Field, str]]:
    """``label：value`` pairs written inline, several per line allowed."""
    if not _PAIR_HINT.search(text):
        return []
    matches = list(labels.pairs.finditer(text))
    out = []
    for m, nxt in zip(matches, [*matches[1:], None], strict=False):
        f = labels.field_of(m.group("label"))
        if f is None or labels.is_signature(label_key(m.group(0))):
            continue
        value = text[m.end() : nxt.start() if nxt else len(text)]
        out.append((f, value))
    return out


# --- the form --------------------------------------------------------------------------------


def _detect(layout: Layout) -> str | None:
    paragraphs = [b for b in layout.blocks if isinstance(b, str)]
    found = detect_form("\n".join(paragraphs[:6]))
    if found:
        return found
    cells = [c.text for g in layout.blocks if isinstance(g, Grid) for row in g.rows for c in row]
    return detect_form("\n".join(paragraphs + cells))


# --- tables ----------------------------------------------------------------------------------


def _header(row: list[Cell], labels: _Labels) -> tuple[Table, dict[str, Cell]] | None:
    """The table whose header this row is, with the header cell of each column found."""
    best: tuple[int, Table, dict[str, Cell]] | None = None
    filled = [c for c in row if c.text.strip()]
    if len(filled) < 2:
        return None
    row_keys = [(cell, label_key(cell.text) if len(cell.text) < 60 else "") for cell in filled]
    known = labels.column_keys
    if sum(1 for _, k in row_keys if k in known or _strip_unit(k) in known) < labels.header_needs:
        return None  # too few column labels for the header of any table
    for table, real in labels.tables:
        keys = labels.columns[table.id]
        found: dict[str, Cell] = {}
        unmatched = 0
        for cell, key in row_keys:
            col = keys.get(key) or keys.get(_strip_unit(key))
            if col is not None and col.id not in found:
                found[col.id] = cell
            elif table.label in key or key in {"序号", "编号"}:
                continue
            else:
                unmatched += 1
        matched = sum(1 for c in real if c.id in found)
        if matched >= min(3, len(real) - 1) and unmatched <= matched // 3:
            if best is None or matched > best[0]:
                best = (matched, table, found)
    return (best[1], best[2]) if best else None


def _cell_at(row: list[Cell], header: Cell, position: int, cols: bool) -> Cell | None:
    """The cell of ``row`` under ``header`` (``cols``: every cell of the row knows its column)."""
    if header.col is not None and cols:
        for cell in row:
            if cell.col <= header.col < cell.col + max(cell.span, 1):  # type: ignore[operator]
                return cell
        return None
    return row[position] if position < len(row) else None


# --- the extraction --------------------------------------------------------------------------


@dataclass
class _Found:
    field: Field
    text: str
    cell: Cell | None


def extract(layout: Layout, form_id: str | None = None) -> ParseResult:
    """Read the record of ``form_id`` (recognised from the title when None) from a layout."""
    # the normalising caches serve the repeats within this form, not texts of forms read before
    normalize.text.cache_clear()
    normalize.squeeze.cache_clear()
    detected = _detect(layout)
    if form_id is None:
        if detected is None:
            titles = "》或《".join(load_form(f).title for f in form_ids())
            raise UnreadableError(
                f"不是申报表：文中没有《{titles}》的标题（如确是申报表，请用 --form 指定表单）"
            )
        form_id = detected
    elif detected is not None and detected != form_id:
        title = load_form(detected).title
        raise UnreadableError(f"文档标题是《{title}》，与指定的表单 {form_id} 不符")
    labels = labels_for(form_id)
    labels.memo.clear()  # labels looked up for this form only
    form = labels.form
    grids = [b for b in layout.blocks if isinstance(b, Grid)]

    consumed: set[int] = set()  # id() of cells already used
    rows_of: dict[str, list[dict[str, Cell]]] = {}
    skip_rows: set[tuple[int, int]] = set()
    for g, grid in enumerate(grids):
        _read_tables(g, grid, labels, rows_of, skip_rows)

    found: dict[str, list[_Found]] = {}
    for g, grid in enumerate(grids):
        _read_grid(g, grid, labels, skip_rows, consumed, found)
    _read_paragraphs([b for b in layout.blocks if isinstance(b, str)], labels, found)

    record: dict[str, Any] = {"form": form.id}
    problems: list[Finding] = []
    cells: dict[str, Cell] = {}
    for f in form.fields:
        candidates = found.get(f.id)
        if not candidates:
            continue
        chosen = next((c for c in candidates if c.text.strip() and normalize.text(c.text)), None)
        if chosen is None:
            continue
        pointer = f.pointer
        value = _value(f, chosen.text, pointer, f.label, problems)
        if value is not None:
            set_path(record, f.id, value)
            if chosen.cell is not None:
                cells[pointer] = chosen.cell
                _doubt(chosen.cell, pointer, f.label, problems)
    for table in form.tables:
        entries: list[dict[str, Any]] = []
        for raw in rows_of.get(table.id, []):
            index = len(entries)
            entry: dict[str, Any] = {}
            for col in table.columns:
                if not col.in_record or col.id not in raw:
                    continue
                where = f"{table.pointer}/{index}/{col.id}"
                what = f"{table.label}第{index + 1}行“{col.label}”"
                value = _value(col, raw[col.id].text, where, what, problems)
                if value is not None:
                    entry[col.id] = value
                    cells[where] = raw[col.id]
                    _doubt(raw[col.id], where, what, problems)
            entries.append(entry)
        if entries:
            set_path(record, table.id, entries)
    # a doubtful join that gave no value (a label, a cell no field was read from) is reported too
    used = {id(c) for c in cells.values()}
    for grid in grids:
        for row in grid.rows:
            for cell in row:
                if cell.doubt and id(cell) not in used:
                    shown = normalize.text(cell.text)
                    problems.append(
                        Finding(
                            code="PARSE-WRAP",
                            severity="warning",
                            clause="form",
                            message=f"表格中读作“{shown}”的一格：{cell.doubt}，请对照原件核对是否应为单独一行",
                            value=shown,
                        )
                    )
    if len(record) == 1 and not problems:
        raise UnreadableError(f"《{form.title}》中没有读到任何已填写的内容（空白表或不是填好的申报表）")
    return ParseResult(
        record=record,
        form=form.id,
        source=layout.source,
        kind=layout.kind,
        problems=problems,
        seals=layout.seals if layout.kind == "scan" else None,
        cells=cells,
    )


def _read_tables(
    g: int, grid: Grid, labels: _Labels, rows_of: dict[str, list[dict[str, Cell]]], skip: set[tuple[int, int]]
) -> None:
    r = 0
    rows = grid.rows
    while r < len(rows):
        head = _header(rows[r], labels)
        if head is None:
            r += 1
            continue
        table, header = head
        real = {c.id for c in table.columns if c.in_record}
        skip.add((g, r))
        order = list(header)
        positions = {cid: rows[r].index(cell) for cid, cell in header.items()}
        r += 1
        while r < len(rows):
            row = rows[r]
            if _header(row, labels) is not None or _is_label_row(row, labels):
                break
            if len(row) == 1 and len(header) >= 2:
                filled = [c for c in row if c.text.strip()]
                if filled and not _NOTE.match(filled[0].text.strip()):
                    break
                skip.add((g, r))
                r += 1
                continue
            skip.add((g, r))
            entry: dict[str, Cell] = {}
            cols = all(c.col is not None for c in row)
            for cid in order:
                cell = _cell_at(row, header[cid], positions[cid], cols)
                if cell is not None:
                    entry[cid] = cell
            if any(c.text.strip() and normalize.text(c.text) for cid, c in entry.items() if cid in real):
                rows_of.setdefault(table.id, []).append(entry)
            r += 1


def _is_label_row(row: list[Cell], labels: _Labels) -> bool:
    for cell in row:
        if labels.field_of(cell.text) is not None or _pairs(cell.text, labels):
            return True
    return False


def _read_grid(
    g: int,
    grid: Grid,
    labels: _Labels,
    skip: set[tuple[int, int]],
    consumed: set[int],
    found: dict[str, list[_Found]],
) -> None:
    # The lower parts of vertical merges repeat text for tables; a label or value is read once.
    rows = [[c for c in row if not c.continued] for row in grid.rows]
    for r, row in enumerate(rows):
        if (g, r) in skip:
            continue
        for i, cell in enumerate(row):
            if id(cell) in consumed:
                continue
            f = labels.field_of(cell.text)
            if f is None:
                for pf, value in _pairs(cell.text, labels):
                    found.setdefault(pf.id, []).append(_Found(pf, value, cell))
                continue
            consumed.add(id(cell))
            value_cell = row[i + 1] if i + 1 < len(row) else None
            if value_cell is not None and labels.field_of(value_cell.text) is not None:
                value_cell = None  # the value cell was deleted: the field is blank
                found.setdefault(f.id, [])
                continue
            if value_cell is None or not value_cell.text.strip():  # the value may be in the row below
                below = _below(rows, r, g, skip, labels)
                if value_cell is None or (below is not None and len(below) == 1):
                    if below is None:
                        continue
                    text = "\n".join(c.text for c in below if c.text.strip())
                    for c in below:
                        consumed.add(id(c))
                    found.setdefault(f.id, []).append(_Found(f, text, below[0]))
                    continue
            consumed.add(id(value_cell))
            text = value_cell.text
            # "主要任务：1. …" in the value cell of 主要任务: the label is repeated
            again = _pairs(text, labels)
            if again and again[0][0] is f and labels.pairs.match(text):
                text = again[0][1]
            found.setdefault(f.id, []).append(_Found(f, text, value_cell))


def _below(
    rows: list[list[Cell]], r: int, g: int, skip: set[tuple[int, int]], labels: _Labels
) -> list[Cell] | None:
    if r + 1 >= len(rows) or (g, r + 1) in skip:
        return None
    below = rows[r + 1]
    if not below or _is_label_row(below, labels):
        return None
    if len(below) == 1 and _HEADING.match(normalize.squeeze(below[0].text)):
        return None  # the next section's heading
    return below


def _read_paragraphs(paragraphs: list[str], labels: _Labels, found: dict[str, list[_Found]]) -> None:
    for i, text in enumerate(paragraphs):
        f = labels.field_of(text)
        if f is not None:
            if i + 1 < len(paragraphs) and labels.field_of(paragraphs[i + 1]) is None:
                nxt = paragraphs[i + 1]
                if not _pairs(nxt, labels):
                    found.setdefault(f.id, []).append(_Found(f, nxt, None))
            continue
        for pf, value in _pairs(text, labels):
            found.setdefault(pf.id, []).append(_Found(pf, value, None))


# --- values ----------------------------------------------------------------------------------


def _value(f: Field, raw: str, where: str, what: str, problems: list[Finding]) -> Any:
    """The canonical value of one cell, None when blank; unreadable values become problems."""
    written = normalize.text(raw)
    if not written:
        return None
    try:
        return convert(f, raw)
    except normalize.NotFilled:
        return None
    except ValueError as exc:
        problems.append(
            Finding(
                code="PARSE-VALUE",
                severity="error",
                clause="form",
                message=f"“{what}”填写的“{written}”无法识别：{exc}",
                field=where,
                value=written,
            )
        )
        return None


def _doubt(cell: Cell, where: str, what: str, problems: list[Finding]) -> None:
    """A PARSE-WRAP warning on a value whose cell the reader put together with a doubt (a line
    of a PDF table without ruling lines taken for the rest of the row above)."""
    if cell.doubt:
        shown = normalize.text(cell.text)
        problems.append(
            Finding(
                code="PARSE-WRAP",
                severity="warning",
                clause="form",
                message=f"“{what}”读作“{shown}”：{cell.doubt}，请对照原件核对是否应为单独一行",
                field=where,
                value=shown,
            )
        )


def convert(f: Field, raw: str) -> Any:
    """Normalise ``raw`` by the field's type (``ValueError`` when it cannot be read)."""
    kind = f.type
    if kind in ("text", "longtext"):
        return normalize.text(raw) or _blank()
    if kind in ("phone", "email"):
        return normalize.compact(raw) or _blank()
    if kind == "amount":
        return normalize.amount(raw, f.unit)
    if kind == "integer":
        return normalize.integer(raw, f.unit)
    if kind == "number":
        return normalize.number(raw, f.unit)
    if kind == "percent":
        return normalize.percent(raw)
    if kind == "date":
        return normalize.date(raw)
    if kind == "uscc":
        return normalize.uscc(raw) or _blank()
    if kind == "choice":
        return normalize.choice(raw, f)
    if kind == "yesno":
        return normalize.yesno(raw)
    raise ValueError(f"未知的字段类型 {kind}")


def _blank() -> Any:
    raise normalize.NotFilled("未填写")


def iter_cells(layout: Layout) -> Iterable[Cell]:
    """Every cell of every grid, in reading order."""
    for block in layout.blocks:
        if isinstance(block, Grid):
            for row in block.rows:
                yield from row
