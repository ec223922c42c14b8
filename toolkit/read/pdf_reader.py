"""PDF with a text layer -> :class:`Layout`, through pdfplumber.

Per page: characters drawn twice (fake bold) removed with ``dedupe_chars`` (when there are any); tables found by their
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

from ..errors import DAMAGED_HINT, UnreadableError
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
                if _drawn_twice(page.chars):
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
    except Exception:
        raise UnreadableError(f"PDF 文件已损坏，无法读取：{p.name}（{DAMAGED_HINT}）") from None

    seals: list[dict[str, Any]] = []
    kind = "pdf"
    if unusable:
        from ..ocr import read_scan, require_extra  # the OCR package's facade, not its reader

        require_extra(f"第{'、'.join(str(n) for n in unusable)}页没有可用的文字层，是扫描件")

        kind = "scan"
        if len(unusable) == len(pages):  # every page: the same reading (and cache entry) as parse_scan
            return read_scan(p)
        if len(unusable) == len([pg for pg in pages if pg]):
            return read_scan(p, unusable)
        for i, blocks in enumerate(pages):
            if blocks and blocks[0][0] == "ocr":
                scan = read_scan(p, [blocks[0][1]])
                seals.extend(scan.seals)
                pages[i] = [("grid" if isinstance(b, Grid) else "text", b) for b in scan.blocks]
    return Layout(source=str(p), kind=kind, blocks=_join(pages), seals=seals)  # type: ignore[arg-type]


def _drawn_twice(chars: list[dict[str, Any]]) -> bool:
    """Whether some character is drawn twice at the same place (fake bold): only then is the
    page's ``dedupe_chars`` worth its cost (it copies every object of the page)."""
    seen: set[tuple[str, int, int]] = set()
    for c in chars:
        text, x, y = c["text"], round(c["x0"]), round(c["top"])
        if text.isspace():
            continue
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if (text, x + dx, y + dy) in seen:
                    return True
        seen.add((text, x, y))
    return False


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
    chars = page.chars
    if boxes:
        chars = [c for c in chars if not _inside(c, boxes)]
    right = max((c["x1"] for c in page.chars), default=0.0)  # the right edge of the text
    placed.extend(_borderless(_lines(chars), number, right))
    placed.sort(key=lambda item: item[0])
    return [(kind, block) for _, kind, block in placed]


_OPENING = "（([【《“"
_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、")


