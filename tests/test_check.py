"""Checking one application: the JSON report (validated against schemas/report.schema.json), the
verdict and exit status, unreadable files, parser problems, the seal on scans, the text view."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import jsonschema
import pytest
from ictk_cli import ictk  # tests/ictk_cli.py

from toolkit.check import check_file, check_record
from toolkit.findings import Finding
from toolkit.read import ParseResult
from toolkit.record import dumps, load_record


@pytest.fixture(scope="module")
def report_schema(root):
    schema = json.loads((root / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.fixture(scope="module")
def lz(samples):
    return load_record(samples / "records" / "lz-pass.json")


def write(tmp_path, name, record):
    path = tmp_path / name
    path.write_text(dumps(record), encoding="utf-8")
    return path


# -- the JSON report ---------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["lz-pass", "gx-pass", "lz-revenue-manufacturing", "gx-systems-missing"])
def test_json_report_matches_its_schema(samples, report_schema, case):
    result = ictk("check", samples / "rules" / f"{case}.json", "--format", "json")
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema)
    assert report["record"]["form"] == report["form"]


def test_json_report_of_a_warning(samples):
    result = ictk("check", samples / "rules" / "lz-revenue-manufacturing.json", "--format", "json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["verdict"] == "warn"
    (finding,) = [f for f in report["findings"] if f["severity"] != "info"]
    assert finding == {
        "code": "LZ-REVENUE",
        "severity": "warning",
        "clause": "lz-1.2.1",
        "field": "/lead/revenue",
        "message": "牵头单位上年度主营业务收入为32000万元，低于制造业原则上5亿元（50000万元）的要求",
        "value": 32000,
        "expected": ">= 50000",
    }


def test_unreadable_report_matches_its_schema(tmp_path, report_schema):
    bad = tmp_path / "坏文件.json"
    bad.write_text("{不是 JSON", encoding="utf-8")
    report = check_file(bad)
    assert report.verdict == "unreadable" and "JSON" in report.error
    jsonschema.validate(json.loads(dumps(report.to_json())), report_schema)


# -- exit statuses -------------------------------------------------------------------------------
def test_exit_status_pass_warn_fail(samples):
    rules = samples / "rules"
    assert ictk("check", rules / "lz-pass.json").returncode == 0
    assert ictk("check", rules / "lz-members.json").returncode == 0  # a warning only
    assert ictk("check", rules / "lz-members.json", "--strict").returncode == 1
    assert ictk("check", rules / "lz-deadline.json").returncode == 1


def test_strict_verdict_in_json(samples):
    report = json.loads(
        ictk("check", samples / "rules" / "lz-members.json", "--strict", "--format", "json").stdout
    )
    assert report["verdict"] == "fail"


@pytest.mark.parametrize(
    "content", ["[1, 2]", "{broken", '{"form": "no-such-form"}', '{"consortium": {}}'], ids=str
)
def test_bad_records_are_unreadable_with_exit_2(tmp_path, content):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    result = ictk("check", path, "--format", "json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["verdict"] == "unreadable" and report["error"]
    assert "Traceback" not in result.stderr


def test_missing_file_exit_2(tmp_path):
    result = ictk("check", tmp_path / "不存在.docx")
    assert result.returncode == 2
    assert "不存在" in result.stdout + result.stderr


def test_form_option_must_agree_with_the_record(samples):
    result = ictk(
        "check", samples / "records" / "lz-pass.json", "--form", "gx-recognition", "--format", "json"
    )
    assert result.returncode == 2
    assert "不一致" in json.loads(result.stdout)["error"]


def test_form_option_supplies_a_missing_form(tmp_path, lz):
    record = {k: v for k, v in lz.items() if k != "form"}
    path = write(tmp_path, "no-form.json", record)
    assert check_file(path).verdict == "unreadable"
    assert check_file(path, form_id="lz-preapply-2024").verdict == "pass"


# -- schema findings speak Chinese at the field --------------------------------------------------
def test_missing_required_field_is_reported_at_its_pointer(lz):
    record = copy.deepcopy(lz)
    del record["lead"]["revenue"]
    del record["members"][2]["uscc"]
    found = {(f.code, f.field, f.clause): f for f in check_record(record)}
    revenue = found[("SCHEMA-REQUIRED", "/lead/revenue", "lz-1.2.1")]
    assert revenue.message == "未填写上年度主营业务收入" and revenue.severity == "error"
    assert ("SCHEMA-REQUIRED", "/members/2/uscc", "lz-1.1") in found
    assert not any("required property" in f.message for f in found.values())


def test_wrong_type_is_a_schema_finding(lz):
    record = copy.deepcopy(lz)
    record["lead"]["rd_staff"] = "很多"
    (f,) = [f for f in check_record(record) if f.severity != "info"]
    assert (f.code, f.field, f.clause) == ("SCHEMA-TYPE", "/lead/rd_staff", "form")
    assert "专职研发人员数" in f.message


def test_parser_problem_replaces_the_missing_field_finding(lz):
    record = copy.deepcopy(lz)
    del record["lead"]["revenue"]
    problem = Finding(
        "PARSE-VALUE",
        "error",
        "form",
        "“上年度主营业务收入（万元）”填写的“约五亿”无法识别",
        field="/lead/revenue",
        value="约五亿",
    )
    found = [f for f in check_record(record, [problem]) if f.severity != "info"]
    assert found == [problem]


def test_findings_are_sorted_by_section(lz):
    record = copy.deepcopy(lz)
    record["signoff"]["date"] = "2024-05-01"  # 七、
    record["lead"]["rd_staff"] = 5  # 三、
    record["consortium"]["name"] = "新能源汽车创新联合体"  # 一、
    codes = [f.code for f in check_record(record) if f.severity != "info"]
    assert codes == ["LZ-NAME", "LZ-RD-STAFF", "LZ-DEADLINE"]


# -- the seal on scans ---------------------------------------------------------------------------
@pytest.mark.parametrize(("form", "clause"), [("lz-preapply-2024", "lz-2.2"), ("gx-recognition", "gx-6.1")])
def test_scan_without_seal_is_an_error(samples, form, clause):
    record = load_record(samples / "records" / f"{form[:2]}-pass.json")
    scan = ParseResult(record=record, form=form, source="x.pdf", kind="scan", seals=[])
    (seal,) = [f for f in check_record(record, parse=scan) if f.code == "SEAL-MISSING"]
    assert (seal.severity, seal.clause, seal.field) == ("error", clause, None)
    sealed = ParseResult(record=record, form=form, source="x.pdf", kind="scan", seals=[{"page": 1}])
    assert not [f for f in check_record(record, parse=sealed) if f.code == "SEAL-MISSING"]
    word = ParseResult(record=record, form=form, source="x.docx", kind="docx", seals=None)
    assert not [f for f in check_record(record, parse=word) if f.code == "SEAL-MISSING"]


# -- the text view -------------------------------------------------------------------------------
def test_text_view_groups_by_section_without_colour_when_piped(samples):
    result = ictk("check", samples / "rules" / "gx-rd-intensity.json")
    out = result.stdout
    assert result.returncode == 0
    assert out.startswith("结论：通过（有警告）")
    assert "三、牵头单位研发能力" in out
    assert "gx-5.2.3 · GX-RD-INTENSITY" in out and "要求：年均不低于 3000 或比例不低于 3%" in out
    assert "\x1b[" not in out


def test_text_view_of_unreadable(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[]", encoding="utf-8")
    result = ictk("check", path)
    assert result.returncode == 2 and result.stdout.startswith("结论：无法读取")


def test_rules_command_explains_a_rule():
    result = ictk("rules", "GX-RD-INTENSITY")
    assert result.returncode == 0
    assert "gx-5.2.3" in result.stdout and "年均研究开发费用总额不低于3000万元" in result.stdout
    assert "min(3, 实际经营年限)" in result.stdout
    assert ictk("rules", "NOPE").returncode == 2


def test_decimal_values_survive_the_json_report(lz, tmp_path):
    record = copy.deepcopy(lz)
    record["lead"]["revenue"] = Decimal("49999.5")
    report = json.loads(ictk("check", write(tmp_path, "r.json", record), "--format", "json").stdout)
    (f,) = [f for f in report["findings"] if f["code"] == "LZ-REVENUE"]
    assert f["value"] == 49999.5 and "49999.5万元" in f["message"]
