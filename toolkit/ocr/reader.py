"""Scanned PDF -> :class:`~toolkit.read.Layout` (kind ``scan``), and scanned PDF -> checked record.

Per page: render (150 dpi) -> find red seals -> deskew by the ruling lines -> paint the seals white
-> table cells from the ruling lines -> one OCR pass (rapidocr, models loaded once per process)
-> each recognised character to the cell holding its centre -> tick boxes read from the image
-> ``Grid`` rows of ``Cell`` (text, confidence, page, bbox in points) and the text outside tables
as paragraphs, in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ..read import Cell, Grid, Layout, ParseResult
from .engine import get_engine
from .image import DPI, estimate_skew, mask_red, render_pages, rotate
from .seals import find_seals
from .table import CellBox, TableBox, TickBox, find_tables, find_tick_boxes

# what OCR makes of a printed ☐ or ☑: the glyph itself, or a look-alike
_BOX_LOOKALIKES = set("☐☑☒□■▢▣◻◼口囗DOo0QØ√✓✔×Xx")
_PAGE_NUMBER = re.compile(r"^[—\-－\s]*\d{1,3}[—\-－\s]*$")


@dataclass
class Token:
    text: str
    score: float
    x0: float
    y0: float
    x1: float
    y1: float
    line: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def read_scan(path: str | Path, pages: list[int] | None = None, dpi: int = DPI) -> Layout:
    """The layout of the 1-based ``pages`` of a scanned PDF (every page when None)."""
    blocks: list[str | Grid] = []
    seals = []
    for number, rgb in render_pages(path, pages, dpi):
        page_blocks, page_seals = read_page(rgb, number, dpi)
        seals.extend(page_seals)
        _append_page(blocks, page_blocks)
    return Layout(source=str(path), kind="scan", blocks=blocks, seals=seals)


def read_page(rgb: np.ndarray, number: int, dpi: int = DPI) -> tuple[list[str | Grid], list[dict]]:
    """Blocks (paragraphs and grids, top to bottom) and seals of one page image."""
    seals = find_seals(rgb, number, dpi)
    angle = estimate_skew(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
    level = rotate(rgb, angle)
    clean = mask_red(level) if seals else level
    gray = cv2.cvtColor(clean, cv2.COLOR_RGB2GRAY)
    tables = find_tables(gray, dpi)
    tokens = ocr_tokens(clean)
    ticks = _confirmed_ticks(find_tick_boxes(gray, dpi), tokens)
    return _assemble(tables, tokens, ticks, number, dpi), seals


def ocr_tokens(rgb: np.ndarray) -> list[Token]:
    """Every recognised character (or latin word) with its score and box, tagged by its text line."""
    result = get_engine()(rgb, return_word_box=True)
    tokens: list[Token] = []
    if result.boxes is None:
        return tokens
    words = result.word_results or [()] * len(result.txts)
    for line, (box, text, score) in enumerate(zip(result.boxes, result.txts, result.scores, strict=False)):
        pieces = [w for w in (words[line] if line < len(words) else ()) if w and w[0]]
        if pieces and sum(len(p[0]) for p in pieces) >= len(text.replace(" ", "")):
            for ch, s, b in pieces:
                xs, ys = [p[0] for p in b], [p[1] for p in b]
                tokens.append(Token(ch, float(s), min(xs), min(ys), max(xs), max(ys), line))
        else:  # no per-character boxes: share the line's box out evenly
            xs, ys = box[:, 0], box[:, 1]
            chars = [c for c in text if not c.isspace()] or [text]
            step = (xs.max() - xs.min()) / len(chars)
            for k, ch in enumerate(chars):
                x = float(xs.min() + k * step)
                tokens.append(Token(ch, float(score), x, float(ys.min()), x + step, float(ys.max()), line))
    return tokens


def _confirmed_ticks(ticks: list[TickBox], tokens: list[Token]) -> list[TickBox]:
    """Keep the box-like shapes that are not part of a recognised character (the 口 in 信 or 员)."""
    kept = []
    for t in ticks:
        cx, cy = t.centre
        inside = [k for k in tokens if k.x0 <= cx <= k.x1 and k.y0 <= cy <= k.y1]
        if all(k.text in _BOX_LOOKALIKES for k in inside):
            kept.append(t)
    return kept


def _assemble(
    tables: list[TableBox], tokens: list[Token], ticks: list[TickBox], page: int, dpi: int
) -> list[str | Grid]:
    cells = [
        (ti, ri, ci, box)
        for ti, t in enumerate(tables)
        for ri, row in enumerate(t.rows)
        for ci, box in enumerate(row)
    ]
    owner: dict[int, list[Token]] = {}
    outside: list[Token] = []
    for tok in tokens:
        k = _cell_of(cells, tok.cx, tok.cy)
        if k is None:
            if not any(t.x0 <= tok.cx <= t.x1 and t.y0 <= tok.cy <= t.y1 for t in tables):
                outside.append(tok)
            continue
        owner.setdefault(k, []).append(tok)
    for tick in ticks:
        k = _cell_of(cells, *tick.centre)
        if k is None:
            continue
        toks = [t for t in owner.get(k, []) if not _within(t, tick)]
        glyph = "☑" if tick.ticked else "☐"
        toks.append(Token(glyph, 1.0, tick.x0, tick.y0, tick.x1, tick.y1, line=-1))
        owner[k] = toks
    scale = 72 / dpi
    placed: list[tuple[float, str | Grid]] = []
    for ti, table in enumerate(tables):
        rows = []
        for ri, row in enumerate(table.rows):
            out_row = []
            for ci, box in enumerate(row):
                k = next(i for i, c in enumerate(cells) if c[:3] == (ti, ri, ci))
                text, conf = _cell_text(owner.get(k, []))
                bbox = (box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale)
                out_row.append(
                    Cell(text=text, confidence=conf, page=page, bbox=tuple(round(v, 1) for v in bbox))
                )
            rows.append(out_row)
        placed.append((table.y0, Grid(rows=rows, page=page)))
    for y, text in _paragraphs(outside):
        if not _PAGE_NUMBER.match(text):
            placed.append((y, text))
    placed.sort(key=lambda p: p[0])
    return [b for _, b in placed]


def _cell_of(cells: list[tuple[int, int, int, CellBox]], x: float, y: float) -> int | None:
    for k, (_, _, _, box) in enumerate(cells):
        if box.contains(x, y):
            return k
    return None


def _within(tok: Token, tick: TickBox, pad: int = 3) -> bool:
    return tick.x0 - pad <= tok.cx <= tick.x1 + pad and tick.y0 - pad <= tok.cy <= tick.y1 + pad


def _lines(tokens: list[Token]) -> list[list[Token]]:
    """Tokens grouped into visual lines (by vertical overlap), top to bottom, each left to right."""
    lines: list[list[Token]] = []
    for tok in sorted(tokens, key=lambda t: t.cy):
        for line in lines:
            top = min(t.y0 for t in line)
            bottom = max(t.y1 for t in line)
            if top <= tok.cy <= bottom:
                line.append(tok)
                break
        else:
            lines.append([tok])
    return [sorted(line, key=lambda t: t.x0) for line in sorted(lines, key=lambda ln: min(t.cy for t in ln))]


def _line_text(line: list[Token]) -> str:
    out = ""
    prev: Token | None = None
    for tok in line:
        if prev is not None:
            gap = tok.x0 - prev.x1
            height = max(tok.y1 - tok.y0, prev.y1 - prev.y0, 1)
            if tok.text in "☐☑" or gap > 0.45 * height:
                out += " "
        out += tok.text
        prev = tok
    return out.strip()


def _cell_text(tokens: list[Token]) -> tuple[str, float | None]:
    """A cell's lines joined in reading order; confidence is the lowest of its text lines' scores."""
    if not tokens:
        return "", None
    text = "".join(_line_text(line) for line in _lines(tokens))
    per_line: dict[int, list[float]] = {}
    for t in tokens:
        if t.line >= 0:
            per_line.setdefault(t.line, []).append(t.score)
    conf = min((sum(s) / len(s) for s in per_line.values()), default=1.0)
    return text, round(conf, 4)


def _paragraphs(tokens: list[Token]) -> list[tuple[float, str]]:
    out = []
    by_line: dict[int, list[Token]] = {}
    for t in tokens:
        by_line.setdefault(t.line, []).append(t)
    for line in by_line.values():
        line.sort(key=lambda t: t.x0)
        out.append((min(t.y0 for t in line), _line_text(line)))
    return out


def _append_page(blocks: list[str | Grid], page_blocks: list[str | Grid]) -> None:
    """A table broken by a page end continues on the next page: join its rows back into one grid."""
    if (
        blocks
        and page_blocks
        and isinstance(blocks[-1], Grid)
        and isinstance(page_blocks[0], Grid)
        and _width(blocks[-1]) == _width(page_blocks[0])
    ):
        prev, cont = blocks[-1], page_blocks[0]
        first = cont.rows[0] if cont.rows else []
        last = prev.rows[-1] if prev.rows else []
        if first and last and len(first) == len(last) and not first[0].text and last[0].text:
            # a row split by the page end: its first cell (label or 序号) is on the first page only
            for above, below in zip(last, first, strict=True):
                above.text += below.text
                if below.confidence is not None:
                    above.confidence = min(above.confidence or 1.0, below.confidence)
            cont.rows = cont.rows[1:]
        prev.rows.extend(cont.rows)
        page_blocks = page_blocks[1:]
    blocks.extend(page_blocks)


def _width(grid: Grid) -> int:
    return max((len(r) for r in grid.rows), default=0)


def parse_scan(path: str | Path, form_id: str | None = None) -> ParseResult:
    """Read a scanned PDF into the canonical record, with the OCR checks of :mod:`toolkit.ocr.verify`
    (low confidence, USCC check characters, 大写/小写 amounts) added to ``problems``."""
    from ..read.extract import extract
    from .verify import review_scan

    layout = read_scan(path)
    result = extract(layout, form_id)
    result.seals = list(layout.seals)
    result.problems.extend(review_scan(result, layout))
    return result
