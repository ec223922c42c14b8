"""Checks of an OCR'd record that a Word file does not need: values read with low confidence
(flagged; left out of the record when very low),
USCC check characters (GB 32100-2015) and 大写/小写 amount pairs, each turned into a problem
``Finding`` (``OCR-LOW-CONFIDENCE``, warning, clause ``form``) that asks for 人工核对.

A page too poor to trust (:mod:`toolkit.ocr.quality`: blurred, specked, read unsurely) has every
value read from it, and every field not read, flagged ``OCR-PAGE-QUALITY``; a label the scan
shows with no value read beside it, a table column with no value in any row and an empty cell
under a seal are flagged too: a wrong or missing value is never passed on silently. So are a table
cell with ink nothing was read from (on its row), a table showing more rows than were read, a
value beside a label read unsurely, a field whose label the scan does not show at all, a text with
an unpaired bracket, and a value under a seal the size of its residue (or, without colour, read
unsurely).

:func:`record_of_scan` is how every scan is read (``toolkit.read.api.parse_file``): the layout's
cells put right (:mod:`toolkit.ocr.clean`: labels stacked or one character off, a label and a
value in one cell, a value split over two), values cleaned by type, then these checks.

The thresholds and the fields checked live in ``toolkit/ocr/ocr.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..findings import Finding
from ..forms import Field, FormDef, load_form
from ..read import Cell, Grid, Layout, ParseResult
from ..record import get_path, set_path

CODE = "OCR-LOW-CONFIDENCE"


@cache
def settings() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).with_name("ocr.yaml")).read_text(encoding="utf-8"))


@dataclass
class Located:
    pointer: str  # JSON pointer into the record
    field: Field
    cell: Cell


def _norm(label: str) -> str:
    label = re.sub(r"[\s\u3000:：]", "", label)
    return label.replace("（", "(").replace("）", ")").replace("“", '"').replace("”", '"')


def locate_values(layout: Layout, form: FormDef) -> list[Located]:
    """The value cell of every single field and table column found by its label in the grids.

    Single fields: the cell right of the label cell. Table columns: the header row's column, then
    one entry per following non-empty row, as ``/members/<i>/<column>``.
    """
    by_label: dict[str, Field] = {}
    for f in form.fields:
        for lab in f.labels:
            by_label.setdefault(_norm(lab), f)
    found: list[Located] = []
    seen: set[str] = set()
    for grid in (b for b in layout.blocks if isinstance(b, Grid)):
        table_ctx: tuple[Any, dict[int, Field]] | None = None
        entry = -1
        for row in grid.rows:
            header = _header(row, form)
            if header:
                table_ctx, entry = header, -1
                continue
            if table_ctx is not None:
                table, cols = table_ctx
                if any(c.text.strip() for c in row) and len(row) >= len(cols):
                    entry += 1
                    for idx, col in cols.items():
                        if idx < len(row) and col.in_record:
                            found.append(Located(f"{table.pointer}/{entry}/{col.id}", col, row[idx]))
                    continue
                table_ctx = None
            for i, cell in enumerate(row[:-1]):
                f = by_label.get(_norm(cell.text))
                if f is not None and f.pointer not in seen:
                    seen.add(f.pointer)
                    found.append(Located(f.pointer, f, row[i + 1]))
    return found


def _header(row: list[Cell], form: FormDef) -> tuple[Any, dict[int, Field]] | None:
    texts = [_norm(c.text) for c in row]
    for table in form.tables:
        cols: dict[int, Field] = {}
        for i, t in enumerate(texts):
            for col in table.columns:
                if t and t in {_norm(lab) for lab in col.labels}:
                    cols[i] = col
                    break
        if len(cols) >= max(2, len(table.columns) - 1):
            return table, cols
    return None


def _checked(loc: Located, cfg: dict[str, Any]) -> bool:
    key = loc.pointer.strip("/").split("/")
    dotted = ".".join(k for k in key if not k.isdigit())
    return loc.field.type in cfg["types"] or dotted in cfg["fields"]


def _field_at(form: FormDef, pointer: str) -> Field | None:
    for f in form.fields:
        if f.pointer == pointer:
            return f
    for table in form.tables:
        if pointer.startswith(table.pointer + "/"):
            column = pointer.rsplit("/", 1)[-1]
            return next((c for c in table.columns if c.id == column), None)
    return None


def _flag(pointer: str, message: str, value: Any = None) -> Finding:
    """An OCR-LOW-CONFIDENCE warning on ``pointer``: a value a person must check on the paper."""
    return Finding(CODE, "warning", "form", message, field=pointer, value=value)


def record_of_scan(layout: Layout, form_id: str | None = None) -> ParseResult:
    """The record of a scan's layout (:func:`toolkit.ocr.reader.read_scan`): extracted, labels
    the recogniser misread by a character snapped to the form's, each value cell cleaned by its
    field's type (:mod:`toolkit.ocr.clean`) and read again, and the OCR checks added."""
    from ..read.extract import _detect, extract
    from .clean import (
        clean_layout,
        join_split,
        snap_headers,
        snap_labels,
        split_merged,
        split_stacked,
        value_cells,
    )

    # the layout's cells put right before reading: a page where the rules between all labels
    # were lost would otherwise read as a blank form
    form = form_id or _detect(layout)
    joined = {}
    if form is not None:
        split_stacked(layout, form)
        snap_labels(layout, form)
        snap_headers(layout, form)
        split_merged(layout, form)
        joined = join_split(layout, form)
    result = extract(layout, form_id)
    if form is None:  # the title was not found: what the labels say, and read again
        joined = join_split(layout, result.form)
        if (
            snap_labels(layout, result.form)
            + snap_headers(layout, result.form)
            + split_merged(layout, result.form)
            + split_stacked(layout, result.form)
        ):
            result = extract(layout, result.form)
    changes = clean_layout(layout, result.form, value_cells(layout, result.form, result.cells))
    if changes:
        result = extract(layout, result.form)
    for key, change in joined.items():  # a joined value stays flagged as joined, cleaned or not
        change.after = changes[key].after if key in changes else change.after
        changes[key] = change
    result.seals = list(layout.seals)
    result.colourless = layout.colourless
    result.problems.extend(review_scan(result, layout, changes))
    return result


