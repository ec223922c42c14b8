"""Red seals are found on a page image; red that is not a seal is not."""

from __future__ import annotations

import sys

import numpy as np

from toolkit.ocr.image import mask_red
from toolkit.ocr.seals import find_seals

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "samples" / "make"))
import make_scans


def _page() -> np.ndarray:
    return np.full((1754, 1241, 3), 245, np.uint8)


def test_stamped_round_seal_is_found_with_page_centre_and_radius():
    rng = np.random.default_rng(7)
    img = make_scans.stamp_seal(_page(), (600, 900), 118, "柳州智驰底盘科技股份有限公司", rng)
    seals = find_seals(img, page=3, dpi=150)
    assert len(seals) == 1
    s = seals[0]
    assert s["page"] == 3
    assert abs(s["centre"][0] - 600 * 72 / 150) < 3 and abs(s["centre"][1] - 900 * 72 / 150) < 3
    assert abs(s["radius"] - 118 * 72 / 150) < 4


def test_red_bar_and_black_ring_are_not_seals():
    import cv2

    img = _page()
    cv2.rectangle(img, (100, 100), (700, 160), (220, 30, 30), -1)  # a red banner
    cv2.circle(img, (600, 900), 118, (20, 20, 20), 6)  # a black circle
    assert find_seals(img, page=1, dpi=150) == []


def test_masking_paints_the_seal_white_and_keeps_black_text():
    import cv2

    img = _page()
    cv2.putText(img, "86500", (520, 910), cv2.FONT_HERSHEY_SIMPLEX, 2, (10, 10, 10), 4)
    stamped = make_scans.stamp_seal(img, (600, 900), 118, "测试单位", np.random.default_rng(1))
    clean = mask_red(stamped)
    assert find_seals(clean, page=1, dpi=150) == []
    dark = (img.mean(axis=2) < 60).sum()
    assert (clean.mean(axis=2) < 60).sum() >= 0.9 * dark
