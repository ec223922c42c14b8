"""Fill the official blank form the way an applicant does in Word.

Start from ``ictk forms blank FORM -o blank.docx``; find each value cell by the label text printed
beside it (never by position); type the value; tick a box by overwriting ``☐`` (or delete the
options not chosen); add member rows by copying a row when the blank has too few; leave unused
rows empty. Numbers are written the way finance people write them (``86,500``, ``8.65亿元``),
dates as ``2024年4月10日``.
"""

from __future__ import annotations

import copy
import re
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import docx
from docx.table import Table, _Cell

# Labels as printed on the form (spec/FORMS.md); the record path each one fills.
LABELS = {
    "consortium.name": "创新联合体名称",
    "consortium.tech_field": "核心技术领域",
    "consortium.industry_direction": "所属产业方向",
    "consortium.special_case": "是否申请“一事一议”",
    "consortium.strategic_agreement": "是否与柳州市签订战略合作协议",
    "lead.name": "牵头单位名称",
    "lead.uscc": "统一社会信用代码",
    "lead.location": "注册地",
    "lead.address": "主要办公和研发场所",
    "lead.org_type": "单位类型",
    "lead.industry": "所属行业",
    "lead.legal_person": "是否具备独立法人资格",
    "lead.internal_control": "内控制度是否健全",
    "lead.tech_enterprise": "是否为科技型企业",
    "lead.legal_representative": "法定代表人",
    "lead.contact": "联系人",
    "lead.phone": "联系电话",
    "lead.email": "电子邮箱",
    "lead.revenue": "上年度主营业务收入（万元）",
    "lead.rd_staff": "专职研发人员数（人）",
    "lead.rd_expense_3y": "近三个会计年度研究开发费用总额（万元）",
    "lead.sales_3y": "近三个会计年度销售收入总额（万元）",
    "lead.operating_years": "实际经营年限（年）",
    "lead.rd_ratio": "研发费用占销售收入比例（%）",
    "lead.outreach": "学术交流、技术服务、国际合作、成果转化情况",
    "lead.leads_other": "是否已牵头组建其他创新联合体",
    "governance.decision_body": "决策议事机构",
    "governance.advisory_body": "技术咨询机构",
    "governance.executive_body": "常设执行机构",
    "governance.executive_staff": "执行机构工作人员数（人）",
    "governance.funds_policy": "研发投入及经费管理制度",
    "governance.benefit_policy": "利益保障制度",
    "governance.openness_policy": "开放发展制度",
    "governance.agreement_signed": "是否已签订组建协议",
    "plan.goals": "建设目标",
    "plan.tasks": "主要任务",
    "plan.outcomes": "预期成效",
    "plan.start": "建设期起始日期",
    "plan.end": "建设期截止日期",
    "signoff.date": "填报日期",
    "signoff.recommender": "推荐单位",
    "signoff.recommender_opinion": "推荐单位意见",
}
AMOUNTS = {"lead.revenue", "lead.rd_expense_3y", "lead.sales_3y"}
DATES = {"plan.start", "plan.end", "signoff.date"}
MEMBER_COLUMNS = {
    "单位名称": "name",
    "统一社会信用代码": "uscc",
    "单位类型": "org_type",
    "层级": "layer",
    "所在地": "location",
    "合作基础": "basis",
    "已参与创新联合体数": "consortia_count",
}
PLATFORM_COLUMNS = {"平台名称": "name", "级别": "level", "类型": "type"}
# How people write a platform level or type other than the canonical word.
LEVEL_WRITTEN = {"省部级": "自治区级"}
TYPE_WRITTEN = {"工程（技术）研究中心": "工程技术研究中心"}


@dataclass
class Style:
    """One applicant's habits."""

    tick: str = "☑"  # ☑ ■ √ or "delete" (the options not chosen are deleted)
    amount: str = "comma"  # plain | comma | yi | wan
    date: str = "cn"  # cn | dot | iso | slash
    percent: str = "sign"  # sign (5.22%) | bare (5.22)
    staff_unit: bool = False  # "156人"
    platform_words: bool = False  # 自治区级, 工程技术研究中心


def norm(text: str) -> str:
    return re.sub(r"[\s\u3000：:]", "", text)


def fmt_amount(value, style: Style, path: str = "lead.revenue") -> str:
    d = Decimal(str(value))
    if style.amount == "yi" and path == "lead.rd_expense_3y":
        return f"{d:,}"  # small sums stay in 万元 even for those who write 亿元
    if style.amount == "comma":
        return f"{d:,}"
    if style.amount == "yi":
        return f"{(d / 10000).normalize():f}亿元"
    if style.amount == "wan":
        return f"{d}万元"
    return str(d)


