"""A bureau receives the stamped paper form as a scan: ictk reads it offline into the same record
as the Word file, finds the seal, and flags what it could not read with confidence.

The scans in ``samples/scans`` were made by ``samples/make/make_scans.py`` from LibreOffice PDFs of
the filled samples: rendered at 150 dpi, rotated, blurred, noised, stamped (or not).
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.record import load_record, to_jsonable

pytestmark = pytest.mark.ocr

SCANS = Path(__file__).resolve().parents[1] / "samples" / "scans"
MANIFEST = json.loads((SCANS / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def parsed():
    """Each scan parsed once for the whole session (the OCR engine is created once, too)."""
    from toolkit.ocr.reader import parse_scan

    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = parse_scan(SCANS / f"{name}.pdf")
        return cache[name]

    return get


def _flat(node, prefix=""):
    if isinstance(node, dict):
        return {k: v for key, val in node.items() for k, v in _flat(val, f"{prefix}/{key}").items()}
    if isinstance(node, list):
        return {k: v for i, val in enumerate(node) for k, v in _flat(val, f"{prefix}/{i}").items()}
    return {prefix: node}


def _wrong(result, name):
    expected = _flat(to_jsonable(load_record(SCANS / f"{name}.json")))
    got = _flat(to_jsonable(result.record))
    return expected, {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_scan_reads_its_expected_record(parsed, name):
    result = parsed(name)
    expected, wrong = _wrong(result, name)
    share = 1 - len(wrong) / len(expected)
    assert result.kind == "scan"
    assert share >= 0.95, f"{name}: {share:.1%} of {len(expected)} values right; wrong: {wrong}"


@pytest.mark.parametrize("name", sorted(n for n, m in MANIFEST.items() if m["seals"]))
def test_seal_found_on_its_page(parsed, name):
    result = parsed(name)
    assert_seals_where_stamped(result.seals, MANIFEST[name]["seals"])


def assert_seals_where_stamped(found: list[dict], stamped: list[dict]) -> None:
    assert [s["page"] for s in found] == [s["page"] for s in stamped]
    for got, made in zip(found, stamped, strict=True):
        # the maker's centre is in 150-dpi pixels before the page was rotated by up to 2 degrees
        assert abs(got["centre"][0] - made["centre"][0] * 72 / 150) < 25
        assert abs(got["centre"][1] - made["centre"][1] * 72 / 150) < 25
        assert abs(got["radius"] - made["radius"] * 72 / 150) < 6


def test_the_sample_scans_cover_several_producers_and_seal_places():
    places = {s.get("place") for m in MANIFEST.values() for s in m["seals"]}
    assert {"signature", "table", "first-page"} <= places
    assert any(s.get("faint") for m in MANIFEST.values() for s in m["seals"])
    assert len([n for n, m in MANIFEST.items() if not m["seals"]]) >= 2
    assert len({m.get("source", "clean") for m in MANIFEST.values()}) >= 6


@pytest.mark.parametrize("name", sorted(n for n, m in MANIFEST.items() if not m["seals"]))
def test_scan_without_seal_has_no_seals(parsed, name):
    assert parsed(name).seals == []


def test_a_greyscale_scan_finds_its_seal_by_its_shape(parsed):
    result = parsed("gx-young-scan-grey")
    assert result.colourless
    assert [(s["page"], s.get("grey")) for s in result.seals] == [(2, True)]


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_every_sample_seal_is_found_by_shape_once_its_colour_is_gone(name):
    """The shape alone, on each page of every sample scan turned grey: each seal found where it
    was stamped (faint ones included), nothing found on a page without one."""
    import cv2

    from toolkit.ocr.image import render_pages
    from toolkit.ocr.seals import find_grey_seals

    found = []
    for number, rgb in render_pages(SCANS / f"{name}.pdf"):
        found += find_grey_seals(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), number, 150)
    assert_seals_where_stamped(found, MANIFEST[name]["seals"])


def test_a_greyscale_scan_without_a_seal_asks_for_a_look_instead_of_failing(tmp_path):
    """No red to find and no round seal either: not 'no seal' (an error), since an oval or faint
    seal may be there, but a warning to check the paper; a colour scan without one is an error."""
    import io

    import img2pdf
    from PIL import Image

    from toolkit.check import check_file
    from toolkit.ocr.image import render_pages

    pages = []
    for _, rgb in render_pages(SCANS / "lz-pass-scan-noseal.pdf"):
        buf = io.BytesIO()
        Image.fromarray(rgb).convert("L").save(buf, format="JPEG", quality=85, dpi=(150, 150))
        pages.append(buf.getvalue())
    grey = tmp_path / "grey.pdf"
    grey.write_bytes(img2pdf.convert(pages, layout_fun=img2pdf.get_fixed_dpi_layout_fun((150, 150))))

    codes = {f.code: f for f in check_file(grey).findings}
    assert "SEAL-MISSING" not in codes
    unchecked = codes["SEAL-UNCHECKED"]
    assert (unchecked.severity, unchecked.clause) == ("warning", "lz-2.2")
    assert "灰度或黑白" in unchecked.message
    colour = check_file(SCANS / "lz-pass-scan-noseal.pdf")
    assert [(f.code, f.severity) for f in colour.findings if f.code.startswith("SEAL-")] == [
        ("SEAL-MISSING", "error")
    ]
    stamped_grey = check_file(SCANS / "gx-young-scan-grey.pdf")
    assert not [f for f in stamped_grey.findings if f.code.startswith("SEAL-")]


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_no_value_read_right_is_flagged(parsed, name):
    """Precision of the flags: a value equal to the expected one is never sent to a person."""
    from toolkit.ocr.verify import uscc_valid

    result = parsed(name)
    expected, wrong = _wrong(result, name)
    # a USCC whose check character is wrong on the paper itself is rightly sent to a person
    right = {
        k for k in set(expected) - set(wrong) if not (k.endswith("/uscc") and not uscc_valid(expected[k]))
    }
    flagged = [(f.field, f.message) for f in result.problems if f.field in right]
    assert flagged == []


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_no_page_of_a_sample_scan_is_judged_too_poor(parsed, name):
    """The page-quality gate (OCR-PAGE-QUALITY, toolkit/ocr/quality.py) never fires on the
    project's good scans: their pages are sharp, clean and read surely."""
    gated = [(p.field, p.message) for p in parsed(name).problems if p.code == "OCR-PAGE-QUALITY"]
    assert gated == []


