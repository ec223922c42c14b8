"""Table structure from ruling lines, and tick boxes, on a deskewed page image.

Horizontal and vertical ruling lines are found by a morphological open with long kernels; the
cells are the regions the lines enclose (connected components of the inverted line mask), so a
cell merged across several grid columns or rows comes out as one box spanning them.

Rows can be as tall as their text (a one-line row of the spaced-label style), so text touches
both rules. Hence: a horizontal rule must hold a straight run of unbridged ink (dense text
bridged into a long run holds none), and keeps only the rows of such runs; a faint stretch (text
crowding the adaptive threshold, a seal) is followed by its grey level. Vertical lines are judged
row by row, cut at the horizontal rules: a piece is a rule when it meets both rules and has the
cell's blank padding beside it, and, as short as a text line, continues a column's border in
another row (a stroke of a character, or a digit 1, does not).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .image import ink_mask, rule_ink


@dataclass
class CellBox:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def area(self) -> int:
        return (self.x1 - self.x0) * (self.y1 - self.y0)

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


@dataclass
class TableBox:
    x0: int
    y0: int
    x1: int
    y1: int
    rows: list[list[CellBox]] = field(default_factory=list)  # top to bottom, each left to right

    def cells(self) -> list[CellBox]:
        return [c for row in self.rows for c in row]


@dataclass
class TickBox:
    x0: int
    y0: int
    x1: int
    y1: int
    ticked: bool
    clarity: float = 1.0  # 0..1: how far the mark's ink is from the ticked/empty threshold
    round: bool = False  # a radio mark (○ ●), not a square box

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


def line_masks(
    ink: np.ndarray, dpi: int, faint: np.ndarray | None = None, gray: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines of the page as two masks.

    ``faint``: a more lenient ink mask (:func:`~toolkit.ocr.image.rule_ink`) to find the lines in;
    ``ink`` (the text's mask) tells a cell's blank padding from text. ``gray``: the page, to follow
    a rule through a stretch too faint for either mask (:func:`_bridge_faint`).
    """
    lines = ink if faint is None else cv2.bitwise_or(ink, faint)
    hlen = max(20, int(dpi * 0.3))  # 7.6 mm: longer than any character stroke
    vlen = max(12, int(dpi * 0.16))  # a row is at least one text line (~5 mm) tall
    # a thin scanned line wavers by a pixel and has pinholes: bridge and thicken it before the open
    hink = cv2.dilate(cv2.morphologyEx(lines, cv2.MORPH_CLOSE, _rect(5, 1)), _rect(1, 3))
    vink = cv2.dilate(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, _rect(1, 3)), _rect(3, 1))
    horiz = _seeded(cv2.morphologyEx(hink, cv2.MORPH_OPEN, _rect(hlen, 1)), ink, hlen)
    if gray is not None:
        horiz = _bridge_faint(horiz, gray, int(dpi * 1.8))  # 46 mm: across the widest seal
    # a one-line row can be as tall as its text (~4 mm): look for strokes shorter than a text line,
    # then tell the rules among them from the strokes of characters that touch both of its rules
    vshort = max(8, int(dpi * 0.07))
    vert = cv2.morphologyEx(vink, cv2.MORPH_OPEN, _rect(1, vshort))
    touch = cv2.dilate(horiz, np.ones((5, 5), np.uint8))
    # lines taller than two text lines are no stroke of a character, when they meet a rule
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vert, connectivity=8)
    tall = np.zeros(n, bool)
    for i in np.flatnonzero(stats[:, cv2.CC_STAT_HEIGHT] >= 2.2 * vlen):
        x, y, w, h = stats[i, :4]
        ends = touch[y : y + 3, x : x + w].any() or touch[y + h - 3 : y + h, x : x + w].any()
        tall[i] = i > 0 and bool(ends) and _straight(labels[y : y + h, x : x + w] == i)
    long_lines = tall[labels]
    # judged row by row: the line cut at the horizontal rules, each piece between two of them must
    # be thin, with the cell's blank padding on both sides (a character stroke that happens to
    # continue a rule into the next row is cut off). A piece shorter than a text line must also
    # continue a rule of another row (a column's border) unless it belongs to a long line
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vert & ~horiz, connectivity=8)
    keep = np.zeros(n, bool)
    if n > 1:
        tops = np.zeros(n, bool)
        bottoms = np.zeros(n, bool)
        for i in range(1, n):
            x, y, w, h = stats[i, :4]
            # ink continuous into both rules: a piece of a rule ends on them (cut there), a stroke
            # of a character a pixel or two short of them
            tops[i] = horiz[max(0, y - 1) : y, x : x + w].any()
            bottoms[i] = horiz[y + h : y + h + 1, x : x + w].any()
        heights, widths = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
        in_long = np.zeros(n, bool)
        in_long[np.unique(labels[long_lines])] = True
        in_long[0] = False
        left, right = _clear_sides(ink, stats)
        # (a table's outer border may have text close inside; a character's stroke never has
        # blank paper on either side)
        # (taller than a character, one blank side is enough: seal remains may speckle the other)
        good = (
            (in_long & (left | right) & ((tops & bottoms) | (heights >= vlen)))
            | (tops & bottoms & left & right)
            | (tops & bottoms & (left | right) & (heights >= 1.5 * vlen))
        )
        good &= widths <= 9
        # a piece no taller than a text line has the cell's padding on both sides, even as part
        # of a long line: a character's stroke standing under a column's border (度 under the
        # border of the row above) is chained to it through the rule, and has its other strokes
        # on one side
        good &= (heights >= vlen) | (left & right)
        good[0] = False
        keep = good & (in_long | (heights >= vlen))
        # a row as tall as its text (the piece lacks the thickness of its two rules, 3 px or so
        # each): a rule there continues a column's border in another row, a digit 1 does not
        short = good & ~keep & (heights >= vlen - 6)
        centres = stats[:, cv2.CC_STAT_LEFT] + widths / 2
        if short.any():
            pad = round(9 * dpi / 150)  # a cell's padding (Word's 0.19 cm), at least most of it
            for i in np.flatnonzero(short):
                near = [
                    j
                    for j in np.flatnonzero((keep | short) & (np.abs(centres - centres[i]) <= 3))
                    if j != i and _apart(stats[i], stats[j])
                ]
                # and with a cell's padding on both sides: the stroke of a character, or a digit
                # 1, standing by chance under a border of its table or of another has the next
                # character a few pixels away
                keep[i] = bool(near) and _padded(ink, stats[i], pad) and _thin(ink, stats[i], dpi)
    vert = np.where(keep[labels], 255, 0).astype(np.uint8)
    # bridge gaps that blur and noise leave in thin lines
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (17, 1)))
    # (not a whole row's height: a rule that stops at a row where the cells merge stays stopped)
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, _rect(1, vshort))
    if gray is not None:
        vert = _faint_borders(horiz, vert, gray, dpi)
    return horiz, vert