def review_scan(result: ParseResult, layout: Layout, changes: dict[int, Any] | None = None) -> list[Finding]:
    """Findings for the OCR'd values of ``result`` that must be checked by a person.

    Each value is judged in the cell it was read from (``result.cells``); fields that were not
    read are looked up by their label, so a cell that held ink but gave no value is reported, not
    left silently blank. May correct ``result.record`` in place where a USCC misread has exactly
    one repair. ``changes``: what :func:`toolkit.ocr.clean.clean_layout` did to the cells, by
    ``id(cell)``; a value it corrected (beyond taking junk off) is reported.
    """
    changes = changes or {}
    cfg = settings()
    form = load_form(result.form)
    located: dict[str, Located] = {}
    for pointer, cell in result.cells.items():
        f = _field_at(form, pointer)
        if f is not None:
            located[pointer] = Located(pointer, f, cell)
    singles = {f.pointer for f in form.fields}
    for loc in locate_values(layout, form):
        # fields not read, by label; table rows are numbered by extract alone, so not those
        if loc.pointer in singles:
            located.setdefault(loc.pointer, loc)
    reported = {p.field for p in result.problems}
    findings: dict[str, Finding] = {}
    for loc in located.values():
        if loc.pointer in reported:
            continue  # already a problem of its own (a value that failed normalisation)
        value = get_path(result.record, loc.pointer)
        text = loc.cell.text.strip()
        where = f"第{loc.cell.page}页" if loc.cell.page else "扫描件"
        label = form.label_of(loc.pointer)
        if value is None and not text:
            if loc.cell.ink:  # the reader saw ink there and recognised nothing
                findings[loc.pointer] = _flag(
                    loc.pointer, f"{label}处有字迹但未能识别，请人工核对（{where}）"
                )
            elif _under_seal(loc.cell, layout.seals):  # the seal's ink taken out, and the value with it
                findings[loc.pointer] = _flag(
                    loc.pointer, f"{label}处盖有印章，未能读出内容，请人工核对（{where}）"
                )
            continue
        change = changes.get(id(loc.cell))
        if change is not None and change.corrected and value is not None:
            how = change.why or "已按栏目类型更正"
            findings[loc.pointer] = _flag(
                loc.pointer,
                f"{label}识别为“{change.before.strip()}”，{how}为“{change.after}”，请人工核对（{where}）",
                value,
            )
            continue
        unsure = _doubtful_value(loc.field, value, text)
        if unsure:
            findings[loc.pointer] = _flag(
                loc.pointer, f"{label}{unsure}，请人工核对（{where}，识别为“{text}”）", value
            )
            continue
        conf = loc.cell.confidence
        if value is not None and conf is not None and conf < cfg["drop_below"]:
            # too doubtful to keep: left out of the record, never passed on as if read
            _drop(result.record, loc.pointer)
            findings[loc.pointer] = _flag(
                loc.pointer,
                f"{label}识别可信度过低（{conf:.2f}），未采用识别结果，请人工核对（{where}，识别为“{text}”）",
            )
            continue
        if loc.field.type == "uscc" and isinstance(value, str) and value:
            f = _check_uscc(result.record, loc, label, where, cfg)
            if f:
                findings[loc.pointer] = f
                continue
        if loc.field.type == "amount" and value is not None:
            written = chinese_amount(text)
            if written is not None and _yuan_to_wan(written) != Decimal(str(value)):
                findings[loc.pointer] = _flag(
                    loc.pointer,
                    f"{label}的大写金额与小写金额不一致，请人工核对（{where}，识别为“{text}”）",
                    value,
                )
                continue
        conf = loc.cell.confidence
        limit = cfg["confidence"] if _checked(loc, cfg) else cfg["confidence_text"]
        if conf is not None and conf < limit:
            findings[loc.pointer] = _flag(
                loc.pointer,
                f"{label}识别可信度较低（{conf:.2f}），请人工核对（{where}，识别为“{text}”）",
                value,
            )
    for f in _tables_not_read(result, layout, form, reported | set(findings)):
        findings[f.field] = f
    for f in _table_cells_unread(result, layout, form, reported | set(findings)):
        findings[f.field] = f
    for f in _rows_not_read(result, layout, form, reported | set(findings)):
        findings[f.field] = f
    for f in _doubtful_labels(result, layout, form, reported | set(findings), cfg):
        findings[f.field] = f
    if layout.seals:
        for f in _under_seals(result, layout, form, reported | set(findings)):
            findings[f.field] = f
    for f in _labels_without_values(result, layout, form, located, reported | set(findings)):
        findings[f.field] = f
    for f in _poor_pages(result, layout, located, reported | set(findings), cfg):
        findings[f.field] = f
    return list(findings.values())