def test_a_cell_with_ink_and_no_text_is_a_finding():
    """A value the recogniser cannot make anything of is reported, never a silent blank."""
    from toolkit.ocr.verify import review_scan
    from toolkit.read import Cell, Grid, Layout
    from toolkit.read.extract import extract

    grid = Grid(
        rows=[
            [Cell("牵头单位名称", 1.0, 1), Cell("柳州智驰底盘科技股份有限公司", 1.0, 1)],
            [Cell("上年度主营业务收入（万元）", 1.0, 1), Cell("", 0.0, 1, ink=True)],
            [Cell("专职研发人员数（人）", 1.0, 1), Cell("", None, 1)],  # blank paper: no finding
        ],
        page=1,
    )
    layout = Layout(source="x.pdf", kind="scan", blocks=["柳州市市级创新联合体预申报表", grid])
    result = extract(layout, "lz-preapply-2024")
    findings = {f.field: f for f in review_scan(result, layout)}
    assert findings["/lead/revenue"].code == "OCR-LOW-CONFIDENCE"
    assert "有字迹但未能识别" in findings["/lead/revenue"].message
    assert "/lead/name" not in findings and "/lead/rd_staff" not in findings
    # the form's other fields, whose labels this page does not show at all, are asked about too
    assert all("未找到" in f.message for k, f in findings.items() if k != "/lead/revenue")


