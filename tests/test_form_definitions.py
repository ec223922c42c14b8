"""The two form definitions hold what the contract (spec/FORMS.md) promises, and nothing that
would confuse a reader of a filled form."""

from __future__ import annotations

from collections import Counter

import pytest

from toolkit.forms import FIELD_TYPES, detect_form, form_ids, load_form

# The canonical record of spec/FORMS.md: id -> (label, type, forms).
CONTRACT = {
    "consortium.name": ("创新联合体名称", "text", "both"),
    "consortium.tech_field": ("核心技术领域", "text", "both"),
    "consortium.industry_direction": ("所属产业方向", "text", "both"),
    "consortium.special_case": ("是否申请“一事一议”", "yesno", "both"),
    "consortium.strategic_agreement": ("是否与柳州市签订战略合作协议", "yesno", "lz"),
    "lead.name": ("牵头单位名称", "text", "both"),
    "lead.uscc": ("统一社会信用代码", "uscc", "both"),
    "lead.location": ("注册地", "text", "both"),
    "lead.address": ("主要办公和研发场所", "text", "both"),
    "lead.org_type": ("单位类型", "choice", "both"),
    "lead.industry": ("所属行业", "choice", "lz"),
    "lead.legal_person": ("是否具备独立法人资格", "yesno", "gx"),
    "lead.internal_control": ("内控制度是否健全", "yesno", "gx"),
    "lead.tech_enterprise": ("是否为科技型企业", "yesno", "gx"),
    "lead.legal_representative": ("法定代表人", "text", "both"),
    "lead.contact": ("联系人", "text", "both"),
    "lead.phone": ("联系电话", "phone", "both"),
    "lead.email": ("电子邮箱", "email", "both"),
    "lead.revenue": ("上年度主营业务收入（万元）", "amount", "both"),
    "lead.rd_staff": ("专职研发人员数（人）", "integer", "both"),
    "lead.rd_expense_3y": ("近三个会计年度研究开发费用总额（万元）", "amount", "both"),
    "lead.sales_3y": ("近三个会计年度销售收入总额（万元）", "amount", "both"),
    "lead.operating_years": ("实际经营年限（年）", "number", "both"),
    "lead.rd_ratio": ("研发费用占销售收入比例（%）", "percent", "both"),
    "lead.outreach": ("学术交流、技术服务、国际合作、成果转化情况", "longtext", "both"),
    "lead.leads_other": ("是否已牵头组建其他创新联合体", "yesno", "both"),
    "governance.decision_body": ("决策议事机构", "longtext", "both"),
    "governance.advisory_body": ("技术咨询机构", "longtext", "both"),
    "governance.executive_body": ("常设执行机构", "longtext", "both"),
    "governance.executive_staff": ("执行机构工作人员数（人）", "integer", "both"),
    "governance.funds_policy": ("研发投入及经费管理制度", "longtext", "both"),
    "governance.benefit_policy": ("利益保障制度", "longtext", "gx"),
    "governance.openness_policy": ("开放发展制度", "longtext", "gx"),
    "governance.agreement_signed": ("是否已签订组建协议", "yesno", "gx"),
    "plan.goals": ("建设目标", "longtext", "both"),
    "plan.tasks": ("主要任务", "longtext", "both"),
    "plan.outcomes": ("预期成效", "longtext", "both"),
    "plan.start": ("建设期起始日期", "date", "both"),
    "plan.end": ("建设期截止日期", "date", "both"),
    "signoff.date": ("填报日期", "date", "both"),
    "signoff.recommender": ("推荐单位", "text", "both"),
    "signoff.recommender_opinion": ("推荐单位意见", "longtext", "both"),
}
OPTIONS = {
    "lead.org_type": ["企业", "高等学校", "科研院所", "医院", "其他机构"],
    "lead.industry": ["制造业", "科技与信息服务业", "其他"],
    "lead.platforms.level": ["国家级", "省部级", "市级", "其他"],
    "lead.platforms.type": [
        "实验室",
        "重点实验室",
        "工程（技术）研究中心",
        "技术创新中心",
        "企业技术中心",
        "其他",
    ],
    "members.org_type": [
        "企业",
        "高等学校",
        "科研院所",
        "医院",
        "技术转移机构",
        "检验检测机构",
        "科技咨询机构",
        "科技金融机构",
        "科技服务机构",
        "其他机构",
    ],  # fmt: skip
    "members.layer": ["核心层", "紧密合作层", "一般协作层"],
}
TABLES = {
    "lead.platforms": ("创新平台", ["平台名称", "级别", "类型"]),
    "members": (
        "成员单位",
        [
            "序号",
            "单位名称",
            "统一社会信用代码",
            "单位类型",
            "层级",
            "所在地",
            "合作基础",
            "已参与创新联合体数",
        ],
    ),
}
TITLES = {
    "lz-preapply-2024": "柳州市市级创新联合体预申报表",
    "gx-recognition": "广西壮族自治区创新联合体认定申请表",
}
# spec/CLAUSES.md
CLAUSES = set(
    "form gx-2 gx-4.4 gx-5.1 gx-5.2.1 gx-5.2.2 gx-5.2.3 gx-5.2.4 gx-5.2.5 gx-5.3.1 gx-5.3.5 gx-5.4 gx-6.1 "
    "gx-6.2 gx-7 gx-8 gx-12 gx-13 gx-14 lz-1.1 lz-1.2.1 lz-1.2.2 lz-1.2.3 lz-1.2.4 lz-1.2.5 lz-1.4 lz-1.5 "
    "lz-1.6 lz-2.1 lz-2.2 lz-2.3 lz-3.1 lz-3.2 lz-3.3 lz-3.4".split()
)
FORMS = list(TITLES)


