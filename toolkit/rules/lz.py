"""The conditions of the Liuzhou 2024 pre-application notice (``lz``), one rule per condition.

Thresholds, the deadline and the Liuzhou counties/districts come from
``forms/lz-preapply-2024.profile.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from ..findings import Finding
from ..text import parse_date, squeeze
from .engine import Context, fmt_number, fmt_wan, implements, ratio_percent

CENT = Decimal("0.01")


def mentions(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)


@implements("LZ-UNITS")
def units(ctx: Context) -> Iterator[Finding]:
    if not ctx.rows("members"):
        yield ctx.finding("LZ-UNITS", "/members", value=0, expected=">= 1")


@implements("LZ-LOCATION")
def location(ctx: Context) -> Iterator[Finding]:
    place = ctx.text("lead.location")
    if place is None:
        return
    p = ctx.profile
    names = [
        *p["locations"],
        *p.get("location_aliases", {}),
        p["locations_city"],
        p["locations_city"].rstrip("市"),
    ]
    if not mentions(squeeze(place), names):
        yield ctx.finding(
            "LZ-LOCATION", "/lead/location", value=place, expected=f"{p['locations_city']}的县（区）"
        )


@implements("LZ-REVENUE")
def revenue(ctx: Context) -> Iterator[Finding]:
    amount = ctx.number("lead.revenue")
    industry = ctx.get("lead.industry")
    minimums = ctx.profile["revenue_min"]
    if amount is None or industry not in minimums:
        return
    minimum = minimums[industry]
    if amount < minimum:
        shown = industry if industry != "其他" else "“其他”行业（按《通知》所列最低门槛）"
        yield ctx.finding(
            "LZ-REVENUE",
            "/lead/revenue",
            value=amount,
            expected=f">= {fmt_number(minimum)}",
            industry=shown,
            minimum=fmt_wan(minimum),
        )


@implements("LZ-RD-STAFF")
def rd_staff(ctx: Context) -> Iterator[Finding]:
    yield from staff_findings(ctx, "LZ-RD-STAFF")


def staff_findings(ctx: Context, code: str) -> Iterator[Finding]:
    """Shared by LZ-RD-STAFF and GX-RD-STAFF: full-time R&D staff against the profile's minimum."""
    staff = ctx.number("lead.rd_staff")
    minimum = ctx.profile["rd_staff_min"]
    if staff is not None and staff < minimum:
        yield ctx.finding(code, "/lead/rd_staff", value=staff, expected=f">= {minimum}", minimum=minimum)


@implements("LZ-PLATFORM")
def platform(ctx: Context) -> Iterator[Finding]:
    yield from platform_findings(ctx, "LZ-PLATFORM")


def platform_findings(ctx: Context, code: str) -> Iterator[Finding]:
    """Shared by LZ-PLATFORM and GX-PLATFORM: one platform of an allowed level (and type)."""
    levels, types = ctx.profile["platform_levels"], ctx.profile.get("platform_types") or []
    rows = ctx.rows("lead.platforms")
    ok = [r for _, r in rows if r.get("level") in levels and (not types or r.get("type") in types)]
    if ok:
        return
    found = (
        "、".join(f"{r.get('name', '（未填名称）')}：{r.get('level', '未填级别')}" for _, r in rows)
        or "未填写任何平台"
    )
    expected = "/".join(levels) + (" 且类型为" + "/".join(types) if types else "")
    yield ctx.finding(code, "/lead/platforms", value=len(rows), expected=expected, found=found)


@implements("LZ-RD-RATIO")
def rd_ratio(ctx: Context) -> Iterator[Finding]:
    expense, sales = ctx.number("lead.rd_expense_3y"), ctx.number("lead.sales_3y")
    if expense is None or sales is None:
        return
    minimum = ctx.profile["rd_ratio_min"]
    ratio = ratio_percent(expense, sales)
    if ratio is None or ratio < minimum:
        shown = ratio.quantize(CENT, ROUND_HALF_UP) if ratio is not None else None
        yield ctx.finding(
            "LZ-RD-RATIO",
            "/lead/rd_ratio",
            value=shown,
            expected=f">= {fmt_number(minimum)}",
            expense=expense,
            sales=sales,
            minimum=minimum,
        )


@implements("LZ-OUTREACH")
def outreach(ctx: Context) -> Iterator[Finding]:
    yield from outreach_findings(ctx, "LZ-OUTREACH")


