"""Scanned PDF -> :class:`~toolkit.read.Layout` (kind ``scan``), and scanned PDF -> checked record.

Per page: render (150 dpi) -> find red seals -> deskew by the ruling lines -> take red ink out
-> table cells from the ruling lines (a rule carried on to a lost frame, a column border lost
under a seal put back where the page still shows it) -> specks and dust taken out of the page
(:func:`~toolkit.ocr.image.specks`) -> one OCR pass (rapidocr, models loaded once per process)
-> characters read where there is only a speck's ink dropped -> each recognised character to the
cell holding its centre (doubtful characters within a seal's circle dropped as its residue)
-> tick boxes and radio marks read from the image -> ``Grid`` rows of ``Cell`` (text, confidence,
page, bbox in points; a cell with ink nothing was read from flagged by its confidence) and the
text outside tables as paragraphs, in reading order; a table continued on the next page joined.

:func:`parse_scan` then extracts the record, snaps misread labels to the form's, cleans each
value cell by its field's type (:mod:`toolkit.ocr.clean`) and reads again, and adds the OCR
checks (:mod:`toolkit.ocr.verify`): whatever was corrected or stays doubtful is flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ..read import Cell, Grid, Layout, ParseResult
from .engine import recognize
from .image import (
    DPI,
    colourless,
    estimate_skew,
    ink_mask,
    mask_red,
    red_mask,
    render_pages,
    rotate,
    rule_ink,
    specks,
    without_specks,
)
from .rectify import Rectified, rectify
from .seals import find_grey_seals, find_seals
from .table import CellBox, TableBox, TickBox, find_tables, find_tick_boxes, line_masks

# what OCR makes of a printed ☐ or ☑: the glyph itself, or a look-alike
_BOX_LOOKALIKES = set("☐☑☒□■▢▣◻◼口囗DOo0QØ√✓✔×Xx○●◉◎〇•·")
# brackets and punctuation the recogniser read as ASCII beside a Chinese character are full-width
_FULL_BRACKET = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，"}
_QUOTES = set("“”\"'‘’")
STRAY_SCORE = 0.6  # a bracket or bar read below this score is taken for a stray stroke
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
    spaced: bool = False  # the recogniser put a space before it

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
    grey = colourless(path)
    quality: dict[int, dict[str, float]] = {}
    for number, rgb in render_pages(path, pages, dpi):
        measures: dict[str, float] = {}
        page_blocks, page_seals = read_page(rgb, number, dpi, grey, measures)
        quality[number] = measures
        seals.extend(page_seals)
        _append_page(blocks, page_blocks)
    return Layout(source=str(path), kind="scan", blocks=blocks, seals=seals, colourless=grey, quality=quality)


def read_page(
    rgb: np.ndarray, number: int, dpi: int = DPI, grey: bool = False, quality: dict[str, float] | None = None
) -> tuple[list[str | Grid], list[dict]]:
    """Blocks (paragraphs and grids, top to bottom) and seals of one page image. ``grey``: the
    scan has no colour, so seals are found by their shape and cannot be taken out of the page.
    ``quality``: filled with the page's quality measures (:func:`toolkit.ocr.quality.measure`).
    A phone photo is made a flat page first (:func:`toolkit.ocr.rectify.rectify`); a flatbed
    scan is left as it is."""
    flat = rectify(rgb, dpi)
    rgb = flat.image
    page_gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    seals = find_grey_seals(page_gray, number, dpi) if grey else find_seals(rgb, number, dpi)
    angle = estimate_skew(page_gray)
    level = rotate(rgb, angle)
    # red ink is taken out wherever there is some (a seal too faint or cut to be reported as one)
    red = not grey and (bool(seals) or cv2.countNonZero(red_mask(rgb)) > 0.0005 * rgb.shape[0] * rgb.shape[1])
    clean = mask_red(level) if red else level
    gray = cv2.cvtColor(clean, cv2.COLOR_RGB2GRAY)
    ink = ink_mask(gray)
    # a faint rule under a seal is followed in the red channel, where the seal's ink barely shows
    horiz, vert = line_masks(ink, dpi, rule_ink(gray), np.ascontiguousarray(level[..., 0]) if red else gray)
    tables = find_tables(gray, dpi, (horiz, vert))
    # the rules, grown over the grey fringe a scan gives them (left over, it would join specks)
    grow = 2 * max(1, round(dpi / 150)) + 1
    rules = cv2.dilate(horiz | vert, np.ones((grow, grow), np.uint8))
    dust = specks(ink & ~rules, dpi)
    before = gray
    gray = without_specks(gray, dust)
    text = text_ink(np.where(dust, 0, ink).astype(np.uint8))
    segments = _segments(text, tables, dpi)
    tokens = ocr_tokens(gray, segments, text, dpi)
    if quality is not None:
        from .quality import measure

        clear = cv2.bitwise_and(text, cv2.bitwise_not(rules))
        quality.update(measure(before, clear, dust, [t.score for t in tokens], dpi))
        if flat.changed:
            quality["rectified"] = 1.0 if flat.warped else 0.5
        if flat.doubt:  # the photo may not be flat: every value read from it is flagged
            quality["rectify_doubt"] = 1.0
    if seals:
        tokens = _without_seal_residue(tokens, seals, angle, gray.shape, dpi)
    ticks = _confirmed_ticks(find_tick_boxes(gray, dpi, rules=horiz | vert), tokens)
    inked = {s.cell for s in segments if s.cell is not None}
    unruled = cv2.bitwise_and(text, cv2.bitwise_not(rules))
    if seals:  # what is left of a seal's ink is no character the recogniser skipped
        unruled = cv2.bitwise_and(unruled, cv2.bitwise_not(_seal_discs(seals, angle, gray.shape, dpi)))
    missed = _unread_ink(segments, tokens, unruled, dpi)
    blocks = _assemble(tables, tokens, ticks, number, dpi, inked, missed)
    if flat.light is not None:
        _flag_dim(blocks, flat, dpi)
    return blocks, seals


def _flag_dim(blocks: list[str | Grid], flat: Rectified, dpi: int) -> None:
    """Cells read where a photo's light was dim (a shadow): their confidence is put just below
    the text threshold of ``ocr.yaml``, so their values are flagged for review, whatever the
    recogniser's scores (it misreads characters there with full confidence)."""
    from .verify import settings

    doubt = round(float(settings()["confidence_text"]) - 0.01, 4)
    px = dpi / 72
    for block in blocks:
        if not isinstance(block, Grid):
            continue
        for row in block.rows:
            for cell in row:
                if cell.text and cell.bbox is not None and flat.dim(tuple(v * px for v in cell.bbox)):
                    cell.confidence = min(cell.confidence if cell.confidence is not None else 1.0, doubt)


