"""The conditions of the Liuzhou 2024 pre-application notice (``lz``), one rule per condition.

Thresholds, the deadline and the Liuzhou counties/districts come from
``forms/lz-preapply-2024.profile.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from ..findings import Finding
from .common import LZ, parse_date
from .engine import Context, fmt_number, fmt_wan, ratio_percent, rule

CENT = Decimal("0.01")


def mentions(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)


def squeeze(text: str) -> str:
    return "".join(text.split()).replace("\u3000", "")


@rule(
    "LZ-UNITS",
    "lz-1.1",
    "error",
    LZ,
    "创新联合体应由多个独立法人单位组成",
    "《通知》一、（一）：创新联合体由企业、高等学校、科研院所或其他组织机构等多个独立法人单位组成。"
    "成员单位表（不含牵头单位）至少要有一个单位。",
    "{label}为空，创新联合体应由牵头单位和成员单位等多个独立法人单位组成",
)
def units(ctx: Context) -> Iterator[Finding]:
    if not ctx.rows("members"):
        yield ctx.finding("LZ-UNITS", "/members", value=0, expected=">= 1")


@rule(
    "LZ-LOCATION",
    "lz-1.2.1",
    "error",
    LZ,
    "牵头单位应在柳州市依法从事经营活动（注册地在柳州市）",
    "《通知》一、（二）1：牵头单位应在柳州市依法从事经营活动。注册地应为柳州市的县（区），"
    "县（区）名单见配置文件 forms/lz-preapply-2024.profile.yaml。",
    "牵头单位{label}为“{value}”，不在柳州市；牵头单位应在柳州市依法从事经营活动",
)
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
        yield ctx.finding("LZ-LOCATION", "/lead/location", value=place, expected="柳州市的县（区）")


@rule(
    "LZ-REVENUE",
    "lz-1.2.1",
    "warning",
    LZ,
    "牵头单位年主营业务收入原则上：制造业5亿元以上、科技与信息服务业1亿元以上",
    "《通知》一、（二）1：制造业年主营业务收入原则上应达到5亿元以上、科技与信息服务业年主营业务收入"
    "原则上应达到1亿元以上。“其他”行业《通知》未规定门槛，但允许“各类创新主体”申报；本工具按《通知》"
    "所列最低门槛1亿元核对：低于1亿元即低于《通知》对任何行业设定的门槛，请申报单位说明理由。"
    "“原则上”的门槛未达到时为警告，不是错误。",
    "牵头单位上年度主营业务收入为{value}万元，低于{industry}原则上{minimum}的要求",
)
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


@rule(
    "LZ-RD-STAFF",
    "lz-1.2.2",
    "warning",
    LZ,
    "牵头单位专职研发人员原则上20人以上",
    "《通知》一、（二）2：有专职研发团队，专职研发人员原则上应达到20人以上。",
    "牵头单位{label}为{value}人，低于原则上{minimum}人的要求",
)
def rd_staff(ctx: Context) -> Iterator[Finding]:
    yield from staff_findings(ctx, "LZ-RD-STAFF")


def staff_findings(ctx: Context, code: str) -> Iterator[Finding]:
    """Shared by LZ-RD-STAFF and GX-RD-STAFF: full-time R&D staff against the profile's minimum."""
    staff = ctx.number("lead.rd_staff")
    minimum = ctx.profile["rd_staff_min"]
    if staff is not None and staff < minimum:
        yield ctx.finding(code, "/lead/rd_staff", value=staff, expected=f">= {minimum}", minimum=minimum)


@rule(
    "LZ-PLATFORM",
    "lz-1.2.2",
    "error",
    LZ,
    "牵头单位应建有市级及以上创新平台",
    "《通知》一、（二）2：建有市级及以上重点实验室、工程（技术）研究中心、技术创新中心、企业技术中心"
    "等创新平台。平台类型以“等”结尾，不限类型；级别须为市级、省部级（含自治区级）或国家级。",
    "牵头单位{label}中没有市级及以上的平台（{found}），应建有市级及以上创新平台",
)
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


