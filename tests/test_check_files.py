"""``ictk check`` on filled Word forms (samples/filled/): the form is parsed first, and the findings
are those of the form's canonical record; values the parser cannot read are findings on their fields."""

from __future__ import annotations

import json

import pytest
from ictk_cli import ictk  # tests/ictk_cli.py

from toolkit.check import check_file


def serious(findings):
    return sorted((f["code"], f["clause"], f.get("field")) for f in findings if f["severity"] != "info")


@pytest.mark.parametrize("name", ["lz-pass", "gx-pass", "lz-tech", "gx-hospital"])
def test_word_form_gives_the_findings_of_its_record(samples, name):
    result = ictk("check", samples / "filled" / "clean" / f"{name}.docx", "--format", "json")
    report = json.loads(result.stdout)
    expected = check_file(samples / "filled" / f"{name}.record.json").to_json()
    assert report["verdict"] == expected["verdict"]
    assert serious(report["findings"]) == serious(expected["findings"])
    assert result.returncode == (1 if report["verdict"] == "fail" else 0)


def test_word_forms_of_the_reference_records_pass(samples):
    for name in ("lz-pass", "gx-pass"):
        report = check_file(samples / "filled" / "clean" / f"{name}.docx")
        assert report.verdict == "pass", [f.message for f in report.findings]


def test_hospital_lead_fails_the_guangxi_tech_enterprise_condition(samples):
    report = check_file(samples / "filled" / "clean" / "gx-hospital.docx")
    fields = {(f.code, f.field) for f in report.findings if f.severity == "error"}
    assert fields == {
        ("GX-TECH-ENTERPRISE", "/lead/org_type"),
        ("GX-TECH-ENTERPRISE", "/lead/tech_enterprise"),
    }


def test_unreadable_values_are_findings_on_their_fields(samples):
    folder = samples / "filled" / "unreadable"
    pointers = json.loads((folder / "lz-pass-unreadable.problems.json").read_text(encoding="utf-8"))
    report = check_file(folder / "lz-pass-unreadable.docx")
    assert report.verdict == "fail"
    errors = [f for f in report.findings if f.severity == "error"]
    assert sorted(f.field for f in errors) == sorted(pointers)
    # each gap once: no "未填写" finding beside the parser's "无法识别"
    assert all(f.code.startswith("PARSE") for f in errors)


@pytest.mark.ocr
def test_scan_without_seal_fails_on_the_seal_only(samples):
    report = check_file(samples / "scans" / "lz-pass-scan-noseal.pdf")
    errors = [(f.code, f.clause) for f in report.findings if f.severity != "info"]
    assert errors == [("SEAL-MISSING", "lz-2.2")]
    assert report.verdict == "fail"