UNREAD_SCORE = 0.85  # a cell with ink the recogniser skipped: flagged where a number, a date or a code is
# read (below ocr.yaml confidence), not in free text (above confidence_text), where a seal's or a
# wide glyph's ink beside the text would ask for needless looks


def _seal_discs(seals: list[dict], angle: float, shape: tuple[int, ...], dpi: int) -> np.ndarray:
    """The seals' discs on the levelled page, as a mask."""
    h, w = shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    out = np.zeros((h, w), np.uint8)
    for s in seals:
        x, y = (v * dpi / 72 for v in s["centre"])
        cx, cy = m @ np.array([x, y, 1.0])
        cv2.circle(out, (int(cx), int(cy)), int(s["radius"] * dpi / 72 * 1.05), 255, -1)
    return out


def _unread_ink(
    segments: list[Segment], tokens: list[Token], ink: np.ndarray, dpi: int
) -> set[tuple[int, int, int]]:
    """Table cells holding ink that no recognised character covers, as much as a character or
    more: a blot over digits read as nothing (6800 read 68), a character the recogniser skipped.
    Their value may lack something, so the cell is flagged, whatever the recogniser's scores."""
    by_line: dict[int, list[Token]] = {}
    for t in tokens:
        by_line.setdefault(t.line, []).append(t)
    out: set[tuple[int, int, int]] = set()
    for k, seg in enumerate(segments):
        if seg.cell is None:
            continue
        toks = by_line.get(k, [])
        height = seg.y1 - seg.y0
        # as much ink as a thin character (a digit) holds, at least
        limit = max(3 * SPECK_INK * (dpi / 150) ** 2, 0.15 * height * height)
        if not toks:
            if cv2.countNonZero(ink[seg.y0 : seg.y1, seg.x0 : seg.x1]) > limit:
                out.add(seg.cell)
            continue
        toks = sorted(toks, key=lambda t: t.x0)
        edges = [seg.x0] + [v for t in toks for v in (int(t.x0), int(np.ceil(t.x1)))] + [seg.x1]
        # before the first character, between two, after the last
        pairs = list(zip(edges[::2], edges[1::2], strict=True))
        for i, (a, b) in enumerate(pairs):
            # (between two characters the boxes are rough: a whole character's width is missing)
            wide = (0.6 if i in (0, len(pairs) - 1) else 0.95) * height
            # the ink counted away from the read characters' boxes (a wide glyph, % @ m,
            # reaches past its estimated box)
            a2 = a if i == 0 else a + int(0.4 * height)
            b2 = b if i == len(pairs) - 1 else b - int(0.4 * height)
            if b - a > wide and b2 > a2 and cv2.countNonZero(ink[seg.y0 : seg.y1, a2:b2]) > limit:
                out.add(seg.cell)
    return out


