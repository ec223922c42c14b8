"""Values as people write them -> canonical values of the record (spec/FORMS.md).

One small function per kind of field. Each takes the text of a cell and returns the canonical
value, or raises :class:`ValueError` with a Chinese reason when the text cannot be read
(a value is never guessed). :class:`NotFilled` (a ``ValueError``) means "left blank": every
option unticked, or only placeholder text.

>>> amount("5.2亿元"), amount("52,000万元"), amount("520000000元"), amount("８６５００")
(Decimal('52000'), Decimal('52000'), Decimal('52000'), Decimal('86500'))
>>> amount("人民币伍亿贰仟万元整")
Decimal('52000')
>>> date("2024年4月10日"), date("2024.4.10"), date("2024/04/10")
('2024-04-10', '2024-04-10', '2024-04-10')
"""

from __future__ import annotations

import re
from datetime import date as _date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from ..text import squeeze as _one_squeeze  # the one implementation

# Tick glyphs of the Wingdings fonts as they come out of a PDF (private-use code points).
PUA_MARKS = {
    0xF0A8: "☐",
    0xF06F: "□",
    0xF071: "☐",
    0xF0FE: "☑",
    0xF0FD: "☒",
    0xF0FC: "✓",
    0xF06E: "■",
    0xF06C: "●",
    0xF0A1: "○",
    0xF078: "☒",  # Wingdings
    0xF052: "☑",
    0xF051: "☒",
    0xF053: "☒",
    0xF054: "☒",
    0xF0A3: "☐",
    0xF02A: "□",
    0xF050: "✓",  # Wingdings 2
}
TICKED = "☑☒■√✓✔●▣◉"
UNTICKED = "☐□○◯"
MARKS = TICKED + UNTICKED

# Text a content control or a form shows before anything is typed in it.
PLACEHOLDERS = (
    "单击或点击此处输入文字",
    "单击此处输入文字",
    "点击此处输入文字",
    "单击或点击此处输入日期",
    "单击此处输入日期",
    "点击或点击此处输入日期",
    "单击或点击此处输入文本",
    "clickortaphere toentertext",
    "clickortapheretoentertext",
    "clickortaptoenteradate",
    "clickheretoentertext",
    "请输入",
    "请填写",
    "(请填写)",
    "(必填)",
)

_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2014-\u201f\u2026"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_SPACE = re.compile(r"\s")
# A line break next to a Chinese character (or after a hyphen or slash) is where a line wrapped
# in a PDF, or a paragraph break in Word: it stands for no space at all.
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n\s*|[ \t]*\n\s*(?=[{_CJK}])|(?<=[-/])\n\s*")


class NotFilled(ValueError):
    """The cell holds no value: every option unticked, only a placeholder, nothing at all."""


# The same cell's text is normalised several times while one form is read (is it filled, which
# label, its value): a small cache keeps those repeats (``extract`` empties it for each form).
@lru_cache(maxsize=1024)
def squeeze(text: str) -> str:
    """NFKC (full-width digits, letters and brackets to ASCII) without any whitespace.

    >>> squeeze("８６ ５００　（万元）")
    '86500(万元)'
    """
    return _one_squeeze(text, nfkc=True)


_PLACEHOLDER_KEYS = frozenset(squeeze(p).lower() for p in PLACEHOLDERS)
_PLACEHOLDER_TEXT = re.compile("|".join(re.escape(p) + "[。.]?" for p in PLACEHOLDERS[:7]), re.I)


# --- text ------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def text(value: str) -> str:
    """Trimmed text, runs of whitespace collapsed (dropped between Chinese characters),
    placeholder text removed.

    >>> text("  柳州市 柳南区\\n航岭路18号 ")
    '柳州市柳南区航岭路18号'
    >>> text("Smart  chassis   lab")
    'Smart chassis lab'
    >>> text("形成自主知识产权\\n100件以上；4.\\n培养人才 qinxy@zhichi-\\nchassis.com")
    '形成自主知识产权100件以上；4.培养人才 qinxy@zhichi-chassis.com'
    >>> text("单击或点击此处输入文字。")
    ''
    """
    value = value.replace("\u00a0", " ").replace("\u3000", " ").replace("\r", "\n").strip()
    if _SPACE.search(value):  # most cells have none: then each of these would change nothing
        if "\n" in value:
            value = _CJK_BREAK.sub("", value)
        value = _CJK_GAP.sub("", value)
        value = _SPACES.sub(" ", value).strip()
    key = squeeze(value).rstrip("。.").lower()
    if key in _PLACEHOLDER_KEYS:
        return ""
    if _PLACEHOLDER_TEXT.search(value):  # a PDF prints the placeholder beside what was typed
        return text(_PLACEHOLDER_TEXT.sub("", value))
    return value


