"""The conditions of the Guangxi measures (``gx``), one rule per condition.

Thresholds, platform levels and types, the six systems and the Guangxi cities come from
``forms/gx-recognition.profile.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from ..findings import Finding
from .common import GX
from .engine import Context, fmt_number, fmt_wan, ratio_percent, rule
from .lz import mentions, outreach_findings, platform_findings, squeeze, staff_findings

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


@rule(
    "GX-AGREEMENT",
    "gx-4.4",
    "error",
    GX,
    "成员单位应签订有法律效力的组建协议",
    "第四条（四）：通过平等协商，签订有法律效力的创新联合体组建协议，对成员单位形成有效的行为约束和"
    "利益保护；第六条（一）要求随申请表报送组建协议。",
    "{label}为“否”，成员单位应签订有法律效力的创新联合体组建协议并随申请表报送",
)
def agreement(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("governance.agreement_signed") is False:
        yield ctx.finding("GX-AGREEMENT", "/governance/agreement_signed", value=False, expected="是")


@rule(
    "GX-CATEGORIES",
    "gx-5.1",
    "error",
    GX,
    "创新联合体应由2类及以上的多个单位组成",
    "第五条（一）：创新联合体由企业、高等学校、科研院所、技术转移机构或其他组织机构等2类及以上的多个"
    "单位组成。类别按牵头单位和全部成员单位的单位类型统计；医院、检验检测机构、科技咨询机构等"
    "归入“其他组织机构”一类。",
    "{label}连同牵头单位只有{value}类单位（{found}），应由2类及以上的多个单位组成",
)
def categories(ctx: Context) -> Iterator[Finding]:
    p = ctx.profile
    types = [ctx.get("lead.org_type")] + [row.get("org_type") for _, row in ctx.rows("members")]
    found = {p["categories"].get(t, p["category_other"]) for t in types if isinstance(t, str) and t}
    if len(found) < p["categories_min"] or not ctx.rows("members"):
        shown = "、".join(sorted(found)) or "无"
        yield ctx.finding(
            "GX-CATEGORIES", "/members", value=len(found), expected=f">= {p['categories_min']}", found=shown
        )


def _no(code: str, path: str, title: str, message: str) -> None:
    pointer = "/" + path.replace(".", "/")

    def check(ctx: Context) -> Iterator[Finding]:
        if ctx.flag(path) is False:
            yield ctx.finding(code, pointer, value=False, expected="是")

    why = (
        "第五条（二）1：牵头单位应具备独立法人资格，内控制度健全完善，主要办公和研发场所在广西壮族自治区内的"
        "科技型企业。本项为必备条件，申请表填写“否”即不符合。"
    )
    rule(code, "gx-5.2.1", "error", GX, title, why, message)(check)


_no(
    "GX-LEGAL-PERSON",
    "lead.legal_person",
    "牵头单位应具备独立法人资格",
    "牵头单位{label}填写为“否”，牵头单位应具备独立法人资格",
)
_no(
    "GX-INTERNAL-CONTROL",
    "lead.internal_control",
    "牵头单位内控制度应健全完善",
    "牵头单位{label}填写为“否”，牵头单位内控制度应健全完善",
)


@rule(
    "GX-TECH-ENTERPRISE",
    "gx-5.2.1",
    "error",
    GX,
    "牵头单位应为科技型企业",
    "第五条（二）1：牵头单位应是主要办公和研发场所在广西壮族自治区内的科技型企业。"
    "“是否为科技型企业”填写“否”，或单位类型不是企业，均不符合。",
    "牵头单位{label}填写为“{value}”，牵头单位应为科技型企业",
)
def tech_enterprise(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("lead.tech_enterprise") is False:
        yield ctx.finding("GX-TECH-ENTERPRISE", "/lead/tech_enterprise", value=False, expected="是")
    org_type = ctx.get("lead.org_type")
    if isinstance(org_type, str) and org_type and org_type != "企业":
        yield ctx.finding("GX-TECH-ENTERPRISE", "/lead/org_type", value=org_type, expected="企业")


@rule(
    "GX-LOCATION",
    "gx-5.2.1",
    "error",
    GX,
    "牵头单位应在广西壮族自治区内（注册地为广西的设区市）",
    "第五条（二）1：牵头单位主要办公和研发场所在广西壮族自治区内；第六条（一）：由注册地所在设区市"
    "科技局审核推荐。注册地应为广西14个设区市之一（名单见配置文件）。",
    "牵头单位{label}为“{value}”，不在广西壮族自治区内；牵头单位应为注册地在广西设区市的企业",
)
def location(ctx: Context) -> Iterator[Finding]:
    place = ctx.text("lead.location")
    if place is not None and not mentions(squeeze(place), [*_cities(ctx), *ctx.profile["guangxi_names"]]):
        yield ctx.finding("GX-LOCATION", "/lead/location", value=place, expected="广西的设区市")


@rule(
    "GX-ADDRESS",
    "gx-5.2.1",
    "error",
    GX,
    "牵头单位主要办公和研发场所应在广西壮族自治区内",
    "第五条（二）1：主要办公和研发场所在广西壮族自治区内。地址写明其他省（区、市）且未提及广西时报告本条。",
    "牵头单位{label}为“{value}”，位于广西壮族自治区以外；主要办公和研发场所应在广西壮族自治区内",
)
def address(ctx: Context) -> Iterator[Finding]:
    text = ctx.text("lead.address")
    if text is None:
        return
    t = squeeze(text)
    outside = mentions(t, ctx.profile["other_provinces"])
    inside = mentions(t, [*ctx.profile["guangxi_cities"], *ctx.profile["guangxi_names"]])
    if outside and not inside:
        yield ctx.finding("GX-ADDRESS", "/lead/address", value=text, expected="广西壮族自治区内")


@rule(
    "GX-REVENUE",
    "gx-5.2.1",
    "warning",
    GX,
    "牵头单位年主营业务收入原则上10亿元以上",
    "第五条（二）1：年主营业务收入原则上应达到10亿元以上。“原则上”的门槛未达到时为警告。",
    "牵头单位上年度主营业务收入为{value}万元，低于原则上{minimum}的要求",
)
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


@rule(
    "GX-RD-STAFF",
    "gx-5.2.2",
    "warning",
    GX,
    "牵头单位专职研发人员原则上30人以上",
    "第五条（二）2：有专职研发团队，专职研发人员原则上应达到30人以上。",
    "牵头单位{label}为{value}人，低于原则上{minimum}人的要求",
)
def rd_staff(ctx: Context) -> Iterator[Finding]:
    yield from staff_findings(ctx, "GX-RD-STAFF")


@rule(
    "GX-PLATFORM",
    "gx-5.2.2",
    "error",
    GX,
    "牵头单位应建有省部级及以上的实验室、重点实验室、工程（技术）研究中心、技术创新中心或企业技术中心",
    "第五条（二）2：建有省部级及以上实验室、重点实验室、工程（技术）研究中心、技术创新中心、企业技术中心"
    "等创新平台。自治区级、省级平台按省部级计；市级平台不符合。",
    "牵头单位{label}中没有省部级及以上的实验室、重点实验室、工程（技术）研究中心、技术创新中心或"
    "企业技术中心（{found}）",
)
def platform(ctx: Context) -> Iterator[Finding]:
    yield from platform_findings(ctx, "GX-PLATFORM")


@rule(
    "GX-RD-INTENSITY",
    "gx-5.2.3",
    "warning",
    GX,
    "牵头单位年均研发费用不低于3000万元，或占同期销售收入比例原则上不低于3%（两者满足其一）",
    "第五条（二）3：企业近三个会计年度（实际经营期不满三年的按实际经营时间计算）的年均研究开发费用总额"
    "不低于3000万元或占同期销售收入总额的比例原则上不低于3%。两项满足任意一项即可。"
    "年均研发费用 = 近三个会计年度研究开发费用总额 ÷ min(3, 实际经营年限)；实际经营年限不满1年的按1年计，"
    "未填写的按3年计。比例 = 研究开发费用总额 ÷ 同期销售收入总额，不取表中填写的比例。",
    "牵头单位年均研究开发费用为{value}万元（{total}万元÷{years}年），低于{average_min}；研发费用占同期"
    "销售收入比例为{ratio}，低于原则上{ratio_min}%；两项均未达到要求（满足其一即可）",
)
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


@rule(
    "GX-OUTREACH",
    "gx-5.2.4",
    "error",
    GX,
    "牵头单位应能组织学术交流、技术服务、国际合作、成果转移转化等活动",
    "第五条（二）4：能够发起、组织高水平学术交流、为行业提供技术服务、国际合作、成果转移转化等活动。"
    "申请表须描述这些活动；描述中一项也没有提到时报告本条（未填写时由表单必填项报告）。",
    "{label}未说明任何学术交流、技术服务、国际合作或成果转化活动（填写为“{value}”）",
)
def outreach(ctx: Context) -> Iterator[Finding]:
    yield from outreach_findings(ctx, "GX-OUTREACH")


@rule(
    "GX-LEADS-OTHER",
    "gx-5.2.5",
    "warning",
    GX,
    "一个牵头单位原则上仅限牵头组建一个创新联合体",
    "第五条（二）5：原则上一个牵头单位仅限牵头组建一个创新联合体。申请表填写“已牵头组建其他创新联合体”"
    "时报告本条；与已认定名录的比对由批量检查（GX-BATCH-LEAD）报告。",
    "牵头单位填写已牵头组建其他创新联合体，原则上一个牵头单位仅限牵头组建一个创新联合体",
)
def leads_other(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("lead.leads_other") is True:
        yield ctx.finding("GX-LEADS-OTHER", "/lead/leads_other", value=True, expected="否")


@rule(
    "GX-MEMBER-LAYER",
    "gx-5.3.1",
    "error",
    GX,
    "每个成员单位应有合作基础，并明确核心层、紧密合作层或一般协作层",
    "第五条（三）1：参与单位应与牵头企业具备合作基础，并按在创新联合体内的功能定位分为核心层单位、"
    "紧密合作单位和一般协作层单位。成员单位表每一行都须填写层级和合作基础。",
    "{label}未填写，每个成员单位应{need}",
)
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


@rule(
    "GX-MEMBER-CONSORTIA",
    "gx-5.3.5",
    "warning",
    GX,
    "一个成员单位原则上至多参与3个创新联合体",
    "第五条（三）5：原则上一个成员单位至多参与3个创新联合体的组建。按成员单位自报的“已参与创新联合体数"
    "（含本联合体）”核对；与名录的比对由批量检查（GX-BATCH-MEMBER）报告。",
    "{label}为{value}个，超过原则上至多{maximum}个的限制",
)
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


@rule(
    "GX-SYSTEMS",
    "gx-5.4",
    "error",
    GX,
    "应设立六项运行制度：决策议事机构、技术咨询机构、常设执行机构、研发投入及经费管理制度、利益保障制度、开放发展制度",
    "第五条（四）：自治区创新联合体应设立决策议事机构、技术咨询机构、常设执行机构、研发投入及经费管理制度、"
    "利益保障制度、开放发展制度。六项各占申请表一栏，每一栏都须填写。",
    "未设立{label}（第五条（四）要求的六项运行制度之一）",
)
def systems(ctx: Context) -> Iterator[Finding]:
    for path in ctx.profile["systems"]:
        value = ctx.get(path)
        if value is None or (isinstance(value, str) and not value.strip()):
            yield ctx.finding("GX-SYSTEMS", "/" + path.replace(".", "/"), value=value, expected="已设立")


@rule(
    "GX-RECOMMENDER",
    "gx-6.1",
    "error",
    GX,
    "应由注册地所在设区市科技局或所属行业自治区主管部门审核推荐",
    "第六条（一）：牵头单位向本单位注册地所在设区市科技局或者所属行业自治区主管部门审核推荐。"
    "推荐单位是另一个设区市的科技局时报告本条。",
    "{label}为“{value}”，但牵头单位注册地在{city}；应由注册地所在设区市科技局或所属行业自治区主管部门审核推荐",
)
def recommender(ctx: Context) -> Iterator[Finding]:
    who, place = ctx.text("signoff.recommender"), ctx.text("lead.location")
    if who is None or place is None or mentions(squeeze(who), ctx.profile["regional_recommender_words"]):
        return
    theirs, ours = city_of(ctx, who), city_of(ctx, place)
    if theirs and ours and theirs != ours:
        yield ctx.finding(
            "GX-RECOMMENDER", "/signoff/recommender", value=who, expected=f"{ours}科学技术局", city=ours
        )


@rule(
    "GX-SPECIAL-CASE",
    "gx-8",
    "info",
    GX,
    "申请“一事一议”：采取“论证制”认定",
    "第八条：自治区党委、政府重点扶持且广西产业发展急需的，或符合第五条（二）要求且近三个会计年度年均研究"
    "开发费用总额超过10000万元的牵头单位，可以按照“一事一议”原则申请；认定采取“论证制”，以会评答辩形式"
    "从组建方向的合理性、牵头单位的基础和能力、组建的可行性、预期成效等方面综合质询和判定。",
    "申请“一事一议”：认定采取“论证制”，由专家以会评答辩形式论证组建方向的合理性、牵头单位的基础和能力、"
    "组建的可行性和预期成效；须属于重点扶持且产业急需，或年均研发费用超过1亿元（本表年均为{average}万元）",
)
def special_case(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("consortium.special_case") is True:
        average = rd_average(ctx)
        yield ctx.finding(
            "GX-SPECIAL-CASE",
            "/consortium/special_case",
            value=True,
            average=average.quantize(CENT, ROUND_HALF_UP) if average is not None else "—",
        )


@rule(
    "GX-SPECIAL-ELIGIBLE",
    "gx-8",
    "info",
    GX,
    "年均研发费用超过1亿元的牵头单位可按“一事一议”申请",
    "第八条：符合第五条（二）要求且近三个会计年度（实际经营期不满三年的按实际经营时间计算）年均研究开发费用"
    "总额超过10000万元的（以自治区统计局认定数为准）牵头单位，可以按照“一事一议”原则申请，采取“论证制”认定。",
    "牵头单位年均研究开发费用为{value}万元，超过{minimum}，可按“一事一议”原则申请（以自治区统计局认定数为准）",
)
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
