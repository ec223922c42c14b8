"""A clerk drafts the review opinion of each stage from the findings of a check."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from gen_helpers import margins_mm, open_docx, runs_without_east_asia, texts

from toolkit.check import check_file, check_record
from toolkit.errors import InputError
from toolkit.findings import Finding
from toolkit.generate.common import cite
from toolkit.generate.opinion import draw_conclusion, render_opinion
from toolkit.record import load_record

ERR_FORM = Finding(
    "FORM-USCC", "error", "form", "成员单位第2行“统一社会信用代码”校验位错误", "/members/1/uscc"
)
ERR_HARD = Finding("GX-PLATFORM", "error", "gx-5.2.2", "牵头单位没有省部级以上创新平台", "/lead/platforms")
WARN = Finding(
    "GX-REVENUE", "warning", "gx-5.2.1", "牵头单位上年度主营业务收入为52000万元，低于原则上10亿元的要求"
)
INFO = Finding("GX-SPECIAL", "info", "gx-8", "可按“一事一议”申报")


@pytest.fixture(scope="module")
def gx(samples):
    return load_record(samples / "records/gx-pass.json")


@pytest.fixture(scope="module")
def lz(samples):
    return load_record(samples / "records/lz-pass.json")


def test_conclusion_follows_the_findings():
    assert draw_conclusion([]) == "同意推荐"
    assert draw_conclusion([INFO]) == "同意推荐"
    assert draw_conclusion([WARN, INFO]) == "同意推荐"
    assert draw_conclusion([ERR_FORM, WARN]) == "补正后再报"
    assert draw_conclusion([ERR_FORM, ERR_HARD]) == "不予推荐"


@pytest.mark.parametrize("stage", ["gx-city", "gx-dept", "gx-expert"])
def test_every_finding_is_a_numbered_item_with_its_clause(gx, stage):
    doc = open_docx(render_opinion(gx, [ERR_FORM, WARN, INFO], stage, date="2024-04-05"))
    paras = texts(doc)
    for f in (ERR_FORM, WARN, INFO):
        item = next(p for p in paras if f.message in p)
        # the clause in words from the clause data, never the internal id (lz-2.2 broke as "lz-/2.2")
        assert item.startswith("1. ") and f"（依据：{cite(f.clause, 'gx-2023')}）" in item
        assert "条款编号" not in item and f.clause not in item.replace("依据", "")
    assert any("（依据：《管理办法》第五条第（二）项第1目）" in p for p in paras)
    assert "审查结论：补正后再报" in paras
    assert "2024年4月5日" in paras
    assert margins_mm(doc) == [(37.0, 28.0, 26.0, 35.0)]
    assert runs_without_east_asia(doc) == []


def test_expert_opinion_weighs_the_four_gx8_points(gx):
    paras = texts(open_docx(render_opinion(gx, [], "gx-expert", date="2024-04-05")))
    for heading in ("组建方向的合理性", "牵头单位的基础和能力", "组建的可行性", "预期成效"):
        assert any(p.endswith(heading) for p in paras)
    body = "\n".join(paras)
    assert "国家铝合金压力加工工程技术研究中心（国家级）" in body and "520000万元" in body
    assert "核心层2家" in body
    assert "专家组组长（签字）：" in paras and "“一事一议”论证专家组" in paras


def test_issuing_body_defaults_and_overrides(lz, gx):
    county = texts(open_docx(render_opinion(lz, [], "lz-county", date="2024-4-5")))
    assert lz["signoff"]["recommender"] in county and "2024年4月5日" in county
    bureau = texts(open_docx(render_opinion(lz, [], "lz-bureau", date="2024-04-15")))
    assert "柳州市科学技术局" in bureau and "2024年4月15日" in bureau
    dept = texts(
        open_docx(render_opinion(gx, [WARN], "gx-dept", body="自治区科技厅平台处", conclusion="不予推荐"))
    )
    assert "自治区科技厅平台处" in dept and "审查结论：不予推荐" in dept


def test_warnings_only_recommend_with_written_explanations(gx):
    paras = texts(open_docx(render_opinion(gx, [WARN], "gx-city", date="2024-04-05")))
    assert "审查结论：同意推荐" in paras
    assert any("逐项作出说明" in p for p in paras)


def test_a_stage_of_the_other_policy_is_refused(lz):
    with pytest.raises(InputError, match="不适用"):
        render_opinion(lz, [], "gx-city")
    with pytest.raises(InputError, match="审查结论"):
        render_opinion(lz, [], "lz-county", conclusion="随便")


def test_real_findings_of_a_weak_application_reach_the_opinion(samples):
    young = load_record(samples / "filled/gx-young.record.json")
    findings = check_record(young)
    assert findings, "the young lead misses several thresholds"
    paras = texts(open_docx(render_opinion(young, findings, "gx-city", date="2024-11-20")))
    body = "\n".join(paras)
    for f in findings:
        assert f.message in body and f"依据：{cite(f.clause, f.edition)}" in body
    assert "条款编号" not in body and not re.search(r"\b(gx|lz)-\d", body)
    assert f"审查结论：{draw_conclusion(findings)}" in paras


def test_cli_from_a_filled_form_and_from_a_check_report(samples, tmp_path):
    form = samples / "filled/clean/gx-young.docx"
    out = tmp_path / "意见.docx"
    done = subprocess.run(
        [
            "ictk",
            "generate",
            "opinion",
            str(form),
            "--stage",
            "gx-city",
            "-o",
            str(out),
            "--date",
            "2024-11-20",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    report = check_file(form)
    paras = texts(open_docx(out.read_bytes()))
    for f in report.findings:
        assert any(f.message in p for p in paras)
    # the check report JSON of `ictk check --format json` works as input too, with an override
    rep = tmp_path / "report.json"
    rep.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    out2 = tmp_path / "意见2.docx"
    done = subprocess.run(
        [
            "ictk",
            "generate",
            "opinion",
            str(rep),
            "--stage",
            "gx-dept",
            "-o",
            str(out2),
            "--conclusion",
            "不予推荐",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "审查结论：不予推荐" in texts(open_docx(out2.read_bytes()))
    bad = subprocess.run(
        ["ictk", "generate", "opinion", str(rep), "--stage", "lz-county", "-o", str(tmp_path / "x.docx")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "不适用" in bad.stderr and "Traceback" not in bad.stderr