def _inside(c: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (c["x0"] + c["x1"]) / 2
    y = (c["top"] + c["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


# --- text outside ruled tables: lines, and tables without ruling lines ------------------------
#
# A line is the characters at one height, cut into segments where the gap between two
# characters is wider than a character: the cells of a table without ruling lines are such
# segments. Lines of two or more segments one below the other (same type size, no wide gap)
# form a table; a column starts where segments of two lines start (or where two segments of
# one line would otherwise fall into one column). A line below a row of the table that fills
# fewer than half of that row's cells is the rest of that row's wrapped cells, never a row of
# its own: a platform name wrapping onto a second line stays one platform. When a part of
# such a line sits under a cell that did not reach the end of its column (so it may not be
# wrapped text), the cell it is joined to says so (``Cell.doubt``), and the field read from it
# gets a PARSE-WRAP warning.


class _Seg:
    __slots__ = ("chars", "col", "x0", "x1")

    def __init__(self, x0: float, x1: float) -> None:
        self.x0, self.x1 = x0, x1
        self.chars: list[str] = []
        self.col = 0

    @property
    def text(self) -> str:
        return _clean("".join(self.chars))


class _Line:
    __slots__ = ("bottom", "segs", "size", "top")

    def __init__(self, top: float, bottom: float, size: float, segs: list[_Seg]) -> None:
        self.top, self.bottom, self.size, self.segs = top, bottom, size, segs


def _lines(chars: list[dict[str, Any]]) -> list[_Line]:
    """The text lines, top to bottom, each cut into segments."""
    rows: list[list[dict[str, Any]]] = []
    for c in sorted(chars, key=lambda c: c["top"]):
        if rows and c["top"] - rows[-1][0]["top"] <= 0.45 * max(rows[-1][0]["size"], 1.0):
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        sizes = sorted(c["size"] for c in row if not c["text"].isspace())
        if not sizes:
            continue
        size = sizes[len(sizes) // 2]
        segs: list[_Seg] = []
        last = None
        for c in row:
            text = c["text"]
            if text.isspace():
                if segs:
                    segs[-1].chars.append(" ")
                continue
            if last is None or c["x0"] - last > size:
                segs.append(_Seg(c["x0"], c["x1"]))
            seg = segs[-1]
            seg.chars.append(text)
            seg.x1 = max(seg.x1, c["x1"])
            last = c["x1"]
        segs = [g for g in segs if g.text]
        if segs:
            top = min(c["top"] for c in row)
            bottom = max(c["bottom"] for c in row)
            out.append(_Line(top, bottom, size, segs))
    return out


def _borderless(lines: list[_Line], number: int, right: float) -> list[tuple[float, str, Any]]:
    placed: list[tuple[float, str, Any]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if len(line.segs) < 2:
            text = " ".join(g.text for g in line.segs)
            if text and not _PAGE_NUMBER.match(text):
                if i == 0 and len(line.segs) == 1:
                    # the top of a page: maybe the rest of a wrapped cell of the page before
                    # (with the lines below it in the same place)
                    seg = line.segs[0]
                    x0, x1 = seg.x0, seg.x1
                    while i + 1 < len(lines) and len(lines[i + 1].segs) == 1:
                        below = lines[i + 1].segs[0]
                        if abs(below.x0 - x0) > 3 or lines[i + 1].top - lines[i].bottom > 0.8 * line.size:
                            break
                        text += below.text
                        x1 = max(x1, below.x1)
                        i += 1
                    placed.append((line.top, "carry", (text, x0, x1)))
                else:
                    placed.append((line.top, "text", text))
            i += 1
            continue
        block = [line]
        i += 1
        while i < len(lines):
            nxt, prev = lines[i], block[-1]
            if abs(nxt.size - prev.size) > 0.6:
                break
            gap = nxt.top - prev.bottom
            if gap > (2.5 if len(nxt.segs) >= 2 else 0.8) * prev.size:
                break
            block.append(nxt)
            i += 1
        while len(block) > 1 and len(block[-1].segs) < 2 and _PAGE_NUMBER.match(block[-1].segs[0].text):
            block.pop()
        placed.append((block[0].top, "grid", _block_grid(block, number, right)))
    return placed


def _columns(block: list[_Line]) -> list[float]:
    """Where the columns of a table without ruling lines start."""
    tol = 0.5 * block[0].size
    clusters: list[list[float]] = []  # [x, lines starting a segment there]
    for line in block:
        seen = set()
        for seg in line.segs:
            for k, cl in enumerate(clusters):
                if abs(cl[0] - seg.x0) <= tol:
                    if k not in seen:
                        cl[1] += 1
                        seen.add(k)
                    break
            else:
                clusters.append([seg.x0, 1])
                seen.add(len(clusters) - 1)
    starts = sorted(cl[0] for cl in clusters if cl[1] >= 2) or [min(cl[0] for cl in clusters)]
    for _ in range(4):  # segments of one line in one column: the later one starts a column
        added = False
        for line in block:
            cols = [bisect_right(starts, seg.x0 + tol) - 1 for seg in line.segs]
            for seg, prev, col in zip(line.segs[1:], cols, cols[1:], strict=False):
                if col == prev or col < 0:
                    starts.append(seg.x0)
                    added = True
            if line.segs and cols[0] < 0:
                starts.append(line.segs[0].x0)
                added = True
        if not added:
            break
        starts = sorted(set(starts))
    return starts


def _block_grid(block: list[_Line], number: int, right: float) -> Grid:
    starts = _columns(block)
    size = block[0].size
    tol = 0.5 * size

    def col_of(seg: _Seg) -> int:
        return max(0, bisect_right(starts, seg.x0 + tol) - 1)

    # Where a column's text must stop: the next column's start less the narrowest gap seen
    # between two cells (the cells' padding); the last column, its longest text.
    gaps = [b.x0 - a.x1 for line in block for a, b in zip(line.segs, line.segs[1:], strict=False)]
    min_gap = max(0.0, min(gaps, default=size))
    last = max((g.x1 for line in block for g in line.segs if col_of(g) == len(starts) - 1), default=right)

    def is_full(col: int, x1: float) -> bool:
        """The text ends so near its column's end that the next character could not fit."""
        limit = starts[col + 1] - min_gap if col + 1 < len(starts) else last
        return x1 + size > limit

    rows: list[dict[int, Cell]] = []
    full: dict[int, bool] = {}  # in the row being built: column -> its text reached the column's end
    for line in block:
        segs = [(col_of(seg), seg) for seg in line.segs]
        row = rows[-1] if rows else None
        # an opening bracket carried to the next line with what it opens ("（万元）") is a wrap too
        wrapped = row is not None and all(
            full.get(col) or seg.text[0] in _OPENING and col in row for col, seg in segs
        )
        filled = len([c for c in row.values() if c.text]) if row is not None else 0
        doubtful = row is not None and not wrapped and len(segs) == 1 and filled >= 3
        if wrapped or doubtful:
            assert row is not None
            for col, seg in segs:  # the rest of the row's wrapped cells
                cell = row.get(col)
                box = (seg.x0, line.top, seg.x1, line.bottom)
                if cell is None:
                    cell = row[col] = Cell(text="", page=number, col=col, bbox=box)
                if wrapped:
                    cell.text = f"{cell.text}{seg.text}"
                else:
                    cell.text = f"{cell.text}\n{seg.text}".lstrip("\n")
                    cell.doubt = f"第{number}页表格中“{seg.text}”单独成行，已按上一行的续行读取"
                if cell.bbox:
                    cell.bbox = (
                        min(cell.bbox[0], seg.x0),
                        cell.bbox[1],
                        max(cell.bbox[2], seg.x1),
                        line.bottom,
                    )
                full[col] = is_full(col + cell.span - 1, seg.x1)
            continue
        cells: dict[int, Cell] = {}
        full = {}
        for k, (col, seg) in enumerate(segs):
            end = segs[k + 1][0] if k + 1 < len(segs) else len(starts)
            span = max(1, sum(1 for s in starts[col + 1 : end] if s < seg.x1 - tol) + 1)
            cells[col] = Cell(
                text=seg.text, page=number, col=col, span=span, bbox=(seg.x0, line.top, seg.x1, line.bottom)
            )
            full[col] = is_full(col + span - 1, seg.x1)
        rows.append(cells)
    grid_rows = []
    for cells in rows:
        out: list[Cell] = []
        covered = 0
        for col in range(len(starts)):
            cell = cells.get(col)
            if cell is not None:
                out.append(cell)
                covered = col + cell.span
            elif col >= covered:
                out.append(Cell(text="", page=number, col=col))
        grid_rows.append(out)
    return Grid(rows=grid_rows, page=number, borderless=True)


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
        if first_kind == "carry":
            text, x0, x1 = first
            last = out[-1] if out else None
            carry = isinstance(last, Grid) and last.borderless and last.rows and not _HEADING.match(text)
            cell = _cell_over(last.rows[-1], x0, x1) if carry else None  # type: ignore[union-attr]
            if cell is not None:
                cell.text += text  # a wrapped cell going on over the page break
                blocks = blocks[1:]
            else:
                blocks = [("text", text), *blocks[1:]]
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
        out.extend(block[0] if kind == "carry" else block for kind, block in blocks)
    return out


def _cell_over(row: list[Cell], x0: float, x1: float) -> Cell | None:
    """The cell of ``row`` (bottom of a page) whose column holds the text at ``x0``..``x1`` (top
    of the next page), when that cell's text may have wrapped onto it (it is not empty)."""
    for cell in row:
        if cell.bbox and cell.text and abs(cell.bbox[0] - x0) <= 3 and x1 <= cell.bbox[2] + 3:
            return cell
    return None


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