def _table_cells_unread(result: ParseResult, layout: Layout, form: FormDef, done: set[str]) -> list[Finding]:
    """A table cell (a member's code, a platform's level) with ink but nothing read, or blank
    under a seal: flagged on its row's field, never a silently missing value. The row is the
    record's row that the cell's neighbours were read into; when none was, the whole table."""
    where_read = {id(cell): pointer for pointer, cell in result.cells.items()}
    singles = {f.pointer for f in form.fields}
    rows: dict[int, list[Cell]] = {}
    for grid in (b for b in layout.blocks if isinstance(b, Grid)):
        for row in grid.rows:
            for cell in row:
                rows[id(cell)] = row
    out = []
    for loc in locate_values(layout, form):
        if loc.pointer in singles or loc.cell.text.strip():
            continue
        if not (loc.cell.ink or _under_seal(loc.cell, layout.seals)):
            continue
        table = loc.pointer.rsplit("/", 2)[0]
        siblings = [where_read.get(id(c)) for c in rows.get(id(loc.cell), [])]
        prefixes = {p.rsplit("/", 1)[0] for p in siblings if p and p.startswith(table + "/")}
        pointer = f"{prefixes.pop()}/{loc.field.id}" if len(prefixes) == 1 else table
        if any(_covers(d, pointer) for d in done) or get_path(result.record, pointer) not in (None, ""):
            continue
        if pointer == table and not get_path(result.record, table):
            continue  # no row read at all: _tables_not_read says so
        where = f"第{loc.cell.page}页" if loc.cell.page else "扫描件"
        why = "有字迹但未能识别" if loc.cell.ink else "盖有印章，未能读出内容"
        out.append(_flag(pointer, f"{form.label_of(pointer)}处{why}，请人工核对（{where}）"))
        done = done | {pointer}
    return out


