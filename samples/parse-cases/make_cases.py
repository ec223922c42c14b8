"""Build the parser's focused fixtures in ``samples/parse-cases/``: one Word file per variation
people produce, written as raw WordprocessingML so every construct is exactly as Word writes it
(content-control and legacy checkboxes, placeholders, merges, nested tables), each with
``<name>.expected.json`` (the record) or ``<name>.problems.json`` (the pointers reported).

    python samples/parse-cases/make_cases.py          # docx, json, and PDFs through LibreOffice
    python samples/parse-cases/make_cases.py --no-pdf

Expected records are written from the data below, never by parsing the files.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14"'
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
FONT = '<w:rPr><w:rFonts w:ascii="Noto Sans CJK SC" w:eastAsia="Noto Sans CJK SC" w:hAnsi="Noto Sans CJK SC"/></w:rPr>'


class Raw(str):
    """Inline XML put into a paragraph as is."""


def run(text: str) -> str:
    return f'<w:r>{FONT}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*parts: str, center: bool = False) -> str:
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    body = "".join(p if isinstance(p, Raw) else run(p) for p in parts)
    return f"<w:p>{ppr}{body}</w:p>"


def box(checked: bool, glyph: str | None = None) -> Raw:
    """A Word 2010 content-control checkbox; ``glyph`` may disagree with the state on purpose."""
    shown = glyph or ("☒" if checked else "☐")
    return Raw(
        '<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="%d"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        "<w:sdtContent><w:r><w:t>%s</w:t></w:r></w:sdtContent></w:sdt>" % (int(checked), shown)
    )


def formcheckbox(checked: bool | None, default: bool = False) -> Raw:
    """A legacy FORMCHECKBOX field: ``checked`` None means only the default is written."""
    state = "" if checked is None else ("<w:checked/>" if checked else '<w:checked w:val="0"/>')
    return Raw(
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
        f'<w:checkBox><w:sizeAuto/><w:default w:val="{int(default)}"/>{state}</w:checkBox></w:ffData>'
        '</w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def placeholder(text: str = "单击或点击此处输入文字。") -> Raw:
    return Raw(
        "<w:sdt><w:sdtPr><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent>"
        f"<w:r><w:t>{escape(text)}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def wingdings(char: str) -> Raw:
    return Raw(f'<w:r><w:sym w:font="Wingdings 2" w:char="{char}"/></w:r>')


def cell(content, span: int = 1, vmerge: str | None = None, width: int = 2000) -> str:
    pr = f'<w:tcW w:w="{width * span}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge:
        pr += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    if isinstance(content, str) and content.startswith("<w:tbl>"):
        inner = content + "<w:p/>"
    elif isinstance(content, (list, tuple)):
        inner = para(*content)
    else:
        inner = "".join(para(line) for line in str(content).split("\n"))
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{inner}</w:tc>"


def table(rows: list[list], cols: int, width: int = 2000) -> str:
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(cols))
    body = ""
    for row in rows:
        body += (
            "<w:tr>" + "".join(c if c.startswith("<w:tc>") else cell(c, width=width) for c in row) + "</w:tr>"
        )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>'
    )


def write_docx(path: Path, blocks: list[str]) -> None:
    sect = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1200" w:right="1000" w:bottom="1200" w:left="1000" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>'
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>'
        + "".join(blocks)
        + sect
        + "</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", xml)


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


LZ_TITLE = "柳州市市级创新联合体预申报表"
GX_TITLE = "广西壮族自治区创新联合体认定申请表"


def case_labels() -> tuple[list[str], dict]:
    """Hand-edited labels in a four-column layout: spaces, colons, (万元), units and numbering
    dropped, rows reordered, a row added and one deleted, label and value in one cell, values
    written every way people write them, merged cells, long text in the row below."""
    rows = [
        [cell("一、创新联合体基本情况", span=4)],
        [
            cell("创 新 联 合 体 名 称：", vmerge="restart"),
            cell("柳州市新能源汽车智能底盘创新联合体", span=3),
        ],
        [cell("", vmerge="continue"), cell("（名称应为“柳州市+核心技术领域+创新联合体”）", span=3)],
        ["*核心技术领域", "新能源汽车智能底盘", "所属产业方向：", "汽车产业"],
        [cell("是否申请一事一议", span=1), cell("□是 ■否", span=3)],
        ["牵头单位名称", cell("柳州智驰底盘科技股份有限公司", span=3)],
        ["统一社会信用代码", "9145 0200 5260 1815xm", "注册地（县区）", "柳州市柳南区"],
        [cell("所属行业", span=1), cell("制造业■ 科技与信息服务业□ 其他□", span=3)],
        [cell("单位类型", span=1), cell("企业", span=3)],
        [cell("联系人：覃小燕", span=2), cell("联系电话：0772-386 1234", span=2)],
        ["备注", cell("本表由牵头单位填写", span=3)],
        ["上年度主营业务收入(万元)", "8.65亿元", "专职研发人员数", "１５６人"],
        [
            "近三个会计年度研究开发费用总额",
            "人民币壹亿贰仟捌佰万元整",
            "近三个会计年度销售收入总额（万元）",
            "245,000",
        ],
        ["实际经营年限（年）", "12年", "研发费用占销售收入比例", "5.22 %"],
        [cell("学术交流、技术服务、国际合作、成果转化情况", span=4)],
        [cell("近三年主办全国汽车底盘技术论坛2次，\n为区内30余家零部件企业提供检测与技术服务。", span=4)],
        ["是否已牵头组建其他创新联合体", cell("否", span=3)],
        ["建设期起始日期", "2024.6.1", "建设期截止日期", "2027/05/31"],
        ["填报日期", "2024年4月10日", "推荐单位", "柳南区科学技术局"],
    ]
    blocks = [
        para(LZ_TITLE, center=True),
        table(rows, 4),
        para("填报单位（盖章）：          推荐单位（盖章）："),
    ]
    expected = {
        "form": "lz-preapply-2024",
        "consortium": {
            "name": "柳州市新能源汽车智能底盘创新联合体",
            "tech_field": "新能源汽车智能底盘",
            "industry_direction": "汽车产业",
            "special_case": False,
        },
        "lead": {
            "name": "柳州智驰底盘科技股份有限公司",
            "uscc": "9145020052601815XM",
            "location": "柳州市柳南区",
            "industry": "制造业",
            "org_type": "企业",
            "contact": "覃小燕",
            "phone": "0772-3861234",
            "revenue": 86500,
            "rd_staff": 156,
            "rd_expense_3y": 12800,
            "sales_3y": 245000,
            "operating_years": 12,
            "rd_ratio": 5.22,
            "outreach": "近三年主办全国汽车底盘技术论坛2次，为区内30余家零部件企业提供检测与技术服务。",
            "leads_other": False,
        },
        "plan": {"start": "2024-06-01", "end": "2027-05-31"},
        "signoff": {"date": "2024-04-10", "recommender": "柳南区科学技术局"},
    }
    return blocks, expected


def case_controls() -> tuple[list[str], dict]:
    """Ticks as Word writes them: content-control checkboxes (one whose glyph disagrees with its
    state), legacy FORMCHECKBOX fields (checked, unchecked, default only), a Wingdings tick,
    placeholder text of an untouched content control."""
    rows = [
        ["创新联合体名称", cell("广西智能农机装备创新联合体", span=3)],
        ["是否申请“一事一议”", cell([formcheckbox(False), "是 ", formcheckbox(True), "否"], span=3)],
        ["牵头单位名称", cell("广西玉柴农业装备有限公司", span=3)],
        [
            "单位类型",
            cell(
                [box(False), "企业 ", box(True), "高等学校 ", box(False), "科研院所 ", box(False), "医院"],
                span=3,
            ),
        ],
        ["是否具备独立法人资格", cell([box(True), "是 ", box(False), "否"], span=3)],
        [
            "内控制度是否健全",
            cell([formcheckbox(None, default=True), "是 ", formcheckbox(None), "否"], span=3),
        ],
        ["是否为科技型企业", cell([wingdings("F052"), "是 ", wingdings("F0A3"), "否"], span=3)],
        ["电子邮箱", cell([placeholder()], span=3)],
        ["联系人", cell([placeholder("单击或点击此处输入文字。"), "黄志明"], span=3)],
        ["是否已签订组建协议", cell([box(True), "是 ", box(False), "否"], span=3)],
    ]
    blocks = [para(GX_TITLE, center=True), table(rows, 4)]
    expected = {
        "form": "gx-recognition",
        "consortium": {"name": "广西智能农机装备创新联合体", "special_case": False},
        "lead": {
            "name": "广西玉柴农业装备有限公司",
            "org_type": "高等学校",
            "legal_person": True,
            "internal_control": True,
            "tech_enterprise": True,
            "contact": "黄志明",
        },
        "governance": {"agreement_signed": True},
    }
    return blocks, expected


MEMBERS = [
    (
        "广西汽车集团有限公司",
        "91450200908301663M",
        "企业",
        "核心层",
        "柳州市柳南区",
        "共同承担自治区重大专项",
        "2",
    ),
    (
        "广西科技大学",
        "12450200390996033U",
        "高校",
        "紧密合作层",
        "柳州市鱼峰区",
        "共建车辆工程联合实验室",
        "3",
    ),
    (
        "柳州市产品质量检验研究中心",
        "91450200518190937X",
        "检验检测机构",
        "一般协作层",
        "柳州市城中区",
        "零部件检验检测服务",
        "1",
    ),
]


def case_checkbox_state() -> tuple[list[str], dict]:
    """The state of a content-control checkbox is in ``w14:checked``, whatever glyph it shows."""
    rows = [
        ["牵头单位名称", "柳州智驰底盘科技股份有限公司"],
        [
            "所属行业",
            cell(
                [
                    box(True, glyph="☐"),
                    "制造业 ",
                    box(False, glyph="☒"),
                    "科技与信息服务业 ",
                    box(False),
                    "其他",
                ]
            ),
        ],
    ]
    blocks = [para(LZ_TITLE, center=True), table(rows, 2)]
    expected = {
        "form": "lz-preapply-2024",
        "lead": {"name": "柳州智驰底盘科技股份有限公司", "industry": "制造业"},
    }
    return blocks, expected


def case_tables() -> tuple[list[str], dict]:
    """Member and platform tables found by their headers: columns reordered, 序号 last, labels
    with units and spaces, the member table nested in a cell of an outer table, numbered but
    empty trailing rows, a lead 统一社会信用代码 next to the member column of the same name."""
    header = [
        "统一社会信用代码",
        "单 位 名 称",
        "所在地",
        "层级",
        "单位类型",
        "合作基础",
        "已参与创新联合体数（含本联合体）",
        "序号",
    ]
    member_rows = [header]
    for i, (name, code, kind, layer, where, basis, count) in enumerate(MEMBERS, start=1):
        member_rows.append([code, name, where, layer, kind, basis, count, str(i)])
    member_rows += [["", "", "", "", "", "", "", str(i)] for i in range(4, 7)]
    members = table(member_rows, 8, width=1000)
    outer = [
        [cell("二、牵头单位基本情况", span=4)],
        ["牵头单位名称", "柳州智驰底盘科技股份有限公司", "统一社会信用代码", "9145020052601815XM"],
        [
            "单位类型",
            "☑企业 ☐高等学校 ☐科研院所 ☐医院 ☐其他机构",
            "所属行业",
            "☐制造业 ☑科技与信息服务业 ☐其他",
        ],
        [cell("创新平台", span=4)],
        ["类型", "平台名称", cell("级别", span=2)],
        ["工程技术研究中心", "广西新能源汽车底盘工程技术研究中心", cell("自治区级", span=2)],
        ["重点实验室", "柳州市智能底盘重点实验室", cell("市级", span=2)],
        ["", "", cell("", span=2)],
        [cell("四、成员单位情况（不含牵头单位）", span=4)],
        [cell(members, span=4)],
        ["执行机构工作人员数（人）", cell("6", span=3)],
    ]
    blocks = [para(LZ_TITLE, center=True), table(outer, 4)]
    expected = {
        "form": "lz-preapply-2024",
        "lead": {
            "name": "柳州智驰底盘科技股份有限公司",
            "uscc": "9145020052601815XM",
            "org_type": "企业",
            "industry": "科技与信息服务业",
            "platforms": [
                {
                    "name": "广西新能源汽车底盘工程技术研究中心",
                    "level": "省部级",
                    "type": "工程（技术）研究中心",
                },
                {"name": "柳州市智能底盘重点实验室", "level": "市级", "type": "重点实验室"},
            ],
        },
        "members": [
            {
                "name": name,
                "uscc": code,
                "org_type": {"高校": "高等学校"}.get(kind, kind),
                "layer": layer,
                "location": where,
                "basis": basis,
                "consortia_count": int(count),
            }
            for name, code, kind, layer, where, basis, count in MEMBERS
        ],
        "governance": {"executive_staff": 6},
    }
    return blocks, expected


def case_bad_values() -> tuple[list[str], dict, list[str]]:
    """Values that cannot be read are reported, not guessed, and left out of the record."""
    rows = [
        ["牵头单位名称", "柳州智驰底盘科技股份有限公司"],
        ["所属行业", "☑制造业 ☑科技与信息服务业 ☐其他"],
        ["上年度主营业务收入（万元）", "约五亿"],
        ["专职研发人员数（人）", "150余人"],
        ["填报日期", "2024年13月5日"],
        ["建设期起始日期", "2024年6月1日"],
    ]
    members = [
        [
            "序号",
            "单位名称",
            "统一社会信用代码",
            "单位类型",
            "层级",
            "所在地",
            "合作基础",
            "已参与创新联合体数",
        ],
        ["1", "广西科技大学", "12450200390996033U", "高等学校", "核心层", "柳州市", "联合实验室", "两三个"],
        ["2", "柳州工学院", "12450200082462814H", "学校", "核心层", "柳州市", "人才培养", "1"],
    ]
    blocks = [
        para(LZ_TITLE, center=True),
        table(rows, 2),
        para("四、成员单位情况"),
        table(members, 8, width=1200),
    ]
    expected = {
        "form": "lz-preapply-2024",
        "lead": {"name": "柳州智驰底盘科技股份有限公司"},
        "plan": {"start": "2024-06-01"},
        "members": [
            {
                "name": "广西科技大学",
                "uscc": "12450200390996033U",
                "org_type": "高等学校",
                "layer": "核心层",
                "location": "柳州市",
                "basis": "联合实验室",
            },
            {
                "name": "柳州工学院",
                "uscc": "12450200082462814H",
                "layer": "核心层",
                "location": "柳州市",
                "basis": "人才培养",
                "consortia_count": 1,
            },
        ],
    }
    problems = [
        "/lead/industry",
        "/lead/revenue",
        "/lead/rd_staff",
        "/signoff/date",
        "/members/0/consortia_count",
        "/members/1/org_type",
    ]
    return blocks, expected, problems


def case_paragraphs() -> tuple[list[str], dict]:
    """No table at all: ``label：value`` pairs in paragraphs, two on a line, long text under its
    label in the next paragraph."""
    blocks = [
        para(GX_TITLE, center=True),
        para("一、创新联合体基本情况"),
        para("创新联合体名称：广西先进储能材料创新联合体"),
        para("核心技术领域：先进储能材料    所属产业方向：新能源"),
        para("二、牵头单位基本情况"),
        para("牵头单位名称：广西华锂新材料有限公司"),
        para("联系人：李明    联系电话：0771-5551234    电子邮箱：liming@hualei.cn"),
        para("六、建设目标与任务"),
        para("建设目标"),
        para("突破固态电解质关键技术3项。"),
        para("填报日期：2024年5月6日"),
    ]
    expected = {
        "form": "gx-recognition",
        "consortium": {
            "name": "广西先进储能材料创新联合体",
            "tech_field": "先进储能材料",
            "industry_direction": "新能源",
        },
        "lead": {
            "name": "广西华锂新材料有限公司",
            "contact": "李明",
            "phone": "0771-5551234",
            "email": "liming@hualei.cn",
        },
        "plan": {"goals": "突破固态电解质关键技术3项。"},
        "signoff": {"date": "2024-05-06"},
    }
    return blocks, expected


def main(pdf: bool = True) -> None:
    made = []
    for name, build in (
        ("labels", case_labels),
        ("controls", case_controls),
        ("tables", case_tables),
        ("paragraphs", case_paragraphs),
        ("checkbox-state", case_checkbox_state),
    ):
        blocks, expected = build()
        write_docx(HERE / f"{name}.docx", blocks)
        write_json(HERE / f"{name}.expected.json", expected)
        made.append(HERE / f"{name}.docx")
    blocks, expected, problems = case_bad_values()
    write_docx(HERE / "bad-values.docx", blocks)
    write_json(HERE / "bad-values.expected.json", expected)
    write_json(HERE / "bad-values.problems.json", problems)
    made.append(HERE / "bad-values.docx")
    # A form with nothing filled in, and a document that is no form at all.
    write_docx(
        HERE / "blank.docx", [para(LZ_TITLE, center=True), table([["牵头单位名称", ""], ["联系人", ""]], 2)]
    )
    write_docx(HERE / "not-a-form.docx", [para("会议纪要"), para("今天讨论了年度工作安排。")])
    if pdf:
        from lo import convert

        for src in made:
            if src.stem in ("labels", "tables", "controls"):
                convert(src, "pdf", HERE)
        # LibreOffice draws legacy FORMCHECKBOX fields as graphics, not text: a PDF cannot say
        # which one is ticked, so those fields are absent from the PDF's record.
        pdf_expected = case_controls()[1]
        del pdf_expected["consortium"]["special_case"]
        del pdf_expected["lead"]["internal_control"]
        write_json(HERE / "controls.pdf.expected.json", pdf_expected)
        write_json(HERE / "controls.pdf.problems.json", ["/consortium/special_case"])
        make_scan(HERE / "labels.pdf", HERE / "scan.pdf")


def make_scan(src: Path, out: Path) -> None:
    """A scanned PDF: the first page of ``src`` rendered to an image and wrapped with img2pdf."""
    import io

    import img2pdf
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(src))
    image = doc[0].render(scale=100 / 72).to_pil().convert("L")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    out.write_bytes(img2pdf.convert(buf.getvalue()))


if __name__ == "__main__":
    main(pdf="--no-pdf" not in sys.argv)
