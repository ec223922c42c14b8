"""Page images instead of a scanned PDF: photos or scanner output as .jpg pages, a multi-page
greyscale .tif, page images packed in a .zip. They are read by the scan reader like a
scanned PDF (rendered from the sample scans with pdftoppm)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from toolkit.read.api import parse_file

pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(importlib.util.find_spec("cv2") is None, reason="OCR extra not installed"),
]

ROOT = Path(__file__).resolve().parent.parent
FORMATS_DIR = ROOT / "samples" / "formats"
SCANS = ROOT / "samples" / "scans"


def scan_record(name: str) -> dict:
    return json.loads((SCANS / f"{name}.json").read_text(encoding="utf-8"))


def test_a_two_page_greyscale_tiff_is_read_as_a_scan() -> None:
    result = parse_file(FORMATS_DIR / "gx-young-grey.tif")
    truth = scan_record("gx-young-scan-grey")
    assert result.kind == "scan" and result.colourless  # no red to find a seal by
    assert result.record["consortium"] == truth["consortium"]
    assert result.record["lead"]["name"] == truth["lead"]["name"]
    assert result.record["lead"]["uscc"] == truth["lead"]["uscc"]
    assert len(result.record["members"]) == len(truth["members"])
    assert [s["page"] for s in result.seals or []] == [2]  # found by its ring on page 2


def test_jpeg_pages_in_a_zip_are_one_scan_in_page_order(tmp_path: Path) -> None:
    path = tmp_path / "南铝扫描件.zip"
    with zipfile.ZipFile(path, "w") as zf:  # page 10 sorts after page 2: natural order
        zf.write(FORMATS_DIR / "gx-pass-scan-2.jpg", "扫描/第10页.jpg")
        zf.write(FORMATS_DIR / "gx-pass-scan-1.jpg", "扫描/第2页.jpg")
    result = parse_file(path)
    truth = scan_record("gx-pass-scan")
    assert result.kind == "scan" and not result.colourless
    assert result.record["consortium"] == truth["consortium"]
    assert result.record["lead"]["uscc"] == truth["lead"]["uscc"]
    assert result.record["lead"]["platforms"] == truth["lead"]["platforms"]
    assert [s["page"] for s in result.seals or []] == [2]  # the red seal on the second image


def test_a_single_jpeg_page_is_read(tmp_path: Path) -> None:
    page = tmp_path / "page1.jpg"
    shutil.copyfile(FORMATS_DIR / "gx-pass-scan-1.jpg", page)
    result = parse_file(page)
    assert result.kind == "scan" and result.source == str(page)
    assert result.record["lead"]["name"] == scan_record("gx-pass-scan")["lead"]["name"]