def _rows_not_read(result: ParseResult, layout: Layout, form: FormDef, done: set[str]) -> list[Finding]:
    """A table whose grid, under its header, shows more rows with text than were read (a row
    whose first cell ran into the header's, where a rule was lost): flagged as a whole."""
    shown: dict[str, set[int]] = {}
    for loc in locate_values(layout, form):
        table = next((t for t in form.tables if loc.pointer.startswith(t.pointer + "/")), None)
        if table is not None and loc.cell.text.strip():
            shown.setdefault(table.pointer, set()).add(
                int(loc.pointer[len(table.pointer) + 1 :].split("/")[0])
            )
    out = []
    for table in form.tables:
        rows = get_path(result.record, table.pointer)
        read = len(rows) if isinstance(rows, list) else 0
        seen = len(shown.get(table.pointer, ()))
        if seen > read and not any(_covers(d, table.pointer) for d in done):
            out.append(
                _flag(
                    table.pointer,
                    f"扫描件中“{table.label}”表有{seen}行，只读出{read}行，请对照纸质件逐行核对",
                )
            )
    return out


# a label cell read below this: which field the value beside it is, is in doubt (labels read
# right score 0.5 and more on the sample scans; three labels run together 0.27)
LABEL_DOUBT = 0.5


def _doubtful_labels(
    result: ParseResult, layout: Layout, form: FormDef, done: set[str], cfg: dict[str, Any]
) -> list[Finding]:
    """A value read beside a label cell that was itself read unsurely (the labels of three rows
    run together where their rules were lost, 通推荐单位意见): which field the value belongs to
    is in doubt, so it is flagged."""
    left: dict[int, Cell] = {}
    for grid in (b for b in layout.blocks if isinstance(b, Grid)):
        for row in grid.rows:
            for a, b in zip(row, row[1:], strict=False):
                left[id(b)] = a
    tables = tuple(t.pointer + "/" for t in form.tables)
    out = []
    for pointer, cell in result.cells.items():
        label = left.get(id(cell))
        if label is None or pointer.startswith(tables) or any(_covers(d, pointer) for d in done):
            continue
        if label.confidence is not None and label.confidence < LABEL_DOUBT:
            where = f"第{cell.page}页" if cell.page else "扫描件"
            out.append(
                _flag(
                    pointer,
                    f"{form.label_of(pointer)}的栏目名称识别不清（识别为“{label.text.strip()}”），"
                    f"读出的内容可能属于其他栏目，请人工核对（{where}，识别为“{cell.text.strip()}”）",
                    get_path(result.record, pointer),
                )
            )
    return out


