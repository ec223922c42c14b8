"""A second producer: the form retyped as HTML, opened in LibreOffice Writer, saved as .docx.

The table structure differs from the official blank on purpose: one big table with the section
headers as rows, the label in column 1 and the value spanning three columns (long texts too, on
the same row), ASCII parentheses in some labels, the platform table in another column order, and
the member table with a section-header row on top, columns reordered and an extra 备注 column.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import records

LZ_OPTIONS = {
    "lead.org_type": ["企业", "高等学校", "科研院所", "医院", "其他机构"],
    "lead.industry": ["制造业", "科技与信息服务业", "其他"],
}

FIELDS_LZ = [
    ("一、创新联合体基本情况", None),
    ("创新联合体名称", "consortium.name"),
    ("核心技术领域", "consortium.tech_field"),
    ("所属产业方向", "consortium.industry_direction"),
    ("是否申请“一事一议”", "consortium.special_case"),
    ("是否与柳州市签订战略合作协议", "consortium.strategic_agreement"),
    ("二、牵头单位基本情况", None),
    ("牵头单位名称：", "lead.name"),
    ("统一社会信用代码", "lead.uscc"),
    ("注册地", "lead.location"),
    ("主要办公和研发场所", "lead.address"),
    ("单位类型", "lead.org_type"),
    ("所属行业", "lead.industry"),
    ("法定代表人", "lead.legal_representative"),
    ("联系人", "lead.contact"),
    ("联系电话", "lead.phone"),
    ("电子邮箱", "lead.email"),
    ("是否已牵头组建其他创新联合体", "lead.leads_other"),
    ("三、牵头单位研发能力", None),
    ("上年度主营业务收入(万元)", "lead.revenue"),
    ("专职研发人员数(人)", "lead.rd_staff"),
    ("近三个会计年度研究开发费用总额（万元）", "lead.rd_expense_3y"),
    ("近三个会计年度销售收入总额（万元）", "lead.sales_3y"),
    ("实际经营年限（年）", "lead.operating_years"),
    ("研发费用占销售收入比例(%)", "lead.rd_ratio"),
    ("学术交流、技术服务、国际合作、成果转化情况", "lead.outreach"),
]
FIELDS_GOV = [
    ("五、组织架构与运行制度", None),
    ("决策议事机构", "governance.decision_body"),
    ("技术咨询机构", "governance.advisory_body"),
    ("常设执行机构", "governance.executive_body"),
    ("执行机构工作人员数（人）", "governance.executive_staff"),
    ("研发投入及经费管理制度", "governance.funds_policy"),
    ("利益保障制度", "governance.benefit_policy"),
    ("开放发展制度", "governance.openness_policy"),
    ("是否已签订组建协议", "governance.agreement_signed"),
    ("六、建设目标与任务", None),
    ("建设目标", "plan.goals"),
    ("主要任务", "plan.tasks"),
    ("预期成效", "plan.outcomes"),
    ("建设期起始日期", "plan.start"),
    ("建设期截止日期", "plan.end"),
    ("七、推荐意见", None),
    ("填报日期", "signoff.date"),
    ("推荐单位", "signoff.recommender"),
    ("推荐单位意见", "signoff.recommender_opinion"),
]
GX_ONLY = {"lead.legal_person", "lead.internal_control", "lead.tech_enterprise"}
GX_EXTRA = [
    ("是否具备独立法人资格", "lead.legal_person"),
    ("内控制度是否健全", "lead.internal_control"),
    ("是否为科技型企业", "lead.tech_enterprise"),
]
MEMBER_ORDER = [
    ("序号", None),
    ("单位名称", "name"),
    ("层级", "layer"),
    ("单位类型", "org_type"),
    ("统一社会信用代码", "uscc"),
    ("合作基础", "basis"),
    ("所在地", "location"),
    ("已参与创新联合体数", "consortia_count"),
    ("备注", None),
]

TABLE = '<table border="1" cellspacing="0" cellpadding="4">'
CSS = (
    "body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC';font-size:11pt}"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;padding:3pt}"
    "h1{text-align:center;font-size:18pt}"
)


def get(record: dict, path: str):
    node = record
    for p in path.split("."):
        if p not in node:
            return None
        node = node[p]
    return node


def shown(path: str, value, form: str) -> str:
    if isinstance(value, bool):
        return "☑是 ☐否" if value else "☐是 ☑否"
    if path in LZ_OPTIONS:
        return " ".join(("☑" if o == value else "☐") + o for o in LZ_OPTIONS[path])
    if path == "lead.revenue":
        return f"{value / 10000:g}亿元" if value % 100 == 0 else f"{value:,}万元"
    if path in ("lead.rd_expense_3y", "lead.sales_3y"):
        return f"{value:,}"
    if path in ("plan.start", "plan.end", "signoff.date"):
        y, m, d = (int(x) for x in value.split("-"))
        return f"{y}年{m}月{d}日"
    if path == "lead.rd_ratio":
        return f"{value}%"
    return str(value)


def field_rows(record: dict, fields) -> str:
    out = []
    for label, path in fields:
        if path is None:
            out.append(f'<tr><td colspan="4"><b>{escape(label)}</b></td></tr>')
            continue
        value = get(record, path)
        if value is None and path.startswith("governance.") and record["form"] == "lz-preapply-2024":
            if path in (
                "governance.benefit_policy",
                "governance.openness_policy",
                "governance.agreement_signed",
            ):
                continue
        text = "" if value is None else shown(path, value, record["form"])
        out.append(f'<tr><td width="28%">{escape(label)}</td><td colspan="3">{escape(text)}</td></tr>')
    return "\n".join(out)


def document(record: dict, title: str) -> str:
    fields = list(FIELDS_LZ)
    if record["form"] == "gx-recognition":
        fields = [f for f in fields if f[1] not in ("consortium.strategic_agreement", "lead.industry")]
        at = fields.index(("单位类型", "lead.org_type")) + 1
        fields[at:at] = GX_EXTRA
    parts = [f"<h1>{escape(title)}</h1>", TABLE, field_rows(record, fields), "</table>"]
    parts.append(f"<p>创新平台</p>{TABLE}<tr><th>类型</th><th>平台名称</th><th>级别</th></tr>")
    for p in record["lead"]["platforms"]:
        parts.append(
            f"<tr><td>{escape(p['type'])}</td><td>{escape(p['name'])}</td><td>{escape(p['level'])}</td></tr>"
        )
    parts.append("</table>")
    parts.append(
        f'<p>成员单位</p>{TABLE}<tr><td colspan="9"><b>四、成员单位情况（不含牵头单位）</b></td></tr><tr>'
    )
    parts.append("".join(f"<th>{h}</th>" for h, _ in MEMBER_ORDER) + "</tr>")
    for i, m in enumerate(record["members"], 1):
        cells = []
        for h, key in MEMBER_ORDER:
            if h == "序号":
                cells.append(str(i))
            elif h == "备注":
                cells.append("新增成员" if i % 4 == 0 else "")
            else:
                cells.append(str(m.get(key, "")))
        parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    parts.append("</table>")
    gov = FIELDS_GOV
    if record["form"] == "lz-preapply-2024":
        gov = [
            f
            for f in gov
            if f[1]
            not in ("governance.benefit_policy", "governance.openness_policy", "governance.agreement_signed")
        ]
    else:
        gov = [(("七、审核推荐意见", None) if f == ("七、推荐意见", None) else f) for f in gov]
    parts += [TABLE, field_rows(record, gov), "</table>", "<p>填报单位（盖章）　　　　推荐单位（盖章）</p>"]
    body = "\n".join(parts)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{CSS}</style></head><body>{body}</body></html>'


def make(out: Path, work: Path) -> dict[str, dict]:
    from lo import convert

    made = {}
    for name, base, title in [
        ("lz-html-software", "lz-software", "柳州市市级创新联合体预申报表"),
        ("gx-html-battery", "gx-battery", "广西壮族自治区创新联合体认定申请表"),
    ]:
        record = records.clone(base)
        html = work / f"{name}.html"
        html.write_text(document(record, title), encoding="utf-8")
        # Writer/Web opens .html; its writerweb8_writer export makes a Writer document of it
        odt = convert(html, "odt", work, filter_name="odt:writerweb8_writer")
        docx_path = convert(odt, "docx", work)
        (out / f"{name}.docx").write_bytes(docx_path.read_bytes())
        made[name] = {
            "about": "HTML form saved as .docx by LibreOffice Writer",
            "record": record,
            "findings": [],
            "verdict": "pass",
        }
        pdf = convert(docx_path, "pdf", work)
        (out / f"{name}-pdf.pdf").write_bytes(pdf.read_bytes())
        made[f"{name}-pdf"] = {**made[name], "about": "the same, printed to PDF by LibreOffice"}
    return made
