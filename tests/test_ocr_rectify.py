"""A phone photo of a form is made a flat page before it is read (toolkit/ocr/rectify.py); a
flatbed scan goes through untouched; what rectification cannot vouch for is flagged. Table
header labels misread by a character are put back so a column is not lost (clean.snap_headers).

The photos are made by bench/scansim.py (perspective, uneven light, a shadow, the desk around the
page) from the project's own scans in samples/scans, whose true values are beside them.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.ocr

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "samples" / "scans"
sys.path.insert(0, str(ROOT / "bench"))


def _page(name: str, number: int = 1):
    from toolkit.ocr.image import render_pages

    return render_pages(SCANS / f"{name}.pdf", [number], 150)[0][1]


def _photo(rgb, seed: int):
    """``rgb`` photographed on a desk: the photo and the matrix taking the paper to it."""
    import numpy as np
    import scansim

    params = dataclasses.replace(scansim.draw("phone", seed), dpi=150)
    img, matrix = scansim.phone(rgb.astype(np.float32), params, np.random.default_rng(seed))
    return np.clip(img, 0, 255).astype(np.uint8), matrix


def test_flatbed_scan_left_as_it_is():
    from toolkit.ocr.rectify import rectify

    for name in ("gx-pass-scan", "gx-young-scan-grey", "lz-pass-scan"):
        rgb = _page(name)
        out = rectify(rgb, 150)
        assert not out.changed and out.image is rgb and not out.doubt, name


@pytest.mark.parametrize("seed", [3, 8])
def test_photo_paper_found_and_warped_flat(seed):
    import cv2
    import numpy as np

    from toolkit.ocr.rectify import rectify

    rgb = _page("gx-pass-scan")
    h, w = rgb.shape[:2]
    photo, matrix = _photo(rgb, seed)
    out = rectify(photo, 150)
    assert out.warped and out.flattened and not out.doubt
    # the corners found are the paper's, within 1% of its size
    truth = cv2.perspectiveTransform(np.float32([[[0, 0], [w, 0], [w, h], [0, h]]]), matrix)[0]
    assert np.abs(out.corners - truth).max() < 0.01 * max(w, h), (out.corners, truth)
    # an A4 page at 150 dpi, its paper white and even where the photo had light and shadow
    assert out.image.shape[:2] == (1754, 1240)
    gray = cv2.cvtColor(out.image, cv2.COLOR_RGB2GRAY)
    paper = gray[gray > 200]
    assert np.percentile(paper, 50) >= 240
    tiles = [gray[y : y + 200, x : x + 200] for y in (60, 800, 1490) for x in (60, 540, 980)]
    assert max(np.percentile(t, 90) for t in tiles) - min(np.percentile(t, 90) for t in tiles) < 12
    # the ruling lines lie as they did on the paper (the sample scan is a little askew itself)
    from toolkit.ocr.image import estimate_skew

    assert abs(estimate_skew(gray) - estimate_skew(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))) < 0.15


def test_photo_cut_off_is_doubted_and_flagged():
    """A photo that leaves out part of the page: rectification says it is not sure, and the
    page's values are flagged (OCR-PAGE-QUALITY) by the page-quality check."""
    from toolkit.ocr.quality import poor
    from toolkit.ocr.rectify import rectify

    photo, _ = _photo(_page("gx-pass-scan"), 3)
    h, w = photo.shape[:2]
    cut = photo[: int(h * 0.8)]  # the bottom of the page is not in the picture
    out = rectify(cut, 150)
    assert out.doubt
    assert poor({"rectify_doubt": 1.0}, {"edge_below": 0.28, "specks_above": 12.0, "weak_above": 0.2})


def test_phone_photo_read_right_or_flagged():
    """A phone photo of a sample scan read end to end: the values are right, or flagged."""
    import scansim
    from test_ocr import _flat

    from toolkit.ocr.reader import parse_scan
    from toolkit.record import load_record

    expected = load_record(SCANS / "gx-pass-scan.json")
    params = dataclasses.replace(scansim.draw("phone", 5), dpi=200, seals=(), signature=False)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "photo.pdf"
        scansim.simulate(SCANS / "gx-pass-scan.pdf", params, out, record=expected)
        result = parse_scan(out)
    assert result.form == expected["form"]
    want, got = _flat(expected), _flat(result.record)
    flagged = [p.field or "" for p in result.problems]
    right = [k for k, v in want.items() if got.get(k) == v]
    silent = [
        k
        for k, v in want.items()
        if got.get(k) != v and not any(k == f or k.startswith(f.rstrip("/") + "/") for f in flagged)
    ]
    assert not silent, [(k, want[k], got.get(k)) for k in silent]
    assert len(right) >= 0.9 * len(want), [(k, want[k], got.get(k)) for k in want if k not in right]


def test_header_labels_misread_are_snapped():
    """层级 read 蘑级 (one character off) or 展級 (two: known by its place between 单位类型 and
    所在地), 已参与 read 已參与: the columns are found again, so their values are kept."""
    from toolkit.forms import load_form
    from toolkit.ocr.clean import snap_headers
    from toolkit.read import Cell, Grid, Layout
    from toolkit.read.extract import extract

    def layout(labels: list[str]) -> Layout:
        head = [Cell(t, 0.99, 1, col=i) for i, t in enumerate(labels)]
        row = [
            Cell(t, 0.99, 1, col=i)
            for i, t in enumerate(
                [
                    "1",
                    "广西大学",
                    "12450100895559795Y",
                    "高等学校",
                    "核心层",
                    "南宁市西乡塘区",
                    "共建实验室",
                    "2",
                ]
            )
        ]
        return Layout(
            source="x.pdf",
            kind="scan",
            blocks=["柳州市市级创新联合体预申报表", Grid(rows=[head, row], page=1)],
        )

    form = "lz-preapply-2024"
    (members,) = [t for t in load_form(form).tables if t.id == "members"]
    base = [col.labels[0] for col in members.columns]  # 序号, 单位名称, … 已参与创新联合体数
    assert base[4] == "层级" and len(base) == 8
    for wrong in (
        {4: "蘑级"},
        {4: "展級"},
        {7: "已參与创新联合体数"},
        {7: "已参与创新联"},
        {4: "展級", 7: "已黎与创新联合体数"},
    ):
        labels = [wrong.get(i, t) for i, t in enumerate(base)]
        lay = layout(labels)
        assert snap_headers(lay, form) == len(wrong), wrong
        member = extract(lay, form).record["members"][0]
        assert member["layer"] == "核心层" and member["consortia_count"] == 2, (wrong, member)
    # a column the form does not have stays as it is (its values are not taken for another's)
    lay = layout([*base[:7], "备注"])
    assert snap_headers(lay, form) == 0
