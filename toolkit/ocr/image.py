"""Page images: render a PDF page, estimate and undo its skew, find and mask red ink.

Every function takes and returns numpy arrays (RGB ``uint8`` or single-channel masks).
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np

DPI = 150  # the resolution scans are read at (150-200 dpi: enough for 五号 characters)


def render_pages(
    path: str | Path, pages: list[int] | None = None, dpi: int = DPI
) -> list[tuple[int, np.ndarray]]:
    """``(page number, RGB image)`` for the 1-based ``pages`` of a PDF (all when None)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        numbers = pages or list(range(1, len(doc) + 1))
        out = []
        for n in numbers:
            page = doc[n - 1]
            bitmap = page.render(scale=dpi / 72)
            out.append(
                (
                    n,
                    np.ascontiguousarray(bitmap.to_numpy()[..., :3][..., ::-1])
                    if bitmap.mode == "BGR"
                    else np.asarray(bitmap.to_pil().convert("RGB")),
                )
            )
            page.close()
        return out
    finally:
        doc.close()


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark ink as 255 on 0, robust to grey paper and uneven scans (adaptive threshold)."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def estimate_skew(gray: np.ndarray) -> float:
    """Angle in degrees (counter-clockwise positive, as ``cv2.getRotationMatrix2D``) by which the
    page content is rotated, from the long near-horizontal ruling lines of its tables.

    Hough segments give the angle of each table line; their length-weighted median is robust to
    text baselines. Pages without ruling lines fall back to a projection profile of the text.
    """
    ink = ink_mask(gray)
    h, w = ink.shape
    # keep only long horizontal strokes first: Hough on the whole page is slow and text-ridden
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (41, 1)))
    segs = cv2.HoughLinesP(lines, 1, np.pi / 1800, threshold=200, minLineLength=w // 4, maxLineGap=6)
    angles, weights = [], []
    if segs is not None:
        for x1, y1, x2, y2 in segs.reshape(-1, 4).tolist():
            dx, dy = x2 - x1, y2 - y1
            if dx == 0:
                continue
            a = math.degrees(math.atan2(dy, dx))
            if abs(a) < 5:
                angles.append(-a)  # image y grows downwards
                weights.append(math.hypot(dx, dy))
    if len(angles) >= 2:
        order = np.argsort(angles)
        a, wt = np.asarray(angles)[order], np.asarray(weights)[order]
        cum = np.cumsum(wt)
        return float(a[np.searchsorted(cum, cum[-1] / 2)])
    return _projection_skew(ink)


def _projection_skew(ink: np.ndarray) -> float:
    small = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    best, best_score = 0.0, -1.0
    for step, span in ((0.25, 3.0), (0.05, 0.3)):
        centre = best
        for a in np.arange(centre - span, centre + span + 1e-9, step):
            m = cv2.getRotationMatrix2D((w / 2, h / 2), -a, 1.0)
            rows = cv2.warpAffine(small, m, (w, h)).sum(axis=1, dtype=np.float64)
            score = float(np.var(rows))
            if score > best_score:
                best, best_score = float(a), score
    return best


def rotate(img: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``-angle`` degrees about the centre, so content skewed by ``angle`` comes out level."""
    if abs(angle) < 0.02:
        return img
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    border = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def red_mask(rgb: np.ndarray) -> np.ndarray:
    """Red ink (seals, red stamps) as 255 on 0: the two bands of red hue in HSV, saturated enough."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    low = cv2.inRange(hsv, (0, 70, 60), (10, 255, 255))
    high = cv2.inRange(hsv, (160, 70, 60), (180, 255, 255))
    return cv2.bitwise_or(low, high)


def mask_red(rgb: np.ndarray) -> np.ndarray:
    """The image with red ink painted white, so a seal does not turn into junk characters.

    Black text under a seal stays: it is dark, not red.
    """
    mask = cv2.dilate(red_mask(rgb), np.ones((3, 3), np.uint8))
    out = rgb.copy()
    out[mask > 0] = 255
    return out