def _under_seals(result: ParseResult, layout: Layout, form: FormDef, done: set[str]) -> list[Finding]:
    """Values read where a seal lies. On a scan without colour its ink cannot be told from the
    text's and stays on the page, so its characters may be read into the value (a member's code
    read with the seal's 海洋生物科技 after it); in colour, what is left of it once taken out may
    be read as a character (专 in a blank cell), and a character under it may be lost with it.
    Flagged: in colour a value of one or two characters (a residue's size), without colour one
    of those or one read below ``confidence`` (the seal's characters read into it score lower:
    0.90 where the code alone scores 1.0); a value read surely and in full is left alone."""
    limit = settings()["confidence"]
    out = []
    why = (
        "黑白或灰度扫描件无法去除印章，识别结果可能混入印章文字"
        if layout.colourless
        else "识别结果可能混入印章残留或缺字"
    )
    for pointer, cell in result.cells.items():
        if any(_covers(d, pointer) for d in done) or not _under_seal(cell, layout.seals):
            continue
        value = get_path(result.record, pointer)
        if value in (None, "", [], {}):
            continue
        f = _field_at(form, pointer)
        if f is not None and f.type in ("choice", "yesno"):
            continue  # read from the marks, and snapped to the form's options
        short = len(re.sub(r"\s", "", cell.text)) <= 2
        unsure = layout.colourless and cell.confidence is not None and cell.confidence < limit
        if not (short or unsure):
            continue
        where = f"第{cell.page}页" if cell.page else "扫描件"
        out.append(
            _flag(
                pointer,
                f"{form.label_of(pointer)}处盖有印章，{why}，请人工核对（{where}，识别为“{cell.text.strip()}”）",
                value,
            )
        )
    return out


def _under_seal(cell: Cell, seals: list[dict[str, Any]]) -> bool:
    """Whether a seal's disc reaches into the cell (both in points, on the cell's page)."""
    if cell.bbox is None:
        return False
    x0, y0, x1, y1 = cell.bbox
    for s in seals:
        if cell.page is not None and s.get("page") not in (None, cell.page):
            continue
        cx, cy = s["centre"]
        nx, ny = min(max(cx, x0), x1), min(max(cy, y0), y1)  # the cell's point nearest the centre
        if (nx - cx) ** 2 + (ny - cy) ** 2 < (0.9 * s["radius"]) ** 2:
            return True
    return False


PAGE_CODE = "OCR-PAGE-QUALITY"


def _poor_pages(
    result: ParseResult, layout: Layout, located: dict[str, Located], done: set[str], cfg: dict[str, Any]
) -> list[Finding]:
    """Every value read from a page too blurred, specked or unsurely read to trust
    (:mod:`toolkit.ocr.quality`) that is not flagged already: a wrong value there need not look
    doubtful, so none is passed on as read. A value whose page is not known is flagged when any
    page is poor."""
    from .quality import poor

    bad = {page: why for page, m in layout.quality.items() if (why := poor(m, cfg["page_quality"]))}
    if not bad:
        return []
    form = load_form(result.form)
    out = []
    for pointer, value in _leaves(result.record):
        if value in (None, "", [], {}) or any(_covers(d, pointer) for d in done):
            continue
        loc = located.get(pointer)
        page = loc.cell.page if loc is not None else None
        if page is not None and page not in bad:
            continue
        why = (
            "、".join(bad[page])
            if page is not None
            else "、".join(sorted({w for v in bad.values() for w in v}))
        )
        where = f"第{page}页" if page is not None else "扫描件"
        read = f"，识别为“{loc.cell.text.strip()}”" if loc is not None else ""
        out.append(
            Finding(
                PAGE_CODE,
                "warning",
                "form",
                f"{where}扫描质量差（{why}），{form.label_of(pointer)}的识别结果不可靠，请对照纸质件核对（{where}{read}）",
                field=pointer,
                value=value,
            )
        )
    # what was not read at all: a field of the form left out, a row of a table lost
    read = {p for p, v in _leaves(result.record) if v not in (None, "", [], {})}
    every = "、".join(sorted({w for v in bad.values() for w in v}))
    pages = "、".join(str(p) for p in sorted(bad))
    for f in form.fields:
        if not f.in_record or f.pointer in read or any(_covers(d, f.pointer) for d in done):
            continue
        out.append(
            Finding(
                PAGE_CODE,
                "warning",
                "form",
                f"扫描件第{pages}页质量差（{every}），未能读出{form.label_of(f.pointer)}，请对照纸质件核对",
                field=f.pointer,
            )
        )
    for table in form.tables:
        on = {loc.cell.page for p, loc in located.items() if p.startswith(table.pointer + "/")}
        if table.pointer in done or (on and not on & set(bad)):
            continue  # its rows were read from good pages only
        out.append(
            Finding(
                PAGE_CODE,
                "warning",
                "form",
                f"扫描件第{pages}页质量差（{every}），“{table.label}”表可能有行或栏目未读出或读错，请对照纸质件逐行核对",
                field=table.pointer,
            )
        )
    return out


