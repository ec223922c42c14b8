"""Word file and scan of one application in a batch: a difference on a field the OCR flagged (or
in a row holding a flagged cell) asks for a look at the paper, it is never an error."""

from __future__ import annotations

import copy

from toolkit.batch.model import Application, FileResult
from toolkit.findings import Finding
from toolkit.record import load_record
from toolkit.rules.cross import pair_rules


def _app(word: dict, scan: dict, flags: list[Finding]) -> Application:
    return Application(
        id="申报01",
        files=[
            FileResult("a/申报表.docx", "docx", word["form"], "pass", word, []),
            FileResult("a/扫描件.pdf", "pdf", scan["form"], "warn", scan, flags),
        ],
    )


def _mismatches(app: Application) -> dict[str, str]:
    pair_rules([app])
    return {f.field: f.severity for f in app.batch_findings if f.code == "LZ-BATCH-MISMATCH"}


def test_an_extra_row_the_ocr_flagged_is_a_warning(samples):
    word = load_record(samples / "records" / "lz-pass.json")
    scan = copy.deepcopy(word)
    row = len(scan["members"])
    scan["members"].append({"name": "柳州某某有限公司"})  # a row read where the paper has none
    flag = Finding(
        "OCR-LOW-CONFIDENCE", "warning", "form", "识别可信度较低，请人工核对", f"/members/{row}/name"
    )
    assert _mismatches(_app(word, scan, [flag])) == {f"/members/{row}": "warning"}
    assert _mismatches(_app(word, scan, [])) == {f"/members/{row}": "error"}


def test_a_value_the_ocr_left_out_for_review_is_a_warning(samples):
    word = load_record(samples / "records" / "lz-pass.json")
    scan = copy.deepcopy(word)
    del scan["lead"]["uscc"]  # too doubtful to keep: left out of the scan's record, and flagged
    flag = Finding("OCR-LOW-CONFIDENCE", "warning", "form", "识别可信度过低，未采用识别结果", "/lead/uscc")
    assert _mismatches(_app(word, scan, [flag])) == {"/lead/uscc": "warning"}


def test_ictk_compare_marks_a_flagged_field_as_a_look_at_the_paper(samples):
    from toolkit.compare import compare_records, doubted, format_text

    word = load_record(samples / "records" / "lz-pass.json")
    scan = copy.deepcopy(word)
    scan["lead"]["revenue"] = 66500
    scan["lead"]["rd_staff"] = 165
    diffs = compare_records(word, scan, word["form"])
    flagged = {"/lead/revenue"}
    assert [d.pointer for d in diffs if doubted(d, flagged)] == ["/lead/revenue"]
    lines = format_text(diffs, "a.docx", "b.pdf", flagged).splitlines()
    revenue = next(line for line in lines if "/lead/revenue" in line)
    staff = next(line for line in lines if "/lead/rd_staff" in line)
    assert "请对照盖章纸质件核对" in revenue and "核对" not in staff