@rule(
    "LZ-RD-RATIO",
    "lz-1.2.3",
    "warning",
    LZ,
    "牵头单位近三个会计年度研发费用占同期销售收入比例原则上不低于3%",
    "《通知》一、（二）3：企业近三个会计年度（实际经营期不满三年的按实际经营时间计算）的研究开发费用"
    "总额占同期销售收入总额的比例原则上不低于3%。比例由“近三个会计年度研究开发费用总额 ÷ 近三个会计"
    "年度销售收入总额”计算（两项均按实际经营期填写），不取表中填写的比例。",
    "牵头单位近三个会计年度研发费用总额{expense}万元占同期销售收入总额{sales}万元的{value}%，"
    "低于原则上{minimum}%的要求",
)
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


@rule(
    "LZ-OUTREACH",
    "lz-1.2.4",
    "error",
    LZ,
    "牵头单位应能组织学术交流、技术服务、国际合作、成果转移转化等活动",
    "《通知》一、（二）4：能够发起、组织高水平学术交流、为行业提供技术服务、国际合作、成果转移转化等"
    "活动。申报表须描述这些活动；描述中一项也没有提到时报告本条（未填写时由表单必填项报告）。",
    "{label}未说明任何学术交流、技术服务、国际合作或成果转化活动（填写为“{value}”）",
)
def outreach(ctx: Context) -> Iterator[Finding]:
    yield from outreach_findings(ctx, "LZ-OUTREACH")


def outreach_findings(ctx: Context, code: str) -> Iterator[Finding]:
    text = ctx.text("lead.outreach")
    if text is not None and not mentions(squeeze(text), ctx.profile["outreach_keywords"]):
        yield ctx.finding(code, "/lead/outreach", value=text, expected="描述相关活动")


