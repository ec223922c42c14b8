"""A clerk pairs the Word file with its stamped scan: a real difference is an error, a difference
on a field the OCR itself doubted asks for a look at the paper instead."""

from __future__ import annotations

import copy
from decimal import Decimal

from toolkit.batch.model import Application, FileResult
from toolkit.findings import Finding
from toolkit.record import load_record
from toolkit.rules.cross import pair_rules


def _pair(samples, scan_findings: list[Finding]) -> Application:
    word = load_record(samples / "records" / "lz-pass.json")
    scan = copy.deepcopy(word)
    scan["lead"]["revenue"] = Decimal("66500")  # the scan says 66500 where Word says 86500
    scan["lead"]["rd_staff"] = 165  # and 165 staff where Word says 156
    return Application(
        id="申报01",
        files=[
            FileResult("a/申报表.docx", "docx", word["form"], "pass", word, []),
            FileResult("a/扫描件.pdf", "pdf", scan["form"], "warn", scan, scan_findings),
        ],
    )


def test_difference_on_a_doubted_field_is_a_warning_and_others_are_errors(samples):
    doubt = Finding("OCR-LOW-CONFIDENCE", "warning", "form", "识别可信度较低，请人工核对", "/lead/revenue")
    app = _pair(samples, [doubt])
    pair_rules([app])
    by_field = {f.field: f for f in app.batch_findings if f.code == "LZ-BATCH-MISMATCH"}
    assert set(by_field) == {"/lead/revenue", "/lead/rd_staff"}
    revenue, staff = by_field["/lead/revenue"], by_field["/lead/rd_staff"]
    assert (revenue.severity, revenue.clause) == ("warning", "lz-2.2")
    assert "86500" in revenue.message and "66500" in revenue.message and "人工核对" in revenue.message
    assert (staff.severity, staff.clause) == ("error", "lz-2.2")
    assert "人工核对" not in staff.message


def test_without_doubts_every_difference_is_an_error(samples):
    app = _pair(samples, [])
    pair_rules([app])
    severities = [f.severity for f in app.batch_findings if f.code == "LZ-BATCH-MISMATCH"]
    assert severities == ["error", "error"]