SEAL_RESIDUE_SCORE = 0.6  # a character read under a seal below this score is left of the seal's ink


def _without_seal_residue(
    tokens: list[Token], seals: list[dict], angle: float, shape: tuple[int, ...], dpi: int
) -> list[Token]:
    """Drop what the recogniser made of the seal's leftovers: characters read doubtfully within a
    seal's circle (a Latin letter or digit, or any character scored below
    :data:`SEAL_RESIDUE_SCORE`). Printed text under the seal reads with high scores and stays."""
    h, w = shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)  # as the page was levelled
    circles = []
    for s in seals:
        x, y = (v * dpi / 72 for v in s["centre"])
        cx, cy = m @ np.array([x, y, 1.0])
        circles.append((cx, cy, s["radius"] * dpi / 72 * 1.05))
    kept = []
    for t in tokens:
        under = any((t.cx - cx) ** 2 + (t.cy - cy) ** 2 <= r * r for cx, cy, r in circles)
        doubtful = t.score < SEAL_RESIDUE_SCORE or (t.text.isascii() and t.score < 0.9)
        if not (under and doubtful):
            kept.append(t)
    return kept


@dataclass
class Segment:
    """A run of text on one line: the box to recognise, and the table cell it lies in."""

    x0: int
    y0: int
    x1: int
    y1: int
    cell: tuple[int, int, int] | None  # (table, row, column), None outside tables


