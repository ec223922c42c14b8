"""Red seals on a scanned page: two-band red mask, contours, circle/ellipse fit, area and fill checks.

A seal is reported as ``{"page": 3, "centre": [x, y], "radius": r, "shape": "circle"}`` with
coordinates in PDF points (1/72 inch) from the top-left corner of the page as scanned.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from .image import red_mask

MIN_RADIUS_MM = 12  # a round official seal is 38-45 mm across; private seals 20 mm and more
MAX_RADIUS_MM = 35


def find_seals(rgb: np.ndarray, page: int, dpi: int) -> list[dict[str, Any]]:
    """Every round or oval red seal on the page image."""
    px_per_mm = dpi / 25.4
    mask = red_mask(rgb)
    if cv2.countNonZero(mask) < (MIN_RADIUS_MM * px_per_mm) ** 2 * 0.1:
        return []
    # join the ring, the text and the star of one seal into one blob
    k = max(3, int(1.5 * px_per_mm)) | 1
    joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    seals = []
    scale = 72 / dpi
    for c in contours:
        (cx, cy), r = cv2.minEnclosingCircle(c)
        if not MIN_RADIUS_MM * px_per_mm <= r <= MAX_RADIUS_MM * px_per_mm:
            continue
        hull_area = cv2.contourArea(cv2.convexHull(c))
        # (a seal stamped over the page's edge: only the part of its circle on the page counts)
        on_page = cv2.countNonZero(_disc(mask.shape, cx, cy, r))
        if hull_area < 0.7 * on_page:  # not round enough: a red line or a scribble
            continue
        shape = "circle"
        if len(c) >= 5:
            (ex, ey), (a, b), _ = cv2.fitEllipse(c)
            if min(a, b) / max(a, b) < 0.85:
                shape = "ellipse"
        if _ring_coverage(mask, cx, cy, r) < 0.6:  # a seal has a ring all round
            continue
        fill = cv2.countNonZero(_disc(mask.shape, cx, cy, r) & mask) / max(on_page, 1)
        if not 0.05 <= fill <= 0.8:  # a solid red blob is not a seal
            continue
        seals.append(
            {
                "page": page,
                "centre": [round(cx * scale, 1), round(cy * scale, 1)],
                "radius": round(r * scale, 1),
                "shape": shape,
            }
        )
    return sorted(seals, key=lambda s: (s["centre"][1], s["centre"][0]))


def _disc(shape: tuple[int, ...], cx: float, cy: float, r: float) -> np.ndarray:
    disc = np.zeros(shape[:2], np.uint8)
    cv2.circle(disc, (int(cx), int(cy)), int(r), 255, -1)
    return disc


def _ring_coverage(mask: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Share of the 72 directions from the centre that meet red ink in the outer tenth of the radius."""
    return _ring_share(mask, cx, cy, [f * r for f in np.linspace(0.82, 1.0, 6)], 72)


def _ring_share(mask: np.ndarray, cx: float, cy: float, radii: list[float], directions: int) -> float:
    """Share of ``directions`` rays from the centre that meet ink at one of ``radii``."""
    h, w = mask.shape
    t = np.linspace(0, 2 * np.pi, directions, endpoint=False)
    cos, sin = np.cos(t), np.sin(t)
    hit = np.zeros(directions, bool)
    for r in radii:
        x, y = (cx + r * cos).astype(int), (cy + r * sin).astype(int)
        inside = (x >= 0) & (x < w) & (y >= 0) & (y < h)
        hit[inside] |= mask[y[inside], x[inside]] > 0
    return float(hit.mean())


GREY_MIN_RADIUS_MM = 16  # official round seals only (38-45 mm across): in grey, nothing else is asked
GREY_MAX_RADIUS_MM = 24
GREY_RING = 0.85  # share of directions that must meet the ring's thin line


def find_grey_seals(
    gray: np.ndarray, page: int, dpi: int, ink: np.ndarray | None = None
) -> list[dict[str, Any]]:
    """Round official seals on a greyscale page, where red cannot be told from black: a circle
    of the right size whose thin outer line is there almost all round (text, tables and other
    marks never are)."""
    from .image import ink_mask

    px_per_mm = dpi / 25.4
    ink = ink_mask(gray) if ink is None else ink
    r_min, r_max = int(GREY_MIN_RADIUS_MM * px_per_mm), int(GREY_MAX_RADIUS_MM * px_per_mm)
    # candidates on the page at half size (four times fewer pixels to vote), checked at full size
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    circles = cv2.HoughCircles(
        cv2.medianBlur(small, 3),
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=r_min,
        param1=120,
        param2=30,
        minRadius=r_min // 2,
        maxRadius=r_max // 2 + 1,
    )
    if circles is None:
        return []
    circles = circles * 2
    seals = []
    scale = 72 / dpi
    for cx, cy, r in circles[0]:
        best = max((_thin_ring(ink, cx, cy, r + d), r + d) for d in range(-6, 7, 2))
        if best[0] < GREY_RING:
            continue
        r = best[1]
        if any(
            abs(cx * scale - s["centre"][0]) < r * scale and abs(cy * scale - s["centre"][1]) < r * scale
            for s in seals
        ):
            continue
        seals.append(
            {
                "page": page,
                "centre": [round(float(cx) * scale, 1), round(float(cy) * scale, 1)],
                "radius": round(float(r) * scale, 1),
                "shape": "circle",
                "grey": True,
            }
        )
    return sorted(seals, key=lambda s: (s["centre"][1], s["centre"][0]))


def _thin_ring(ink: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Share of 180 directions meeting ink within 2 px of radius ``r``."""
    return _ring_share(ink, cx, cy, [r + d for d in (-2, -1, 0, 1, 2)], 180)
