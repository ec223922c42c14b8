"""What OCR misreads is caught: USCC check characters, 大写/小写 amounts."""

from __future__ import annotations

from decimal import Decimal

from toolkit.ocr.verify import chinese_amount, repair_uscc, settings, uscc_valid


def test_uscc_with_confused_letters_is_repaired_to_the_one_valid_code():
    cfg = settings()
    good = "9145020052601815XM"
    assert uscc_valid(good)
    assert repair_uscc("91450200526O1815XM", cfg["uscc_illegal"], cfg["uscc_swaps"]) == good  # O for 0
    assert repair_uscc("9I4502005260I815XM", cfg["uscc_illegal"], cfg["uscc_swaps"]) == good  # two I for 1
    assert repair_uscc("914502005Z601815XM", cfg["uscc_illegal"], cfg["uscc_swaps"]) == good  # Z for 2
    assert repair_uscc("914502OO5260I8I5XM", cfg["uscc_illegal"], cfg["uscc_swaps"]) == good  # several
    assert repair_uscc(good, cfg["uscc_illegal"], cfg["uscc_swaps"]) == good


def test_uscc_beyond_repair_gives_none():
    cfg = settings()
    assert (
        repair_uscc("9145020052601815XA", cfg["uscc_illegal"], cfg["uscc_swaps"]) is None
    )  # a wrong check character, no look-alike
    assert repair_uscc("91450200526018", cfg["uscc_illegal"], cfg["uscc_swaps"]) is None  # too short


def test_chinese_amounts():
    assert chinese_amount("捌亿陆仟伍佰万元整") == Decimal("865000000")
    assert chinese_amount("86500（大写：捌亿陆仟伍佰万元）") == Decimal("865000000")
    assert chinese_amount("壹拾贰万叁仟肆佰伍拾陆元") == Decimal("123456")
    assert chinese_amount("贰仟万元") == Decimal("20000000")
    assert chinese_amount("86500") is None
