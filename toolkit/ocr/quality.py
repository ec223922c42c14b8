"""How trustworthy one scanned page is, measured where the reader has its image: a page too
blurred, too specked or read too unsurely has every value read from it flagged for review
(``OCR-PAGE-QUALITY``, :func:`toolkit.ocr.verify.review_scan`), never passed on silently.

Measures (all scaled to the page's dpi, so a 300 dpi scan is judged as a 150 dpi one):

``edge``    sharpness: the strongest stroke edges of the text ink (90th percentile of the
            gradient across the ink's boundary, per pixel at 150 dpi), divided by the contrast
            between paper and ink. A sharp print is near 1; a blurred one drops towards 0.3.
``specks``  the specks and dust the reader took out, per 10,000 pixels at 150 dpi.
``weak``    the share of recognised characters scored below 0.8 (0 on a page with fewer than
            :data:`MIN_CHARS`).
``stroke``  how whole the strokes of the text are: the size (ink pixels at 150 dpi) of the
            connected piece of ink the median ink pixel belongs to. Whole characters are pieces of
            130-280 pixels; a black-and-white scan thresholded too light breaks them into dots
            and dashes of 30-90, which the recogniser reads confidently wrong (体 as 休, a 。 lost).

The thresholds live in ``toolkit/ocr/ocr.yaml`` (``page_quality``).
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

MIN_CHARS = 40


def measure(
    gray: np.ndarray, ink: np.ndarray, dust: np.ndarray, scores: list[float], dpi: int
) -> dict[str, float]:
    """The page's quality measures (see the module's doc). ``gray``: the levelled page before
    despeckling; ``ink``: its text ink (rules and specks out); ``dust``: the specks taken out."""
    s = dpi / 150
    out: dict[str, float] = {}
    on = ink > 0
    if cv2.countNonZero(ink) > 200:
        small = cv2.resize(gray, None, fx=1 / s, fy=1 / s, interpolation=cv2.INTER_AREA) if s > 1.05 else gray
        mask = (
            cv2.resize(ink, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_NEAREST)
            if s > 1.05
            else ink
        )
        edge = cv2.dilate(mask, np.ones((3, 3), np.uint8)) & ~cv2.erode(mask, np.ones((3, 3), np.uint8))
        f = small.astype(np.float32)
        gx = cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3) / 8
        gy = cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3) / 8
        mag = np.sqrt(gx * gx + gy * gy)[edge > 0]
        dark = float(np.percentile(gray[on], 10))
        paper = float(np.percentile(gray[~on], 60))
        contrast = max(paper - dark, 1.0)
        out["edge"] = round(float(np.percentile(mag, 90)) / contrast, 3) if mag.size else 1.0
    else:
        out["edge"] = 1.0
    out["stroke"] = _stroke(ink, s)
    area = gray.shape[0] * gray.shape[1] / (s * s)
    n = cv2.connectedComponents(dust.astype(np.uint8), connectivity=8)[0] - 1 if dust.any() else 0
    out["specks"] = round(n / area * 10_000, 3)
    # a page with few characters (a signature page) says little by its share of doubtful ones
    out["weak"] = (
        round(sum(1 for x in scores if x < 0.8) / len(scores), 3) if len(scores) >= MIN_CHARS else 0.0
    )
    return out


MIN_PIECES = 150  # fewer pieces of text ink (a signature page): the stroke measure says little


def _stroke(ink: np.ndarray, s: float) -> float:
    """The ``stroke`` measure (see the module's doc); 1000 on a page with little text."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    sizes = np.sort(stats[1:, cv2.CC_STAT_AREA].astype(np.float64) / (s * s))
    sizes = sizes[sizes >= 3]
    if sizes.size < MIN_PIECES:
        return 1000.0
    cum = np.cumsum(sizes)
    return round(float(sizes[np.searchsorted(cum, cum[-1] / 2)]), 1)


def poor(measures: dict[str, float], limits: dict[str, Any]) -> list[str]:
    """What makes the page too poor to trust its values (empty when it is good enough)."""
    why = []
    if measures.get("edge", 1.0) < limits["edge_below"]:
        why.append("字迹模糊")
    if measures.get("specks", 0.0) > limits["specks_above"]:
        why.append("污点过多")
    if measures.get("weak", 0.0) > limits["weak_above"]:
        why.append("识别不确定的字符过多")
    if measures.get("stroke", 1000.0) < limits.get("stroke_below", 0):
        why.append("字迹笔画断裂")
    if measures.get("rectify_doubt"):  # toolkit/ocr/rectify.py: a photo that may not be flat
        why.append("拍照页面未能可靠展平")
    return why
