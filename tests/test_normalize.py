"""Values as people write them become canonical values; what cannot be read raises, never guessed."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest

from toolkit.forms import load_form
from toolkit.read import normalize

LZ = load_form("lz-preapply-2024")
GX = load_form("gx-recognition")


def test_doctests() -> None:
    result = doctest.testmod(normalize)
    assert result.attempted > 20 and result.failed == 0


@pytest.mark.parametrize(
    "written,unit,wanted",
    [
        ("5.2亿元", "万元", "52000"),
        ("52,000万元", "万元", "52000"),
        ("520000000元", "万元", "52000"),
        ("８６５００", "万元", "86500"),
        ("人民币伍亿贰仟万元整", "万元", "52000"),
        ("1.2万", "万元", "1.2"),
        ("86,500.00", "万元", "86500"),
        ("￥12800万元", "万元", "12800"),
        ("5亿2000万", "万元", "52000"),
        ("三千五", "元", "3500"),
        ("12800", "元", "12800"),
    ],
)
def test_amounts_in_the_labels_unit_unless_the_cell_says_otherwise(
    written: str, unit: str, wanted: str
) -> None:
    value = normalize.amount(written, unit)
    assert isinstance(value, Decimal) and value == Decimal(wanted)


@pytest.mark.parametrize("written", ["约五亿", "5亿左右", "一亿多", "三千多万", "两三千万", "不详", "5..2亿"])
def test_estimates_are_not_amounts(written: str) -> None:
    with pytest.raises(ValueError, match="金额"):
        normalize.amount(written)


@pytest.mark.parametrize(
    "written,wanted",
    [
        ("2024年4月10日", "2024-04-10"),
        ("2024.4.10", "2024-04-10"),
        ("2024/04/10", "2024-04-10"),
        ("2024-04-10", "2024-04-10"),
        ("２０２４年４月１０日", "2024-04-10"),
        ("2024 年 4 月 10 日", "2024-04-10"),
    ],
)
def test_dates(written: str, wanted: str) -> None:
    assert normalize.date(written) == wanted


@pytest.mark.parametrize("written", ["2024年13月5日", "2024年2月30日", "去年四月", "2024年4月"])
def test_impossible_or_incomplete_dates_fail(written: str) -> None:
    with pytest.raises(ValueError, match="日期"):
        normalize.date(written)


def test_percent_integer_number_uscc() -> None:
    assert normalize.percent("3.5%") == Decimal("3.5") == normalize.percent("3.5")
    assert normalize.integer("156人", "人") == 156
    assert normalize.number("12.5年", "年") == Decimal("12.5")
    assert normalize.uscc("9145 0200 5260 1815xm") == "9145020052601815XM"
    with pytest.raises(ValueError):
        normalize.integer("150余人", "人")
    with pytest.raises(ValueError):
        normalize.percent("较高")


@pytest.mark.parametrize(
    "written,wanted",
    [
        ("☑制造业 ☐科技与信息服务业 ☐其他", "制造业"),
        ("☒制造业 □科技与信息服务业 □其他", "制造业"),
        ("■科技与信息服务业 □制造业", "科技与信息服务业"),
        ("制造业√ 科技与信息服务业□ 其他□", "制造业"),
        ("☐制造业 ✓科技与信息服务业 ☐其他", "科技与信息服务业"),
        ("●其他 ○制造业", "其他"),
        ("制造业", "制造业"),
        ("☑ 制造业", "制造业"),
        ("科技服务业", "科技与信息服务业"),
    ],
)
def test_every_way_of_ticking(written: str, wanted: str) -> None:
    assert normalize.choice(written, LZ.field("lead.industry")) == wanted


def test_longest_option_wins_and_aliases_map() -> None:
    platform_type = LZ.table("lead.platforms").column("type")
    assert normalize.choice("☐实验室 ☑重点实验室", platform_type) == "重点实验室"
    assert normalize.choice("工程(技术)研究中心", platform_type) == "工程（技术）研究中心"
    assert normalize.choice("自治区级", LZ.table("lead.platforms").column("level")) == "省部级"
    assert normalize.choice("☐企业 ☑其他机构", GX.field("lead.org_type")) == "其他机构"


def test_two_ticks_or_an_unknown_option_fail_and_no_tick_is_blank() -> None:
    industry = LZ.field("lead.industry")
    with pytest.raises(ValueError, match="多个选项"):
        normalize.choice("☑制造业 ☑其他", industry)
    with pytest.raises(ValueError, match="不是可选项"):
        normalize.choice("农业", industry)
    with pytest.raises(normalize.NotFilled):
        normalize.choice("☐制造业 ☐科技与信息服务业 ☐其他", industry)


def test_yes_no_and_text() -> None:
    assert normalize.yesno("☑是 ☐否") is True
    assert normalize.yesno("是□ 否■") is False
    assert normalize.yesno("无") is False
    with pytest.raises(ValueError):
        normalize.yesno("☑是 ☑否")
    # a tick typed beside one option only, the other left bare: the mark belongs to its neighbour
    assert normalize.yesno("√是 否") is True
    assert normalize.yesno("是√ 否") is True
    assert normalize.yesno("是 √否") is False
    assert normalize.yesno("是 否√") is False
    assert normalize.text("  柳州市\u3000柳南区  ") == "柳州市柳南区"
    assert normalize.text("点击此处输入文字。") == ""
