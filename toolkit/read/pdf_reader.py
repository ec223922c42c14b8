"""PDF with a text layer -> :class:`Layout`, through pdfplumber.

Per page: characters drawn twice (fake bold) removed with ``dedupe_chars``; tables found by their
ruling lines; text outside tables kept as paragraphs (the title is one); stray spaces between
Chinese characters removed. A table that goes on over a page break (same columns, no repeated
header) is joined into one grid, and a row split by the break is put back together.

Pages with no usable text layer (a scan, ``(cid:…)`` garbage, U+FFFD, too few Chinese
characters) go to OCR when the ``ocr`` extra is installed; otherwise
:class:`ScanNeedsOCRError` names them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import Any

from ..errors import ScanNeedsOCRError, UnreadableError
from . import Cell, Grid, Layout
from .guard import check_pdf_page, pdf_open_error
from .normalize import _CJK_GAP

MAX_PAGES = 80
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_PAGE_NUMBER = re.compile(r"^[\s\-—–第页共/\d]*$")


def read_pdf(path: str | Path) -> Layout:
    """Paragraphs and tables of every page; scanned pages through OCR (or an error naming them)."""
    import pdfplumber

    p = Path(path)
    try:
        pdf = pdfplumber.open(p)
    except Exception as exc:
        raise pdf_open_error(exc, p.name) from None
    pages: list[list[tuple[str, Any]]] = []  # per page: ("text" | "grid" | "ocr", block)
    unusable: list[int] = []
    try:
        with pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise UnreadableError(f"PDF 有 {len(pdf.pages)} 页，不像是申报表：{p.name}")
            for number, page in enumerate(pdf.pages, start=1):
                check_pdf_page(page, number, p.name)
                page = page.dedupe_chars()
                state = _usable(page)
                if state == "blank":
                    pages.append([])
                elif state == "scan":
                    unusable.append(number)
                    pages.append([("ocr", number)])
                else:
                    pages.append(_page_blocks(page, number))
    except UnreadableError:
        raise
    except Exception as exc:
        raise UnreadableError(f"PDF 文件已损坏，无法读取：{p.name}（{type(exc).__name__}）") from None

    seals: list[dict[str, Any]] = []
    kind = "pdf"
    if unusable:
        try:  # the OCR reader imports numpy, OpenCV and rapidocr: the ``ocr`` extra
            from ..ocr.reader import read_scan
        except ImportError:
            listed = "、".join(str(n) for n in unusable)
            raise ScanNeedsOCRError(
                f"第{listed}页没有可用的文字层，是扫描件，需要 OCR 组件：请执行 pip install 'ictk[ocr]'"
            ) from None

        kind = "scan"
        if len(unusable) == len([pg for pg in pages if pg]):
            return read_scan(p, unusable)
        for i, blocks in enumerate(pages):
            if blocks and blocks[0][0] == "ocr":
                scan = read_scan(p, [blocks[0][1]])
                seals.extend(scan.seals)
                pages[i] = [("grid" if isinstance(b, Grid) else "text", b) for b in scan.blocks]
    return Layout(source=str(p), kind=kind, blocks=_join(pages), seals=seals)  # type: ignore[arg-type]


def _usable(page: Any) -> str:
    """``text`` when the page has a usable text layer, ``blank`` for an empty page, else ``scan``."""
    chars = [c["text"] for c in page.chars if not c["text"].isspace()]
    n = len(chars)
    if n == 0:
        return "scan" if page.images else "blank"
    bad = sum(1 for c in chars if c.startswith("(cid:") or "\ufffd" in c)
    if bad / n > 0.05:
        return "scan"
    cjk = sum(1 for c in chars if _CJK_CHAR.match(c))
    if n >= 20 and cjk / n < 0.05:
        return "scan"
    if n < 10 and page.images:
        area = float(page.width * page.height) or 1.0
        covered = sum(float((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images)
        if covered / area > 0.5:
            return "scan"
    return "text"


def _clean(text: str | None) -> str:
    return _CJK_GAP.sub("", text or "").strip()


def _page_blocks(page: Any, number: int) -> list[tuple[str, Any]]:
    tables = page.find_tables(table_settings=TABLE_SETTINGS)
    placed: list[tuple[float, str, Any]] = []
    boxes = []
    for table in tables:
        grid = _grid(table, number)
        if grid.rows:
            placed.append((table.bbox[1], "grid", grid))
            boxes.append(table.bbox)

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    rest = page.filter(outside) if boxes else page
    for line in rest.extract_text_lines(return_chars=False):
        text = _clean(line["text"])
        if text and not _PAGE_NUMBER.match(text):
            placed.append((line["top"], "text", text))
    placed.sort(key=lambda item: item[0])
    return [(kind, block) for _, kind, block in placed]


def _grid(table: Any, number: int) -> Grid:
    texts = table.extract()
    lefts = sorted({round(c[0], 1) for row in table.rows for c in row.cells if c is not None})
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}  # column position -> last cell there
    for row, row_texts in zip(table.rows, texts, strict=True):
        cells = []
        for position, (box, text) in enumerate(zip(row.cells, row_texts, strict=True)):
            if box is None:
                top = above.get(position)
                if top is not None and top.bbox and row.bbox and top.bbox[3] > row.bbox[1] + 1:
                    cells.append(
                        Cell(
                            text=top.text,
                            page=number,
                            bbox=top.bbox,
                            col=top.col,
                            span=top.span,
                            continued=True,
                        )
                    )
                continue
            col = bisect_right(lefts, round(box[0], 1) + 0.05) - 1
            span = max(1, bisect_right(lefts, box[2] - 0.5) - col)
            cell = Cell(text=_clean(text), page=number, bbox=tuple(box), col=col, span=span)
            above[position] = cell
            cells.append(cell)
        if cells:
            rows.append(cells)
    return Grid(rows=rows, page=number)


def _width(grid: Grid) -> int:
    return max((c.col + c.span for row in grid.rows for c in row if c.col is not None), default=0)


def _row_text(row: list[Cell]) -> list[str]:
    return [c.text for c in row]


def _join(pages: list[list[tuple[str, Any]]]) -> list[str | Grid]:
    """All blocks in order, a table going on over a page break joined into one grid."""
    out: list[str | Grid] = []
    for blocks in pages:
        if not blocks:
            continue
        first_kind, first = blocks[0]
        last = out[-1] if out else None
        if first_kind == "grid" and isinstance(last, Grid) and last.rows and _continues(last, first):
            rows = list(first.rows)
            if rows and _row_text(rows[0]) == _row_text(last.rows[0]):
                rows = rows[1:]  # the heading row repeated on the new page
            if rows and last.rows and _split_row(last.rows[-1], rows[0]):
                _merge_into(last.rows[-1], rows[0])
                rows = rows[1:]
            last.rows.extend(rows)
            blocks = blocks[1:]
        out.extend(block for _, block in blocks)
    return out


def _continues(last: Grid, first: Grid) -> bool:
    """``first`` (top of a page) goes on with ``last`` (bottom of the page before): the same
    columns, or, when a stray ruling line shifted the column grid, the same cells per row (then
    the columns of ``last`` are given to its rows)."""
    if _width(last) == _width(first) and _width(first):
        return True
    template = last.rows[-1]
    if not first.rows or len(first.rows[0]) != len(template) or len(template) < 2:
        return False
    for row in first.rows:
        if len(row) == len(template):
            for cell, model in zip(row, template, strict=True):
                cell.col, cell.span = model.col, model.span
    return True


def _split_row(before: list[Cell], after: list[Cell]) -> bool:
    """The row at the top of a page is the rest of the row at the bottom of the last one."""
    if [(c.col, c.span) for c in before] != [(c.col, c.span) for c in after]:
        return False
    filled_before = {c.col for c in before if c.text}
    filled_after = {c.col for c in after if c.text}
    if not filled_after or not filled_after <= filled_before:
        return False
    return len(after) == 1 or not after[0].text


def _merge_into(before: list[Cell], after: list[Cell]) -> None:
    for top, rest in zip(before, after, strict=True):
        if rest.text:
            top.text = f"{top.text}\n{rest.text}" if top.text else rest.text