def test_a_value_read_with_very_low_confidence_is_left_out_and_reported():
    """Below ``drop_below`` (ocr.yaml) a value is not put into the record as if read: the field is
    left out and a person is asked to read it; a moderately low one stays and is flagged."""
    from toolkit.ocr.verify import review_scan, settings
    from toolkit.read import Cell, Grid, Layout
    from toolkit.read.extract import extract

    low = settings()["drop_below"] - 0.1
    moderate = (settings()["drop_below"] + settings()["confidence_text"]) / 2
    grid = Grid(
        rows=[
            [Cell("牵头单位名称", 1.0, 1), Cell("柳州智驰底盘科技股份有限公司", moderate, 1)],
            [Cell("上年度主营业务收入（万元）", 1.0, 1), Cell("1", low, 1)],
        ],
        page=1,
    )
    layout = Layout(source="x.pdf", kind="scan", blocks=["柳州市市级创新联合体预申报表", grid])
    result = extract(layout, "lz-preapply-2024")
    assert result.record["lead"]["revenue"] == 1  # what extract alone would have passed on
    findings = {f.field: f for f in review_scan(result, layout)}
    assert "revenue" not in result.record["lead"]
    assert "未采用识别结果" in findings["/lead/revenue"].message
    assert "识别为“1”" in findings["/lead/revenue"].message
    assert result.record["lead"]["name"] == "柳州智驰底盘科技股份有限公司"
    assert "识别可信度较低" in findings["/lead/name"].message


def test_round_radio_marks_in_tight_rows_are_read_as_ticks(parsed):
    """The spaced-label style: ●/○ radio marks in one-line rows as tall as their text."""
    result = parsed("gx-pass-spaced-scan")
    for pointer in ("/lead/legal_person", "/lead/internal_control", "/lead/tech_enterprise"):
        cell = result.cells[pointer]
        assert cell.text.replace(" ", "") == "☑是☐否", pointer
        assert cell.confidence >= 0.93
    assert result.record["lead"]["leads_other"] is False
    assert result.record["consortium"]["special_case"] is False


def _ruled_page(rows, row_h, size=20, angle=1.0, seed=1):
    """A page image (150 dpi) of a two-column ruled table, text set as tall as the rows allow,
    rotated and noised like a scan."""
    import cv2
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", size)
    img = Image.new("L", (1241, 700), 255)
    draw = ImageDraw.Draw(img)
    x0, x1, split, y = 120, 1120, 420, 100
    draw.line([(x0, y), (x1, y)], fill=0, width=1)
    for label, value in rows:
        draw.text((x0 + 6, y + 1), label, font=font, fill=0)
        draw.text((split + 6, y + 1), value, font=font, fill=0)
        y += row_h
        draw.line([(x0, y), (x1, y)], fill=0, width=1)
    for x in (x0, split, x1):
        draw.line([(x, 100), (x, y)], fill=0, width=1)
    page = np.asarray(img.convert("RGB")).astype(np.float32)
    h, w = page.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    page = cv2.warpAffine(page, m, (w, h), borderValue=(255, 255, 255))
    page = cv2.GaussianBlur(page, (0, 0), 0.6) * 0.9 + 20
    page += np.random.default_rng(seed).normal(0, 6, page.shape)
    return page.clip(0, 255).astype(np.uint8)


def test_marks_of_several_styles_in_rows_as_tall_as_their_text():
    """Radio marks (● ○ ◉), filled and empty squares (■ □) in rows 4.7 mm tall (text touching the
    rules) are read as ticks; an o in an e-mail address is not taken for a mark."""
    from toolkit.ocr.reader import read_page
    from toolkit.read import Grid

    rows = [
        ("内控制度是否健全", "●是 ○否"),
        ("单位类型", "◉企业 ○高等学校 ○科研院所"),
        ("所属行业", "□制造业 ■科技与信息服务业"),
        ("电子邮箱", "hello@foo.com"),
    ]
    blocks, _ = read_page(_ruled_page(rows, row_h=28), 1)
    grid = next(b for b in blocks if isinstance(b, Grid))
    values = {row[0].text: row[1].text.replace(" ", "") for row in grid.rows}
    assert values == {
        "内控制度是否健全": "☑是☐否",
        "单位类型": "☑企业☐高等学校☐科研院所",
        "所属行业": "☐制造业☑科技与信息服务业",
        "电子邮箱": "hello@foo.com",
    }