def compact(value: str) -> str:
    """Text with no whitespace at all (phone numbers, e-mail addresses).

    >>> compact(" 0772-386 1234 ")
    '0772-3861234'
    """
    return _SPACES.sub("", text(value))


def uscc(value: str) -> str:
    """The unified social credit code upper-cased, spaces removed (no validation: a rule does it).

    >>> uscc(" 9145 0200 5260 1815xm ")
    '9145020052601815XM'
    """
    return squeeze(value).upper()


# --- numbers ---------------------------------------------------------------------------------

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGITS.update({c: i for i, c in enumerate("〇壹贰叁肆伍陆柒捌玖")})
_DIGITS.update({"两": 2, "貮": 2, "兩": 2})
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_TOKEN = re.compile(
    r"\d+(?:\.\d+)?|\.\d+|[零一二三四五六七八九〇壹贰叁肆伍陆柒捌玖两貮兩十拾百佰千仟万萬亿億点]"
)
_YUAN_FACTORS = {"元": Decimal(1), "万元": Decimal(10**4), "亿元": Decimal(10**8), "千元": Decimal(1000)}


def _clean(value: Decimal) -> Decimal:
    """52000 rather than 5.2E+4, 5.22 rather than 5.220."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _cn_number(text: str) -> tuple[Decimal, bool]:
    """Arabic and Chinese numerals with 十百千万亿: (value, whether 万 or 亿 was written).

    >>> _cn_number("伍亿贰仟万")
    (Decimal('520000000'), True)
    >>> _cn_number("5亿2000万")
    (Decimal('520000000'), True)
    """
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != text or not tokens:
        raise ValueError
    # 五点二 -> 5.2
    if "点" in tokens:
        i = tokens.index("点")
        head, tail = tokens[:i], tokens[i + 1 :]
        if not tail or not all(t in _DIGITS for t in tail):
            raise ValueError
        rest = tail
        while rest and rest[-1] in _DIGITS:
            rest = rest[:-1]
        frac = "".join(str(_DIGITS[t]) for t in tail)
        whole, big = _cn_number("".join(head)) if head else (Decimal(0), False)
        return whole + Decimal("0." + frac), big
    # 一万二 = 12000, 三千五 = 3500: a bare last digit counts in the unit below the one before it
    if len(tokens) >= 2 and tokens[-1] in _DIGITS and tokens[-2] in {**_SMALL, **_BIG}:
        unit = {**_SMALL, **_BIG}[tokens[-2]]
        if unit >= 100:
            tokens = [*tokens[:-1], _DIGITS[tokens[-1]]]  # type: ignore[list-item]
            tail = Decimal(tokens.pop()) * unit / 10  # type: ignore[arg-type]
            whole, big = _cn_number("".join(tokens))
            return whole + tail, big
    total = Decimal(0)
    wan = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    big = False
    for tok in tokens:
        if tok in _DIGITS:
            if number is not None and number != 0:
                raise ValueError  # 两三个, 五六百: an estimate, not a number
            number = Decimal(_DIGITS[tok])
        elif tok in _SMALL:
            section += (number if number is not None else Decimal(1)) * _SMALL[tok]
            number = None
        elif tok in _BIG:
            big = True
            if _BIG[tok] == 10**4:
                wan += (section + (number or 0)) * 10**4
            else:
                total = (total + wan + section + (number or 0)) * 10**8
                wan = Decimal(0)
            section = Decimal(0)
            number = None
        else:
            if number is not None:
                raise ValueError  # two arabic numbers in a row
            number = Decimal(tok)
    return total + wan + section + (number or 0), big


def _prepare(value: str) -> str:
    value = squeeze(value)
    return value.replace(",", "").replace("，", "")


def amount(value: str, unit: str | None = "万元") -> Decimal:
    """An amount in the label's unit (万元 by default); a unit written in the cell wins.

    >>> amount("1.2万"), amount("86500.00"), amount("8650千元"), amount("¥5,000万元")
    (Decimal('1.2'), Decimal('86500'), Decimal('865'), Decimal('5000'))
    >>> amount("约五亿")
    Traceback (most recent call last):
    ...
    ValueError: “约五亿”不是可以识别的金额
    """
    raw = value
    s = _prepare(value)
    s = re.sub(r"^(人民币|RMB|CNY|¥|￥)", "", s, flags=re.I).removesuffix("整").removesuffix("正")
    if not s:
        raise NotFilled("未填写")
    target = _YUAN_FACTORS.get(unit or "万元", Decimal(10**4))
    try:
        jiao = Decimal(0)
        m = re.fullmatch(
            r"(.*?)元(?:([零一二三四五六七八九壹贰叁肆伍陆柒捌玖])角)?(?:([零一二三四五六七八九壹贰叁肆伍陆柒捌玖])分)?",
            s,
        )
        if m and s.endswith(("元", "角", "分")):
            body = m.group(1)
            for part, scale in ((m.group(2), Decimal("0.1")), (m.group(3), Decimal("0.01"))):
                if part:
                    jiao += _DIGITS[part] * scale
            yuan, _ = _cn_number(body)
            return _clean((yuan + jiao) / target)
        number, big = _cn_number(s)
    except (ValueError, InvalidOperation, KeyError):
        raise ValueError(f"“{raw.strip()}”不是可以识别的金额") from None
    if big:  # 5.2亿, 1.2万: a count of yuan
        return _clean(number / target)
    return _clean(number)


def percent(value: str) -> Decimal:
    """A percentage as a number: 3.5 means 3.5%.

    >>> percent("5.22%"), percent("５.２２ ％"), percent("5.22")
    (Decimal('5.22'), Decimal('5.22'), Decimal('5.22'))
    >>> percent("百分之五")
    Decimal('5')
    """
    raw = value
    s = _prepare(value)
    if not s:
        raise NotFilled("未填写")
    if s.startswith("百分之"):
        s = s[3:] + "%"
    s = s.removesuffix("%")
    try:
        number, big = _cn_number(s)
    except (ValueError, InvalidOperation):
        raise ValueError(f"“{raw.strip()}”不是可以识别的百分比") from None
    if big:
        raise ValueError(f"“{raw.strip()}”不是可以识别的百分比")
    return _clean(number)


def number(value: str, unit: str | None = None) -> Decimal:
    """A plain number; the label's unit may be repeated in the cell (``12年``).

    >>> number("12年", "年"), number("12.5")
    (Decimal('12'), Decimal('12.5'))
    """
    raw = value
    s = _prepare(value)
    if not s:
        raise NotFilled("未填写")
    for suffix in filter(None, (unit, "年", "人", "个", "家", "名", "项")):
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)]
            break
    try:
        result, _ = _cn_number(s)
    except (ValueError, InvalidOperation):
        raise ValueError(f"“{raw.strip()}”不是可以识别的数字") from None
    return _clean(result)


def integer(value: str, unit: str | None = None) -> int:
    """A whole number; a unit after it (``156人``) is allowed.

    >>> integer("156人"), integer("１，２００"), integer("六")
    (156, 1200, 6)
    >>> integer("6.5")
    Traceback (most recent call last):
    ...
    ValueError: “6.5”不是整数
    """
    try:
        result = number(value, unit)
    except NotFilled:
        raise
    except ValueError:
        raise ValueError(f"“{value.strip()}”不是可以识别的整数") from None
    if result != result.to_integral_value():
        raise ValueError(f"“{value.strip()}”不是整数")
    return int(result)


# --- dates -----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})[年./\-](\d{1,2})[月./\-](\d{1,2})日?")
_DATE8 = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)


def date(value: str) -> str:
    """An ISO date from the ways people write dates.

    >>> date("2024-04-10"), date("２０２４年４月１０日"), date("20240410")
    ('2024-04-10', '2024-04-10', '2024-04-10')
    >>> date("二〇二四年四月十日")
    '2024-04-10'
    >>> date("2024年13月5日")
    Traceback (most recent call last):
    ...
    ValueError: “2024年13月5日”不是存在的日期
    """
    raw = value.strip()
    s = squeeze(value)
    if not s:
        raise NotFilled("未填写")
    m = _DATE.fullmatch(s) or _DATE8.fullmatch(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _CN_DATE.fullmatch(s)
        if not m:
            raise ValueError(f"“{raw}”不是可以识别的日期")
        y = int("".join(str(_DIGITS[c]) for c in m.group(1)))
        mo, d = (int(_cn_number(g)[0]) for g in m.group(2, 3))
    try:
        return _date(y, mo, d).isoformat()
    except ValueError:
        raise ValueError(f"“{raw}”不是存在的日期") from None


# --- choices ---------------------------------------------------------------------------------

YES = ("是", "有", "已签订", "已签署", "具备", "健全", "已牵头", "Y", "YES", "TRUE")
NO = ("否", "无", "没有", "不是", "未签订", "未签署", "不具备", "不健全", "未牵头", "N", "NO", "FALSE")


def _options_in(s: str, candidates: dict[str, str]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences (start, end, canonical) of the candidates, longest first."""
    taken = [False] * len(s)
    found: list[tuple[int, int, str]] = []
    for key in sorted(candidates, key=len, reverse=True):
        start = 0
        while (i := s.find(key, start)) >= 0:
            j = i + len(key)
            if not any(taken[i:j]):
                found.append((i, j, candidates[key]))
                for k in range(i, j):
                    taken[k] = True
            start = i + 1
    return sorted(found)


