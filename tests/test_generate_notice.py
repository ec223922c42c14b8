"""A clerk sends the applicant a 补正通知: the errors to correct and the warnings to explain,
grouped by the sections of the form, in the GB/T 9704 layout."""

from __future__ import annotations

import json
from functools import partial

import pytest
from gen_helpers import margins_mm, open_docx, runs_without_east_asia, texts
from ictk_cli import ictk as run_ictk  # tests/ictk_cli.py

from toolkit.check import check_file
from toolkit.errors import InputError
from toolkit.generate.common import cite
from toolkit.generate.notice import render_notice

WEAK = "filled/unreadable/gx-young-unreadable.docx"


@pytest.fixture(scope="module")
def weak(samples):
    report = check_file(samples / WEAK)
    assert report.verdict == "fail"
    return report


def test_errors_and_warnings_are_listed_by_section_in_form_order(weak):
    doc = open_docx(
        render_notice(weak.record, weak.findings, date="2024-04-05", contact="张三，0771-1234567")
    )
    lines = [t for t in texts(doc) if t.strip()]
    assert lines[0] == "关于补正“北部湾海洋生物医药创新联合体”申报材料的通知"
    assert lines[1] == "北海蓝湾海洋生物科技有限公司："
    errors = [f for f in weak.findings if f.severity == "error"]
    warnings = [f for f in weak.findings if f.severity == "warning"]
    assert f"存在{len(errors)}项需要补正的问题和{len(warnings)}项需要书面说明的事项" in lines[2]
    assert "于2024年4月15日前重新报送" in lines[2]  # ten days after the date by default
    first, second = lines.index("一、需要补正的问题"), lines.index("二、需要书面说明的事项")
    assert first < second < lines.index("三、补正要求")
    error_part, warning_part = lines[first:second], lines[second : lines.index("三、补正要求")]
    # Sections as subheadings, in the order of the form, each restarting the numbering.
    heads = [t for t in error_part if t.startswith("（")]
    assert heads == [
        "（一）牵头单位基本情况",
        "（二）牵头单位研发能力",
        "（三）组织架构与运行制度",
        "（四）审核推荐意见",
    ]
    for f in errors:
        item = next(t for t in error_part if f.message in t)
        assert item.startswith("1. ") and f"依据：{cite(f.clause)}" in item and "条款编号" not in item
    for f in warnings:
        assert any(f.message in t and f"依据：{cite(f.clause)}" in t for t in warning_part)
    assert any("第五条第（二）项第1目" in t for t in warning_part)
    assert "联系人及电话：张三，0771-1234567" in lines
    assert "广西壮族自治区科学技术厅" in lines and "2024年4月5日" in lines
    assert not [f for f in weak.findings if f.severity == "info" and any(f.message in t for t in lines)]


def test_official_layout(weak):
    doc = open_docx(render_notice(weak.record, weak.findings, body="南宁市科学技术局", deadline="2024-05-01"))
    assert margins_mm(doc) == [(37.0, 28.0, 26.0, 35.0)]
    assert runs_without_east_asia(doc) == []
    assert any("于2024年5月1日前重新报送" in t for t in texts(doc))
    assert "南宁市科学技术局" in texts(doc)


def test_hostile_values_are_text_in_the_notice(weak):
    from toolkit.findings import Finding

    evil = Finding("X", "error", "form", "{{ 7*7 }}<w:p/>&amp;\x00", field="/lead/name")
    doc = open_docx(render_notice(weak.record, [evil]))
    assert any("{{ 7*7 }}<w:p/>&amp;" in t for t in texts(doc))


def test_nothing_to_correct_is_refused(samples):
    report = check_file(samples / "filled/clean/lz-pass.docx")
    with pytest.raises(InputError, match="无需补正"):
        render_notice(report.record, report.findings)


ictk = partial(run_ictk, timeout=120)


def test_cli_from_a_form_and_from_a_check_report(samples, tmp_path):
    out = tmp_path / "补正通知.docx"
    proc = ictk("generate", "notice", str(samples / WEAK), "-o", str(out), "--date", "2024-04-05")
    assert proc.returncode == 0, proc.stderr
    assert "已生成补正通知（6项需补正或说明）" in proc.stdout
    first = texts(open_docx(out.read_bytes()))
    report = tmp_path / "report.json"
    check = ictk("check", str(samples / WEAK), "--format", "json")
    report.write_text(check.stdout, encoding="utf-8")
    assert json.loads(check.stdout)["verdict"] == "fail"
    out2 = tmp_path / "again.docx"
    assert ictk("generate", "notice", str(report), "-o", str(out2), "--date", "2024-04-05").returncode == 0
    assert texts(open_docx(out2.read_bytes())) == first
    clean = ictk(
        "generate", "notice", str(samples / "filled/clean/lz-pass.docx"), "-o", str(tmp_path / "n.docx")
    )
    assert clean.returncode == 1 and "无需补正" in clean.stderr and not (tmp_path / "n.docx").exists()
