"""The arithmetic of the thresholds: exactly at a threshold passes, the Guangxi R&D test passes on
either the annual average (over the actual years when fewer than three) or the 3% ratio, and the
stated ratio is checked against expense ÷ sales with rounding tolerance."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from toolkit.check import check_record
from toolkit.record import load_record


@pytest.fixture(scope="module")
def lz(samples):
    return load_record(samples / "records" / "lz-pass.json")


@pytest.fixture(scope="module")
def gx(samples):
    return load_record(samples / "records" / "gx-pass.json")


def findings(base, **changes):
    record = copy.deepcopy(base)
    for dotted, value in changes.items():
        group, key = dotted.split("__")
        record[group][key] = value
    return check_record(record)


def codes(base, **changes):
    return {f.code for f in findings(base, **changes) if f.severity != "info"}


# -- Liuzhou revenue by industry -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("industry", "revenue", "warned"),
    [
        ("制造业", Decimal("50000"), False),
        ("制造业", Decimal("49999.99"), True),
        ("科技与信息服务业", Decimal("10000"), False),
        ("科技与信息服务业", Decimal("9999"), True),
        ("科技与信息服务业", Decimal("32000"), False),  # a services lead needs 1亿, not 5亿
        ("其他", Decimal("10000"), False),
        ("其他", Decimal("9999.5"), True),
    ],
)
def test_lz_revenue_threshold_by_industry(lz, industry, revenue, warned):
    assert ("LZ-REVENUE" in codes(lz, lead__industry=industry, lead__revenue=revenue)) is warned


def test_lz_revenue_message_names_label_value_and_requirement(lz):
    (f,) = [f for f in findings(lz, lead__revenue=Decimal(32000)) if f.code == "LZ-REVENUE"]
    assert f.message == "牵头单位上年度主营业务收入为32000万元，低于制造业原则上5亿元（50000万元）的要求"
    assert (f.severity, f.clause, f.field, f.value, f.expected) == (
        "warning",
        "lz-1.2.1",
        "/lead/revenue",
        Decimal(32000),
        ">= 50000",
    )


def test_amounts_are_printed_without_float_noise(lz):
    (f,) = [f for f in findings(lz, lead__revenue=0.1 + 49999.2) if f.code == "LZ-REVENUE"]
    assert "为49999.3万元" in f.message


# -- Liuzhou R&D ratio ---------------------------------------------------------------------------
def test_lz_ratio_exactly_three_percent_passes(lz):
    # 7350 / 245000 = 3.00 %
    assert codes(lz, lead__rd_expense_3y=Decimal(7350), lead__rd_ratio=Decimal(3)) == set()
    assert codes(lz, lead__rd_expense_3y=Decimal(7349), lead__rd_ratio=Decimal("3.00")) == {"LZ-RD-RATIO"}


def test_lz_ratio_is_computed_from_the_amounts_not_the_stated_ratio(lz):
    # The stated 3.5 % is wrong (computed 2.86 %): the threshold uses the amounts, and the mismatch is a form warning.
    got = codes(lz, lead__rd_expense_3y=Decimal(7000), lead__rd_ratio=Decimal("3.5"))
    assert got == {"LZ-RD-RATIO", "FORM-RD-RATIO"}


# -- stated ratio against expense ÷ sales --------------------------------------------------------
@pytest.mark.parametrize(
    ("stated", "mismatch"),
    [
        ("5.22", False),
        ("5.2245", False),
        ("5.2", False),
        ("5", False),
        ("5.23", True),
        ("5.3", True),
        ("6", True),
    ],
)
def test_stated_ratio_tolerates_rounding_only(lz, stated, mismatch):
    # 12800 / 245000 = 5.22449 %
    assert ("FORM-RD-RATIO" in codes(lz, lead__rd_ratio=Decimal(stated))) is mismatch


# -- Guangxi: average OR ratio -------------------------------------------------------------------
def gx_rd(gx, expense, sales, years, ratio=None):
    lead = {"rd_expense_3y": Decimal(expense), "sales_3y": Decimal(sales), "operating_years": Decimal(years)}
    record = copy.deepcopy(gx)
    record["lead"].update(lead)
    if ratio is None:
        record["lead"].pop("rd_ratio", None)
    else:
        record["lead"]["rd_ratio"] = Decimal(ratio)
    return check_record(record)


def gx_codes(*args, **kw):
    return {f.code for f in gx_rd(*args, **kw) if f.severity != "info"}


def test_gx_average_exactly_3000_passes_even_with_a_low_ratio(gx):
    assert gx_codes(gx, 9000, 1460000, 20) == set()  # 9000 / 3 = 3000; ratio 0.62 %
    assert gx_codes(gx, 8999, 1460000, 20) == {"GX-RD-INTENSITY"}


def test_gx_ratio_alone_passes_with_a_low_average(gx):
    assert gx_codes(gx, 2400, 80000, 20) == set()  # average 800, ratio exactly 3.00 %
    assert gx_codes(gx, 2399, 80000, 20) == {"GX-RD-INTENSITY"}


def test_gx_average_over_the_actual_years_when_fewer_than_three(gx):
    assert gx_codes(gx, 6000, 1460000, 2) == set()  # 6000 / 2 = 3000
    assert gx_codes(gx, 6000, 1460000, 3) == {"GX-RD-INTENSITY"}  # 6000 / 3 = 2000
    assert gx_codes(gx, 3000, 1460000, Decimal("0.5")) == set()  # under a year counts as one
    (f,) = [f for f in gx_rd(gx, 5000, 1460000, 2) if f.code == "GX-RD-INTENSITY"]
    assert "年均研究开发费用为2500万元（5000万元÷2年）" in f.message
    assert f.severity == "warning" and f.clause == "gx-5.2.3"


def test_gx_special_case_needs_more_than_10000_average(gx):
    infos = {f.code for f in gx_rd(gx, 30000, 1460000, 20)}
    assert "GX-SPECIAL-ELIGIBLE" not in infos  # exactly 10000 is not 超过
    infos = {f.code for f in gx_rd(gx, Decimal("30000.03"), 1460000, 20)}
    assert "GX-SPECIAL-ELIGIBLE" in infos


# -- counts and dates at their limits ------------------------------------------------------------
def test_lz_eight_members_pass_seven_warn(lz):
    record = copy.deepcopy(lz)
    record["members"] = record["members"][:8]
    assert {f.code for f in check_record(record) if f.severity != "info"} == set()
    record["members"] = record["members"][:7]
    assert {f.code for f in check_record(record) if f.severity != "info"} == {"LZ-MEMBERS"}


def test_lz_deadline_day_itself_is_in_time(lz):
    assert codes(lz, signoff__date="2024-04-15") == set()
    assert codes(lz, signoff__date="2024-04-16") == {"LZ-DEADLINE"}


def test_gx_member_in_three_consortia_passes(gx):
    record = copy.deepcopy(gx)
    record["members"][0]["consortia_count"] = 3
    assert {f.code for f in check_record(record) if f.severity != "info"} == set()


def test_gx_staff_exactly_30_and_revenue_exactly_10yi_pass(gx):
    assert codes(gx, lead__rd_staff=30, lead__revenue=Decimal(100000)) == set()


def test_gx_provincial_platform_of_listed_type_passes(gx):
    record = copy.deepcopy(gx)
    record["lead"]["platforms"] = [{"name": "广西某技术创新中心", "level": "省部级", "type": "技术创新中心"}]
    assert {f.code for f in check_record(record) if f.severity != "info"} == set()


def test_lz_city_level_platform_passes(lz):
    record = copy.deepcopy(lz)
    record["lead"]["platforms"] = [{"name": "柳州市某企业技术中心", "level": "市级", "type": "企业技术中心"}]
    assert {f.code for f in check_record(record) if f.severity != "info"} == set()


def test_gx_categories_count_the_lead(gx):
    # Every member a university: with the enterprise lead that is two categories.
    record = copy.deepcopy(gx)
    for m in record["members"]:
        m["org_type"] = "高等学校"
    assert {f.code for f in check_record(record) if f.severity != "info"} == set()
