"""统一社会信用代码 (USCC) by GB 32100-2015, with the organisation code of GB 11714-1997.

An 18-character code: 1 registration authority (登记管理部门), 1 organisation category, 6 digits
of administrative division (GB/T 2260), 9 characters of organisation code (GB 11714: 8 body
characters and its own check digit) and 1 check character (GB 32100 clause 5: weights 3^i mod 31
over the 31-character set without I, O, Z, S, V).

python-stdnum's ``cn.uscc`` computes the mod-31 check character (used here), but it rejects
codes whose first characters are not digits, and real codes start with ``A`` (军队), ``N`` (农业)
or ``Y`` (其他) too; it does not check the embedded GB 11714 digit either.

>>> validate("91450100625276015N")
'91450100625276015N'
>>> validate("N2450200MA5N0F3P10")  # 农业 authority: python-stdnum rejects it
'N2450200MA5N0F3P10'
>>> is_valid("Y1450200MA5N0F3P1T")  # 其他 authority
True
>>> is_valid("91110000600037341L"), is_valid("91110000600037342L")
(True, False)
>>> calc_check_digit("91450100625276015")
'N'
>>> calc_org_check_digit("62527601")
'5'
>>> validate("91450100625276016N")
Traceback (most recent call last):
    ...
toolkit.uscc.InvalidChecksum: 统一社会信用代码中组织机构代码的校验码应为5，实为6
>>> validate("9145010062527601")
Traceback (most recent call last):
    ...
toolkit.uscc.InvalidLength: 统一社会信用代码应为18位，实为16位
>>> compact(" 9145 0100-6252 7601 5n ")
'91450100625276015N'
"""

from __future__ import annotations

from stdnum.cn import uscc as _stdnum_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 table 2: 31 characters
# GB 32100 table 1: registration authorities. 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政,
# 6 旅游, 7 宗教, 8 工会, 9 工商, A 中央军委改革和编制办公室, N 农业, Y 其他.
AUTHORITIES = "123456789ANY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997 clause 5


class InvalidUSCC(ValueError):
    """A code that is not a valid USCC; ``str(err)`` is a Chinese sentence."""


class InvalidLength(InvalidUSCC):
    pass


class InvalidFormat(InvalidUSCC):
    pass


class InvalidChecksum(InvalidUSCC):
    pass


def compact(code: str) -> str:
    """Strip spaces and hyphens (ASCII and full-width), upper-case."""
    return "".join(c for c in code if not c.isspace() and c not in "-－").upper()


def calc_check_digit(first17: str) -> str:
    """GB 32100 check character of the first 17 characters (mod 31)."""
    return _stdnum_uscc.calc_check_digit(first17[:17])


def _org_value(char: str) -> int:
    # GB 11714: digits are their value, capital letters A-Z are 10-35.
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def calc_org_check_digit(body8: str) -> str:
    """GB 11714 check digit of an 8-character organisation code body (mod 11; 10 is X)."""
    total = sum(_org_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return {10: "X", 11: "0"}.get(digit, str(digit))


def validate(code: str) -> str:
    """The compact code, or :class:`InvalidUSCC` saying in Chinese what is wrong."""
    code = compact(code)
    if len(code) != 18:
        raise InvalidLength(f"统一社会信用代码应为18位，实为{len(code)}位")
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        raise InvalidFormat(f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用I、O、Z、S、V）")
    if code[0] not in AUTHORITIES:
        raise InvalidFormat(f"统一社会信用代码第1位（登记管理部门代码）“{code[0]}”不存在")
    if code[1] == "0":
        raise InvalidFormat("统一社会信用代码第2位（机构类别代码）不能为0")
    if not code[2:8].isdigit():
        raise InvalidFormat("统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字")
    org_check = calc_org_check_digit(code[8:16])
    if code[16] != org_check:
        raise InvalidChecksum(f"统一社会信用代码中组织机构代码的校验码应为{org_check}，实为{code[16]}")
    check = calc_check_digit(code)
    if code[17] != check:
        raise InvalidChecksum(f"统一社会信用代码第18位校验码应为{check}，实为{code[17]}")
    return code


def is_valid(code: str) -> bool:
    """Whether ``code`` is a valid USCC (both check characters; authorities 1-9, A, N, Y)."""
    try:
        validate(code)
    except InvalidUSCC:
        return False
    return True
