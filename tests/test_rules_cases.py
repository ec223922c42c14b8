"""One record per rule (samples/rules/, derived from the passing records by make_cases.py):
each violates exactly its rule, and the check reports exactly that finding."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from toolkit.check import check_file
from toolkit.record import dumps, load_record, loads
from toolkit.rules.engine import all_rules

RULES_DIR = Path(__file__).resolve().parent.parent / "samples" / "rules"
CASES = json.loads((RULES_DIR / "cases.json").read_text(encoding="utf-8"))


def key(item) -> tuple:
    if isinstance(item, dict):
        return (item["code"], item["severity"], item["clause"], item["field"])
    return (item.code, item.severity, item.clause, item.field)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_case_reports_exactly_its_finding(case):
    report = check_file(RULES_DIR / case["file"])
    assert report.form == case["form"]
    found = {key(f) for f in report.findings}
    expected = {key(e) for e in case["expect"]}
    # Every expected finding is there, with its clause, severity and field pointer ...
    assert expected <= found, [f.message for f in report.findings]
    # ... and no other error or warning.
    serious = {k for k in found if k[1] != "info"}
    assert serious == {k for k in expected if k[1] != "info"}, [f.message for f in report.findings]
    severities = {k[1] for k in expected}
    want = "fail" if "error" in severities else "warn" if "warning" in severities else "pass"
    assert report.verdict == want


@pytest.mark.parametrize("form", ["lz-preapply-2024", "gx-recognition"])
def test_passing_record_has_no_error_or_warning(samples, form):
    short = form.split("-")[0]
    report = check_file(samples / "records" / f"{short}-pass.json")
    assert report.verdict == "pass"
    assert all(f.severity == "info" for f in report.findings)


def test_every_application_rule_has_a_violating_case():
    covered = {e["code"] for c in CASES for e in c["expect"]}
    rules = {
        i.code
        for i in all_rules(scope="application")
        if not i.code.startswith("SCHEMA-")
        # the seal needs a scan: test_check.py, test_ocr.py (a greyscale scan)
        and i.code not in {"SEAL-MISSING", "SEAL-UNCHECKED"}
        # raised by the readers, on files: test_check_files.py (PARSE-VALUE), test_ocr_verify.py,
        # test_read_formats_pdf.py (PARSE-WRAP)
        and i.code not in {"PARSE-VALUE", "PARSE-WRAP", "OCR-LOW-CONFIDENCE"}
    }
    assert rules - covered == set()


def test_case_files_are_what_make_cases_derives():
    spec = importlib.util.spec_from_file_location("make_cases", RULES_DIR / "make_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert len(module.CASES) == len(CASES)
    for made, listed in zip(module.CASES, CASES, strict=True):
        assert made["file"] == listed["file"]
        assert made["expect"] == listed["expect"]
        assert load_record(RULES_DIR / made["file"]) == loads(dumps(made["record"]))
