"""A third producer: WordprocessingML written by hand, the way Word leaves a file after edits.

Labels are split over several runs (``牵头`` ``单位`` ``名称``) with proofing marks and bookmarks
between them; value cells span columns (``w:gridSpan``); a 联系方式 cell spans two rows
(``w:vMerge``) beside the contact fields; some digits are full-width; in the member table
consecutive members of one layer share a vertically merged 层级 cell.
"""

from __future__ import annotations

import zipfile
from html import escape
from pathlib import Path

import records

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"""

RPR = '<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:hint="eastAsia"/><w:sz w:val="24"/></w:rPr>'
BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)


def run(text: str, rsid: str = "00A1B2C3") -> str:
    return f'<w:r w:rsidR="{rsid}">{RPR}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


_bookmark = iter(range(1, 10000))


def split_runs(text: str) -> str:
    """Text cut into 2-3 runs with the debris Word leaves between them."""
    if len(text) < 4:
        return run(text)
    a, b = len(text) // 3, 2 * len(text) // 3
    n = next(_bookmark)
    return (
        run(text[:a], "00C4D5E6")
        + '<w:proofErr w:type="spellStart"/>'
        + run(text[a:b], "00F7A8B9")
        + '<w:proofErr w:type="spellEnd"/>'
        + f'<w:bookmarkStart w:id="{n}" w:name="_Hlk{n:06d}"/><w:bookmarkEnd w:id="{n}"/>'
        + run(text[b:], "00C4D5E6")
    )


def para(inner: str, center: bool = False) -> str:
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    return f"<w:p>{ppr}{inner}</w:p>"


def cell(
    inner_text: str = "", width: int = 2000, span: int = 1, vmerge: str | None = None, label: bool = False
) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    body = split_runs(inner_text) if label else (run(inner_text) if inner_text else "")
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{para(body)}</w:tc>"


def table(rows: list[str], grid: list[int]) -> str:
    cols = "".join(f'<w:gridCol w:w="{g}"/>' for g in grid)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(grid)}" w:type="dxa"/>{BORDERS}'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{cols}</w:tblGrid>'
        + "".join(f"<w:tr>{r}</w:tr>" for r in rows)
        + "</w:tbl>"
    )


def yesno(v: bool) -> str:
    return "☑是  ☐否" if v else "☐是  ☑否"


def choice(options: list[str], v: str) -> str:
    return "  ".join(("☑" if o == v else "☐") + o for o in options)


def cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def document(r: dict, title: str) -> str:
    lz = r["form"] == "lz-preapply-2024"
    c, lead, g, p, s = r["consortium"], r["lead"], r["governance"], r["plan"], r["signoff"]
    grid5 = [1100, 1900, 2100, 1900, 2100]
    # 5-column grid: col 0 is a vertical group cell or part of a label spanning 2 columns

    def pair(label: str, value: str) -> str:  # label over cols 0-1, value over cols 2-4
        return cell(label, 3000, 2, label=True) + cell(value, 6100, 3)

    def quad(l1: str, v1: str, l2: str, v2: str) -> str:
        return cell(l1, 3000, 2, label=True) + cell(v1, 2100) + cell(l2, 1900, label=True) + cell(v2, 2100)

    body = [para(run(title), center=True), para(run("一、创新联合体基本情况"))]
    rows = [
        pair("创新联合体名称", c["name"]),
        quad("核心技术领域", c["tech_field"], "所属产业方向", c["industry_direction"]),
        pair("是否申请“一事一议”", yesno(c["special_case"])),
    ]
    if lz:
        rows.append(pair("是否与柳州市签订战略合作协议", yesno(c["strategic_agreement"])))
    body.append(table(rows, grid5))
    body.append(para(run("二、牵头单位基本情况")))
    rows = [
        pair("牵头单位名称", lead["name"]),
        quad("统一社会信用代码", lead["uscc"], "注册地", lead["location"]),
        pair("主要办公和研发场所", lead["address"]),
        pair("单位类型", choice(["企业", "高等学校", "科研院所", "医院", "其他机构"], lead["org_type"])),
    ]
    if lz:
        rows.append(pair("所属行业", choice(["制造业", "科技与信息服务业", "其他"], lead["industry"])))
    else:
        rows += [
            pair("是否具备独立法人资格", yesno(lead["legal_person"])),
            pair("内控制度是否健全", yesno(lead["internal_control"])),
            pair("是否为科技型企业", yesno(lead["tech_enterprise"])),
        ]
    rows.append(pair("法定代表人", lead["legal_representative"]))
    # 联系方式 spans two rows on the left (vMerge); the contact fields sit to its right
    rows.append(
        cell("联系方式", 1100, vmerge="restart", label=True)
        + cell("联系人", 1900, label=True)
        + cell(lead["contact"], 2100)
        + cell("联系电话", 1900, label=True)
        + cell(lead["phone"], 2100)
    )
    rows.append(
        cell("", 1100, vmerge="continue") + cell("电子邮箱", 1900, label=True) + cell(lead["email"], 6100, 3)
    )
    rows.append(pair("是否已牵头组建其他创新联合体", yesno(lead["leads_other"])))
    body.append(table(rows, grid5))
    body.append(para(run("三、牵头单位研发能力")))
    rows = [
        quad(
            "上年度主营业务收入（万元）",
            f"{lead['revenue']:,}",
            "专职研发人员数（人）",
            str(lead["rd_staff"]).translate(FULLWIDTH),
        ),
        quad(
            "近三个会计年度研究开发费用总额（万元）",
            f"{lead['rd_expense_3y']}万元",
            "近三个会计年度销售收入总额（万元）",
            f"{lead['sales_3y']:,}",
        ),
        quad(
            "实际经营年限（年）",
            str(lead["operating_years"]),
            "研发费用占销售收入比例（%）",
            f"{lead['rd_ratio']}%",
        ),
        pair("学术交流、技术服务、国际合作、成果转化情况", lead["outreach"]),
    ]
    body.append(table(rows, grid5))
    body.append(para(run("创新平台")))
    rows = [
        cell("平台名称", 4000, label=True) + cell("级别", 2000, label=True) + cell("类型", 3100, label=True)
    ]
    for pf in lead["platforms"]:
        rows.append(cell(pf["name"], 4000) + cell(pf["level"], 2000) + cell(pf["type"], 3100))
    rows.append(cell("", 4000) + cell("", 2000) + cell("", 3100))
    body.append(table(rows, [4000, 2000, 3100]))
    body.append(para(run("四、成员单位情况")))
    heads = [
        "序号",
        "单位名称",
        "统一社会信用代码",
        "单位类型",
        "层级",
        "所在地",
        "合作基础",
        "已参与创新联合体数",
    ]
    widths = [600, 1800, 1900, 1000, 1000, 1100, 1200, 800]
    rows = ["".join(cell(h, w, label=True) for h, w in zip(heads, widths, strict=True))]
    prev_layer = None
    for i, m in enumerate(r["members"], 1):
        layer = m.get("layer")
        # consecutive members of the same layer share one vertically merged 层级 cell
        vm = "continue" if layer and layer == prev_layer else ("restart" if layer else None)
        layer_cell = cell("" if vm == "continue" else (layer or ""), 1000, vmerge=vm)
        prev_layer = layer
        rows.append(
            cell(str(i), 600)
            + cell(m["name"], 1800)
            + cell(m["uscc"], 1900)
            + cell(m["org_type"], 1000)
            + layer_cell
            + cell(m["location"], 1100)
            + cell(m["basis"], 1200)
            + cell(str(m["consortia_count"]), 800)
        )
    body.append(table(rows, widths))
    body.append(para(run("五、组织架构与运行制度")))
    rows = [
        pair("决策议事机构", g["decision_body"]),
        pair("技术咨询机构", g["advisory_body"]),
        pair("常设执行机构", g["executive_body"]),
        pair("执行机构工作人员数（人）", str(g["executive_staff"])),
        pair("研发投入及经费管理制度", g["funds_policy"]),
    ]
    if not lz:
        rows += [
            pair("利益保障制度", g["benefit_policy"]),
            pair("开放发展制度", g["openness_policy"]),
            pair("是否已签订组建协议", yesno(g["agreement_signed"])),
        ]
    body.append(table(rows, grid5))
    body.append(para(run("六、建设目标与任务")))
    rows = [
        pair("建设目标", p["goals"]),
        pair("主要任务", p["tasks"]),
        pair("预期成效", p["outcomes"]),
        quad("建设期起始日期", cn_date(p["start"]), "建设期截止日期", cn_date(p["end"])),
    ]
    body.append(table(rows, grid5))
    body.append(para(run("七、推荐意见" if lz else "七、审核推荐意见")))
    rows = [
        quad("填报日期", cn_date(s["date"]), "推荐单位", s["recommender"]),
        pair("推荐单位意见", s["recommender_opinion"]),
    ]
    body.append(table(rows, grid5))
    sect = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1247" w:bottom="1440" w:left="1247" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>'
        + "".join(body)
        + sect
        + "</w:body></w:document>"
    )


def write(record: dict, title: str, path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS)
        z.writestr("word/document.xml", document(record, title))


def make(out: Path, work: Path | None = None) -> dict[str, dict]:
    from lo import convert

    made = {}
    for name, base, title in [
        ("lz-raw-medical", "lz-medical", "柳州市市级创新联合体预申报表"),
        ("gx-raw-young", "gx-young", "广西壮族自治区创新联合体认定申请表"),
    ]:
        record = records.clone(base)
        write(record, title, out / f"{name}.docx")
        made[name] = {
            "about": "hand-written WordprocessingML: split runs, gridSpan, vMerge",
            "record": record,
            "findings": [],
            "verdict": "pass",
        }
        if work is not None:
            pdf = convert(out / f"{name}.docx", "pdf", work)
            (out / f"{name}-pdf.pdf").write_bytes(pdf.read_bytes())
            made[f"{name}-pdf"] = {**made[name], "about": "the same, printed to PDF by LibreOffice"}
    return made