def outreach_findings(ctx: Context, code: str) -> Iterator[Finding]:
    text = ctx.text("lead.outreach")
    if text is not None and not mentions(squeeze(text), ctx.profile["outreach_keywords"]):
        yield ctx.finding(code, "/lead/outreach", value=text, expected="描述相关活动")


@implements("LZ-LEADS-OTHER")
def leads_other(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("lead.leads_other") is True:
        yield ctx.finding("LZ-LEADS-OTHER", "/lead/leads_other", value=True, expected="否")


@implements("LZ-BODIES")
def bodies(ctx: Context) -> Iterator[Finding]:
    for path in ("governance.decision_body", "governance.advisory_body", "governance.executive_body"):
        value = ctx.get(path)
        if isinstance(value, str) and not value.strip():
            pointer = "/" + path.replace(".", "/")
            yield ctx.finding("LZ-BODIES", pointer, value=value, expected="已设立", message="未设立{label}")
    staff = ctx.number("governance.executive_staff")
    minimum = ctx.profile["executive_staff_min"]
    if staff is not None and staff < minimum:
        yield ctx.finding("LZ-BODIES", "/governance/executive_staff", value=staff, expected=f">= {minimum}")


@implements("LZ-FUNDS")
def funds(ctx: Context) -> Iterator[Finding]:
    text = ctx.text("governance.funds_policy")
    if text is not None and not mentions(squeeze(text), ctx.profile["funds_supervision_keywords"]):
        yield ctx.finding("LZ-FUNDS", "/governance/funds_policy", value=text, expected="说明内部监督机制")


@implements("LZ-SPECIAL-CASE")
def special_case(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("consortium.special_case") is True:
        yield ctx.finding("LZ-SPECIAL-CASE", "/consortium/special_case", value=True)


@implements("LZ-DEADLINE")
def deadline(ctx: Context) -> Iterator[Finding]:
    filed = parse_date(ctx.get("signoff.date"))
    due = ctx.profile.get("deadline")
    if filed and due and filed > due:
        yield ctx.finding(
            "LZ-DEADLINE",
            "/signoff/date",
            value=filed.isoformat(),
            expected=f"<= {due.isoformat()}",
            filed=f"{filed.year}年{filed.month}月{filed.day}日",
            deadline=f"{due.year}年{due.month}月{due.day}日",
        )


@implements("LZ-NAME")
def name(ctx: Context) -> Iterator[Finding]:
    value = ctx.text("consortium.name")
    if value is None:
        return
    text, prefix = squeeze(value), ctx.profile["name_prefix"]
    if not (
        text.startswith(prefix) and text.endswith("创新联合体") and len(text) > len(prefix + "创新联合体")
    ):
        yield ctx.finding(
            "LZ-NAME",
            "/consortium/name",
            value=value,
            expected=f"{prefix}+核心技术领域+创新联合体",
            detail="",
        )
        return


@implements("LZ-NAME-FIELD")
def name_field(ctx: Context) -> Iterator[Finding]:
    value, field = ctx.text("consortium.name"), ctx.text("consortium.tech_field")
    if value is None or field is None:
        return
    text, prefix = squeeze(value), ctx.profile["name_prefix"]
    if not (text.startswith(prefix) and text.endswith("创新联合体")):
        return  # LZ-NAME reports the format
    middle = text[len(prefix) : -len("创新联合体")]
    if middle and not _similar(middle, squeeze(field)):
        yield ctx.finding(
            "LZ-NAME-FIELD",
            "/consortium/name",
            value=value,
            expected=f"{prefix}{field}创新联合体",
            middle=middle,
            core=field,
        )


def _similar(a: str, b: str) -> bool:
    if a in b or b in a:
        return True
    from rapidfuzz import fuzz

    return fuzz.partial_ratio(a, b) >= 60


@implements("LZ-MEMBERS")
def members(ctx: Context) -> Iterator[Finding]:
    count = len(ctx.rows("members"))
    minimum = ctx.profile["members_min"]
    if count < minimum:
        yield ctx.finding("LZ-MEMBERS", "/members", value=count, expected=f">= {minimum}", minimum=minimum)


@implements("LZ-STRATEGIC")
def strategic(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("consortium.strategic_agreement") is True:
        yield ctx.finding("LZ-STRATEGIC", "/consortium/strategic_agreement", value=True)