def _faint_borders(horiz: np.ndarray, vert: np.ndarray, gray: np.ndarray, dpi: int) -> np.ndarray:
    """Put back a column border lost in one row (under a seal, broken by blur or specks): where a
    column's border runs in other rows, a row whose two rules cross that column and which has
    no border there gets one when the page shows a thin line there all down the row (darker
    than the paper just beside it in nearly every pixel row). A cell merged across the column
    has paper there, or text that is no thin line all the way down. The border must run in
    another row of the same table (its rules joined to the row's): a column border of a table
    higher up the page says nothing of a one-column table below it, where a character's stroke
    may stand at its place."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(vert, connectivity=8)
    if n < 2:
        return vert
    _, grid = cv2.connectedComponents(cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8)), connectivity=8)
    xs: list[int] = []
    tables: list[set[int]] = []  # the tables (grid components) each column border runs in
    for i in sorted(range(1, n), key=lambda i: stats[i, 0] + stats[i, 2] // 2):
        x = int(stats[i, 0] + stats[i, 2] // 2)
        y = int(stats[i, 1] + stats[i, 3] // 2)
        piece = grid[stats[i, 1] : stats[i, 1] + stats[i, 3], stats[i, 0] : stats[i, 0] + stats[i, 2]]
        label = {int(v) for v in np.unique(piece) if v} or {int(grid[y, x])}
        if not xs or x - xs[-1] > 4:
            xs.append(x)
            tables.append(set())
        tables[-1] |= label
    h, w = gray.shape
    g = gray.astype(np.int16)
    out = vert.copy()
    lo, hi = int(dpi * 10.5 / 72 * 0.95), int(dpi * 1.5)  # a row about a character tall or more
    for x, owners in zip(xs, tables, strict=True):
        if x < 8 or x > w - 9:
            continue
        rules = np.flatnonzero(horiz[:, x - 2 : x + 3].any(axis=1))
        if rules.size < 2:
            continue
        runs = np.split(rules, np.flatnonzero(np.diff(rules) > 1) + 1)
        for above, below in zip(runs, runs[1:], strict=False):
            ya, yb = int(above[-1]) + 2, int(below[0]) - 2
            if not lo <= yb - ya <= hi or out[ya:yb, x - 3 : x + 4].any(axis=1).mean() > 0.5:
                continue
            ruled = grid[int(above[-1]), x - 2 : x + 3]
            if not owners & {int(v) for v in ruled if v}:
                continue  # the row's rule is of another table than the border's
            best, at = 0.0, x
            paper = float(np.percentile(g[ya:yb, max(0, x - 12) : x + 13], 90))
            for cx in range(x - 3, x + 4):
                line = g[ya:yb, cx - 1 : cx + 2].min(axis=1)
                beside = np.minimum(
                    g[ya:yb, cx - 6 : cx - 3].mean(axis=1), g[ya:yb, cx + 4 : cx + 7].mean(axis=1)
                )
                # a thin line with paper on both sides (a character's stroke has strokes beside it)
                thin = (line < beside - 25) & (beside > paper - 40)
                # a border runs into both rules; a digit 1 or a stroke stops short of them
                ends = thin[:3].any() and thin[-3:].any()
                share = float(thin.mean()) if ends else 0.0
                if share > best:
                    best, at = share, cx
            if best >= 0.85:
                out[ya - 2 : yb + 2, at - 1 : at + 1] = 255
    return out


def _bridge_faint(horiz: np.ndarray, gray: np.ndarray, max_gap: int) -> np.ndarray:
    """Join two pieces of a horizontal rule on one row across a gap of at most ``max_gap`` px
    where the page is still a faint line (:func:`_faint_share`): text there, or a merged cell's
    blank, is not a line."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    out = horiz.copy()
    h = gray.shape[0]
    for i in range(1, n):
        x, y, w, hh = stats[i, :4]
        right = x + w
        for j in range(1, n):
            xj, yj, wj, hj = stats[j, :4]
            if not 0 < xj - right <= max_gap or yj > y + hh or y > yj + hj:
                continue
            rows = range(max(9, max(y, yj) - 1), min(h - 10, min(y + hh, yj + hj) + 1))
            best, row = _faint_line(gray, rows, right, xj)
            if best >= 0.9:
                out[row - 1 : row + 2, right:xj] = 255
            break
    return out


