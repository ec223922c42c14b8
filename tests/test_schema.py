"""The JSON Schemas: generated from the definitions, committed, and right about real records."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator

from toolkit.forms import form_ids, load_form
from toolkit.record import load_record
from toolkit.schema import annotations, build_schema, dumps_schema, load_schema, validator

FORMS = ["lz-preapply-2024", "gx-recognition"]
RECORDS = {"lz-preapply-2024": "lz-pass.json", "gx-recognition": "gx-pass.json"}
JSON_TYPE = {
    "text": "string",
    "longtext": "string",
    "amount": "number",
    "integer": "integer",
    "number": "number",
    "percent": "number",
    "date": "string",
    "choice": "string",
    "yesno": "boolean",
    "uscc": "string",
    "phone": "string",
    "email": "string",
}
CONSTRAINTS = {"type", "format", "pattern", "enum", "minimum", "maximum", "minLength", "const"}
CLAUSE_ID = re.compile(r"^(form|(gx|lz)-[0-9]+(\.[0-9]+)*)$")


def test_both_forms_have_a_committed_schema():
    assert form_ids() == sorted(FORMS)


@pytest.mark.parametrize("form_id", FORMS)
def test_committed_schema_is_the_one_built_from_the_definition(root, form_id):
    committed = (root / "schemas" / f"{form_id}.schema.json").read_text(encoding="utf-8")
    built = build_schema(load_form(form_id))
    assert json.loads(committed) == built, "运行 python -m toolkit.schema --write 重新生成"
    assert committed == dumps_schema(built)
    assert load_schema(form_id) == built


@pytest.mark.parametrize("form_id", FORMS)
def test_schema_is_valid_draft_2020_12(form_id):
    schema = load_schema(form_id)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _definition_fields(form_id):
    """(x-field, Field) for every field and every recorded table column of the definition."""
    form = load_form(form_id)
    out = [(f.id, f) for f in form.fields]
    for table in form.tables:
        out += [(f"{table.id}[].{c.id}", c) for c in table.columns if c.in_record]
    return out


def _schema_at(schema, x_field):
    node = schema
    for part in re.split(r"\.", x_field):
        if part.endswith("[]"):
            node = node["properties"][part[:-2]]["items"]
        else:
            node = node["properties"][part]
    return node


def _schema_leaves(node):
    """Every property schema that describes one value (not an object or an array)."""
    for prop in node.get("properties", {}).values():
        if prop.get("type") == "object":
            yield from _schema_leaves(prop)
        elif prop.get("type") == "array":
            yield from _schema_leaves(prop["items"])
        else:
            yield prop


@pytest.mark.parametrize("form_id", FORMS)
def test_every_definition_field_has_its_schema_property(form_id):
    schema = load_schema(form_id)
    fields = _definition_fields(form_id)
    assert len(fields) > 40
    for x_field, f in fields:
        prop = _schema_at(schema, x_field)
        assert prop["title"] == f.label, x_field
        assert prop["x-field"] == x_field
        assert prop["type"] == JSON_TYPE[f.type], x_field
        if f.type == "choice":
            assert prop["enum"] == list(f.options), x_field
        else:
            assert "enum" not in prop
        if f.pattern:
            assert prop["pattern"] == f.pattern[0]
            assert prop["x-clause"] == f.pattern[1].clause


@pytest.mark.parametrize("form_id", FORMS)
def test_every_schema_property_comes_from_the_definition(form_id):
    by_id = dict(_definition_fields(form_id))
    leaves = [p for p in _schema_leaves(load_schema(form_id)) if p["x-field"] != "form"]
    assert sorted(p["x-field"] for p in leaves) == sorted(by_id)
    for prop in leaves:
        assert prop["title"] == by_id[prop["x-field"]].label


@pytest.mark.parametrize("form_id", FORMS)
def test_table_columns_not_in_the_record_are_not_in_the_schema(form_id):
    members = load_schema(form_id)["properties"]["members"]
    assert members["type"] == "array"
    assert "index" not in members["items"]["properties"]
    assert "序号" in [c.label for c in load_form(form_id).table("members").columns]


def _walk(node, path="#"):
    yield path, node
    for key, prop in node.get("properties", {}).items():
        yield from _walk(prop, f"{path}/{key}")
    if "items" in node:
        yield from _walk(node["items"], f"{path}[]")


@pytest.mark.parametrize("form_id", FORMS)
def test_every_constraint_is_annotated_with_a_clause_and_a_chinese_message(form_id):
    form = load_form(form_id)
    required_rules = {f.id: f.required for f in form.fields if f.required}
    for path, node in _walk(load_schema(form_id)):
        assert node.get("title"), path
        assert "x-field" in node, path
        keywords = CONSTRAINTS & set(node)
        if keywords:
            assert CLAUSE_ID.match(node["x-clause"]), path
            assert re.search(r"[\u4e00-\u9fff]", node["x-message"]), path
        for keyword, note in node.get("x-keywords", {}).items():
            assert keyword in keywords, path
            assert CLAUSE_ID.match(note["x-clause"]) and re.search(r"[\u4e00-\u9fff]", note["x-message"])
        if "required" in node:
            assert set(node["x-required"]) == set(node["required"]), path
            for key in node["required"]:
                x_field = f"{node['x-field']}.{key}" if node["x-field"] else key
                rule = required_rules.get(x_field)
                if rule:  # a field's own required rule, verbatim from the definition
                    assert node["x-required"][key] == {"x-clause": rule.clause, "x-message": rule.message}


@pytest.mark.parametrize("form_id", FORMS)
def test_reference_record_validates_without_error(samples, form_id):
    record = load_record(samples / "records" / RECORDS[form_id])
    assert record["form"] == form_id
    assert list(validator(form_id).iter_errors(record)) == []


def _errors(form_id, record):
    found = []
    for err in validator(form_id).iter_errors(record):
        found += [(err.validator, *a) for a in annotations(err)]
    return sorted(found)


@pytest.fixture
def lz(samples):
    return load_record(samples / "records" / "lz-pass.json")


@pytest.fixture
def gx(samples):
    return load_record(samples / "records" / "gx-pass.json")


def test_a_liuzhou_name_without_liuzhou_breaks_clause_lz_3_1(lz):
    lz["consortium"]["name"] = "南宁市新能源汽车智能底盘创新联合体"
    assert _errors("lz-preapply-2024", lz) == [
        ("pattern", "/consortium/name", "lz-3.1", "创新联合体名称应为“柳州市+核心技术领域+创新联合体”")
    ]


def test_a_missing_required_field_names_its_clause_and_message(lz, gx):
    del lz["lead"]["uscc"]
    lz["consortium"]["tech_field"] = ""
    assert _errors("lz-preapply-2024", lz) == [
        ("minLength", "/consortium/tech_field", "lz-3.1", "未填写核心技术领域"),
        ("required", "/lead/uscc", "lz-1.1", "未填写牵头单位统一社会信用代码"),
    ]
    del gx["members"][1]["layer"]
    assert _errors("gx-recognition", gx) == [
        ("required", "/members/1/layer", "gx-5.3.1", "未填写成员单位层级（核心层、紧密合作层或一般协作层）")
    ]


def test_a_member_layer_is_optional_for_liuzhou_but_must_be_canonical(lz):
    del lz["members"][0]["layer"]
    assert _errors("lz-preapply-2024", lz) == []
    lz["members"][2]["layer"] = "核心"
    assert _errors("lz-preapply-2024", lz) == [
        ("enum", "/members/2/layer", "form", "“层级”应为以下之一：核心层、紧密合作层、一般协作层")
    ]


def test_a_missing_group_is_reported_with_the_clause_of_its_first_required_field(lz):
    del lz["governance"]
    assert _errors("lz-preapply-2024", lz) == [
        ("required", "/governance", "lz-1.4", "未填写“组织架构与运行制度”部分")
    ]


def test_amounts_are_non_negative_and_ratios_at_most_100(gx):
    gx["lead"]["revenue"] = Decimal("-1.5")
    gx["lead"]["rd_ratio"] = Decimal("120")
    gx["lead"]["rd_staff"] = Decimal("15.5")
    assert _errors("gx-recognition", gx) == [
        ("maximum", "/lead/rd_ratio", "form", "“研发费用占销售收入比例（%）”应在 0 到 100 之间"),
        ("minimum", "/lead/revenue", "form", "“上年度主营业务收入（万元）”不能为负数"),
        ("type", "/lead/rd_staff", "form", "“专职研发人员数（人）”应为整数"),
    ]


def test_whole_decimals_count_as_integers(gx):
    gx["lead"]["rd_staff"] = Decimal("312")
    gx["members"][0]["consortia_count"] = Decimal("2.0")
    assert _errors("gx-recognition", gx) == []


def test_uscc_shape_excludes_the_letters_gb_32100_leaves_out(gx):
    gx["lead"]["uscc"] = "91450100625276015O"  # O is not in the character set
    gx["members"][0]["uscc"] = "9145010062527601"  # 16 characters
    got = _errors("gx-recognition", gx)
    assert [(v, p, c) for v, p, c, _ in got] == [
        ("pattern", "/lead/uscc", "form"),
        ("pattern", "/members/0/uscc", "form"),
    ]
    assert "不含 I、O、S、V、Z" in got[0][3]


@pytest.mark.parametrize(
    "phone",
    [
        "13907712345",
        "0772-3861234",
        "0772 3861234",
        "(0772)3861234",
        "（0772）3861234",
        "010-88886666",
        "0772-3861234-8012",
        "0772-3861234转8012",
        "07723861234",
    ],
)
def test_phone_numbers_people_write_are_accepted(gx, phone):
    gx["lead"]["phone"] = phone
    assert _errors("gx-recognition", gx) == []


@pytest.mark.parametrize(
    "phone", ["3861234", "12907712345", "1390771234", "0772-38612", "电话0772-3861234", ""]
)
def test_phone_numbers_without_area_code_or_malformed_are_rejected(gx, phone):
    gx["lead"]["phone"] = phone
    assert _errors("gx-recognition", gx) == [
        ("pattern", "/lead/phone", "form", "“联系电话”应为手机号码或带区号的固定电话（如 0772-3861234）")
    ]


def test_email_dates_yesno_and_choices(lz):
    bad = copy.deepcopy(lz)
    bad["lead"]["email"] = "qinxy@zhichi"
    bad["plan"]["start"] = "2024/06/01"
    bad["plan"]["end"] = "2027-02-30"
    bad["consortium"]["special_case"] = "否"
    bad["lead"]["industry"] = "服务业"
    bad["form"] = "gx-recognition"
    got = _errors("lz-preapply-2024", bad)
    assert [(v, p, c) for v, p, c, _ in got] == [
        ("const", "/form", "form"),
        ("enum", "/lead/industry", "form"),
        ("format", "/plan/end", "form"),
        # a date in another shape breaks both the ISO pattern and the date format
        ("format", "/plan/start", "form"),
        ("pattern", "/lead/email", "form"),
        ("pattern", "/plan/start", "form"),
        ("type", "/consortium/special_case", "form"),
    ]
    messages = dict(((v, p), m) for v, p, _, m in got)
    assert messages[("enum", "/lead/industry")] == "“所属行业”应为以下之一：制造业、科技与信息服务业、其他"
    assert messages[("format", "/plan/end")] == "“建设期截止日期”不是一个存在的日期"


def test_an_unknown_form_id_is_a_user_error():
    from toolkit.errors import UnknownFormError

    with pytest.raises(UnknownFormError, match="未知的表单：nosuch"):
        load_schema("nosuch")
