"""The conditions of the Guangxi measures (``gx``), one rule per condition.

Thresholds, platform levels and types, the six systems and the Guangxi cities come from
``forms/gx-recognition.profile.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from ..findings import Finding
from ..text import squeeze
from .engine import Context, fmt_number, fmt_wan, implements, ratio_percent
from .lz import mentions, outreach_findings, platform_findings, staff_findings

CENT = Decimal("0.01")


def rd_years(ctx: Context) -> Decimal:
    """The years the R&D total is averaged over: min(3, operating years), at least 1.

    Without operating years (the schema reports the gap) three years are assumed.
    """
    years = ctx.number("lead.operating_years")
    full = Decimal(ctx.profile.get("rd_years", 3))
    if years is None:
        return full
    return min(full, max(Decimal(1), years))


def rd_average(ctx: Context) -> Decimal | None:
    total = ctx.number("lead.rd_expense_3y")
    return None if total is None else total / rd_years(ctx)


def _cities(ctx: Context) -> list[str]:
    cities = ctx.profile["guangxi_cities"]
    return [*cities, *(c.removesuffix("市") for c in cities)]


def city_of(ctx: Context, text: str) -> str | None:
    """The Guangxi prefecture city named in ``text`` (``南宁市`` for ``南宁市江南区``)."""
    text = squeeze(text)
    for city in ctx.profile["guangxi_cities"]:
        if city in text or city.removesuffix("市") in text:
            return city
    return None


@implements("GX-AGREEMENT")
def agreement(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("governance.agreement_signed") is False:
        yield ctx.finding("GX-AGREEMENT", "/governance/agreement_signed", value=False, expected="是")


@implements("GX-CATEGORIES")
def categories(ctx: Context) -> Iterator[Finding]:
    p = ctx.profile
    types = [ctx.get("lead.org_type")] + [row.get("org_type") for _, row in ctx.rows("members")]
    found = {p["categories"].get(t, p["category_other"]) for t in types if isinstance(t, str) and t}
    if len(found) < p["categories_min"] or not ctx.rows("members"):
        shown = "、".join(sorted(found)) or "无"
        yield ctx.finding(
            "GX-CATEGORIES", "/members", value=len(found), expected=f">= {p['categories_min']}", found=shown
        )


def _says_no(code: str, path: str) -> None:
    """A yes/no field of gx-5.2.1 answered 否: the condition is not met."""
    pointer = "/" + path.replace(".", "/")

    @implements(code)
    def check(ctx: Context) -> Iterator[Finding]:
        if ctx.flag(path) is False:
            yield ctx.finding(code, pointer, value=False, expected="是")


_says_no("GX-LEGAL-PERSON", "lead.legal_person")
_says_no("GX-INTERNAL-CONTROL", "lead.internal_control")


@implements("GX-TECH-ENTERPRISE")
def tech_enterprise(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("lead.tech_enterprise") is False:
        yield ctx.finding("GX-TECH-ENTERPRISE", "/lead/tech_enterprise", value=False, expected="是")
    org_type = ctx.get("lead.org_type")
    if isinstance(org_type, str) and org_type and org_type != "企业":
        yield ctx.finding("GX-TECH-ENTERPRISE", "/lead/org_type", value=org_type, expected="企业")


@implements("GX-LOCATION")
def location(ctx: Context) -> Iterator[Finding]:
    place = ctx.text("lead.location")
    if place is not None and not mentions(squeeze(place), [*_cities(ctx), *ctx.profile["guangxi_names"]]):
        yield ctx.finding("GX-LOCATION", "/lead/location", value=place, expected="广西的设区市")


@implements("GX-ADDRESS")
def address(ctx: Context) -> Iterator[Finding]:
    text = ctx.text("lead.address")
    if text is None:
        return
    t = squeeze(text)
    outside = mentions(t, ctx.profile["other_provinces"])
    inside = mentions(t, [*ctx.profile["guangxi_cities"], *ctx.profile["guangxi_names"]])
    if outside and not inside:
        yield ctx.finding("GX-ADDRESS", "/lead/address", value=text, expected="广西壮族自治区内")


@implements("GX-REVENUE")
def revenue(ctx: Context) -> Iterator[Finding]:
    amount = ctx.number("lead.revenue")
    minimum = ctx.profile["revenue_min"]
    if amount is not None and amount < minimum:
        yield ctx.finding(
            "GX-REVENUE",
            "/lead/revenue",
            value=amount,
            expected=f">= {fmt_number(minimum)}",
            minimum=fmt_wan(minimum),
        )


@implements("GX-RD-STAFF")
def rd_staff(ctx: Context) -> Iterator[Finding]:
    yield from staff_findings(ctx, "GX-RD-STAFF")


@implements("GX-PLATFORM")
def platform(ctx: Context) -> Iterator[Finding]:
    yield from platform_findings(ctx, "GX-PLATFORM")


@implements("GX-RD-INTENSITY")
def rd_intensity(ctx: Context) -> Iterator[Finding]:
    total, sales = ctx.number("lead.rd_expense_3y"), ctx.number("lead.sales_3y")
    if total is None:
        return
    p = ctx.profile
    average = rd_average(ctx)
    ratio = ratio_percent(total, sales) if sales is not None else None
    if average >= p["rd_average_min"] or (ratio is not None and ratio >= p["rd_ratio_min"]):
        return
    shown = (
        "无法计算（未填写销售收入总额）"
        if ratio is None
        else f"{fmt_number(ratio.quantize(CENT, ROUND_HALF_UP))}%"
    )
    yield ctx.finding(
        "GX-RD-INTENSITY",
        "/lead/rd_expense_3y",
        value=average.quantize(CENT, ROUND_HALF_UP),
        expected=f"年均 >= {fmt_number(p['rd_average_min'])} 或比例 >= {fmt_number(p['rd_ratio_min'])}%",
        total=total,
        years=rd_years(ctx),
        average_min=fmt_wan(p["rd_average_min"]),
        ratio=shown,
        ratio_min=p["rd_ratio_min"],
    )


@implements("GX-OUTREACH")
def outreach(ctx: Context) -> Iterator[Finding]:
    yield from outreach_findings(ctx, "GX-OUTREACH")


@implements("GX-LEADS-OTHER")
def leads_other(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("lead.leads_other") is True:
        yield ctx.finding("GX-LEADS-OTHER", "/lead/leads_other", value=True, expected="否")


@implements("GX-MEMBER-LAYER")
def member_layer(ctx: Context) -> Iterator[Finding]:
    layers = ctx.profile["layers"]
    for i, row in ctx.rows("members"):
        layer = row.get("layer")
        if layer is None or (isinstance(layer, str) and not layer.strip()):
            yield ctx.finding(
                "GX-MEMBER-LAYER",
                f"/members/{i}/layer",
                expected="/".join(layers),
                need="明确层级（核心层、紧密合作层或一般协作层）",
            )
        elif layer not in layers:
            yield ctx.finding(
                "GX-MEMBER-LAYER",
                f"/members/{i}/layer",
                value=layer,
                expected="/".join(layers),
                message="{label}填写为“{value}”，应为核心层、紧密合作层或一般协作层",
            )
        basis = row.get("basis")
        if basis is None or (isinstance(basis, str) and not basis.strip()):
            yield ctx.finding(
                "GX-MEMBER-LAYER",
                f"/members/{i}/basis",
                expected="与牵头单位的合作基础",
                need="说明与牵头单位的合作基础",
            )


@implements("GX-MEMBER-CONSORTIA")
def member_consortia(ctx: Context) -> Iterator[Finding]:
    maximum = ctx.profile["member_consortia_max"]
    for i, row in ctx.rows("members"):
        count = row.get("consortia_count")
        if isinstance(count, (int, Decimal)) and not isinstance(count, bool) and count > maximum:
            yield ctx.finding(
                "GX-MEMBER-CONSORTIA",
                f"/members/{i}/consortia_count",
                value=count,
                expected=f"<= {maximum}",
                maximum=maximum,
            )


@implements("GX-SYSTEMS")
def systems(ctx: Context) -> Iterator[Finding]:
    for path in ctx.profile["systems"]:
        value = ctx.get(path)
        if value is None or (isinstance(value, str) and not value.strip()):
            yield ctx.finding("GX-SYSTEMS", "/" + path.replace(".", "/"), value=value, expected="已设立")


@implements("GX-RECOMMENDER")
def recommender(ctx: Context) -> Iterator[Finding]:
    who, place = ctx.text("signoff.recommender"), ctx.text("lead.location")
    if who is None or place is None or mentions(squeeze(who), ctx.profile["regional_recommender_words"]):
        return
    theirs, ours = city_of(ctx, who), city_of(ctx, place)
    if theirs and ours and theirs != ours:
        yield ctx.finding(
            "GX-RECOMMENDER", "/signoff/recommender", value=who, expected=f"{ours}科学技术局", city=ours
        )


@implements("GX-SPECIAL-CASE")
def special_case(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("consortium.special_case") is True:
        average = rd_average(ctx)
        yield ctx.finding(
            "GX-SPECIAL-CASE",
            "/consortium/special_case",
            value=True,
            average=average.quantize(CENT, ROUND_HALF_UP) if average is not None else "—",
        )


@implements("GX-SPECIAL-ELIGIBLE")
def special_eligible(ctx: Context) -> Iterator[Finding]:
    average = rd_average(ctx)
    limit = ctx.profile["special_case_rd_average"]
    if average is not None and average > limit and ctx.flag("consortium.special_case") is not True:
        yield ctx.finding(
            "GX-SPECIAL-ELIGIBLE",
            "/lead/rd_expense_3y",
            value=average.quantize(CENT, ROUND_HALF_UP),
            expected=f"> {fmt_number(limit)}",
            minimum=fmt_wan(limit),
        )