def _covers(flagged: str, pointer: str) -> bool:
    return pointer == flagged or pointer.startswith(flagged + "/")


def _leaves(node: Any, pointer: str = "") -> list[tuple[str, Any]]:
    """The record's values with their JSON pointers (lists of scalars are one value)."""
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, f"{pointer}/{k}")]
    if isinstance(node, list) and any(isinstance(v, (dict, list)) for v in node):
        return [leaf for i, v in enumerate(node) for leaf in _leaves(v, f"{pointer}/{i}")]
    return [(pointer, node)]


def _tables_not_read(result: ParseResult, layout: Layout, form: FormDef, done: set[str]) -> list[Finding]:
    """A table of the form (members, platforms) that the scan shows, by its column labels, but
    that gave no row: flagged as a whole, never a silently empty list."""
    texts = [b for b in layout.blocks if isinstance(b, str)]
    texts += [c.text for b in layout.blocks if isinstance(b, Grid) for row in b.rows for c in row]
    squeezed = "\n".join(_norm(t) for t in texts)
    out = []
    for table in form.tables:
        if get_path(result.record, table.pointer) or table.pointer in done:
            continue
        labels = [_norm(c.label) for c in table.columns if c.in_record and len(_norm(c.label)) >= 4]
        # a table whose ruling was lost reads as lines of text: its header's labels among them
        loose = "\n".join(_norm(b) for b in layout.blocks if isinstance(b, str))
        if sum(1 for lab in labels if lab in squeezed) >= 2 or any(lab in loose for lab in labels):
            out.append(
                _flag(table.pointer, f"扫描件中有“{table.label}”表，但未能读出其中的行，请人工核对纸质件")
            )
    return out


def _labels_without_values(
    result: ParseResult, layout: Layout, form: FormDef, located: dict[str, Located], done: set[str]
) -> list[Finding]:
    """A field whose label the scan shows but that was neither read nor found beside its label
    (the label misread or merged into another cell), and a table column whose header the scan
    shows but that gave no value in any row: flagged, never a silently missing value."""
    texts = [b for b in layout.blocks if isinstance(b, str)]
    texts += [c.text for b in layout.blocks if isinstance(b, Grid) for row in b.rows for c in row]
    squeezed = "\n".join(_norm(t) for t in texts)
    read = {p for p, v in _leaves(result.record) if v not in (None, "", [], {})}

    def shown(labels: list[str]) -> bool:
        return any(len(_norm(lab)) >= 3 and _norm(lab) in squeezed for lab in labels)

    out = []
    for f in form.fields:
        if not f.in_record or f.pointer in read or f.pointer in located:
            continue
        if any(_covers(d, f.pointer) for d in done):
            continue
        if shown(list(f.labels)):
            message = f"扫描件中有“{form.label_of(f.pointer)}”栏目，但未能读出其内容，请对照纸质件核对"
        else:  # every label of the form is printed on it: one not found was misread
            message = f"扫描件中未找到“{form.label_of(f.pointer)}”栏目（可能识别有误），未能读出其内容，请对照纸质件核对"
        out.append(_flag(f.pointer, message))
    for table in form.tables:
        rows = get_path(result.record, table.pointer)
        if not isinstance(rows, list) or not rows or table.pointer in done:
            continue
        for col in table.columns:
            if not col.in_record or any(
                isinstance(r, dict) and r.get(col.id) not in (None, "") for r in rows
            ):
                continue
            if not shown(list(col.labels)) and not _unmapped_header(layout, form, table):
                continue
            for i in range(len(rows)):
                pointer = f"{table.pointer}/{i}/{col.id}"
                if pointer not in done:
                    out.append(
                        _flag(
                            pointer,
                            f"扫描件中有“{form.label_of(pointer)}”一栏，但各行均未能读出，请对照纸质件核对",
                        )
                    )
    return out