def _marks_lead(raw: str) -> bool:
    """Whether the marks stand before their options, judged by the spaces the squeezed text lost:
    ``是√ 否`` (a mark against the option before it) vs ``是 √否`` (against the one after).

    >>> _marks_lead("是√ 否"), _marks_lead("是 √否"), _marks_lead("☑是 ☐否")
    (False, True, True)
    """
    t = raw.translate(PUA_MARKS)
    lead = trail = 0
    for i, c in enumerate(t):
        if c not in MARKS:
            continue
        space_before = i == 0 or t[i - 1].isspace()
        space_after = i + 1 == len(t) or t[i + 1].isspace()
        lead += space_before and not space_after
        trail += space_after and not space_before
    return lead >= trail


def _pick(value: str, candidates: dict[str, str], what: str) -> str:
    raw = value.strip()
    s = squeeze(value.translate(PUA_MARKS)).upper()
    s = s.rstrip("。.;；")
    if not s or all(c in UNTICKED for c in s):
        raise NotFilled("未填写")
    if s in candidates:
        return candidates[s]
    found = _options_in(s, candidates)
    if not found:
        raise ValueError(f"“{raw}”不是可选项（{what}）")
    marks = [c for c in s if c in MARKS]
    if not marks:
        chosen = {canon for _, _, canon in found}
        if len(chosen) == 1:
            return chosen.pop()
        raise ValueError(f"“{raw}”列出了多个选项却没有勾选")
    # Marks sit either before each option (☑制造业 ☐其他) or after it (制造业☑ 其他☐).
    before = [s[i - 1] if i > 0 and s[i - 1] in MARKS else "" for i, _, _ in found]
    after = [s[j] if j < len(s) and s[j] in MARKS else "" for _, j, _ in found]
    n_before, n_after = sum(1 for b in before if b), sum(1 for a in after if a)
    leading = n_before > n_after if n_before != n_after else _marks_lead(value)
    sides = before if leading else after
    ticked = []
    for (_, _, canon), mark in zip(found, sides, strict=True):
        if mark and mark in TICKED and canon not in ticked:
            ticked.append(canon)
    if len(ticked) == 1:
        return ticked[0]
    if len(ticked) > 1:
        raise ValueError(f"勾选了多个选项：{'、'.join(ticked)}")
    if all(c in UNTICKED for c in marks):
        raise NotFilled("未勾选")
    raise ValueError(f"“{raw}”无法判断勾选了哪一项")