@rule(
    "LZ-LEADS-OTHER",
    "lz-1.2.5",
    "warning",
    LZ,
    "一个牵头单位原则上仅限牵头组建一个创新联合体",
    "《通知》一、（二）5：原则上一个牵头单位仅限牵头组建一个创新联合体。申报表填写“已牵头组建其他"
    "创新联合体”时报告本条；同一批次中重复牵头由批量检查（LZ-BATCH-LEAD）报告。",
    "牵头单位填写已牵头组建其他创新联合体，原则上一个牵头单位仅限牵头组建一个创新联合体",
)
def leads_other(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("lead.leads_other") is True:
        yield ctx.finding("LZ-LEADS-OTHER", "/lead/leads_other", value=True, expected="否")


@rule(
    "LZ-BODIES",
    "lz-1.4",
    "error",
    LZ,
    "应设立决策、咨询和执行机构，执行机构为常设机构并配备工作人员",
    "《通知》一、（四）：创新联合体应设立决策、咨询和执行等组织机构；执行机构为常设机构，应配备必要的"
    "工作人员。执行机构工作人员数至少为1人。",
    "{label}为{value}人，常设执行机构应配备必要的工作人员",
)
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


@rule(
    "LZ-FUNDS",
    "lz-1.5",
    "info",
    LZ,
    "经费管理制度应包含经费使用的内部监督机制",
    "《通知》一、（五）：对创新联合体经费要制定相应的管理办法，建立经费使用的内部监督机制。"
    "未填写经费管理制度是错误（由表单必填项报告）；已填写但描述中看不出内部监督（监督、审计等）时，"
    "只能从措辞推断，故作为提示，请审查人员核实。",
    "{label}中未见经费使用内部监督机制（如内部审计、监督）的说明，请核实是否已建立",
)
def funds(ctx: Context) -> Iterator[Finding]:
    text = ctx.text("governance.funds_policy")
    if text is not None and not mentions(squeeze(text), ctx.profile["funds_supervision_keywords"]):
        yield ctx.finding("LZ-FUNDS", "/governance/funds_policy", value=text, expected="说明内部监督机制")


@rule(
    "LZ-SPECIAL-CASE",
    "lz-1.6",
    "info",
    LZ,
    "申请“一事一议”：按论证或建设程序单独办理",
    "《通知》一、（六）：对柳州市党委、政府重点扶持或柳州市产业发展急需的创新联合体，可以按照“一事一议”"
    "原则组织论证或建设。申请“一事一议”时，须说明属于重点扶持或产业发展急需，由市科技局组织论证。",
    "申请“一事一议”：须说明属于柳州市党委、政府重点扶持或产业发展急需的情形，按“一事一议”原则组织论证或建设",
)
def special_case(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("consortium.special_case") is True:
        yield ctx.finding("LZ-SPECIAL-CASE", "/consortium/special_case", value=True)


@rule(
    "LZ-DEADLINE",
    "lz-2.2",
    "error",
    LZ,
    "预申报表应于2024年4月15日前报送",
    "《通知》二、（二）：各申报单位于2024年4月15日前报送预申报表。填报日期晚于截止日期的，"
    "不在本批次受理范围内。截止日期见配置文件。",
    "{label}为{filed}，晚于报送截止日期{deadline}",
)
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


@rule(
    "LZ-NAME",
    "lz-3.1",
    "error",
    LZ,
    "名称应为“柳州市+核心技术领域+创新联合体”",
    "《通知》三、（一）：拟建创新联合体名称应为“柳州市+核心技术领域+创新联合体”。名称中间部分与"
    "所填核心技术领域是否一致由 LZ-NAME-FIELD 提示；与柳州市现有创新联合体重名或相似由批量检查"
    "（LZ-BATCH-NAME）报告。",
    "{label}“{value}”不符合“柳州市+核心技术领域+创新联合体”的格式{detail}",
)
def name(ctx: Context) -> Iterator[Finding]:
    value = ctx.text("consortium.name")
    if value is None:
        return
    text = squeeze(value)
    if not (
        text.startswith("柳州市") and text.endswith("创新联合体") and len(text) > len("柳州市创新联合体")
    ):
        yield ctx.finding(
            "LZ-NAME", "/consortium/name", value=value, expected="柳州市+核心技术领域+创新联合体", detail=""
        )
        return


@rule(
    "LZ-NAME-FIELD",
    "lz-3.1",
    "info",
    LZ,
    "名称中的技术领域应与所填核心技术领域一致",
    "《通知》三、（一）：名称应为“柳州市+核心技术领域+创新联合体”，并精准聚焦核心技术领域。名称中间部分"
    "与所填核心技术领域明显不同时提示；是否同一领域只能由措辞推断，故作为提示，请审查人员核实。",
    "{label}中的领域“{middle}”与所填核心技术领域“{core}”不一致，请核实",
)
def name_field(ctx: Context) -> Iterator[Finding]:
    value, field = ctx.text("consortium.name"), ctx.text("consortium.tech_field")
    if value is None or field is None:
        return
    text = squeeze(value)
    if not (text.startswith("柳州市") and text.endswith("创新联合体")):
        return  # LZ-NAME reports the format
    middle = text[len("柳州市") : -len("创新联合体")]
    if middle and not _similar(middle, squeeze(field)):
        yield ctx.finding(
            "LZ-NAME-FIELD",
            "/consortium/name",
            value=value,
            expected=f"柳州市{field}创新联合体",
            middle=middle,
            core=field,
        )


def _similar(a: str, b: str) -> bool:
    if a in b or b in a:
        return True
    from rapidfuzz import fuzz

    return fuzz.partial_ratio(a, b) >= 60


@rule(
    "LZ-MEMBERS",
    "lz-3.3",
    "warning",
    LZ,
    "联合申报的成员单位原则上不少于8个",
    "《通知》三、（三）：每个申报的创新联合体必须有1个牵头组建单位，联合申报的成员单位原则上不少于8个。"
    "成员单位表不含牵头单位，按行数计算。",
    "{label}共{value}个（不含牵头单位），少于原则上{minimum}个的要求",
)
def members(ctx: Context) -> Iterator[Finding]:
    count = len(ctx.rows("members"))
    minimum = ctx.profile["members_min"]
    if count < minimum:
        yield ctx.finding("LZ-MEMBERS", "/members", value=count, expected=f">= {minimum}", minimum=minimum)


@rule(
    "LZ-STRATEGIC",
    "lz-3.4",
    "info",
    LZ,
    "与柳州市签订战略合作协议的依托单位申报的，优先予以组建",
    "《通知》三、（四）：与我市签订有战略合作协议依托单位申报的创新联合体优先予以组建。"
    "申报表勾选“是”时提示审查人员核对战略合作协议。",
    "牵头单位已与柳州市签订战略合作协议，按《通知》优先予以组建（请附协议以便核对）",
)
def strategic(ctx: Context) -> Iterator[Finding]:
    if ctx.flag("consortium.strategic_agreement") is True:
        yield ctx.finding("LZ-STRATEGIC", "/consortium/strategic_agreement", value=True)