FAINT_SMOOTH = 5  # px along the line its darkness is averaged over (noise, a crossing rule)


def _faint_share(gray: np.ndarray, r: int, x0: int, x1: int, soft: bool = False) -> tuple[float, float]:
    """The share of the columns ``x0:x1`` where row ``r`` of the page is darker than the paper
    just above and below it by 25 grey levels, and how much darker it is on average.

    ``soft``: or by 15 averaged over :data:`FAINT_SMOOTH` columns (a hairline rule photographed
    or scanned soft is barely darker than the paper, and noise breaks it up; a rule crossing it
    darkens the paper beside it)."""
    gap = gray[r - 1 : r + 2, x0:x1].min(axis=0).astype(np.float32)
    paper = np.maximum(gray[r - 8 : r - 2, x0:x1], gray[r + 3 : r + 9, x0:x1]).max(axis=0).astype(np.float32)
    if not gap.size:
        return 0.0, 0.0
    dark = gap < paper - 25
    if soft and x1 - x0 >= FAINT_SMOOTH:
        box = np.ones(FAINT_SMOOTH, np.float32) / FAINT_SMOOTH
        dark |= np.convolve(gap, box, "same") < np.convolve(paper, box, "same") - 15
    return float(dark.mean()), float((paper - gap).mean())


def _faint_line(gray: np.ndarray, rows: range, x0: int, x1: int) -> tuple[float, int]:
    """The best share of :func:`_faint_share` among ``rows``, and its row: pixel by pixel when a
    row is a line that way; else averaged along the line, on the row most darker than the paper."""
    best, at = 0.0, 0
    for r in rows:
        share = _faint_share(gray, r, x0, x1)[0]
        if share > best:
            best, at = share, r
    if best >= 0.9:
        return best, at
    found = [(_faint_share(gray, r, x0, x1, soft=True), r) for r in rows]
    good = [(depth, r) for (share, depth), r in found if share >= 0.9]
    if good:
        return max(share for (share, _), _ in found), max(good)[1]
    return best, at


