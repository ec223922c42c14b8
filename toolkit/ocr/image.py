"""Page images: render a PDF page, estimate and undo its skew, find and mask red ink.

Every function takes and returns numpy arrays (RGB ``uint8`` or single-channel masks).
"""

from __future__ import annotations

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


def colourless(path: str | Path) -> bool:
    """Whether the scan's page images carry no colour at all (greyscale or black-and-white):
    then a red seal cannot be told from black ink, nor found, by its colour."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    grey = {pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_CALGRAY}
    doc = pdfium.PdfDocument(str(path))
    try:
        seen = False
        for page in doc:
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                meta = obj.get_metadata()
                seen = True
                if meta.colorspace not in grey and meta.bits_per_pixel != 1:
                    return False
            page.close()
        return seen
    finally:
        doc.close()


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark ink as 255 on 0, robust to grey paper and uneven scans (adaptive threshold)."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def rule_ink(gray: np.ndarray) -> np.ndarray:
    """Ink as :func:`ink_mask`, more lenient: a thin ruling line scanned faint stays whole where
    dense text crowds it (the larger window's mean is less raised by the text)."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 51, 10)


def estimate_skew(gray: np.ndarray) -> float:
    """Angle in degrees (counter-clockwise positive, as ``cv2.getRotationMatrix2D``) by which the
    page content is rotated, from the long near-horizontal ruling lines of its tables.

    A Hough transform over the long horizontal strokes, restricted to angles within 5 degrees of
    level (0.1 degree steps), votes for the lines; the vote-weighted median of the strong ones is
    robust to text baselines. Pages without ruling lines fall back to a projection profile.
    """
    ink = ink_mask(gray)
    h, w = ink.shape
    # keep only long horizontal strokes first: Hough on the whole page is slow and text-ridden
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (41, 1)))
    found = cv2.HoughLinesWithAccumulator(
        lines,
        1,
        np.pi / 1800,
        max(50, w // 4),
        min_theta=np.pi / 2 - np.radians(5),
        max_theta=np.pi / 2 + np.radians(5),
    )
    if found is not None and len(found) >= 2:
        found = found.reshape(-1, 3)
        angles = 90 - np.degrees(found[:, 1])  # theta of a level line is 90 degrees; y grows down
        votes = found[:, 2]
        strong = votes >= 0.5 * votes.max()
        a, wt = angles[strong], votes[strong]
        order = np.argsort(a)
        a, wt = a[order], wt[order]
        cum = np.cumsum(wt)
        return round(float(a[np.searchsorted(cum, cum[-1] / 2)]), 2)
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
    # the thin, blurred strokes of a seal come out pale pink, not saturated: red well above both
    # green and blue (paper, even under a warm light, and black ink are not)
    r = rgb[..., 0].astype(np.int16)
    pink = (r >= 100) & (r - np.maximum(rgb[..., 1], rgb[..., 2]).astype(np.int16) >= 40)
    return cv2.bitwise_or(cv2.bitwise_or(low, high), pink.astype(np.uint8) * 255)


def mask_red(rgb: np.ndarray) -> np.ndarray:
    """The image with red ink taken out, so a seal does not turn into junk characters.

    Seal ink multiplies with what is under it, and red ink barely darkens the red channel: under a
    seal, the red channel is the page as it was without it. So red pixels (and their pale fringe)
    take their red channel as grey, light greys going to white: black text and ruling lines under
    the seal stay, the seal goes.
    """
    mask = cv2.dilate(red_mask(rgb), np.ones((3, 3), np.uint8)) > 0
    under = rgb[..., 0]
    grey = np.where(under > 185, 255, under).astype(np.uint8)
    out = rgb.copy()
    out[mask] = grey[mask][:, None]
    return out


SPECK_AREA = 30  # ink pixels (at 150 dpi) a group of nearby specks holds at most


def specks(ink: np.ndarray, dpi: int) -> np.ndarray:
    """The scanner's specks and dust in an ink mask (ruling lines taken out first), as a bool mask.

    Ink is grouped by proximity (pieces within 4 px at 150 dpi are one group, as the strokes of a
    character are); a group holding less ink than a small character is a speck unless it sits on
    a text line between characters, on both sides and at its own height, as a decimal point, a
    ``、`` or a ``：`` does. Specks left at the end of a line or in a cell's blank would be read as
    trailing ``。`` ``.`` ``:`` and lower the line's confidence.
    """
    s = dpi / 150
    r = max(1, round(2 * s))
    near = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(near, connectivity=8)
    on = ink > 0
    total = np.bincount(lab[on], minlength=n)
    small = total <= SPECK_AREA * s * s
    small[0] = False
    if not small.any():
        return np.zeros(ink.shape, bool)
    tiny = on & small[lab]
    big = (on & ~tiny).astype(np.uint8)
    integral = cv2.integral(big, sdepth=cv2.CV_32S)  # (h+1, w+1)
    h, w = ink.shape
    char = dpi * 10.5 / 72
    ids = np.flatnonzero(small)
    x, y, bw, bh = (stats[ids, k] for k in range(4))
    cy = y + bh / 2
    ya = np.clip(np.round(cy - 0.15 * char), 0, h).astype(int)
    yb = np.clip(np.round(cy + 0.15 * char) + 1, 0, h).astype(int)

    def box(x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        x0, x1 = np.clip(x0, 0, w).astype(int), np.clip(x1, 0, w).astype(int)
        return integral[yb, x1] - integral[ya, x1] - integral[yb, x0] + integral[ya, x0]

    reach = 0.8 * char
    left = box(x - reach, x)
    right = box(x + bw, x + bw + reach)
    between = (left > 0) & (right > 0)
    # a sentence's last mark (。 set as a dot by some fonts): just after a character, at its
    # height, and larger than most specks
    after = (box(x - 0.6 * char, x) > 0) & (bw >= 3 * s) & (bh >= 3 * s)
    between |= after
    speck = np.zeros(n, bool)
    speck[ids[~between]] = True
    return on & speck[lab]


def without_specks(gray: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The page with the specks painted over by the paper around them."""
    if not mask.any():
        return gray
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    paper = cv2.medianBlur(gray, 9)
    out = gray.copy()
    out[grown] = paper[grown]
    return out