def text_ink(ink: np.ndarray) -> np.ndarray:
    """The ink without the isolated specks of scanner noise."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] > 3
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def _segments(text: np.ndarray, tables: list[TableBox], dpi: int) -> list[Segment]:
    """Every text run to recognise: inside each table cell, then on the rest of the page."""
    out: list[Segment] = []
    outside = text.copy()
    for ti, table in enumerate(tables):
        outside[max(0, table.y0 - 2) : table.y1 + 2, max(0, table.x0 - 2) : table.x1 + 2] = 0
        for ri, row in enumerate(table.rows):
            for ci, box in enumerate(row):
                # 2 px in from the borders: a ruling line left a little skewed grazes the box
                bx0, by0 = box.x0 + 2, box.y0 + 2
                region = text[by0 : box.y1 - 2, bx0 : box.x1 - 2]
                for x0, y0, x1, y1 in line_runs(region, dpi):
                    out.append(Segment(bx0 + x0, by0 + y0, bx0 + x1, by0 + y1, (ti, ri, ci)))
    for x0, y0, x1, y1 in line_runs(outside, dpi):
        out.append(Segment(x0, y0, x1, y1, None))
    return out


def line_runs(ink: np.ndarray, dpi: int) -> list[tuple[int, int, int, int]]:
    """Boxes ``(x0, y0, x1, y1)`` of the text runs in a binary region: text lines from the rows
    that carry ink, each cut where a blank gap is wider than two line heights."""
    char = dpi * 10.5 / 72  # a 五号 character, the forms' body size
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(rows) > 2)
    bands = [
        [int(rows[a]), int(rows[b]) + 1]
        for a, b in zip([0, *(breaks + 1)], [*breaks, rows.size - 1], strict=True)
    ]
    # a band thinner than a character's half (a dot, a stroke of 二 or 三, an underline) joins
    # its nearest neighbour when that one is close
    merged = True
    while merged and len(bands) > 1:
        merged = False
        for i, (y0, y1) in enumerate(bands):
            if y1 - y0 >= 0.45 * char:
                continue
            gaps = []
            if i > 0:
                gaps.append((y0 - bands[i - 1][1], i - 1))
            if i + 1 < len(bands):
                gaps.append((bands[i + 1][0] - y1, i + 1))
            gap, j = min(gaps)
            if gap <= 0.35 * char:
                a, b = sorted((i, j))
                bands[a] = [min(bands[a][0], bands[b][0]), max(bands[a][1], bands[b][1])]
                del bands[b]
                merged = True
                break
    runs = []
    for y0, y1 in _split_tall(ink, bands, char):
        height = y1 - y0
        cols = np.flatnonzero(ink[y0:y1].any(axis=0))
        if cols.size == 0:
            continue
        cuts = np.flatnonzero(np.diff(cols) > max(2 * height, 1.5 * char))
        for a, b in zip([0, *(cuts + 1)], [*cuts, cols.size - 1], strict=True):
            x0, x1 = int(cols[a]), int(cols[b]) + 1
            if cv2.countNonZero(ink[y0:y1, x0:x1]) >= 6:
                runs.append((x0, y0, x1, y1))
    return runs


def _split_tall(ink: np.ndarray, bands: list[list[int]], char: float) -> list[tuple[int, int]]:
    """Two lines set close (or touching through a descender) come out as one band: cut a tall
    band at its emptiest row when that row is nearly blank."""
    out: list[tuple[int, int]] = []
    todo = [tuple(b) for b in bands]
    while todo:
        y0, y1 = todo.pop(0)
        if y1 - y0 > 1.4 * char:
            counts = np.count_nonzero(ink[y0:y1], axis=1)
            lo, hi = int(0.25 * (y1 - y0)), int(0.75 * (y1 - y0))
            cut = lo + int(np.argmin(counts[lo:hi]))
            if counts[cut] <= 0.08 * counts.max():
                todo[:0] = [(y0, y0 + cut), (y0 + cut + 1, y1)]
                continue
        out.append((y0, y1))
    return [(a, b) for a, b in out if b > a]


SPECK_INK = 10  # ink pixels (at 150 dpi): less than any character; a real 。 or ， has 30 or more


def ocr_tokens(
    gray: np.ndarray, segments: list[Segment], ink: np.ndarray | None = None, dpi: int = DPI
) -> list[Token]:
    """Every recognised character of the segments, with its score and box, tagged by its segment.

    ``ink``: the page's text ink (specks out); a character read where the ink holds no more than
    a speck (:data:`SPECK_INK`) is a speck the despeckling left beside a character, read as a
    ``.`` ``·`` ``:`` or a letter, and is dropped, except a ``.`` ``-`` ``:`` between two Latin
    letters or digits (a decimal point, a phone number's hyphen, an e-mail address's dot)."""
    h, w = gray.shape
    crops, boxes = [], []
    for seg in segments:
        height = seg.y1 - seg.y0
        py, px = max(2, round(0.2 * height)), max(3, round(0.3 * height))
        x0, y0 = max(0, seg.x0 - px), max(0, seg.y0 - py)
        x1, y1 = min(w, seg.x1 + px), min(h, seg.y1 + py)
        crops.append(cv2.cvtColor(gray[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR))
        boxes.append((x0, seg))
    tokens: list[Token] = []
    for line, (result, (x0, seg)) in enumerate(zip(recognize(crops), boxes, strict=True)):
        first = len(tokens)
        height = seg.y1 - seg.y0
        xs = [x0 + c.x for c in result.chars]
        spaced = False
        for k, ch in enumerate(result.chars):
            half = (0.5 if _is_wide(ch.text) else 0.3) * height
            left = max(xs[k] - half, (xs[k - 1] + xs[k]) / 2 if k else seg.x0)
            right = min(xs[k] + half, (xs[k] + xs[k + 1]) / 2 if k + 1 < len(xs) else seg.x1)
            if ch.text.isspace():
                spaced = True
                continue
            text = ch.text
            if text in "[]|" and ch.score < STRAY_SCORE:
                continue  # a doubtful bracket or bar: a stroke of a rule or a seal, not text
            near = "".join(c.text for c in result.chars[max(0, k - 1) : k + 2])
            if text in _FULL_BRACKET and re.search(r"[\u4e00-\u9fff]", near):
                text = _FULL_BRACKET[text]
            elif text == '"' and re.search(r"[\u4e00-\u9fff]", near):
                # a quotation mark in Chinese text is curly: closing when one is open before it
                before = result.text[: len("".join(c.text for c in result.chars[:k]))]
                text = "”" if before.count("“") > before.count("”") else "“"
            tokens.append(Token(text, ch.score, left, seg.y0, max(right, left + 1), seg.y1, line, spaced))
            spaced = False
        if ink is not None:
            tokens[first:] = _without_speck_reads(tokens[first:], ink, dpi)
    return tokens


def _without_speck_reads(line: list[Token], ink: np.ndarray, dpi: int) -> list[Token]:
    """The line's characters less those read where there is only a speck's worth of ink, and
    less kana: the forms hold none, the recogniser reads specks as ``ら`` or ``い``."""
    limit = SPECK_INK * (dpi / 150) ** 2
    kept = []
    for k, t in enumerate(line):
        if "\u3040" <= t.text <= "\u30ff":
            continue
        if _is_wide(t.text) and not _is_punct(t.text):
            kept.append(t)
            continue
        before = line[k - 1].text if k else ""
        after = line[k + 1].text if k + 1 < len(line) else ""
        if t.text == "." and before and after and _is_cjk(before) and _is_cjk(after):
            continue  # an ASCII dot between two Chinese characters is no Chinese text: a speck
        box = ink[int(t.y0) : int(t.y1) + 1, int(t.x0) : int(np.ceil(t.x1)) + 1]
        if box.size and cv2.countNonZero(box) > limit:
            kept.append(t)
            continue
        before = line[k - 1].text if k else ""
        after = line[k + 1].text if k + 1 < len(line) else ""
        if t.text in ".-:" and _latin(before) and _latin(after):
            kept.append(t)
        elif t.text == "." and after and _is_wide(after) and _list_number("".join(x.text for x in line[:k])):
            kept.append(t)  # the dot of a list number before Chinese text: "4.培养", "；2.共建"
    return kept


def _list_number(before: str) -> bool:
    """Whether ``before`` ends with a list number (one or two digits at the start or after
    punctuation).

    >>> _list_number("攻关；4"), _list_number("4"), _list_number("团体标准200"), _list_number("3项")
    (True, True, False, False)
    """
    return bool(re.search(r"(?:^|[；;。，,、：:\s])\d{1,2}$", before))


def _latin(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


def _is_punct(ch: str) -> bool:
    return ch in "。，、：；·•…‘’“”（）—"


def _is_wide(ch: str) -> bool:
    """A full-width character (CJK, full-width punctuation): about as wide as the line is tall."""
    return ord(ch[0]) > 0x2E80


def _confirmed_ticks(ticks: list[TickBox], tokens: list[Token]) -> list[TickBox]:
    """Keep the box-like shapes that are not part of a recognised character (the 口 in 信 or 员)."""
    kept = []
    for t in ticks:
        cx, cy = t.centre
        inside = [k for k in tokens if k.x0 <= cx <= k.x1 and k.y0 <= cy <= k.y1]
        if t.round:
            # no character has a ring for a part: only a character read where the mark is (not
            # one whose estimated box reaches over a mark the recogniser skipped) rules it out
            inside = [k for k in inside if t.x0 <= k.cx <= t.x1]
        if not all(k.text in _BOX_LOOKALIKES for k in inside):
            continue
        read_as_latin = any(k.text.isascii() and k.text.isalnum() for k in inside)
        if (t.round or read_as_latin) and _among_latin(t, tokens):
            continue  # the o of an e-mail address, the 0 of a date: not a mark
        kept.append(t)
    return kept


def _among_latin(tick: TickBox, tokens: list[Token]) -> bool:
    """A round shape with a Latin letter or digit read just beside it on its line."""
    cx, cy = tick.centre
    reach = 1.5 * (tick.x1 - tick.x0)
    for k in tokens:
        if k.y0 <= cy <= k.y1 and abs(k.cx - cx) <= reach and k.text.isascii() and k.text.isalnum():
            if not (k.x0 <= cx <= k.x1):  # not the mark itself read as O or 0
                return True
    return False


def _assemble(
    tables: list[TableBox],
    tokens: list[Token],
    ticks: list[TickBox],
    page: int,
    dpi: int,
    inked: set[tuple[int, int, int]] = frozenset(),  # type: ignore[assignment]
    missed: set[tuple[int, int, int]] = frozenset(),  # type: ignore[assignment]
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
    in_cell: dict[int, list[TickBox]] = {}
    for tick in ticks:
        k = _cell_of(cells, *tick.centre)
        if k is not None:
            in_cell.setdefault(k, []).append(tick)
    for k, boxes in in_cell.items():
        if len(boxes) == 1 and not boxes[0].ticked:
            continue  # one empty square among text is the character 口 (港口), not an option
        for tick in boxes:
            toks = [t for t in owner.get(k, []) if not _within(t, tick)]
            glyph = "☑" if tick.ticked else "☐"
            toks.append(Token(glyph, tick.clarity, tick.x0, tick.y0, tick.x1, tick.y1, line=-1))
            owner[k] = toks
    scale = 72 / dpi
    placed: list[tuple[float, str | Grid]] = []
    index = {c[:3]: k for k, c in enumerate(cells)}
    for ti, table in enumerate(tables):
        lefts = _columns(table)
        rows = []
        above: list[tuple[CellBox, Cell]] = []  # cells of earlier rows, for vertical merges
        for ri, row in enumerate(table.rows):
            out_row: list[tuple[int, Cell]] = []
            top = row[0].y0
            for box, cell in above:
                if box.y1 > top + 4:  # merged down into this row: repeated, as the Word reader does
                    again = Cell(
                        cell.text, cell.confidence, page, cell.bbox, cell.col, cell.span, True, cell.ink
                    )
                    out_row.append((box.x0, again))
            for ci, box in enumerate(row):
                text, conf = _cell_text(owner.get(index[(ti, ri, ci)], []))
                ink = (ti, ri, ci) in inked
                if not text and ink:
                    conf = 0.0  # ink in the cell, nothing recognised: never a silent blank
                elif (ti, ri, ci) in missed and conf is not None and index[(ti, ri, ci)] not in in_cell:
                    conf = min(conf, UNREAD_SCORE)  # ink beside what was read: maybe part missing
                bbox = tuple(round(v * scale, 1) for v in (box.x0, box.y0, box.x1, box.y1))
                col = _nearest(lefts, box.x0)
                span = max(1, sum(1 for x in lefts if x < box.x1 - 4) - col)
                cell = Cell(text=text, confidence=conf, page=page, bbox=bbox, col=col, span=span, ink=ink)
                out_row.append((box.x0, cell))
                above.append((box, cell))
            rows.append([c for _, c in sorted(out_row, key=lambda p: p[0])])
        placed.append((table.y0, Grid(rows=rows, page=page)))
    for y, text in _paragraphs(outside):
        if not _PAGE_NUMBER.match(text):
            placed.append((y, text))
    placed.sort(key=lambda p: p[0])
    return [b for _, b in placed]


def _columns(table: TableBox) -> list[int]:
    """The left edges of the table's grid columns (cells' left edges, 4 px apart at least)."""
    lefts: list[int] = []
    for x in sorted(b.x0 for row in table.rows for b in row):
        if not lefts or x - lefts[-1] > 4:
            lefts.append(x)
    return lefts


def _nearest(lefts: list[int], x: int) -> int:
    return min(range(len(lefts)), key=lambda i: abs(lefts[i] - x))


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


def _no_space(before: str, nxt: str) -> bool:
    """Chinese text has no space before a Chinese character after another one, after Chinese
    punctuation or after a list number (``1.``): a space the recogniser put there is none.

    >>> _no_space("1.", "智"), _no_space("柳州", "市"), _no_space("☑企业", "☐"), _no_space("Co.", "Ltd")
    (True, True, False, False)
    """
    if not before or not _is_cjk(nxt):
        return False
    last = before[-1]
    return _is_cjk(last) or last in "，。；：、）》”" or bool(re.search(r"(?:^|[^\w.])\d{1,2}[.．]$", before))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch[0] <= "\u9fff"


def _line_text(line: list[Token]) -> str:
    out = ""
    prev: Token | None = None
    for tok in line:
        if prev is not None:
            gap = tok.x0 - prev.x1
            height = max(tok.y1 - tok.y0, prev.y1 - prev.y0, 1)
            # inside one recognised run only the recogniser's own spaces count: its character
            # positions are too rough to measure gaps by
            apart = tok.line != prev.line and gap > 0.45 * height
            spaced = tok.line == prev.line and tok.spaced and not _no_space(out, tok.text)
            if tok.text in "☐☑" or apart or spaced:
                out += " "
        out += tok.text
        prev = tok
    return out.strip()


def _cell_text(tokens: list[Token]) -> tuple[str, float | None]:
    """A cell's lines joined in reading order, and its confidence.

    A cell of tick boxes holds a choice: its value is which box is marked, so its confidence is
    the least clear of its marks, not the OCR score of the printed option labels. Otherwise it is
    the lowest of its text lines' mean scores.
    """
    if not tokens:
        return "", None
    text = pair_quotes(restore_dashes("".join(_line_text(line) for line in _lines(tokens))))
    marks = [t.score for t in tokens if t.line < 0]
    if marks:
        return text, round(min(marks), 4)
    per_line: dict[int, list[float]] = {}
    for t in tokens:
        # quotation marks are set by pairing (pair_quotes), not by how surely they were read
        if t.line >= 0 and t.text not in _QUOTES:
            per_line.setdefault(t.line, []).append(t.score)
    conf = min((sum(s) / len(s) for s in per_line.values()), default=1.0)
    # one character read doubtfully (覃 read 草 at 0.48 in a line otherwise sure) makes the
    # value as doubtful as that character, plus CHAR_MARGIN: flagged, not thrown away
    weakest = min((x for s in per_line.values() for x in s), default=1.0)
    conf = min(conf, weakest + CHAR_MARGIN)
    return text, round(conf, 4)


CHAR_MARGIN = 0.25


def restore_dashes(text: str) -> str:
    """Put back the dash of the known phrases (``dash_phrases`` in ``ocr.yaml``) read with 一.

    >>> restore_dashes("举办中国一东盟铝加工技术交流会，一事一议")
    '举办中国—东盟铝加工技术交流会，一事一议'
    """
    if "一" not in text:
        return text
    from .verify import settings

    for phrase in settings().get("dash_phrases", ()):
        text = text.replace(phrase.replace("—", "一"), phrase)
    return text


def pair_quotes(text: str) -> str:
    """Chinese quotation marks alternate: the recogniser's “ and ” (or a straight " it read in a
    line of its own) put back in order.

    >>> pair_quotes("专项“智能底盘线控技术“，“一事一议”")
    '专项“智能底盘线控技术”，“一事一议”'
    """
    if "“" not in text and "”" not in text:
        return text
    out, open_ = [], False
    for ch in text:
        if ch in "“”":
            ch = "”" if open_ else "“"
            open_ = not open_
        out.append(ch)
    return "".join(out)


def _paragraphs(tokens: list[Token]) -> list[tuple[float, str]]:
    out = []
    by_line: dict[int, list[Token]] = {}
    for t in tokens:
        by_line.setdefault(t.line, []).append(t)
    for line in by_line.values():
        line.sort(key=lambda t: t.x0)
        text = pair_quotes(restore_dashes(_line_text(line)))
        if _stray(text):
            continue
        out.append((min(t.y0 for t in line), text))
    return out


def _stray(text: str) -> bool:
    """A line outside the tables that is no text: no Chinese character and fewer than two letters
    or digits (what is left of specks, a seal or a signature: ``.`` ``:`` ``r`` ``(``).

    >>> _stray(":"), _stray("r ."), _stray("创新平台"), _stray("12")
    (True, True, False, False)
    """
    return not any(_is_cjk(ch) for ch in text) and sum(ch.isascii() and ch.isalnum() for ch in text) < 2


def _append_page(blocks: list[str | Grid], page_blocks: list[str | Grid]) -> None:
    """A table broken by a page end continues on the next page: join its rows back into one grid."""
    if (
        blocks
        and page_blocks
        and isinstance(blocks[-1], Grid)
        and isinstance(page_blocks[0], Grid)
        and _continues(blocks[-1], page_blocks[0])
    ):
        prev, cont = blocks[-1], page_blocks[0]
        _align_columns(prev, cont)
        first = cont.rows[0] if cont.rows else []
        last = prev.rows[-1] if prev.rows else []
        if first and last and len(first) == len(last) and not first[0].text and last[0].text:
            # a row split by the page end: its first cell (label or 序号) is on the first page only
            for above, below in zip(last, first, strict=True):
                above.text = pair_quotes(above.text + below.text)
                if below.confidence is not None:
                    above.confidence = min(above.confidence or 1.0, below.confidence)
            cont.rows = cont.rows[1:]
        prev.rows.extend(cont.rows)
        page_blocks = page_blocks[1:]
    blocks.extend(page_blocks)


def _align_columns(prev: Grid, cont: Grid) -> None:
    """Number the continued table's columns as the first page's: by their left edges."""
    lefts: dict[int, float] = {}
    for row in prev.rows:
        for c in row:
            if c.col is not None and c.bbox is not None:
                lefts.setdefault(c.col, c.bbox[0])
    if not lefts:
        return
    order = sorted(lefts.items(), key=lambda kv: kv[1])
    for row in cont.rows:
        for c in row:
            if c.bbox is None:
                continue
            col, x = min(order, key=lambda kv: abs(kv[1] - c.bbox[0]))  # type: ignore[index]
            c.col = col
            c.span = max(1, sum(1 for _, x0 in order if x - 3 <= x0 < c.bbox[2] - 3))


def _continues(prev: Grid, cont: Grid) -> bool:
    """Whether ``cont`` (first on its page) continues ``prev`` (last on the page before): as many
    columns, or the same column edges (a merged cell or a rule lost on one page changes the
    count, not the edges)."""
    if _width(prev) == _width(cont):
        return True
    a, b = _edges(prev), _edges(cont)
    if not a or not b:
        return False
    matched = sum(1 for x in b if any(abs(x - y) <= 4 for y in a))
    return matched >= 0.8 * len(b) and matched >= 0.8 * len(a) and len(b) >= 2


def _edges(grid: Grid) -> list[float]:
    """The left edges (points) of the grid's cells, 4 pt apart at least."""
    lefts: list[float] = []
    for x in sorted(c.bbox[0] for row in grid.rows for c in row if c.bbox is not None):
        if not lefts or x - lefts[-1] > 4:
            lefts.append(x)
    return lefts


def _width(grid: Grid) -> int:
    return max((len(r) for r in grid.rows), default=0)


def parse_scan(path: str | Path, form_id: str | None = None) -> ParseResult:
    """Read a scanned PDF into the canonical record, with the OCR checks of :mod:`toolkit.ocr.verify`
    (low confidence, USCC check characters, 大写/小写 amounts) added to ``problems``: as
    ``toolkit.read.api.parse_file`` reads a scan (:func:`toolkit.ocr.verify.record_of_scan`)."""
    from . import read_scan as cached_read_scan
    from .verify import record_of_scan

    return record_of_scan(cached_read_scan(path), form_id)