def _straight(comp: np.ndarray) -> bool:
    """A vertical line, not strokes of characters in successive tight rows chained through the
    rules they touch: nearly every row of it lies within 3 px of its middle column."""
    ys, xs = np.nonzero(comp)
    mid = np.median(xs)
    rows = np.zeros(comp.shape[0], bool)
    rows[ys[np.abs(xs - mid) <= 3]] = True
    return bool(rows.mean() >= 0.97)


def _seeded(candidates: np.ndarray, ink: np.ndarray, hlen: int) -> np.ndarray:
    """The horizontal lines among ``candidates`` (found in bridged ink), on their rows only.

    Bridging joins the horizontal strokes of densely set characters into long runs too. A rule is
    where the ink itself, unbridged, runs straight for a whole kernel length somewhere: keep each
    candidate line that holds such a run, and of it only the rows of its runs (2 px either side),
    so text that touches a rule is not taken into it.
    """
    seeds = cv2.morphologyEx(cv2.dilate(ink, _rect(1, 3)), cv2.MORPH_OPEN, _rect(hlen, 1))
    n, labels = cv2.connectedComponents(candidates, connectivity=8)
    ys, xs = np.nonzero(seeds & candidates)
    height = candidates.shape[0]
    rows = np.zeros((n, height), np.uint8)
    rows[labels[ys, xs], ys] = 1
    rows[0] = 0
    rows = cv2.dilate(rows, _rect(5, 1)) > 0  # 2 px up and down (rows run along axis 1 here)
    # a line a little askew drifts from row to row: when its runs lie within a few rows of each
    # other (one rule, no text beside it), keep all the rows between them
    top = np.full(n, height, np.int64)
    bottom = np.full(n, -1, np.int64)
    np.minimum.at(top, labels[ys, xs], ys)
    np.maximum.at(bottom, labels[ys, xs], ys)
    span = np.arange(height)[None, :]
    band = (span >= top[:, None] - 2) & (span <= bottom[:, None] + 2) & ((bottom - top) <= 6)[:, None]
    rows |= band
    rows[0] = False
    yy = np.broadcast_to(np.arange(candidates.shape[0])[:, None], candidates.shape)
    return np.where(rows[labels, yy], 255, 0).astype(np.uint8)


def _apart(a: np.ndarray, b: np.ndarray) -> bool:
    """Two components one above the other (not side by side in one row)."""
    return a[1] + a[3] <= b[1] + 4 or b[1] + b[3] <= a[1] + 4