def fmt_date(iso: str, style: Style) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return {
        "cn": f"{y}年{m}月{d}日",
        "dot": f"{y}.{m}.{d}",
        "slash": f"{y}/{m:02d}/{d:02d}",
        "iso": iso,
    }[style.date]


def written(path: str, value, style: Style) -> str:
    if path in AMOUNTS:
        return fmt_amount(value, style, path)
    if path in DATES:
        return fmt_date(value, style)
    if path == "lead.rd_ratio":
        return f"{value}%" if style.percent == "sign" else str(value)
    if path in ("lead.rd_staff", "governance.executive_staff") and style.staff_unit:
        return f"{value}人"
    return str(value)


def tick(options_text: str, chosen: str, style: Style) -> str:
    if style.tick == "delete":
        return chosen
    return options_text.replace(f"☐{chosen}", f"{style.tick}{chosen}")


def set_text(cell: _Cell, text: str) -> None:
    """Replace the cell's text, keeping the first run's formatting (as typing over it does)."""
    paras = cell.paragraphs
    for extra in paras[1:]:
        extra._p.getparent().remove(extra._p)
    p = paras[0]
    runs = p.runs
    if runs:
        runs[0].text = text
        for r in runs[1:]:
            r._r.getparent().remove(r._r)
    else:
        p.add_run(text)


def unique_cells(row) -> list[_Cell]:
    seen, out = set(), []
    for c in row.cells:
        if id(c._tc) not in seen:
            seen.add(id(c._tc))
            out.append(c)
    return out


def get(record: dict, path: str):
    node = record
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def is_grid_table(table: Table) -> bool:
    head = {norm(c.text) for c in table.rows[0].cells}
    return "序号" in head or "平台名称" in head


def value_cell(table: Table, r: int, cells: list[_Cell], i: int) -> _Cell:
    if i + 1 < len(cells):
        return cells[i + 1]
    return unique_cells(table.rows[r + 1])[0]  # long text: the row below


def fill_fields(doc, record: dict, style: Style) -> set[str]:
    wanted = {norm(label): path for path, label in LABELS.items()}
    done: set[str] = set()
    for table in doc.tables:
        if is_grid_table(table):
            continue
        for r, row in enumerate(table.rows):
            cells = unique_cells(row)
            for i, cell in enumerate(cells):
                path = wanted.get(norm(cell.text))
                if path is None or path in done:
                    continue
                target = value_cell(table, r, cells, i)
                done.add(path)
                value = get(record, path)
                if value is None:
                    continue  # left blank
                if isinstance(value, bool):
                    set_text(target, tick(target.text, "是" if value else "否", style))
                elif "☐" in target.text:
                    set_text(target, tick(target.text, str(value), style))
                else:
                    set_text(target, written(path, value, style))
    return done


def find_grid(doc, first_label: str) -> Table:
    for table in doc.tables:
        if first_label in {norm(c.text) for c in table.rows[0].cells}:
            return table
    raise LookupError(first_label)


def fill_grid(table: Table, rows: list[dict], columns: dict[str, str], style: Style, index: bool) -> None:
    header = [norm(c.text) for c in unique_cells(table.rows[0])]
    body = list(table.rows[1:])
    while len(body) < len(rows):  # copy a row's XML, as Word's "insert row below" does
        new_tr = copy.deepcopy(body[-1]._tr)
        body[-1]._tr.addnext(new_tr)
        table = Table(table._tbl, table._parent)
        body = list(table.rows[1:])
    for entry, row in zip(rows, body, strict=False):
        cells = unique_cells(row)
        for col, label in enumerate(header):
            if label == "序号" and index:
                set_text(cells[col], str(rows.index(entry) + 1))
                continue
            key = columns.get(label)
            if key is None or key not in entry:
                continue
            value = entry[key]
            if style.platform_words and key == "level":
                value = LEVEL_WRITTEN.get(value, value)
            if style.platform_words and key == "type":
                value = TYPE_WRITTEN.get(value, value)
            set_text(cells[col], str(value))


def blank(form_id: str, out: Path) -> Path:
    if out.exists():
        out.unlink()
    subprocess.run(["ictk", "forms", "blank", form_id, "-o", str(out)], check=True, capture_output=True)
    return out


def fill(record: dict, out: Path, style: Style, workdir: Path) -> Path:
    src = blank(record["form"], workdir / f"blank-{record['form']}.docx")
    doc = docx.Document(str(src))
    fill_fields(doc, record, style)
    fill_grid(find_grid(doc, "平台名称"), record["lead"].get("platforms", []), PLATFORM_COLUMNS, style, False)
    fill_grid(find_grid(doc, "序号"), record.get("members", []), MEMBER_COLUMNS, style, True)
    doc.save(str(out))
    return out
