"""A scanned page too poor to trust (issue 12): every value read from it is flagged for a look at
the paper (OCR-PAGE-QUALITY), so a wrong value on a blurred or specked page is never passed on
silently. The scans are made at test time by the bench's simulator (bench/scansim.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from test_scan_harsh import FORM, SRC, _judge, _scansim

from toolkit.record import load_record

pytestmark = pytest.mark.ocr


def _text_page(blur: float) -> tuple[np.ndarray, np.ndarray]:
    """A white page of dark printed text at 150 dpi, blurred by ``blur`` px; and its ink."""
    img = np.full((400, 900), 250, np.uint8)
    for k in range(8):
        cv2.putText(img, "Quality 12345 ABCDEF xyz", (20, 40 + 45 * k), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 30, 2)
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    from toolkit.ocr.image import ink_mask

    return img, ink_mask(img)


def test_sharpness_falls_with_blur_and_speck_density_is_counted():
    from toolkit.ocr.quality import measure, poor
    from toolkit.ocr.verify import settings

    sharp = measure(*_text_page(0), np.zeros((400, 900), bool), [0.99] * 50, 150)
    blurred = measure(*_text_page(1.6), np.zeros((400, 900), bool), [0.99] * 50, 150)
    assert blurred["edge"] < 0.75 * sharp["edge"]
    limits = settings()["page_quality"]
    assert poor(sharp, limits) == []
    assert "字迹模糊" in poor(blurred, limits)
    dust = np.zeros((400, 900), bool)
    dust[::10, ::12] = True  # a speck per 120 px
    specked = measure(*_text_page(0), dust, [0.99] * 50, 150)
    assert specked["specks"] > limits["specks_above"] and "污点过多" in poor(specked, limits)
    unsure = measure(*_text_page(0), np.zeros((400, 900), bool), [0.5] * 30 + [0.99] * 30, 150)
    assert "识别不确定的字符过多" in poor(unsure, limits)


def test_text_broken_into_dots_by_a_light_black_and_white_threshold_is_poor():
    from toolkit.ocr.quality import measure, poor
    from toolkit.ocr.verify import settings

    img, ink = _text_page(0)
    whole = measure(img, ink, np.zeros(ink.shape, bool), [0.99] * 50, 150)
    broken = img.copy()
    broken[::3, :] = 250  # every third row and column of the strokes lost to the threshold
    broken[:, ::3] = 250
    cut = measure(
        broken, np.where(broken < 128, 255, 0).astype(np.uint8), np.zeros(ink.shape, bool), [0.99] * 50, 150
    )
    limits = settings()["page_quality"]
    assert whole["stroke"] > limits["stroke_below"] and poor(whole, limits) == []
    assert cut["stroke"] < limits["stroke_below"] and "字迹笔画断裂" in poor(cut, limits)


@pytest.mark.parametrize("changes", [{"blur": 1.6}, {"specks": 1 / 200, "blur": 0.7}], ids=["blur", "specks"])
def test_a_poor_scans_wrong_values_are_all_flagged(tmp_path, changes):
    from toolkit.ocr.reader import parse_scan

    sim = _scansim()
    params = sim.ScanParams(dpi=150, jpeg=80, skew=0.8, seed=5, **changes)
    out = tmp_path / "poor.pdf"
    sim.simulate(SRC, params, out)
    result = parse_scan(out, FORM)
    right, caught, silent = _judge(result, load_record(SRC.with_name("gx-young.expected.json")))
    assert silent == [], f"wrong values not flagged: {silent}"
    gated = [p for p in result.problems if p.code == "OCR-PAGE-QUALITY"]
    assert gated and all(p.severity == "warning" for p in gated)
    assert len(right) > 20  # read, not refused: the flags are on values that were read


def test_a_renamed_column_whose_values_were_not_read_is_flagged():
    """The members table's header as scanned, with the 已参与创新联合体数 column titled otherwise
    on the paper: its values are not read, so each row's count is flagged, not silently empty."""
    from toolkit.forms import load_form
    from toolkit.ocr.verify import review_scan
    from toolkit.read import Cell, Grid, Layout
    from toolkit.read.extract import extract

    form = load_form(FORM)
    table = next(t for t in form.tables if t.pointer == "/members")
    cols = [c for c in table.columns if c.in_record]
    header = [Cell("序号", 0.99, 1)] + [
        Cell("参加联合体数量" if c.id == "consortia_count" else c.label, 0.99, 1) for c in cols
    ]
    sample = {"name": "广西某某科技有限公司", "consortia_count": "2"}
    rows = [
        [Cell(str(i + 1), 0.99, 1)]
        + [Cell(sample.get(c.id, "企业" if c.type == "choice" else ""), 0.99, 1) for c in cols]
        for i in range(2)
    ]
    layout = Layout(source="x.pdf", kind="scan", blocks=[Grid(rows=[header, *rows], page=1)])
    result = extract(layout, FORM)
    assert [m.get("name") for m in result.record["members"]] == ["广西某某科技有限公司"] * 2
    assert all("consortia_count" not in m for m in result.record["members"])
    flagged = {f.field for f in review_scan(result, layout)}
    assert {"/members/0/consortia_count", "/members/1/consortia_count"} <= flagged
    # the same table with the form's own title reads the counts, and flags none of them
    header[[c.id for c in cols].index("consortia_count") + 1] = Cell(
        next(c.label for c in cols if c.id == "consortia_count"), 0.99, 1
    )
    result = extract(layout, FORM)
    assert [m.get("consortia_count") for m in result.record["members"]] == [2, 2]
    assert not {f.field for f in review_scan(result, layout)} & {"/members/0/consortia_count"}
