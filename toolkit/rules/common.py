"""Checks of the ``form`` clause (codes, phone, e-mail, dates, duplicate units, the stated
R&D ratio) and the seal on a scanned form; they apply to both forms."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from ..findings import Finding
from ..schema import EMAIL_PATTERN, PHONE_PATTERN
from . import uscc
from .engine import Context, RuleInfo, fmt_number, ratio_percent, register, rule

BOTH = ("lz-preapply-2024", "gx-recognition")
LZ = ("lz-preapply-2024",)
GX = ("gx-recognition",)

# The JSON Schema's own patterns (toolkit/schema.py), so the two never disagree.
PHONE_RE = re.compile(PHONE_PATTERN)
EMAIL_RE = re.compile(EMAIL_PATTERN)
DATE_FIELDS = ("plan.start", "plan.end", "signoff.date")


def unit_key(name: str) -> str:
    """A unit name compared loosely: no spaces, half-width brackets."""
    name = re.sub(r"[\s\u3000]+", "", name)
    return name.replace("（", "(").replace("）", ")")


def parse_date(text: object) -> dt.date | None:
    if not isinstance(text, str):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


@rule(
    "FORM-USCC",
    "form",
    "error",
    BOTH,
    "统一社会信用代码应符合 GB 32100-2015（含校验码）",
    "统一社会信用代码由登记管理部门代码、机构类别代码、行政区划码、组织机构代码（含 GB 11714 校验码）"
    "和第18位校验码组成。两处校验码任一不符，说明代码抄录有误，形式审查无法核实单位身份。"
    "登记管理部门代码 A（军队）、N（农业）、Y（其他）均为标准所列，可以通过。",
    "{label}“{value}”不是有效的统一社会信用代码：{reason}",
)
def check_uscc(ctx: Context) -> Iterator[Finding]:
    places = [("/lead/uscc", ctx.get("lead.uscc"))]
    places += [(f"/members/{i}/uscc", row.get("uscc")) for i, row in ctx.rows("members")]
    for pointer, value in places:
        if not isinstance(value, str) or not value.strip():
            continue  # missing: the schema reports it
        try:
            uscc.validate(value)
        except uscc.InvalidUSCC as exc:
            yield ctx.finding("FORM-USCC", pointer, value=value, expected="GB 32100-2015", reason=exc)


@rule(
    "FORM-PHONE",
    "form",
    "error",
    BOTH,
    "联系电话应为手机号码或带区号的固定电话",
    "科技主管部门需要通过联系电话核实申报材料；手机号码为11位，固定电话须带区号（如 0772-3861234）。",
    "{label}“{value}”不是有效的电话号码，应为11位手机号码或带区号的固定电话（如 0772-3861234）",
)
def check_phone(ctx: Context) -> Iterator[Finding]:
    value = ctx.get("lead.phone")
    if isinstance(value, str) and value.strip() and not PHONE_RE.match(value.strip()):
        yield ctx.finding("FORM-PHONE", "/lead/phone", value=value, expected="手机号码或带区号的固定电话")


@rule(
    "FORM-EMAIL",
    "form",
    "error",
    BOTH,
    "电子邮箱应为有效的邮箱地址",
    "电子邮箱用于接收形式审查意见等通知，写错将收不到通知。",
    "{label}“{value}”不是有效的电子邮箱地址",
)
def check_email(ctx: Context) -> Iterator[Finding]:
    value = ctx.get("lead.email")
    if isinstance(value, str) and value.strip() and not EMAIL_RE.match(value.strip()):
        yield ctx.finding("FORM-EMAIL", "/lead/email", value=value, expected="name@example.com")


@rule(
    "FORM-DATE",
    "form",
    "error",
    BOTH,
    "日期应为存在的日期",
    "填报日期、建设期起止日期必须是日历上存在的日期（如不存在2月30日）。",
    "{label}“{value}”不是一个存在的日期",
)
def check_dates(ctx: Context) -> Iterator[Finding]:
    for path in DATE_FIELDS:
        value = ctx.get(path)
        if isinstance(value, str) and value.strip() and parse_date(value) is None:
            yield ctx.finding("FORM-DATE", "/" + path.replace(".", "/"), value=value, expected="YYYY-MM-DD")


@rule(
    "FORM-PLAN-PERIOD",
    "form",
    "error",
    BOTH,
    "建设期截止日期应晚于起始日期",
    "建设期截止日期早于或等于起始日期时，建设期不存在，说明日期填写有误。",
    "{label}为{value}，应晚于建设期起始日期{start}",
)
def check_plan_period(ctx: Context) -> Iterator[Finding]:
    start, end = parse_date(ctx.get("plan.start")), parse_date(ctx.get("plan.end"))
    if start and end and end <= start:
        yield ctx.finding(
            "FORM-PLAN-PERIOD",
            "/plan/end",
            value=end.isoformat(),
            expected=f"> {start.isoformat()}",
            start=start,
        )


@rule(
    "FORM-DUP-LEAD",
    "form",
    "error",
    BOTH,
    "牵头单位不应再列为成员单位",
    "成员单位表不含牵头单位；牵头单位出现在成员单位表中，会使成员单位数量和单位类别被多算。",
    "{label}“{value}”与牵头单位相同（{what}），成员单位表不含牵头单位",
)
def check_lead_in_members(ctx: Context) -> Iterator[Finding]:
    lead_uscc = ctx.text("lead.uscc")
    lead_name = ctx.text("lead.name")
    for i, row in ctx.rows("members"):
        code, name = row.get("uscc"), row.get("name")
        if lead_uscc and isinstance(code, str) and uscc.compact(code) == uscc.compact(lead_uscc):
            yield ctx.finding(
                "FORM-DUP-LEAD",
                f"/members/{i}/uscc",
                value=code,
                expected="不同于牵头单位",
                what="统一社会信用代码相同",
            )
        elif lead_name and isinstance(name, str) and unit_key(name) == unit_key(lead_name):
            yield ctx.finding(
                "FORM-DUP-LEAD",
                f"/members/{i}/name",
                value=name,
                expected="不同于牵头单位",
                what="单位名称相同",
            )


@rule(
    "FORM-DUP-MEMBER",
    "form",
    "error",
    BOTH,
    "同一成员单位不应重复填写",
    "同一单位（统一社会信用代码或名称相同）在成员单位表中出现两次，成员单位数量会被多算。",
    "{label}“{value}”与第{first}行重复（{what}）",
)
def check_duplicate_members(ctx: Context) -> Iterator[Finding]:
    seen_code: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    for i, row in ctx.rows("members"):
        code, name = row.get("uscc"), row.get("name")
        key_code = uscc.compact(code) if isinstance(code, str) and code.strip() else None
        key_name = unit_key(name) if isinstance(name, str) and name.strip() else None
        if key_code and key_code in seen_code:
            yield ctx.finding(
                "FORM-DUP-MEMBER",
                f"/members/{i}/uscc",
                value=code,
                expected="不重复",
                first=seen_code[key_code] + 1,
                what="统一社会信用代码相同",
            )
        elif key_name and key_name in seen_name:
            yield ctx.finding(
                "FORM-DUP-MEMBER",
                f"/members/{i}/name",
                value=name,
                expected="不重复",
                first=seen_name[key_name] + 1,
                what="单位名称相同",
            )
        if key_code:
            seen_code.setdefault(key_code, i)
        if key_name:
            seen_name.setdefault(key_name, i)


def ratio_tolerance(stated: Decimal) -> Decimal:
    """Half a unit of the stated precision (at most two decimals are expected).

    >>> ratio_tolerance(Decimal("5.22")), ratio_tolerance(Decimal("5.2")), ratio_tolerance(Decimal("5"))
    (Decimal('0.005'), Decimal('0.05'), Decimal('0.5'))
    """
    decimals = min(max(-stated.as_tuple().exponent, 0), 2) if stated.is_finite() else 2
    return Decimal(5) / Decimal(10) ** (decimals + 1)


@rule(
    "FORM-RD-RATIO",
    "form",
    "warning",
    BOTH,
    "填写的研发费用占比应与研发费用总额÷销售收入总额一致",
    "研发费用占销售收入比例应等于“近三个会计年度研究开发费用总额 ÷ 近三个会计年度销售收入总额 × 100”。"
    "允许按填写的小数位四舍五入（填两位小数时误差不超过0.005个百分点）；超出则说明比例或金额有一处填错，"
    "门槛核对以两项金额计算的比例为准。",
    "{label}填写为{value}%，但按研发费用总额{expense}万元÷销售收入总额{sales}万元计算为{computed}%，两者不一致",
)
def check_rd_ratio_consistency(ctx: Context) -> Iterator[Finding]:
    stated = ctx.number("lead.rd_ratio")
    expense, sales = ctx.number("lead.rd_expense_3y"), ctx.number("lead.sales_3y")
    computed = ratio_percent(expense, sales) if expense is not None and sales is not None else None
    if stated is None or computed is None:
        return
    if abs(stated - computed) > ratio_tolerance(stated):
        shown = computed.quantize(Decimal("0.01"), ROUND_HALF_UP)
        yield ctx.finding(
            "FORM-RD-RATIO",
            "/lead/rd_ratio",
            value=stated,
            expected=f"≈ {fmt_number(shown)}",
            expense=expense,
            sales=sales,
            computed=shown,
        )


def _seal(ctx: Context) -> Iterator[Finding]:
    parse = ctx.parse
    if parse is None or getattr(parse, "kind", None) != "scan" or getattr(parse, "seals", None):
        return
    if getattr(parse, "colourless", False):
        yield ctx.finding("SEAL-UNCHECKED", None, expected="加盖公章")
    else:
        yield ctx.finding("SEAL-MISSING", None, expected="加盖公章")


_SEAL_WHY = (
    "扫描件应为盖章后的纸质申报表；在扫描件上未识别到红色公章印迹。Word 文件本身不带公章，不做此项检查。"
)
rule(
    "SEAL-MISSING",
    "lz-2.2",
    "error",
    LZ,
    "预申报表扫描件应加盖公章",
    _SEAL_WHY,
    "申报表扫描件上未识别到公章，预申报表应加盖公章后报送（纸质1份，并提交 Word 和 PDF 扫描件）",
)(_seal)
rule(
    "SEAL-MISSING",
    "gx-6.1",
    "error",
    GX,
    "认定申请表扫描件应加盖公章并经推荐单位签署审核意见",
    _SEAL_WHY,
    "申请表扫描件上未识别到公章，认定申请表应由牵头单位盖章并经推荐单位签署审核意见后报送",
)(_seal)

_GREY_WHY = (
    "公章通常按红色识别；灰度或黑白扫描件中没有颜色，只能按圆形印章的外形（38-45 毫米的圆环）查找。"
    "找不到时也可能是椭圆章、印迹过浅或被遮挡，因此不判为缺少公章，而是提醒对照纸质件核对。"
    "请尽量以彩色扫描报送。"
)
register(  # raised by _seal above
    RuleInfo(
        "SEAL-UNCHECKED",
        "lz-2.2",
        "warning",
        tuple(LZ),
        "灰度或黑白扫描件无法识别公章，需人工核对",
        _GREY_WHY,
    ),
    None,
    "扫描件是灰度或黑白图像，未识别到圆形公章，请对照纸质件核对是否已加盖公章（宜以彩色扫描报送）",
)
register(  # raised by _seal above
    RuleInfo(
        "SEAL-UNCHECKED",
        "gx-6.1",
        "warning",
        tuple(GX),
        "灰度或黑白扫描件无法识别公章，需人工核对",
        _GREY_WHY,
    ),
    None,
    "扫描件是灰度或黑白图像，未识别到圆形公章，请对照纸质件核对是否已加盖公章（宜以彩色扫描报送）",
)