def _unmapped_header(layout: Layout, form: FormDef, table: Any) -> bool:
    """Whether the table's header row, as scanned, has a titled column that is none of the
    form's (a column renamed on the paper, or its title misread): its values were not read."""
    for grid in (b for b in layout.blocks if isinstance(b, Grid)):
        for row in grid.rows:
            header = _header(row, form)
            if header and header[0] is table:
                titles = [_norm(c.text) for i, c in enumerate(row) if i not in header[1]]
                if any(len(t) >= 2 and t not in ("序号", "编号") for t in titles):
                    return True
    return False


_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^(?:\+?86[\- ]?)?(?:\(?0\d{2,3}\)?[\- ]?)?\d{7,8}(?:[\-转]\d{1,6})?$|^1[3-9]\d{9}$")


def _doubtful_value(f: Field, value: Any, text: str) -> str | None:
    """Why a value read from a scan cannot be taken as read, or None: a cell that held text but
    gave no value, a choice with an option whose mark was not found, an e-mail address or a
    telephone number that is not one."""
    from ..read import normalize

    if f.type in ("choice", "yesno"):
        # options printed with boxes: one box each, or a box was not found (its option's
        # tick unknown); one option written without a box is a written choice
        marks = sum(1 for ch in text if ch in normalize.MARKS)
        options = list(f.options) if f.type == "choice" else ["是", "否"]
        named = len(normalize._options_in(normalize.squeeze(text), {o: o for o in options}))
        if (marks or named > 1) and named > marks:
            return "的勾选框未能全部识别"
        if value is None and marks and normalize.text(text) and any(c in normalize.TICKED for c in text):
            return "识别出勾选但无法得出取值"
        return None
    if value is None:
        return "识别出文字但无法得出取值" if normalize.text(text) else None
    if f.type in ("text", "longtext") and isinstance(value, str) and not _paired(value):
        return "的括号或引号不成对，可能有字符未识别"
    if f.type == "email" and isinstance(value, str) and not _EMAIL.match(value):
        return "不是有效的电子邮箱地址，可能识别有误"
    if f.type == "phone" and isinstance(value, str):
        digits = re.sub(r"[\s()（）]", "", value)
        if not all(_PHONE.match(p) for p in re.split(r"[,，、/；;]", digits) if p):
            return "不是有效的电话号码，可能识别有误"
    return None


_PAIRS = (("（(", "）)"), ("《", "》"), ("“", "”"), ("【[", "】]"))


def _paired(text: str) -> bool:
    """Whether the brackets and quotation marks of ``text`` come in pairs, each opened before it
    is closed: one lost under a seal's remains or a speck leaves the other alone.

    >>> _paired("数字经济（软件和信息技术服务业）"), _paired("数字经济软件和信息技术服务业）")
    (True, False)
    """
    for opening, closing in _PAIRS:
        depth = 0
        for ch in text:
            if ch in opening:
                depth += 1
            elif ch in closing:
                depth -= 1
                if depth < 0:
                    return False
        if depth:
            return False
    return True


def _drop(record: dict[str, Any], pointer: str) -> None:
    """Take the value at ``pointer`` out of the record (a table cell: out of its row)."""
    parts = pointer.strip("/").split("/")
    node: Any = record
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.get(part)
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(parts[-1], None)


