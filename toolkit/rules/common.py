"""Checks of the ``form`` clause (codes, phone, e-mail, dates, duplicate units, the stated
R&D ratio) and the seal on a scanned form; they apply to both forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from .. import uscc
from ..findings import Finding
from ..schema import EMAIL_PATTERN, PHONE_PATTERN
from ..text import parse_date, squeeze
from .engine import Context, fmt_number, implements, ratio_percent

# The JSON Schema's own patterns (toolkit/schema.py), so the two never disagree.
PHONE_RE = re.compile(PHONE_PATTERN)
EMAIL_RE = re.compile(EMAIL_PATTERN)
DATE_FIELDS = ("plan.start", "plan.end", "signoff.date")


def unit_key(name: str) -> str:
    """A unit name compared loosely: no spaces, half-width brackets."""
    return squeeze(name).replace("（", "(").replace("）", ")")


@implements("FORM-USCC")
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


@implements("FORM-PHONE")
def check_phone(ctx: Context) -> Iterator[Finding]:
    value = ctx.get("lead.phone")
    if isinstance(value, str) and value.strip() and not PHONE_RE.match(value.strip()):
        yield ctx.finding("FORM-PHONE", "/lead/phone", value=value, expected="手机号码或带区号的固定电话")


@implements("FORM-EMAIL")
def check_email(ctx: Context) -> Iterator[Finding]:
    value = ctx.get("lead.email")
    if isinstance(value, str) and value.strip() and not EMAIL_RE.match(value.strip()):
        yield ctx.finding("FORM-EMAIL", "/lead/email", value=value, expected="name@example.com")


@implements("FORM-DATE")
def check_dates(ctx: Context) -> Iterator[Finding]:
    for path in DATE_FIELDS:
        value = ctx.get(path)
        if isinstance(value, str) and value.strip() and parse_date(value) is None:
            yield ctx.finding("FORM-DATE", "/" + path.replace(".", "/"), value=value, expected="YYYY-MM-DD")


@implements("FORM-PLAN-PERIOD")
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


@implements("FORM-DUP-LEAD")
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


@implements("FORM-DUP-MEMBER")
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


@implements("FORM-RD-RATIO")
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


@implements("SEAL-MISSING")  # SEAL-UNCHECKED too: a grey scan
def seal(ctx: Context) -> Iterator[Finding]:
    parse = ctx.parse
    if parse is None or getattr(parse, "kind", None) != "scan" or getattr(parse, "seals", None):
        return
    if getattr(parse, "colourless", False):
        yield ctx.finding("SEAL-UNCHECKED", None, expected="加盖公章")
    else:
        yield ctx.finding("SEAL-MISSING", None, expected="加盖公章")
