"""Spreadsheets a clerk opens in Excel or WPS: frozen header row, auto-filter, readable widths,
and a print setup (A4 landscape, header row on every page).

``batch_workbook(result)`` is the batch report: a sheet of applications (verdict and counts),
a sheet of every finding (clause, field, message) and a summary sheet.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

HEADER_FILL = "DDEBF7"
VERDICT_FILL = {"不通过": "F8CBAD", "无法读取": "D9D9D9", "有警告": "FFE699", "通过": "C6EFCE"}
MAX_WIDTH = 60


def _display_width(text: str) -> int:
    """Columns a string takes on screen: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clean(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def add_table(wb: Any, title: str, headers: list[str], rows: list[list[Any]], first: bool = False) -> Any:
    """A sheet with a bold frozen header row, an auto-filter over the table and column widths
    fitted to the content (capped, long text wrapped)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append([_clean(v) for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            # Text a person typed is never a formula, even when it starts with "=".
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for i, header in enumerate(headers, 1):
        widths = [_display_width(header)]
        for (value,) in ws.iter_rows(min_row=2, min_col=i, max_col=i, values_only=True):
            if value is not None:
                widths.append(max(_display_width(line) for line in str(value).split("\n")))
        ws.column_dimensions[get_column_letter(i)].width = min(max(widths) + 2, MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(ws.max_row, 1)}"
    _print_setup(ws)
    return ws


def _print_setup(ws: Any) -> None:
    """Printed as a clerk files it: A4 landscape, all columns on the page width, the header row
    repeated on every page, the sheet's name and page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "&A　第 &P 页，共 &N 页"


def table_workbook(title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    """A one-sheet workbook (the registry export and its import template)."""
    from openpyxl import Workbook

    wb = Workbook()
    add_table(wb, title, headers, rows, first=True)
    return _save(wb)


def batch_workbook(result: Any) -> bytes:
    """The batch report of a ``toolkit.batch.model.BatchResult`` as ``.xlsx`` bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    from ..batch.model import VERDICT_LABEL
    from ..batch.report import APPLICATION_COLUMNS, FINDING_COLUMNS, application_rows, finding_rows
    from ..rules.engine import rule_titles

    wb = Workbook()
    apps = add_table(wb, "申报汇总", list(APPLICATION_COLUMNS), application_rows(result), first=True)
    verdict_col = APPLICATION_COLUMNS.index("结论") + 1
    for (cell,) in apps.iter_rows(min_row=2, min_col=verdict_col, max_col=verdict_col):
        color = VERDICT_FILL.get(str(cell.value))
        if color:
            cell.fill = PatternFill("solid", fgColor=color)
    add_table(wb, "问题清单", list(FINDING_COLUMNS), finding_rows(result))

    s = result.summary()
    titles = rule_titles()
    rows: list[list[Any]] = [
        ["检查文件数", s["files"]],
        ["不是申报表的文件", s["skipped"]],
        ["申报数", s["applications"]],
        ["无法读取的文件", s["unreadable_files"]],
        *[[f"结论：{VERDICT_LABEL[k]}", n] for k, n in s["verdicts"].items()],
        *[[f"错误：{code}{_title(titles, code)}", n] for code, n in s["errors_by_rule"].items()],
        *[[f"警告：{code}{_title(titles, code)}", n] for code, n in s["warnings_by_rule"].items()],
    ]
    if result.registry:
        rows.append(["比对的名录", result.registry])
    rows += [[f"不是申报表：{name}", result.notes.get(name, "")] for name in result.skipped]
    add_table(wb, "统计", ["项目", "数量"], rows)
    return _save(wb)


def _title(titles: dict[str, str], code: str) -> str:
    title = titles.get(code)
    return f"（{title}）" if title else ""


def _save(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_table(
    path: str | Path,
    columns: list[str],
    rows: list[list[Any]],
    force: bool = False,
    sheet: str = "已认定创新联合体",
) -> Path:
    """Write ``columns`` and ``rows`` as ``.xlsx`` or ``.csv`` (UTF-8 with BOM, for Excel)."""
    from ..errors import InputError
    from ..outputs import write_bytes

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return write_bytes(p, buf.getvalue().encode("utf-8-sig"), force)
    if suffix == ".xlsx":
        return write_bytes(p, table_workbook(sheet, list(columns), rows), force)
    raise InputError(f"只能导出为 .xlsx 或 .csv：{p}")