def test_seal_residue_is_not_read_as_a_value(parsed):
    """A faint seal over the signature block leaves red-free remains that the recogniser used to
    read as a value (“1”); now nothing of it enters the record. (The remains are taken out with
    the red ink and the specks, so the blank cell is no longer even reported as inked; a flag on
    it, if any, asks for a look.)"""
    result = parsed("lz-tech-html-scan")
    assert "recommender_opinion" not in result.record.get("signoff", {})
    flagged = [f.message for f in result.problems if f.field == "/signoff/recommender_opinion"]
    assert all("请人工核对" in m for m in flagged)


def test_a_dash_read_as_yi_is_restored_only_in_known_phrases(parsed):
    from toolkit.ocr.reader import restore_dashes

    assert "中国—东盟" in parsed("gx-pass-scan").record["lead"]["outreach"]
    assert restore_dashes("是否申请“一事一议”，统一社会信用代码") == "是否申请“一事一议”，统一社会信用代码"


def test_a_choice_is_as_sure_as_its_tick_mark():
    """The confidence of a ticked option is the clarity of the marks, not the labels' OCR score."""
    from toolkit.ocr.table import tick_clarity

    assert tick_clarity(0.0) == 1.0 and tick_clarity(0.45) == 1.0
    assert tick_clarity(0.12) == 0.0 and 0 < tick_clarity(0.15) < 0.5


def test_choice_cells_of_a_clean_scan_score_by_their_ticks(parsed):
    result = parsed("lz-pass-scan-noseal")
    cell = result.cells["/lead/org_type"]
    assert result.record["lead"]["org_type"] == "企业"
    assert "☑企业" in cell.text.replace(" ", "") and cell.confidence >= 0.93


def test_deskew_estimates_the_rotation_of_each_scanned_page():
    import cv2

    from toolkit.ocr.image import estimate_skew, render_pages, rotate

    for name in ("lz-pass-scan", "gx-pass-scan"):
        angles = MANIFEST[name]["angles"]
        for (n, rgb), made in zip(render_pages(SCANS / f"{name}.pdf"), angles, strict=True):
            gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
            if n == len(angles) and len(angles) == 3:
                continue  # the lz form's last page holds two signature lines and no table
            est = estimate_skew(gray)
            assert abs(est - made) <= 0.3, f"{name} page {n}: made {made}, estimated {est:.2f}"
    # and a known extra rotation of a levelled page
    (_, rgb), *_ = render_pages(SCANS / "lz-pass-scan.pdf", [1])
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    level = rotate(gray, estimate_skew(gray))
    assert abs(estimate_skew(rotate(level, -1.7)) - 1.7) <= 0.3


@functools.cache
def _page_one_levelled():
    """Page 1 of a sample scan made level, and its blocks as read (once for both wears below)."""
    import cv2

    from toolkit.ocr.image import estimate_skew, render_pages, rotate
    from toolkit.ocr.reader import read_page

    (_, rgb), *_ = render_pages(SCANS / "lz-pass-scan-noseal.pdf", [1])
    level = rotate(rgb, estimate_skew(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)))
    return level, read_page(level, 1)[0]


