"""A phone photo of a page made flat: the paper found on the desk and warped to a level A4 page,
its uneven light and shadow divided out.

:func:`rectify` looks at a small copy of the page image only (a few milliseconds): a flatbed scan
(paper to every edge, even light) comes back untouched, as it came. A photo:

1. the paper's four edges: walking in from each side of the image along every row (column), the
   first step up from the darker desk to the paper, sharp (a shadow's edge is soft) and lasting
   (paper stays brighter than the desk behind it, a speck on the desk does not); a straight line
   fitted to each side's steps (RANSAC, so a step found on a table's rule or a shadow is left
   out); the corners where the lines meet;
2. a perspective warp of the quadrilateral onto an A4 page at the reading dpi (the measured
   shape when it is clearly not A4);
3. the light: each channel divided by its background (the paper's brightness, estimated by
   closing the ink away at a low resolution), so the paper is white everywhere and the ink keeps
   its contrast in the shadow as in the light; the colour cast goes with it, a red seal stays red.

Whether the result can be trusted is measured, never assumed: each side's line must be carried
by most of its length, lie straight, and the four meet in a convex page of a sensible shape.
When they do not, :attr:`Rectified.doubt` says why: the page is still read as well as it can be,
and every value read from it is flagged for review (``OCR-PAGE-QUALITY``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

A4 = 297 / 210  # height over width of an A4 page
SMALL = 640  # the longest side of the copy the paper's edges are looked for in (px)
STEP = 0.22  # a step up in log brightness (x1.25) from desk to paper, at least
REACH = 0.3  # how far in from each side of the image the paper's edge is looked for (share)
EVEN = 1.12  # light varying less than this (brightest paper over darkest) is left as it is
BORDER_DARK = 0.85
# light dimmed to 1/1.1 of the paper's best or more is divided out as it is; dimmed to 1/1.7 or
# less, the page is smoothed first (its noise doubled by the division would be read as specks)
DIM = (1.1, 1.7)
# light below this share of the page's best: the recogniser misreads characters there with full
# confidence (底 read 感 at 0.9997 in a shadow at 0.5), so what is read there is flagged
DIM_READ = 0.6  # a border darker than this share of the paper's brightness is no paper


@dataclass
class Rectified:
    """What :func:`rectify` did to a page image."""

    image: np.ndarray  # the page, flat (the input itself when nothing was done)
    corners: np.ndarray | None = None  # the paper's corners in the input image (tl, tr, br, bl)
    flattened: bool = False  # the light was evened out
    doubt: list[str] = field(default_factory=list)  # why the result may be wrong (Chinese)
    # the light the paper had, per pixel of ``image``, over the page's best (1: well lit; 0.5: a
    # shadow that halved it); None when the light was left as it was
    light: np.ndarray | None = None

    def dim(self, box: tuple[int, int, int, int]) -> bool:
        """Whether any of the box ``(x0, y0, x1, y1)`` (pixels of ``image``) was in the dim light
        (:data:`DIM_READ`) where the recogniser misreads characters with full confidence."""
        if self.light is None:
            return False
        x0, y0, x1, y1 = (max(0, int(v)) for v in box)
        part = self.light[y0:y1, x0:x1]
        return bool(part.size) and float(part.min()) < DIM_READ

    @property
    def warped(self) -> bool:
        return self.corners is not None

    @property
    def changed(self) -> bool:
        return self.warped or self.flattened


def rectify(rgb: np.ndarray, dpi: int) -> Rectified:
    """The page image ``rgb`` (RGB or grey ``uint8``) made flat when it is a photo (see the
    module's doc); ``dpi``: the resolution the page is read at, which the warped page is drawn at."""
    gray = rgb if rgb.ndim == 2 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    f = max(1, -(-max(h, w) // SMALL))  # a whole factor: the quick way to shrink
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    s = small.shape[1] / w
    if not _dark_border(small):
        # paper to the edges: a scan, or a photo cropped to the page; only its light may need help
        if not _uneven(cv2.resize(small, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), dpi * s / 2):
            return Rectified(rgb)
        page, light = _flatten(rgb, dpi)
        return Rectified(page, flattened=True, light=light)
    quad, doubt = find_paper(small)
    if quad is None:
        page, light = _flatten(rgb, dpi)
        return Rectified(page, flattened=True, doubt=doubt or ["未找到纸张边缘"], light=light)
    corners = quad / s
    page, light = _flatten(warp(rgb, corners, dpi), dpi)
    # the paper's very edge (and a sliver of desk where a corner is off by a pixel or two) would
    # frame the page like a table's rule: a printed form keeps 15 mm or more of margin, so the
    # outer 4 mm are paper
    m = round(4 / 25.4 * dpi)
    page[:m], page[-m:], page[:, :m], page[:, -m:] = 255, 255, 255, 255
    return Rectified(page, corners, True, doubt, light)


def _dark_border(small: np.ndarray) -> bool:
    """Whether a good part of the image's border is much darker than its paper: a desk (or the
    scanner's lid) around the page."""
    h, w = small.shape
    paper = float(np.percentile(small[::3, ::3], 90))
    if paper < 40:
        return False
    b = max(2, round(0.015 * max(h, w)))
    ring = np.concatenate(
        [small[:b].ravel(), small[-b:].ravel(), small[:, :b].ravel(), small[:, -b:].ravel()]
    )
    return float((ring < BORDER_DARK * paper).mean()) > 0.5


def _edge_points(img: np.ndarray) -> np.ndarray:
    """For each row of ``img`` (log brightness), where the paper starts walking in from the left:
    the first sharp, lasting step up; -1 where there is none within :data:`REACH`."""
    h, w = img.shape
    reach = max(8, int(REACH * w))
    k = 4  # window either side of the step (px of the small image)
    a = img[:, : reach + 2 * k + 20].astype(np.float64)
    width = a.shape[1]
    c = np.concatenate([np.zeros((h, 1)), np.cumsum(a, axis=1)], axis=1)
    p = np.arange(k + 1, min(reach, width - 3 * k - 1))
    if p.size == 0:
        return np.full(h, -1.0)
    after = (c[:, p + 1 + k] - c[:, p + 1]) / k  # a[p+1 .. p+k]
    before = (c[:, p - 1] - c[:, p - 1 - k]) / k  # a[p-1-k .. p-2]
    lasting = (c[:, p + 1 + 3 * k] - c[:, p + 1]) / (3 * k)  # the paper a little further in
    behind = c[:, p - 1] / (p - 1)  # everything from the image's edge to the step
    step = (after - before >= STEP) & (lasting - behind >= STEP) & (lasting - before >= 0.7 * STEP)
    found = step.any(axis=1)
    first = np.argmax(step, axis=1)
    out = np.full(h, -1.0)
    rows = np.flatnonzero(found)
    # the steepest point of the step, near the first place it qualifies
    for r in rows:
        i = first[r]
        lo, hi = max(0, i - 2), min(len(p), i + k)
        diff = a[r, p[lo:hi] + 1] - a[r, p[lo:hi] - 1]
        out[r] = float(p[lo + int(np.argmax(diff))])
    return out


def _fit(
    pos: np.ndarray, rng: np.random.Generator, tol: float = 1.5
) -> tuple[float, float, np.ndarray] | None:
    """A straight line ``pos = a * t + b`` through most of the points (``pos[t] >= 0``), by RANSAC
    and least squares on its inliers; with the inliers' mask."""
    t = np.flatnonzero(pos >= 0)
    if t.size < 10:
        return None
    y = pos[t]
    best = None
    for _ in range(150):
        i, j = rng.choice(t.size, 2, replace=False)
        if t[i] == t[j]:
            continue
        a = (y[j] - y[i]) / (t[j] - t[i])
        b = y[i] - a * t[i]
        inl = np.abs(a * t + b - y) <= tol
        if best is None or inl.sum() > best.sum():
            best = inl
    if best is None or best.sum() < 10:
        return None
    a, b = np.polyfit(t[best], y[best], 1)
    inl = np.abs(a * t + b - y) <= tol
    a, b = np.polyfit(t[inl], y[inl], 1)
    mask = np.zeros(pos.size, bool)
    mask[t[inl]] = True
    return float(a), float(b), mask


def find_paper(small: np.ndarray) -> tuple[np.ndarray | None, list[str]]:
    """The paper's corners (tl, tr, br, bl; x, y in ``small``'s pixels) and what makes them
    doubtful (empty when nothing does); None when no page can be made out at all."""
    h, w = small.shape
    img = np.log1p(cv2.medianBlur(small, 3).astype(np.float32))
    rng = np.random.default_rng(0)
    # every side seen as the left one: (view, how a fitted point maps back)
    views = {
        "left": img,
        "right": img[:, ::-1],
        "top": img.T,
        "bottom": img[::-1].T,
    }
    lines: dict[str, tuple[float, float, np.ndarray]] = {}
    for name, view in views.items():
        fitted = _fit(_edge_points(np.ascontiguousarray(view)), rng)
        if fitted is not None:
            lines[name] = fitted
    if len(lines) < 3:
        return None, ["未找到纸张边缘"] if lines else []
    doubt: list[str] = []
    # a side not found: the page runs off the image there; its edge is taken as the image's
    for name in set(views) - set(lines):
        span = h if name in ("left", "right") else w
        lines[name] = (0.0, 0.0, np.zeros(span, bool))
        doubt.append("纸张有一边超出画面")

    def as_xy(name: str) -> tuple[np.ndarray, float]:
        """The side's line as (n, c) with n . (x, y) = c."""
        a, b, _ = lines[name]
        if name == "left":  # x = a y + b
            return np.array([1.0, -a]), b
        if name == "right":  # w-1-x = a y + b
            return np.array([-1.0, -a]), b - (w - 1)
        if name == "top":  # y = a x + b
            return np.array([-a, 1.0]), b
        return np.array([-a, -1.0]), b - (h - 1)  # h-1-y = a x + b

    def meet(p: str, q: str) -> np.ndarray:
        (n1, c1), (n2, c2) = as_xy(p), as_xy(q)
        return np.linalg.solve(np.array([n1, n2]), np.array([c1, c2]))

    try:
        quad = np.array(
            [meet("top", "left"), meet("top", "right"), meet("bottom", "right"), meet("bottom", "left")],
            np.float64,
        )
    except np.linalg.LinAlgError:
        return None, ["未找到纸张边缘"]
    # each side must be carried by most of its length between its corners
    spans = {
        "left": (quad[0, 1], quad[3, 1]),
        "right": (quad[1, 1], quad[2, 1]),
        "top": (quad[0, 0], quad[1, 0]),
        "bottom": (quad[3, 0], quad[2, 0]),
    }
    for name, (lo, hi) in spans.items():
        mask = lines[name][2]
        if not mask.any():
            continue
        idx = np.arange(mask.size)  # t runs along y (left, right) or x (top, bottom) in every view
        lo, hi = sorted((max(0.0, lo), min(mask.size - 1.0, hi)))
        inside = (idx >= lo + 3) & (idx <= hi - 3)
        carried = float(mask[inside].mean()) if inside.any() else 0.0
        if carried < 0.6:
            doubt.append("纸张边缘不清")
            break
    if not _sensible(quad, w, h):
        return None, ["未找到纸张边缘"]
    ratio = _ratio(quad)
    if min(abs(ratio - A4), abs(ratio - 1 / A4)) > 0.12 * A4:
        doubt.append("纸张形状不像 A4")
    return quad, sorted(set(doubt))


def _sensible(quad: np.ndarray, w: int, h: int) -> bool:
    """A convex quadrilateral, mostly within the image, covering a good part of it."""
    if not cv2.isContourConvex(quad.astype(np.float32).reshape(-1, 1, 2)):
        return False
    area = cv2.contourArea(quad.astype(np.float32))
    if area < 0.3 * w * h:
        return False
    margin = 0.08 * max(w, h)
    return bool(((quad[:, 0] > -margin) & (quad[:, 0] < w + margin)).all()) and bool(
        ((quad[:, 1] > -margin) & (quad[:, 1] < h + margin)).all()
    )


def _ratio(quad: np.ndarray) -> float:
    """Height over width of the paper, from its sides' mean lengths."""
    top = np.linalg.norm(quad[1] - quad[0])
    bottom = np.linalg.norm(quad[2] - quad[3])
    left = np.linalg.norm(quad[3] - quad[0])
    right = np.linalg.norm(quad[2] - quad[1])
    return float((left + right) / max(top + bottom, 1e-9))


def page_size(quad: np.ndarray, dpi: int) -> tuple[int, int]:
    """(width, height) in pixels of the page the quadrilateral is warped onto: A4 at ``dpi``
    (portrait or landscape) when its shape is near A4, else its own shape at A4's width."""
    ratio = _ratio(quad)
    short, long_ = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    if abs(ratio - A4) <= 0.12 * A4:
        return short, long_
    if abs(ratio - 1 / A4) <= 0.12 / A4:
        return long_, short
    return short, round(short * ratio)


def warp(rgb: np.ndarray, corners: np.ndarray, dpi: int) -> np.ndarray:
    """The quadrilateral ``corners`` (tl, tr, br, bl) of ``rgb`` as a flat page at ``dpi``."""
    pw, ph = page_size(corners, dpi)
    dst = np.float32([[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]])
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    border = (255, 255, 255) if rgb.ndim == 3 else 255
    # (bicubic: a thin rule blurred by the photo stays dark enough to be found whole)
    return cv2.warpPerspective(rgb, m, (pw, ph), flags=cv2.INTER_CUBIC, borderValue=border)


def _background(channel: np.ndarray, dpi: float, f: float = 0.25) -> np.ndarray:
    """The paper's brightness under ``channel`` (at ``dpi``), at its size: the ink closed away
    at the resolution ``f`` times its own (a kernel wider than any stroke of a title), smoothed."""
    h, w = channel.shape
    small = channel
    if f < 1:
        small = cv2.resize(
            channel, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA
        )
    k = max(5, round(dpi * 0.25 * f)) | 1  # 6 mm
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    bg = cv2.GaussianBlur(bg.astype(np.float32), (0, 0), k / 2)
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR) if f < 1 else bg


def _uneven(small: np.ndarray, dpi: float) -> bool:
    """Whether the light on the page (``small``: the page at ``dpi``) varies by :data:`EVEN` or
    more, its margins aside."""
    bg = _background(small, dpi, 1.0)
    h, w = bg.shape
    inner = bg[h // 20 : h - h // 20, w // 20 : w - w // 20]
    lo, hi = np.percentile(inner[::2, ::2], (2, 98))
    return bool(hi / max(lo, 1.0) >= EVEN)


def _flatten(img: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """The image with its light evened out: each channel over its background, so the paper comes
    out white (250) and the ink as dark against it as where the light is good; and the light
    (the first channel's background over its 95th percentile).

    Dividing by a dim background amplifies the sensor's noise with the ink (twice in a shadow
    that halves the light), and the noise would come out as specks: where the light was dim the
    page is smoothed first, in proportion (:data:`DIM`)."""
    channels = [img] if img.ndim == 2 else [img[..., i] for i in range(3)]
    soft = cv2.GaussianBlur(img, (0, 0), dpi / 150)
    out = []
    weight = light = None
    for i, ch in enumerate(channels):
        bg = np.maximum(_background(ch, dpi), 1.0)
        gain = 250.0 / bg
        if weight is None:  # from the first channel (red, or grey): the light, not the ink's colour
            weight = np.clip((gain - DIM[0]) / (DIM[1] - DIM[0]), 0.0, 1.0)
            light = bg / max(float(np.percentile(bg[::4, ::4], 95)), 1.0)
        sharp = ch.astype(np.float32) * gain
        smooth = (soft if img.ndim == 2 else soft[..., i]).astype(np.float32) * gain
        out.append(np.clip(sharp + weight * (smooth - sharp), 0, 255).astype(np.uint8))
    page = out[0] if img.ndim == 2 else np.ascontiguousarray(np.stack(out, axis=2))
    return page, light  # type: ignore[return-value]