def _check_uscc(
    record: dict[str, Any], loc: Located, label: str, where: str, cfg: dict[str, Any]
) -> Finding | None:
    value = get_path(record, loc.pointer)
    if uscc_valid(value):
        return None
    fixed = repair_uscc(value, cfg["uscc_illegal"], cfg["uscc_swaps"])
    if fixed is not None:
        set_path(record, loc.pointer, fixed)
        return _flag(
            loc.pointer,
            f"{label}识别为“{value}”，校验码不符，已按常见误识更正为“{fixed}”，请人工核对（{where}，识别为“{value}”）",
            fixed,
        )
    return _flag(
        loc.pointer, f"{label}校验码不符，可能识别有误，请人工核对（{where}，识别为“{value}”）", value
    )


def uscc_valid(value: str) -> bool:
    """GB 32100-2015, by ``toolkit.uscc`` (the one USCC check; accepts the A, N and Y authorities).

    >>> uscc_valid("9145020052601815XM"), uscc_valid("914502005260I815XM"), uscc_valid("N2450200MA5N0F3P10")
    (True, False, True)
    """
    from ..uscc import is_valid

    return is_valid(value)


def repair_uscc(value: str, illegal: dict[str, str], swaps: dict[str, str]) -> str | None:
    """The valid USCC ``value`` was most likely printed as, or None.

    Letters the standard never uses (I, O, S, Z) are misread digits and are replaced; then, if the
    check character still fails, each legal look-alike (8/B, 0/D) is swapped alone, and a repair
    is returned only when exactly one swap makes the code valid: never a guess between two.

    >>> repair_uscc("9145O2OO526O1815XM", {"O": "0"}, {})
    '9145020052601815XM'
    """
    value = value.strip().upper()
    if len(value) != 18:
        return None
    value = "".join(illegal.get(ch, ch) for ch in value)
    if uscc_valid(value):
        return value
    hits = {value[:i] + swaps[ch] + value[i + 1 :] for i, ch in enumerate(value) if ch in swaps}
    hits = {h for h in hits if uscc_valid(h)}
    return hits.pop() if len(hits) == 1 else None


_DIGITS = {
    "零": 0,
    "〇": 0,
    "壹": 1,
    "贰": 2,
    "貳": 2,
    "叁": 3,
    "參": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "陸": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
    "两": 2,
}
_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_AMOUNT = re.compile(
    r"[零〇壹贰貳叁參肆伍陆陸柒捌玖两拾佰仟万萬亿億]+(?:[圆元][整正]?|[圆元]?(?:[零〇壹贰叁肆伍陆柒捌玖]角)?(?:[零〇壹贰叁肆伍陆柒捌玖]分)?)"
)


def chinese_amount(text: str) -> Decimal | None:
    """The 大写 amount written in ``text``, in 元, or None when there is none.

    >>> chinese_amount("86500（人民币捌亿陆仟伍佰万元整）")
    Decimal('865000000')
    >>> chinese_amount("壹仟贰佰叁拾肆万伍仟元")
    Decimal('12345000')
    >>> chinese_amount("52亿元") is None
    True
    """
    m = _AMOUNT.search(text)
    # 大写 has a capital digit; "52亿元" or "48,600万元" is a 小写 amount with a unit
    if not m or not any(ch in _DIGITS and ch != "两" for ch in m.group()):
        return None
    if m.start() and text[m.start() - 1].isdigit():
        return None
    total, section, digit = 0, 0, 0
    for ch in m.group():
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (digit or 1) * _UNITS[ch]
            digit = 0
        elif ch in _BIG:
            section += digit
            total = (total + section) * _BIG[ch] if _BIG[ch] > 10**4 else total + section * _BIG[ch]
            section, digit = 0, 0
        elif ch in "圆元":
            break
    try:
        return Decimal(total + section + digit)
    except InvalidOperation:
        return None


def _yuan_to_wan(yuan: Decimal) -> Decimal:
    return yuan / Decimal(10000)
