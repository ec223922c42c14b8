"""Values read from a scan are cleaned by their field's type, and anything changed beyond the junk
around a value, or not readable as its type, is flagged for a person: never a silent wrong value.

These tests build the OCR layout (cells as the reader makes them) directly, so they run without
the OCR models; tests/test_scan_harsh.py reads real harsh scans.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit.forms import load_form
from toolkit.ocr.clean import clean_value
from toolkit.ocr.verify import record_of_scan, uscc_valid
from toolkit.read import Cell, Grid, Layout
from toolkit.record import get_path, set_path

LZ = "lz-preapply-2024"
GOOD_USCC = "9145020052601815XM"
MEMBERS_HEADER = ["序号", "单位名称", "统一社会信用代码", "单位类型", "层级", "所在地", "合作基础"]


def _cells(texts: list[str], page: int = 1) -> list[Cell]:
    return [Cell(t, confidence=0.99, page=page, col=i, ink=bool(t)) for i, t in enumerate(texts)]


def _layout(singles: dict[str, str], members: list[list[str]] | None = None) -> Layout:
    rows = [_cells([label, value]) for label, value in singles.items()]
    blocks: list[str | Grid] = ["柳州市市级创新联合体预申报表", Grid(rows=rows, page=1)]
    if members is not None:
        blocks.append(Grid(rows=[_cells(MEMBERS_HEADER)] + [_cells(m, 2) for m in members], page=2))
    return Layout(source="scan.pdf", kind="scan", blocks=blocks)


def _read(layout: Layout):
    """What parse_file does with a scan after recognition: extract, snap labels, split merged
    cells, clean by type, extract again, review."""
    return record_of_scan(layout, LZ)


def _flagged(result, pointer: str) -> list[str]:
    return [p.message for p in result.problems if p.field == pointer]


# -- the crash of issue 12 ------------------------------------------------------------------------


def test_set_path_goes_through_a_table_row():
    record = {"members": [{"uscc": "A"}, {"uscc": "B"}]}
    set_path(record, "/members/1/uscc", "C")
    assert record["members"] == [{"uscc": "A"}, {"uscc": "C"}]
    with pytest.raises(KeyError):
        set_path(record, "/members/5/uscc", "D")  # a row that is not there is not made up


def test_a_members_uscc_misread_is_repaired_in_its_row_and_flagged():
    # O for 0 in the second member's code: it used to crash in set_path (a list on the way)
    misread = GOOD_USCC.replace("0", "O")
    members = [
        ["1", "柳州甲科技有限公司", "91450200MA5N0F3P1T", "企业", "核心层", "柳州市柳南区", "共建实验室"],
        ["2", "柳州乙科技有限公司", misread, "企业", "核心层", "柳州市柳北区", "联合攻关"],
    ]
    result = _read(_layout({"牵头单位名称": "柳州智驰底盘科技股份有限公司"}, members))
    assert get_path(result.record, "/members/1/uscc") == GOOD_USCC
    assert any("更正" in m for m in _flagged(result, "/members/1/uscc"))


def test_a_valid_agricultural_uscc_is_accepted_as_read():
    assert uscc_valid("N2450200MA5N0F3P10")
    result = _read(_layout({"统一社会信用代码": "N2450200MA5N0F3P10"}))
    assert get_path(result.record, "lead.uscc") == "N2450200MA5N0F3P10"
    assert _flagged(result, "/lead/uscc") == []


# -- cleaning by type --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "read", "cleaned", "corrected"),
    [
        ("lead.revenue", "86500,", "86500", False),  # a speck after the amount
        ("lead.revenue", "。86500.", "86500", False),
        ("lead.revenue", "865O0", "86500", True),  # O read for 0: a correction
        ("lead.rd_staff", "l56", "156", True),
        ("lead.rd_ratio", "5.22R", "5.22", True),
        ("lead.rd_ratio", "5.22%:", "5.22%", False),
        ("lead.name", "柳州智驰底盘科技股份有限公司 .", "柳州智驰底盘科技股份有限公司", False),
        ("lead.location", "柳州市柳南巨", "柳州市柳南区", True),  # one character off the profile's list
        ("lead.location", "柳州市柳南区", "柳州市柳南区", False),
        ("lead.email", "qinxy@zhichi-chassis.com。", "qinxy@zhichi-chassis.com", False),
        ("lead.uscc", "9145 0200 5260 1815 XM.", GOOD_USCC, False),
    ],
)
def test_values_are_cleaned_by_their_type(field, read, cleaned, corrected):
    form = load_form(LZ)
    assert clean_value(form.field(field), read, LZ) == (cleaned, corrected)


def test_a_long_text_keeps_its_full_stop_but_not_a_specks():
    form = load_form(LZ)
    f = form.field("lead.outreach")
    assert clean_value(f, "转化科技成果12项。.", LZ) == ("转化科技成果12项。", False)
    assert clean_value(f, "共同承担自治区重大专项“智能底盘线控技术”", LZ)[0].endswith("”")


def test_an_option_label_one_character_off_is_snapped_and_the_ticked_one_flagged():
    form = load_form(LZ)
    industry = form.field("lead.industry")
    assert clean_value(industry, "☐制造业 ☑科技与信息服务亚 ☐其他", LZ) == (
        "☐制造业 ☑科技与信息服务业 ☐其他",
        True,
    )
    # an unticked label misread changes nothing that matters
    assert clean_value(industry, "☑制造业 ☐科技与信息服务亚 ☐其他", LZ)[1] is False


# -- flagged, never silent -----------------------------------------------------------------------------


def test_a_corrected_amount_is_in_the_record_and_flagged():
    result = _read(_layout({"上年度主营业务收入（万元）": "865O0"}))
    assert get_path(result.record, "lead.revenue") == Decimal("86500")
    assert any("865O0" in m and "更正" in m for m in _flagged(result, "/lead/revenue"))


def test_junk_around_an_amount_is_taken_off_without_a_flag():
    result = _read(_layout({"上年度主营业务收入（万元）": "86500.:", "专职研发人员数（人）": "156 。"}))
    assert get_path(result.record, "lead.revenue") == Decimal("86500")
    assert get_path(result.record, "lead.rd_staff") == 156
    assert _flagged(result, "/lead/revenue") == [] and _flagged(result, "/lead/rd_staff") == []


def test_a_choice_with_a_box_not_found_is_flagged_not_left_blank():
    # the ☑ before 制造业 was not found: the cell reads as if nothing were ticked
    result = _read(_layout({"所属行业": "制造业 ☐科技与信息服务业 ☐其他", "牵头单位名称": "甲公司"}))
    assert get_path(result.record, "lead.industry") is None
    assert _flagged(result, "/lead/industry")


def test_a_choice_left_blank_on_paper_is_not_flagged():
    result = _read(_layout({"所属行业": "☐制造业 ☐科技与信息服务业 ☐其他", "牵头单位名称": "甲公司"}))
    assert get_path(result.record, "lead.industry") is None
    assert _flagged(result, "/lead/industry") == []


def test_an_email_address_misread_is_flagged():
    result = _read(_layout({"电子邮箱": "qinxy@zhichi-chassis:comi", "牵头单位名称": "甲公司"}))
    assert _flagged(result, "/lead/email")


def test_an_amount_beyond_cleaning_is_reported_not_guessed():
    result = _read(_layout({"上年度主营业务收入（万元）": "8G5#0", "牵头单位名称": "甲公司"}))
    assert get_path(result.record, "lead.revenue") is None
    assert [p for p in result.problems if p.field == "/lead/revenue"]


def test_a_members_table_seen_but_not_read_is_flagged_as_a_whole():
    # the header is there, under it nothing could be made a row of (a table torn by the scan)
    layout = _layout({"牵头单位名称": "甲公司"}, members=[])
    layout.blocks[-1] = Grid(
        rows=[_cells(["序号", "单位名称 统一社会信用代码", "单位类型 层级", "所在地"])], page=2
    )
    result = _read(layout)
    assert "members" not in result.record
    assert _flagged(result, "/members")


# -- cells merged by a lost rule, list numbers, seals, empty cells ---------------------------------


def test_a_cell_holding_a_label_and_the_next_value_is_split_at_the_label():
    # the rule between 起始 and 截止 was lost in the scan: one cell holds both dates and a label
    layout = _layout({"牵头单位名称": "甲公司"})
    layout.blocks[1].rows.append(_cells(["建设期起始日期", "2024.7.1 建设期截止日期 2027.6.30"]))
    layout.blocks[1].rows.append(_cells(["统一社会信用代码", f"{GOOD_USCC} 注册地（县区） 柳州市鱼峰区"]))
    result = _read(layout)
    assert str(get_path(result.record, "/plan/start")) == "2024-07-01"
    assert str(get_path(result.record, "/plan/end")) == "2027-06-30"
    assert get_path(result.record, "/lead/location") == "柳州市鱼峰区"
    assert get_path(result.record, "/lead/uscc") == GOOD_USCC


def test_a_value_that_merely_names_a_label_is_not_split():
    layout = _layout({"主要任务": "1.制定 建设期起始日期 前的计划"})
    result = _read(layout)
    assert get_path(result.record, "/plan/tasks") == "1.制定建设期起始日期前的计划"
    assert get_path(result.record, "/plan/start") is None


def test_a_list_item_that_lost_its_dot_gets_it_back():
    # the paper has it beyond doubt (its three siblings do, numbered 1 to 4): no look needed
    read = "1.线控底盘关键技术攻关；2.共建测试验证平台；3.制定团体标准3项；4培养研发人才 200名。"
    result = _read(_layout({"主要任务": read}))
    assert get_path(result.record, "/plan/tasks") == (
        "1.线控底盘关键技术攻关；2.共建测试验证平台；3.制定团体标准3项；4.培养研发人才200名。"
    )
    assert _flagged(result, "/plan/tasks") == []
    plain = "1线控底盘关键技术攻关；2共建测试验证平台。"  # a list written without dots stays so
    assert clean_value(load_form(LZ).field("plan.tasks"), plain, LZ) == (plain, False)


def test_a_text_with_a_bracket_lost_is_flagged():
    result = _read(_layout({"牵头单位名称": "甲公司", "所属产业方向": "数字经济软件和信息技术服务业）"}))
    assert any("括号" in m for m in _flagged(result, "/consortium/industry_direction"))
    assert _flagged(result, "/lead/name") == []


def test_a_sentence_starting_with_a_number_is_no_list_item():
    form = load_form(LZ)
    text = "1.线控底盘关键技术攻关；3项成果已转化。"
    assert clean_value(form.field("plan.tasks"), text, LZ) == (text, False)


def test_a_decimal_point_read_as_a_middle_dot_is_put_back_and_flagged():
    result = _read(_layout({"近三个会计年度研究开发费用总额（万元）": "3150·5"}))
    assert get_path(result.record, "/lead/rd_expense_3y") == Decimal("3150.5")
    assert _flagged(result, "/lead/rd_expense_3y")


def test_a_members_code_cell_with_ink_but_nothing_read_is_flagged_on_its_row():
    members = [
        ["1", "柳州甲科技有限公司", GOOD_USCC, "企业", "核心层", "柳州市柳南区", "共建实验室"],
        ["2", "柳州乙科技有限公司", "", "企业", "核心层", "柳州市柳北区", "联合攻关"],
    ]
    layout = _layout({"牵头单位名称": "柳州智驰底盘科技股份有限公司"}, members)
    layout.blocks[-1].rows[2][2].ink = True  # ink the recogniser made nothing of
    result = _read(layout)
    assert get_path(result.record, "/members/1/name") == "柳州乙科技有限公司"
    assert any("未能识别" in m for m in _flagged(result, "/members/1/uscc"))
    assert _flagged(result, "/members/0/uscc") == []


def test_a_members_code_cell_left_blank_on_paper_is_not_flagged():
    members = [
        ["1", "柳州甲科技有限公司", GOOD_USCC, "企业", "核心层", "柳州市柳南区", "共建实验室"],
        ["2", "柳州乙科技有限公司", "", "企业", "核心层", "柳州市柳北区", "联合攻关"],
    ]
    result = _read(_layout({"牵头单位名称": "柳州智驰底盘科技股份有限公司"}, members))
    assert _flagged(result, "/members/1/uscc") == []


def test_values_under_a_seal_are_flagged():
    # a grey seal cannot be taken out by its colour: its characters read into the value score lower
    layout = _layout({"牵头单位名称": "柳州智驰底盘科技股份有限公司海洋生物", "联系人": "覃小燕"})
    name, contact = layout.blocks[1].rows[0][1], layout.blocks[1].rows[1][1]
    name.bbox, contact.bbox = (200, 100, 500, 120), (200, 400, 500, 420)
    name.confidence = 0.90
    layout.seals = [{"page": 1, "centre": (350, 110), "radius": 60}]
    layout.colourless = True
    result = _read(layout)
    assert any("印章" in m for m in _flagged(result, "/lead/name"))
    assert _flagged(result, "/lead/contact") == []


def test_a_value_read_surely_under_a_seal_is_not_flagged_but_a_residue_is():
    layout = _layout({"牵头单位名称": "柳州智驰底盘科技股份有限公司", "推荐单位意见": "专"})
    name, opinion = layout.blocks[1].rows[0][1], layout.blocks[1].rows[1][1]
    name.bbox, opinion.bbox = (200, 100, 500, 120), (200, 130, 500, 150)
    layout.seals = [{"page": 1, "centre": (350, 125), "radius": 60}]
    for colourless in (True, False):
        layout.colourless = colourless
        result = _read(layout)
        assert _flagged(result, "/lead/name") == []
        assert any("印章" in m for m in _flagged(result, "/signoff/recommender_opinion"))


def test_parse_file_cleans_a_scans_values(monkeypatch):
    # the cleaning by type is part of reading any scan, not only of toolkit.ocr.parse_scan
    from toolkit.read import api

    layout = _layout(
        {"上年度主营业务收入（万元）": "865O0", "牵头单位名称": "柳州智驰底盘科技股份有限公司 ."}
    )
    monkeypatch.setattr(api, "read_layout", lambda path: layout)
    result = api.parse_file("scan.pdf", LZ)
    assert get_path(result.record, "/lead/revenue") == Decimal("86500")
    assert get_path(result.record, "/lead/name") == "柳州智驰底盘科技股份有限公司"
    assert _flagged(result, "/lead/revenue")


def test_a_speck_read_beside_a_code_or_a_written_choice_is_taken_off_and_flagged():
    members = [
        ["1", "柳州甲科技有限公司", "A" + GOOD_USCC, "企业", "核心层1", "柳州市柳南区", "共建实验室"],
        ["2", "柳州乙科技有限公司", GOOD_USCC, "企业", "核心层。", "柳州市柳北区", "联合攻关"],
    ]
    result = _read(_layout({"牵头单位名称": "柳州智驰底盘科技股份有限公司"}, members))
    assert get_path(result.record, "/members/0/uscc") == GOOD_USCC
    assert get_path(result.record, "/members/0/layer") == "核心层"
    assert _flagged(result, "/members/0/uscc") and _flagged(result, "/members/0/layer")
    assert get_path(result.record, "/members/1/layer") == "核心层"
    assert _flagged(result, "/members/1/layer") == []  # junk around it: taken off silently


def test_a_value_split_over_two_cells_is_joined_and_flagged():
    layout = _layout({"牵头单位名称": "甲公司"})
    layout.blocks[1].rows.append(_cells(["决策议事机构", "理事会：由牵头单位及核心层单位代表5", "人组成。"]))
    result = _read(layout)
    assert (
        get_path(result.record, "/governance/decision_body") == "理事会：由牵头单位及核心层单位代表5人组成。"
    )
    assert any("合并" in m for m in _flagged(result, "/governance/decision_body"))


def test_a_value_beside_a_label_read_unsurely_is_flagged():
    # three labels run together where their rules were lost: the value may be another field's
    layout = _layout({"牵头单位名称": "甲公司", "推荐单位意见": "2024-04-08"})
    layout.blocks[1].rows[1][0].confidence = 0.27
    result = _read(layout)
    assert any("栏目名称识别不清" in m for m in _flagged(result, "/signoff/recommender_opinion"))
    assert _flagged(result, "/lead/name") == []


def test_a_field_whose_label_is_nowhere_in_the_scan_is_flagged():
    result = _read(_layout({"牵头单位名称": "甲公司", "填报曰朗": "2024-04-08"}))
    assert any("未找到" in m for m in _flagged(result, "/signoff/date"))


def test_a_table_row_shown_but_not_read_is_flagged():
    # the first cell of the platform's row ran into the header's, where the rule was lost: the
    # header is still found by its other columns, the row is not read
    layout = _layout({"牵头单位名称": "甲公司"})
    merged = "平台名称柳州市智能底盘重点实验室"
    layout.blocks.append(
        Grid(rows=[_cells([merged, "级别", "类型"]), _cells([merged, "市级", "重点实验室"])], page=1)
    )
    result = _read(layout)
    assert not get_path(result.record, "/lead/platforms")
    assert any("只读出0行" in m for m in _flagged(result, "/lead/platforms"))


def test_labels_of_several_rows_read_as_one_cell_are_cut_back_into_rows():
    # a blurred label column: the rules between its rows lost, the labels read as one cell
    stack = "牵头单位名称法定代表入联系人"  # 人 read 入 in the middle one
    rows = [
        _cells([stack, "柳州智驰底盘科技股份有限公司"]),
        _cells([stack, "韦建华"]),
        _cells([stack, "覃小燕"]),
    ]
    for row in rows[1:]:
        row[0].continued = True
    layout = Layout(
        source="scan.pdf", kind="scan", blocks=["柳州市市级创新联合体预申报表", Grid(rows=rows, page=1)]
    )
    result = _read(layout)
    assert get_path(result.record, "/lead/name") == "柳州智驰底盘科技股份有限公司"
    assert get_path(result.record, "/lead/legal_representative") == "韦建华"
    assert get_path(result.record, "/lead/contact") == "覃小燕"
    assert _flagged(result, "/lead/name") == []
    assert any("栏目名称识别不清" in m for m in _flagged(result, "/lead/legal_representative"))


def test_a_stack_of_labels_that_does_not_match_the_rows_is_left_alone():
    stack = "牵头单位名称法定代表人联系人"
    rows = [_cells([stack, "柳州智驰底盘科技股份有限公司"]), _cells([stack, "韦建华"])]
    rows[1][0].continued = True
    phone = Grid(rows=[_cells(["联系电话", "0772-3861234"])], page=1)
    blocks = ["柳州市市级创新联合体预申报表", Grid(rows=rows, page=1), phone]
    result = _read(Layout(source="scan.pdf", kind="scan", blocks=blocks))
    assert get_path(result.record, "/lead/phone") == "0772-3861234"
    assert get_path(result.record, "/lead/legal_representative") is None
    assert get_path(result.record, "/lead/contact") is None


def test_a_table_read_as_lines_of_text_is_flagged():
    # a black-and-white scan lost the platforms table's rules: its header is read as text lines
    layout = _layout({"牵头单位名称": "甲公司"})
    layout.blocks += ["创新平台", "平台名称", "级别", "类型", "柳州市智能底盘重点实验室市级", "重点实验室"]
    result = _read(layout)
    assert any("未能读出其中的行" in m for m in _flagged(result, "/lead/platforms"))
    assert _flagged(_read(_layout({"牵头单位名称": "甲公司"})), "/lead/platforms") == []