def choice(value: str, field: Any) -> str:
    """The one option ticked (or the only one left) among the field's options and aliases.

    ``field`` is a :class:`toolkit.forms.Field` (anything with ``options`` and ``aliases``).

    >>> from toolkit.forms import load_form
    >>> industry = load_form("lz-preapply-2024").field("lead.industry")
    >>> choice("☑制造业 ☐科技与信息服务业 ☐其他", industry)
    '制造业'
    >>> choice("制造业□ 科技与信息服务业√ 其他□", industry)
    '科技与信息服务业'
    >>> choice("科技服务业", industry)
    '科技与信息服务业'
    >>> choice("☑制造业 ☒其他", industry)
    Traceback (most recent call last):
    ...
    ValueError: 勾选了多个选项：制造业、其他
    """
    return _pick(value, _candidates(field.options, tuple(field.aliases.items())), "、".join(field.options))


# The options of a field, squeezed, for every cell of it in every form read (the squeezing cache
# is emptied for each form). Read only.
@lru_cache(maxsize=256)
def _candidates(options: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    candidates = {squeeze(o).upper(): o for o in options}
    for alias, canon in aliases:
        candidates.setdefault(squeeze(alias).upper(), canon)
    return candidates


@lru_cache(maxsize=1)
def _yes_no() -> dict[str, str]:
    candidates = {squeeze(w).upper(): "是" for w in YES}
    candidates.update({squeeze(w).upper(): "否" for w in NO})
    return candidates


def yesno(value: str) -> bool:
    """是/否 written, ticked, or as 有/无.

    >>> yesno("☑是 ☐否"), yesno("否"), yesno("□是 ■否"), yesno("无")
    (True, False, False, False)
    """
    return _pick(value, _yes_no(), "是、否") == "是"