def _clear_sides(ink: np.ndarray, stats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each vertical stroke, whether there is blank paper 2-5 px to its left, and to its right,
    along nearly all of its height (the ends, where rules cross, excepted): a cell border's padding."""
    left_ok = np.zeros(len(stats), bool)
    right_ok = np.zeros(len(stats), bool)
    for i in range(1, len(stats)):
        x, y, w, h = stats[i, :4]
        body = slice(y + max(3, h // 6), y + h - max(3, h // 6))
        left = ink[body, max(0, x - 5) : max(0, x - 1)]
        right = ink[body, x + w + 1 : x + w + 5]
        left_ok[i] = not left.size or left.any(axis=1).mean() < 0.2
        right_ok[i] = not right.size or right.any(axis=1).mean() < 0.2
    return left_ok, right_ok


def _padded(ink: np.ndarray, stat: np.ndarray, pad: int) -> bool:
    """Whether a vertical stroke has blank paper from 2 to ``pad`` px on both sides along nearly
    all of its height (the ends excepted)."""
    x, y, w, h = stat[:4]
    body = slice(y + max(3, h // 6), y + h - max(3, h // 6))
    left = ink[body, max(0, x - pad) : max(0, x - 1)]
    right = ink[body, x + w + 1 : x + w + pad]
    return all(not side.size or side.any(axis=1).mean() < 0.2 for side in (left, right))


def _thin(ink: np.ndarray, stat: np.ndarray, dpi: int) -> bool:
    """Whether a vertical stroke is as thin in the ink itself as a rule: 2 to 4 px across at 150
    dpi on the samples and simulated photos, where a character blurred into a blob (责 in a
    soft photo) is 7 or more."""
    x, y, w, h = stat[:4]
    body = ink[y + 3 : y + h - 3, max(0, x - 1) : x + w + 1] > 0
    if not body.size:
        return True
    return float(np.median(body.sum(axis=1))) <= max(5, round(5 * dpi / 150))


def _rect(w: int, h: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_RECT, (w, h))


def find_tables(
    gray: np.ndarray,
    dpi: int,
    lines: tuple[np.ndarray, np.ndarray] | None = None,
    rules: np.ndarray | None = None,
) -> list[TableBox]:
    """Every ruled table on the page, with its cells in rows.

    ``lines``: :func:`line_masks`, when the caller has them already. ``rules``: a mask the size of
    the page that receives the tables' ruling lines (not the stray horizontal strokes of text).
    """
    horiz, vert = lines or line_masks(ink_mask(gray), dpi, rule_ink(gray))
    grid = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    tables = []
    min_cell = int(dpi * 0.1)
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < dpi or h < min_cell * 2:
            continue
        region = (labels[y : y + h, x : x + w] == i).astype(np.uint8) * 255
        # close the frame: a seal or a faint scan can break a table's outer rule, opening its cells
        _reach_frame(
            region,
            horiz[y : y + h, x : x + w] > 0,
            vert[y : y + h, x : x + w] > 0,
            int(dpi * 0.12),
            gray[y : y + h, x : x + w],
        )
        cv2.rectangle(region, (0, 0), (w - 1, h - 1), 255, 1)
        if cv2.countNonZero(vert[y : y + h, x : x + w] & region) == 0:
            continue  # a lone rule, not a table
        inside = cv2.bitwise_not(region)
        m, clabels, cstats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
        boxes = []
        for j in range(1, m):
            cx, cy, cw, ch, area = cstats[j]
            if cw < min_cell or ch < min_cell // 2 or area < 0.5 * cw * ch:
                continue
            # the component touching the region's border is the outside, not a cell
            if cx == 0 or cy == 0 or cx + cw >= w or cy + ch >= h:
                continue
            boxes.append(CellBox(int(x + cx), int(y + cy), int(x + cx + cw), int(y + cy + ch)))
        # strokes of characters can enclose a small "cell" inside a real one: keep the outer
        boxes = [
            b
            for b in boxes
            if not any(o is not b and o.area > b.area and o.contains(*b.centre) for o in boxes)
        ]
        if boxes:
            if rules is not None:
                rules[y : y + h, x : x + w] |= region
            tables.append(TableBox(int(x), int(y), int(x + w), int(y + h), _rows(boxes)))
    return sorted(tables, key=lambda t: t.y0)


def _reach_frame(
    region: np.ndarray, horiz: np.ndarray, vert: np.ndarray, reach: int, gray: np.ndarray | None = None
) -> None:
    """Carry each rule that ends within ``reach`` px of the table's frame on to the frame.

    Where the outer border is lost (under a seal, faint), the frame is drawn at the table's
    bounding box; rules ending a few pixels short of it (skew, the seal) would leave a gap there
    through which the cells of a whole column join into one. ``gray`` (the table's part of the
    page): a horizontal rule ending further from the frame is carried on to it too where the
    page still shows a faint line all the way (a hairline rule photographed soft).
    """
    h, w = region.shape
    for r in np.flatnonzero(horiz.any(axis=1)):
        xs = np.flatnonzero(horiz[r])
        if 0 < xs[0] <= reach or (xs[0] > reach and _faint_to(gray, region, r, 0, xs[0])):
            region[r, : xs[0]] = 255
        if xs[-1] < w - 1 and (xs[-1] >= w - 1 - reach or _faint_to(gray, region, r, xs[-1] + 1, w)):
            region[r, xs[-1] :] = 255
    for c in np.flatnonzero(vert.any(axis=0)):
        ys = np.flatnonzero(vert[:, c])
        if 0 < ys[0] <= reach:
            region[: ys[0], c] = 255
        if ys[-1] < h - 1 and ys[-1] >= h - 1 - reach:
            region[ys[-1] :, c] = 255


def _faint_to(gray: np.ndarray | None, region: np.ndarray, r: int, x0: int, x1: int) -> bool:
    """Whether row ``r`` (or one next to it) of ``gray`` is a faint line from ``x0`` to ``x1``
    that the rule (another of its rows) does not reach along already."""
    if gray is None or not 9 <= r < gray.shape[0] - 10 or x1 - x0 < 2:
        return False
    if region[r - 3 : r + 4, x0:x1].any(axis=0).mean() > 0.5:
        return False  # a ragged row of a rule whose other rows run on
    return _faint_line(gray, range(r - 1, r + 2), x0, x1)[0] >= 0.9


def _rows(boxes: list[CellBox]) -> list[list[CellBox]]:
    """Group cells into rows by their top edge; a cell spanning rows belongs to its first row."""
    boxes = sorted(boxes, key=lambda b: (b.y0, b.x0))
    rows: list[list[CellBox]] = []
    for b in boxes:
        if rows and abs(b.y0 - rows[-1][0].y0) <= 4:
            rows[-1].append(b)
        else:
            rows.append([b])
    return [sorted(r, key=lambda b: b.x0) for r in rows]


TICK_FILL = 0.12  # share of a box's inside covered by ink above which it is ticked
CLEAR_EMPTY, CLEAR_TICKED = 0.04, 0.22  # clearly empty below, clearly ticked above


def tick_clarity(filled: float) -> float:
    """1.0 for a clearly empty or clearly marked box, falling to 0 at the ticked/empty threshold.

    >>> tick_clarity(0.0), tick_clarity(0.5), tick_clarity(0.12)
    (1.0, 1.0, 0.0)
    """
    if filled <= TICK_FILL:
        return round(min(1.0, (TICK_FILL - filled) / (TICK_FILL - CLEAR_EMPTY)), 3)
    return round(min(1.0, (filled - TICK_FILL) / (CLEAR_TICKED - TICK_FILL)), 3)


def _round_mark(comp: np.ndarray, ink: np.ndarray, dpi: int) -> float | None:
    """For a component shaped like ○, ◉ or ● (a ring or a disc, corners empty): the share of its
    middle (within half the radius) that is inked; None for any other shape.

    A mark that touched a rule comes out cut flat where the rule was taken away: the circle is
    then the one of its width, its centre a radius from the uncut side. A letter o is smaller
    than a 3.2 mm radio mark; a 0 or an O is taller than wide.
    """
    h, w = comp.shape
    if min(w, h) < dpi * 0.08 or abs(w - h) > max(2, 0.15 * max(w, h)) or not comp.any():
        return None
    r = max(w, h) / 2
    cx, cy = (w - 1) / 2, (h - 1) / 2
    if w - h >= 2:  # cut flat at the top or the bottom: the wider edge row is the cut
        cy = h - r - 0.5 if comp[0].sum() > comp[-1].sum() else r - 0.5
    elif h - w >= 2:
        cx = w - r - 0.5 if comp[:, 0].sum() > comp[:, -1].sum() else r - 0.5
    yy, xx = np.mgrid[0:h, 0:w]
    d = np.hypot(xx - cx, yy - cy) / r
    if (d[comp] > 1.12).mean() > 0.03:
        return None  # ink in the corners: a square or a character
    middle = d < 0.5
    fill = comp[d <= 1.0].mean()
    ring = (comp & (d >= 0.55)).sum() / comp.sum()
    solid = fill > 0.85
    if not solid and (ring < 0.7 or (comp & ~middle & (d < 0.55)).sum() > 0.1 * comp.sum()):
        return None  # neither a ring (ink at the rim, a mark at most in the middle) nor a disc
    if not solid and comp[(d > 0.65) & (d < 1.0)].mean() < 0.3:
        return None  # too little rim for a ring
    return float((ink[middle] > 0).mean())


def _ring_at(ink: np.ndarray, cx: float, cy: float, r: float) -> float | None:
    """The inked share of the middle of a ring of radius ``r`` centred at (cx, cy) when the ink
    there is one (its rim inked all round, paper just outside it on most sides), else None."""
    h, w = ink.shape
    angles = np.linspace(0, 2 * np.pi, 32, endpoint=False)
    rim = 0
    outside = 0
    for t in angles:
        c, s = np.cos(t), np.sin(t)
        hit = False
        for f in (0.7, 0.8, 0.9, 1.0):
            px, py = int(round(cx + f * r * c)), int(round(cy + f * r * s))
            if 0 <= px < w and 0 <= py < h and ink[py, px]:
                hit = True
                break
        rim += hit
        px, py = int(round(cx + 1.35 * r * c)), int(round(cy + 1.35 * r * s))
        outside += bool(0 <= px < w and 0 <= py < h and ink[py, px])
    if rim < 0.9 * len(angles) or outside > 0.35 * len(angles):
        return None
    yy, xx = np.mgrid[int(cy - r) : int(cy + r) + 1, int(cx - r) : int(cx + r) + 1]
    inside = np.hypot(xx - cx, yy - cy) < 0.45 * r
    yy, xx = yy[inside], xx[inside]
    ok = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
    middle = ink[yy[ok], xx[ok]] > 0
    if not middle.size:
        return None
    # a ring's inside between the rim and the middle is paper (a character's is not)
    yy, xx = np.mgrid[int(cy - r) : int(cy + r) + 1, int(cx - r) : int(cx + r) + 1]
    d = np.hypot(xx - cx, yy - cy)
    between = (d >= 0.45 * r) & (d < 0.6 * r) & (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
    gap = ink[yy[between], xx[between]] > 0
    filled = float(middle.mean())
    if filled < 0.9 and gap.size and gap.mean() > 0.15:
        return None
    return filled


def find_tick_boxes(
    gray: np.ndarray,
    dpi: int,
    region: tuple[int, int, int, int] | None = None,
    rules: np.ndarray | None = None,
) -> list[TickBox]:
    """Small printed squares (☐ ☑ ☒ ■) and round marks (○ ● ◉) in ``region`` (x0, y0, x1, y1)
    and whether each is ticked.

    A box is a component whose bounding square is outlined by ink on all four sides; it is ticked
    when its inside carries a mark. A round mark is a ring or a disc with empty corners; it is
    ticked when its middle is inked. OCR reads these glyphs badly (口, D, 回, O or nothing), the
    image does not. ``rules``: the page's ruling lines (:func:`line_masks`), taken out first so a
    mark touching the rule of a tight row stays a shape of its own.
    """
    x0, y0, x1, y1 = region or (0, 0, gray.shape[1], gray.shape[0])
    _, ink = cv2.threshold(gray[y0:y1, x0:x1], 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if rules is not None:
        ink &= ~rules[y0:y1, x0:x1]
    lo, hi = int(dpi * 0.07), int(dpi * 0.2)  # 1.8-5 mm: the size of a box glyph at 9-16 pt
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    found = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if dpi * 0.08 <= h <= hi and 1.3 * h < w <= 5 * h:
            # a radio mark set tight against its option's first character (or last) is one
            # component with it: look for a ring at either end
            for ex in sorted({x, max(x + h, x + w - h)} if w >= 2 * h else {x}):
                filled = _ring_at(ink, ex + (h - 1) / 2, y + (h - 1) / 2, h / 2)
                if filled is not None:
                    found.append(
                        TickBox(
                            int(x0 + ex),
                            int(y0 + y),
                            int(x0 + ex + h),
                            int(y0 + y + h),
                            filled > TICK_FILL,
                            tick_clarity(filled),
                            round=True,
                        )
                    )
            continue
        if not (lo <= w <= hi and lo <= h <= hi) or abs(w - h) > max(3, 0.2 * max(w, h)):
            continue
        comp = labels[y : y + h, x : x + w] == i
        round_mark = _round_mark(comp, ink[y : y + h, x : x + w], dpi)
        if round_mark is not None:
            found.append(
                TickBox(
                    int(x0 + x),
                    int(y0 + y),
                    int(x0 + x + w),
                    int(y0 + y + h),
                    round_mark > TICK_FILL,
                    tick_clarity(round_mark),
                    round=True,
                )
            )
            continue
        t = max(2, min(w, h) // 7)
        sides = [
            comp[:t].any(axis=0).mean(),
            comp[-t:].any(axis=0).mean(),
            comp[:, :t].any(axis=1).mean(),
            comp[:, -t:].any(axis=1).mean(),
        ]
        if min(sides) < 0.8:
            continue
        # the inside, the outline excluded; a tick may be a separate component, so use all ink
        m = max(t + 1, min(w, h) // 4)
        inner = ink[y + m : y + h - m, x + m : x + w - m]
        if inner.size == 0:
            continue
        # a character such as 口 or 回 is outlined too but thick-stroked: a box glyph's outline is thin
        stroke = comp[:t].sum() / max(1, w)
        if stroke > max(4, 0.25 * h):
            continue
        filled = float((inner > 0).mean())
        ticked = filled > TICK_FILL
        found.append(
            TickBox(int(x0 + x), int(y0 + y), int(x0 + x + w), int(y0 + y + h), ticked, tick_clarity(filled))
        )
    return sorted(found, key=lambda b: (b.y0 // max(1, hi), b.x0))