@pytest.mark.parametrize("wear", [0.7, 0.8])
def test_a_smudged_amount_is_flagged_for_a_person(wear):
    """Wear away most of the ink of the revenue cell on page 1 (70% of its pixels: still read right
    but doubtfully; 80%: misread): the value is flagged 请人工核对 instead of being trusted."""
    import numpy as np

    from toolkit.ocr.reader import read_page
    from toolkit.ocr.verify import review_scan
    from toolkit.read import Layout
    from toolkit.read.extract import extract

    level, blocks = _page_one_levelled()
    cell = _value_cell(blocks, "上年度主营业务收入")
    assert cell.text == "86500"
    x0, y0, x1, y1 = (int(v * 150 / 72) for v in cell.bbox)
    worn = level.copy()
    region = worn[y0 + 3 : y1 - 3, x0 + 3 : x1 - 3]
    region[np.random.default_rng(5).random(region.shape[:2]) < wear] = 235
    blocks, _ = read_page(worn, 1)
    layout = Layout(source="worn.pdf", kind="scan", blocks=blocks)
    result = extract(layout, "lz-preapply-2024")
    read = _value_cell(blocks, "上年度主营业务收入").text
    # a misread that is no number fails normalisation (PARSE-VALUE); one that is, is flagged by OCR
    findings = [f for f in [*result.problems, *review_scan(result, layout)] if f.field == "/lead/revenue"]
    assert len(findings) == 1, (read, result.record.get("lead", {}).get("revenue"))
    f = findings[0]
    if f.code == "PARSE-VALUE":
        assert result.record["lead"].get("revenue") is None and read in f.message
    else:
        assert (f.code, f.severity, f.clause) == ("OCR-LOW-CONFIDENCE", "warning", "form")
        assert f"请人工核对（第1页，识别为“{read}”）" in f.message


def _value_cell(blocks, label):
    from toolkit.read import Grid

    for grid in (b for b in blocks if isinstance(b, Grid)):
        for row in grid.rows:
            for i, cell in enumerate(row[:-1]):
                if cell.text.startswith(label):
                    return row[i + 1]
    raise AssertionError(f"no cell labelled {label}")


def test_compare_catches_the_altered_amount_and_nothing_in_the_faithful_scan(parsed):
    from toolkit.compare import compare_records
    from toolkit.read.api import parse_file

    word = parse_file(SCANS / "lz-pass.docx")
    altered = MANIFEST["lz-pass-scan-altered"]["altered"]
    diffs = compare_records(word.record, parsed("lz-pass-scan-altered").record, word.form)
    revenue = [d for d in diffs if d.pointer == "/lead/revenue"]
    assert [(d.a, d.b) for d in revenue] == [(altered["word"], altered["scan"])]
    faithful = compare_records(word.record, parsed("lz-pass-scan").record, word.form)
    assert [d.pointer for d in faithful if d.pointer == "/lead/revenue"] == []
    assert len(faithful) <= len(diffs) - 1


def test_reading_a_docx_loads_nothing_of_ocr():
    code = (
        "import sys; from toolkit.read.api import parse_file; "
        f"parse_file({str(SCANS / 'lz-pass.docx')!r}); "
        "bad = [m for m in sys.modules if (m.startswith('toolkit.ocr.') or m.split('.')[0] in "
        "('rapidocr', 'cv2', 'onnxruntime', 'pypdfium2'))]; print(bad); assert not bad"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_more_threads_when_allowed_read_the_same(parsed, monkeypatch):
    """``ictk batch`` lets a worker's OCR use the idle workers' cores at the end of a batch:
    the page is read by a session with more threads, and read the same."""
    from toolkit.ocr import engine

    monkeypatch.setenv("ICTK_CACHE_DIR", "off")  # read again, not the reading kept from `parsed`
    from toolkit.ocr.reader import parse_scan

    name = "lz-pass-scan-noseal"
    engine.follow_threads(lambda: engine.threads() + 1)
    try:
        wider = parse_scan(SCANS / f"{name}.pdf")
        assert engine.threads() + 1 in engine._wider  # the wider session did the reading
    finally:
        engine.follow_threads(None)
    assert to_jsonable(wider.record) == to_jsonable(parsed(name).record)
    assert [(p.field, p.message) for p in wider.problems] == [
        (p.field, p.message) for p in parsed(name).problems
    ]
