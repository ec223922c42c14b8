"""How people write values and labels by hand: Chinese dates, amounts in 元 or 亿元 or in capital
numerals (大写), labels spaced out to fill a cell.

Each writer turns a canonical value into text; ``check_amount`` reads the simple amount spellings
back, so that a typo in a sample's written amount fails the build instead of shipping a wrong
expected record.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_BIG = ("", "万", "亿", "万亿")


def cn_date(iso: str) -> str:
    """Year, month and day in Chinese, without leading zeros.

    >>> cn_date("2024-04-10")
    '2024年4月10日'
    """
    y, m, d = iso.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


def dot_date(iso: str) -> str:
    """Dotted date, without leading zeros.

    >>> dot_date("2024-04-10")
    '2024.4.10'
    """
    y, m, d = iso.split("-")
    return f"{y}.{int(m)}.{int(d)}"


def slash_date(iso: str) -> str:
    """Slashed date, with leading zeros.

    >>> slash_date("2024-04-10")
    '2024/04/10'
    """
    return iso.replace("-", "/")


def _group(n: int) -> str:
    out, zero = "", False
    for pos in (3, 2, 1, 0):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _SMALL[pos]
    return out


def daxie_yuan(wan: Decimal | int) -> str:
    """An amount in 万元 written in capital numerals in 元, as on a cheque.

    >>> daxie_yuan(52000)
    '人民币伍亿贰仟万元整'
    >>> daxie_yuan(2105)
    '人民币贰仟壹佰零伍万元整'
    >>> daxie_yuan(685000)
    '人民币陆拾捌亿伍仟万元整'
    """
    yuan = Decimal(wan) * 10000
    if yuan != yuan.to_integral_value() or yuan <= 0:
        raise ValueError(f"not a whole number of yuan: {wan}")
    n = int(yuan)
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, gap = "", False
    for idx in reversed(range(len(groups))):
        g = groups[idx]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out += "零"
        out += _group(g) + _BIG[idx]
        gap = False
    return f"人民币{out}元整"


def fullwidth(text: str) -> str:
    """ASCII digits and punctuation as a full-width input method types them.

    >>> fullwidth("3150.5")
    '３１５０．５'
    """
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def check_amount(text: str, wan: Decimal | int) -> None:
    """Fail when ``text`` (``5.2亿元``, ``52,000万元``, ``520000000元``, full-width digits, or a bare
    number meaning 万元) does not mean ``wan`` 万元. Capital numerals are checked by the doctests."""
    t = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    factor = Decimal(1)
    for unit, f in (("亿元", Decimal(10000)), ("万元", Decimal(1)), ("元", Decimal("0.0001"))):
        if t.endswith(unit):
            t, factor = t[: -len(unit)], f
            break
    if Decimal(t) * factor != Decimal(wan):
        raise ValueError(f"written amount {text!r} is not {wan} 万元")


def spaced(label: str, sep: str = " ") -> str:
    """Characters spread apart, as people align a label in its cell.

    >>> spaced("联系人")
    '联 系 人'
    """
    return sep.join(label)


def hand_label(label: str) -> str:
    """A label as retyped in Word or WPS: short labels spaced out with ASCII or full-width spaces,
    a trailing colon on some, half-width brackets around units."""
    for unit in ("万元", "人", "年", "%"):
        label = label.replace(f"（{unit}）", f"({unit})")
    kind = sum(map(ord, label)) % 4
    if kind == 0 and len(label) <= 8:
        return spaced(label) + "："
    if kind == 1 and len(label) <= 8:
        return spaced(label, "\u3000")
    if kind == 2:
        return label + ":"
    if kind == 3 and len(label) <= 6:
        return spaced(label, "  ")
    return label + "："