def test_there_is_one_definition_per_form():
    assert form_ids() == sorted(FORMS)
    for form_id, title in TITLES.items():
        form = load_form(form_id)
        assert (form.id, form.title, form.policy) == (form_id, title, form_id[:2])


@pytest.mark.parametrize("form_id", FORMS)
def test_every_contract_field_is_defined_with_its_label_and_type(form_id):
    form = load_form(form_id)
    policy = form.policy
    expected = {fid: v for fid, v in CONTRACT.items() if v[2] in ("both", policy)}
    assert sorted(f.id for f in form.fields) == sorted(expected)
    for f in form.fields:
        label, ftype, _ = expected[f.id]
        assert (f.label, f.type) == (label, ftype), f.id
    for key, options in OPTIONS.items():
        table_id, _, col = key.rpartition(".")
        if table_id in TABLES:
            assert list(form.table(table_id).column(col).options) == options, key
        elif key in expected:
            assert list(form.field(key).options) == options, key


@pytest.mark.parametrize("form_id", FORMS)
def test_tables_have_the_contract_columns(form_id):
    form = load_form(form_id)
    assert sorted(t.id for t in form.tables) == sorted(TABLES)
    for table_id, (label, columns) in TABLES.items():
        table = form.table(table_id)
        assert table.label == label
        assert [c.label for c in table.columns] == columns
        assert table.blank_rows >= 4
    assert [c.id for c in form.table("members").columns if not c.in_record] == ["index"]


@pytest.mark.parametrize("form_id", FORMS)
def test_sections_are_numbered_in_order(form_id):
    form = load_form(form_id)
    assert [s.title.split("、")[0] for s in form.sections] == list("一二三四五六七")
    assert form.signatures == ("填报单位（盖章）", "推荐单位（盖章）")


@pytest.mark.parametrize("form_id", FORMS)
def test_rules_cite_clauses_of_the_right_policy(form_id):
    form = load_form(form_id)
    fields = list(form.fields) + [c for t in form.tables for c in t.columns]
    cited = 0
    for f in fields:
        assert f.type in FIELD_TYPES
        for rule in filter(None, [f.required, f.pattern[1] if f.pattern else None]):
            assert rule.clause in CLAUSES, (f.id, rule.clause)
            assert rule.clause == "form" or rule.clause.startswith(form.policy + "-"), (f.id, rule.clause)
            assert rule.message and any("\u4e00" <= ch <= "\u9fff" for ch in rule.message)
            cited += 1
    assert cited > 25
    assert form.field("consortium.name").pattern is not None


@pytest.mark.parametrize("form_id", FORMS)
def test_no_label_or_variant_is_shared_by_two_fields_of_one_scope(form_id):
    """A parser finding a label must know which field it names: within the single-value fields,
    and within each table's columns, every label and variant is unique."""
    form = load_form(form_id)
    scopes = [form.fields] + [t.columns for t in form.tables]
    for scope in scopes:
        counts = Counter(label for f in scope for label in set(f.labels))
        assert [label for label, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("form_id", FORMS)
def test_aliases_map_onto_canonical_options(form_id):
    form = load_form(form_id)
    for f in list(form.fields) + [c for t in form.tables for c in t.columns]:
        if f.type == "choice":
            assert f.options, f.id
        for written, canonical in f.aliases.items():
            assert canonical in f.options, (f.id, written)
            assert f.canonical_option(written) == canonical
    assert form.table("lead.platforms").column("level").canonical_option("自治区级") == "省部级"


def test_a_title_tells_which_form_a_text_is():
    assert detect_form("柳 州 市 市 级 创 新 联 合 体 预 申 报 表\n一、基本情况") == "lz-preapply-2024"
    assert detect_form("附件1  广西壮族自治区创新联合体认定申请表") == "gx-recognition"
    assert detect_form("某某公司年度报告") is None
