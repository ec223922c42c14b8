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
        if hull_area < 0.7 * np.pi * r * r:  # not round enough: a red line or a scribble
            continue
        shape = "circle"
        if len(c) >= 5:
            (ex, ey), (a, b), _ = cv2.fitEllipse(c)
            if min(a, b) / max(a, b) < 0.85:
                shape = "ellipse"
        if _ring_coverage(mask, cx, cy, r) < 0.6:  # a seal has a ring all round
            continue
        fill = cv2.countNonZero(_disc(mask.shape, cx, cy, r) & mask) / (np.pi * r * r)
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
    hits = 0
    h, w = mask.shape
    for t in np.linspace(0, 2 * np.pi, 72, endpoint=False):
        for f in np.linspace(0.82, 1.0, 6):
            x, y = int(cx + f * r * np.cos(t)), int(cy + f * r * np.sin(t))
            if 0 <= x < w and 0 <= y < h and mask[y, x]:
                hits += 1
                break
    return hits / 72
