"""Build the shipped templates in ``templates/`` with python-docx and :mod:`toolkit.officedoc`.

Run ``python -m toolkit.generate.builder [FOLDER]`` after changing the wording here or in
``templates/templates.yaml`` (the stages' titles, opening sentences and headings, the conclusion
paragraphs); the .docx files are committed. Every Jinja tag is typed as a run of its own, so Word never splits one and
a clerk who edits the text around it keeps the template working. Layout: GB/T 9704-2012 through
``officedoc.OFFICIAL`` (A4, margins 37/28/26/35 mm, 仿宋_GB2312 三号, 28.95 pt exact pitch,
``— 1 —`` page numbers in 四号).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .. import officedoc as od

_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})")


def _runs(p, text: str, font: str, size: float | None = None, bold: bool = False) -> None:
    from docx.oxml.ns import qn

    for piece in _TAG.split(text):
        if not piece:
            continue
        run = p.add_run(piece)
        od.style_run(run, font, size, bold or None)
        if _TAG.fullmatch(piece):
            run._r.find(qn("w:t")).set(qn("xml:space"), "preserve")


def para(
    doc,
    text: str = "",
    *,
    head: str = "",
    font: str = od.FANGSONG,
    head_font: str = od.HEITI,
    size: float | None = None,
    bold: bool = False,
    align: str | None = None,
    indent: float = 2,
    keep_next: bool = False,
):
    """A paragraph of runs: ``head`` (e.g. ``{{ article() }}``) in ``head_font``, then ``text``;
    tags become runs of their own."""
    p = doc.add_paragraph()
    if align:
        od.align_paragraph(p, align)
    if indent:
        od.indent_first_line(p, indent, od.SIZE["三号"])
    if keep_next:
        p.paragraph_format.keep_with_next = True
    if head:
        _runs(p, head, head_font, size)
        _runs(p, "　", font, size)
    if text:
        _runs(p, text, font, size, bold)
    return p


def ctl(doc, tag: str) -> None:
    """A paragraph that holds only a docxtpl paragraph tag (``{%p if … %}``); it vanishes on render."""
    para(doc, tag, indent=0)


def title(doc, text: str) -> None:
    para(doc, text, font=od.XIAOBIAOSONG, size=od.SIZE["二号"], align="center", indent=0)


def blank(doc, keep_next: bool = False) -> None:
    para(doc, "", indent=0, keep_next=keep_next)


def chapter(doc, name: str) -> None:
    para(doc, f"{{{{ chapter() }}}}　{name}", font=od.HEITI, align="center", indent=0, keep_next=True)


def article(doc, text: str) -> None:
    para(doc, text, head="{{ article() }}")


def heading(doc, text: str) -> None:
    """一、 level heading of an opinion (黑体)."""
    para(doc, text, font=od.HEITI, keep_next=True)


def subheading(doc, text: str) -> None:
    """（一） level heading (楷体)."""
    para(doc, text, font=od.KAITI, keep_next=True)


def signature_page_title(doc, text: str) -> None:
    """The title of the signature page, which starts a page. A page-break paragraph before it
    would leave an empty page whenever the text before it happens to fill its page."""
    p = para(doc, text, font=od.HEITI, align="center", indent=0, keep_next=True)
    p.paragraph_format.page_break_before = True


def new_doc():
    doc = od.new_document(od.OFFICIAL)
    od.add_page_number_footer(doc)
    return doc


def parties_block(doc, loop: str = "parties") -> None:
    ctl(doc, f"{{%p for p in {loop} %}}")
    para(doc, "{{ p.role }}：{{ p.name }}", font=od.HEITI, indent=0, keep_next=True)
    para(doc, "统一社会信用代码：{{ p.uscc }}", indent=2)
    ctl(doc, "{%p if p.address %}")
    para(doc, "住所：{{ p.address }}", indent=2)
    ctl(doc, "{%p elif p.location %}")
    para(doc, "所在地：{{ p.location }}", indent=2)
    ctl(doc, "{%p endif %}")
    para(doc, "法定代表人：{{ p.legal_representative }}", indent=2)
    ctl(doc, "{%p endfor %}")


def signature_blocks(doc, loop: str = "parties") -> None:
    ctl(doc, f"{{%p for p in {loop} %}}")
    para(doc, "{{ p.role }}", font=od.HEITI, indent=0, keep_next=True)
    para(doc, "单位名称（盖章）：{{ p.name }}", indent=0, keep_next=True)
    para(doc, "法定代表人或授权代表（签字）：", indent=0, keep_next=True)
    para(doc, "日期：　　　　年　　月　　日", indent=0)
    blank(doc)
    ctl(doc, "{%p endfor %}")


def build_agreement(path: Path) -> None:
    doc = new_doc()
    title(doc, "{{ consortium.name }}")
    title(doc, "组建协议")
    blank(doc)
    parties_block(doc)
    blank(doc)
    para(doc, "鉴于：", indent=0, keep_next=True)
    para(
        doc,
        "一、各方均为依法设立、能够独立承担民事责任的企业、高等学校、科研院所或其他组织，"
        "愿意围绕{{ consortium.tech_field }}领域的关键核心技术开展协同创新；",
    )
    para(
        doc,
        "二、{{ lead.name }}具备牵头组建创新联合体的研发基础和组织能力，各成员单位与牵头单位具有良好的合作基础；",
    )
    para(
        doc,
        "三、{% if is_gx %}《广西壮族自治区创新联合体管理办法》第四条要求成员单位通过平等协商，签订有法律效力的"
        "组建协议，第五条要求创新联合体设立决策议事机构、技术咨询机构、常设执行机构和研发投入及经费管理制度、"
        "利益保障制度、开放发展制度{% else %}{{ policy }}要求创新联合体设立决策、咨询和执行机构，"
        "建立经费管理制度和内部监督机制{% endif %}。",
    )
    para(
        doc,
        "为此，各方本着平等自愿、优势互补、利益共享、风险共担的原则，经友好协商，就共同组建"
        "“{{ consortium.name }}”（以下简称“创新联合体”）事宜，达成如下协议，共同遵守。",
    )

    chapter(doc, "总则")
    article(
        doc,
        "创新联合体名称为“{{ consortium.name }}”。核心技术领域：{{ consortium.tech_field }}；"
        "所属产业方向：{{ consortium.industry_direction }}。",
    )
    article(
        doc,
        "创新联合体的宗旨是围绕产业链部署创新链，由{{ lead.name }}牵头，联合产业链上下游企业、高等学校、"
        "科研院所等单位，组织开展关键核心技术攻关，共建共享科技创新平台，促进科技成果转移转化，"
        "培育自主知识产权和技术标准，培养创新人才。",
    )
    article(
        doc,
        "创新联合体是各方依据本协议组建的契约型、非法人创新组织，不具有独立法人资格，不以自身名义对外"
        "承担民事责任。各方保持各自法人地位和隶属关系不变，独立承担各自的法律责任。各方之间不构成合伙关系，"
        "未经其他方书面授权，任何一方不得以创新联合体或其他方的名义对外作出承诺或承担义务。",
    )
    ctl(doc, "{%p if plan.goals %}")
    article(doc, "建设目标：{{ plan.goals }}")
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p if plan.tasks %}")
    article(doc, "主要任务：{{ plan.tasks }}")
    ctl(doc, "{%p endif %}")

    chapter(doc, "成员单位及其权利义务")
    article(
        doc,
        "创新联合体由牵头单位{{ lead.name }}和{{ member_count }}家成员单位组成。"
        "成员单位按照在创新联合体中的作用分为核心层、紧密合作层和一般协作层：",
    )
    for key, name in (
        ("core", "核心层"),
        ("close", "紧密合作层"),
        ("general", "一般协作层"),
        ("unassigned", "尚未确定层级的成员单位"),
    ):
        ctl(doc, f"{{%p if layers.{key} %}}")
        para(doc, f"{name}：{{{{ layers.{key} }}}}。")
        ctl(doc, "{%p endif %}")
    article(doc, "牵头单位的权利和义务：")
    for text in (
        "（一）组织编制创新联合体建设方案和年度工作计划，统筹协调重大事项，对外代表创新联合体开展联络工作；",
        "（二）为常设执行机构提供办公场所、人员和日常运行保障；",
        "（三）牵头组织申报和实施科技计划项目，按照本协议约定落实研发投入；",
        "（四）{% if is_gx %}每年12月31日前向推荐单位和自治区科技厅报送年度总结和下一年度工作计划，"
        "重大事项在事后1个月内书面报告{% else %}按要求向推荐单位和柳州市科学技术局报送建设进展{% endif %}；",
        "（五）按照本协议约定使用创新联合体成果，并享有相应收益。",
    ):
        para(doc, text)
    article(
        doc,
        "核心层成员单位参与创新联合体重大事项决策，向决策议事机构派出代表；承担关键核心技术攻关任务，"
        "按约定投入研发经费、人员和仪器设备；按照投入和贡献分享研发成果及其收益。",
    )
    article(
        doc,
        "紧密合作层成员单位参与联合攻关和平台共建，提供技术、人才、检验检测等支撑；"
        "按约定使用共享平台和相关成果，并分享相应收益。",
    )
    article(
        doc,
        "一般协作层成员单位参与成果转化、应用推广和技术服务；有权参加创新联合体组织的学术交流和培训，"
        "并在同等条件下优先使用创新联合体的共享资源。",
    )
    article(
        doc,
        "全体成员单位应当遵守本协议和创新联合体各项管理制度，按时履行承担的任务和投入义务，"
        "保守秘密，不得从事损害创新联合体或其他成员单位利益的活动，并配合有关主管部门的检查和评估。",
    )

    chapter(doc, "组织机构")
    article(
        doc,
        "决策议事机构：{{ governance.decision_body }}。决策议事机构是创新联合体的最高决策机构，"
        "审议建设方案、年度计划、经费预算、成员单位的进入和退出、本协议的修改等重大事项；"
        "重大事项须经三分之二以上代表同意方可通过。",
    )
    article(
        doc,
        "技术咨询机构：{{ governance.advisory_body }}。技术咨询机构对技术路线、攻关方向和重大项目等提出咨询意见。",
    )
    article(
        doc,
        "常设执行机构：{{ governance.executive_body }}{% if governance.executive_staff %}，"
        "配备工作人员{{ governance.executive_staff }}名{% endif %}。常设执行机构负责创新联合体的日常运行管理、"
        "项目组织协调、档案管理和对外联络，对决策议事机构负责。",
    )

    chapter(doc, "研发投入与经费管理")
    article(doc, "研发投入及经费管理制度：{{ governance.funds_policy }}。")
    article(
        doc,
        "各方应当按照建设方案和年度计划落实研发投入。财政资助经费按照有关科技计划和专项资金管理规定"
        "专款专用、单独核算，任何一方不得截留、挤占或挪用。",
    )
    article(
        doc,
        "创新联合体建立内部监督机制，经费使用情况每年向决策议事机构报告，并接受审计和有关部门的监督检查。",
    )

    chapter(doc, "{% if is_gx %}知识产权与成果收益{% else %}知识产权与利益保障{% endif %}")
    article(
        doc,
        "各方在本协议签订前已拥有的知识产权仍归原权利人所有；为完成创新联合体任务需要使用的，"
        "由权利人以许可方式提供，许可范围和条件另行书面约定。",
    )
    article(
        doc,
        "执行创新联合体任务所产生的知识产权，由完成方享有；由两方以上共同完成的，由共同完成方按照投入"
        "和贡献共有，另有书面约定的从其约定。共有知识产权的许可和转让，须经全体共有方书面同意。",
    )
    article(
        doc,
        "成员单位在同等条件下享有优先、优惠实施创新联合体成果的权利。成果转化收益按照各方投入和贡献分配，"
        "具体比例在项目合同中约定。",
    )
    ctl(doc, "{%p if is_gx %}")
    chapter(doc, "利益保障制度")
    article(doc, "利益保障制度：{{ governance.benefit_policy }}。")
    article(
        doc,
        "成员单位认为其权益受到损害的，可以向决策议事机构提出书面协调申请，决策议事机构应当在30日内作出处理意见。",
    )
    ctl(doc, "{%p endif %}")

    chapter(doc, "保密")
    article(
        doc,
        "各方对在合作中知悉的其他方技术秘密、经营信息以及创新联合体未公开的研究成果负有保密义务，"
        "未经权利方书面同意，不得向第三方披露，也不得用于本协议以外的目的。保密义务不因本协议终止、"
        "解除或者一方退出而免除，至该信息依法公开之日止。",
    )
    article(
        doc, "各方应当采取合理措施，确保其工作人员履行保密义务。涉及国家秘密的，按照国家保密法律法规执行。"
    )

    chapter(doc, "{% if is_gx %}开放发展制度{% else %}开放发展与成员变更{% endif %}")
    ctl(doc, "{%p if is_gx %}")
    article(doc, "开放发展制度：{{ governance.openness_policy }}。")
    ctl(doc, "{%p endif %}")
    article(
        doc,
        "认同本协议、具备相应研发或者服务能力的单位，经书面申请、决策议事机构审议同意，并与各方签订补充协议后，"
        "成为创新联合体成员单位。",
    )
    article(
        doc,
        "成员单位可以提前60日书面申请退出，经决策议事机构同意并签订补充协议后退出；退出单位应当完成已承担任务的交接，"
        "退出前已发生的权利义务按照本协议约定处理。成员单位严重违反本协议的，经决策议事机构审议，可以予以除名。",
    )
    article(
        doc,
        "成员单位、成员层级、牵头单位、组织机构、建设期等事项发生变更的，由各方签订补充协议"
        "{% if is_gx %}，并依照《广西壮族自治区创新联合体管理办法》第十二条，在事后1个月内以书面形式向自治区科技厅报告"
        "{% endif %}。补充协议与本协议具有同等法律效力。",
    )

    chapter(doc, "违约责任")
    article(
        doc,
        "任何一方违反本协议约定的，应当承担继续履行、采取补救措施或者赔偿损失等违约责任；给其他方造成损失的，应当予以赔偿。",
    )
    article(
        doc,
        "因不可抗力不能履行本协议的，根据不可抗力的影响部分或者全部免除责任，但应当及时通知其他方，并在合理期限内提供证明。",
    )

    chapter(doc, "争议解决")
    article(
        doc,
        "因本协议引起的或者与本协议有关的争议，各方应当友好协商解决；协商不成的，"
        "{% if dispute == 'arbitration' %}任何一方均可以将争议提交{{ arbitration_body }}，按照申请仲裁时该会现行有效的"
        "仲裁规则进行仲裁。仲裁裁决是终局的，对各方均有约束力。{% else %}任何一方均可以向{{ court }}提起诉讼。{% endif %}",
    )

    chapter(doc, "期限、生效及其他")
    article(
        doc,
        "本协议有效期与创新联合体建设期一致，{% if plan.start and plan.end %}自{{ plan.start }}起至{{ plan.end }}止"
        "{% else %}自本协议生效之日起至建设期届满之日止{% endif %}。建设期届满，经各方协商一致，可以续签本协议。",
    )
    article(doc, "本协议未尽事宜，由各方协商一致后签订补充协议。补充协议与本协议不一致的，以补充协议为准。")
    article(doc, "本协议自各方法定代表人或者授权代表签字并加盖单位公章之日起生效。")
    article(doc, "本协议一式{{ copies }}份，各方各执一份，报送{{ recommender }}一份，每份具有同等法律效力。")
    para(doc, "（以下无正文，为签署页）", indent=2)
    signature_page_title(doc, "{{ consortium.name }}组建协议签署页")
    blank(doc, keep_next=True)
    signature_blocks(doc)
    doc.save(path)


def build_supplement(path: Path) -> None:
    doc = new_doc()
    title(doc, "{{ old_name }}")
    title(doc, "组建协议补充协议")
    blank(doc)
    parties_block(doc)
    ctl(doc, "{%p if removed %}")
    para(doc, "退出成员单位：", font=od.HEITI, indent=0, keep_next=True)
    parties_block(doc, "removed")
    ctl(doc, "{%p endif %}")
    blank(doc)
    para(doc, "鉴于：", indent=0, keep_next=True)
    para(
        doc,
        "一、{{ original_parties }}于{{ agreement_date }}签订了{{ agreement_name }}（以下简称“原协议”），"
        "共同组建“{{ old_name }}”；",
    )
    para(
        doc,
        "二、{% if is_gx %}《广西壮族自治区创新联合体管理办法》第十二条规定，创新联合体按需调整成员单位，"
        "签署补充协议后继续运行；{% endif %}原协议约定，成员单位、牵头单位、组织机构、建设期等事项的变更由各方签订补充协议。",
    )
    para(doc, "为此，各方经协商一致，就原协议下列事项的变更达成如下补充协议：")
    ctl(doc, "{%p for c in changes %}")
    article(doc, "{{ c.text }}")
    ctl(doc, "{%p endfor %}")
    ctl(doc, "{%p if added %}")
    article(
        doc,
        "新加入的成员单位{{ added }}认可并遵守原协议及本补充协议，自本补充协议生效之日起享有成员单位的权利，"
        "承担成员单位的义务。",
    )
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p if removed %}")
    article(
        doc,
        "退出的成员单位自本补充协议生效之日起不再享有原协议项下成员单位的权利，但应当完成已承担任务的交接，"
        "并继续履行保密义务；退出前已发生的权利义务，按照原协议约定处理。",
    )
    ctl(doc, "{%p endif %}")
    article(
        doc,
        "本补充协议是原协议不可分割的组成部分，与原协议具有同等法律效力。就上述变更事项，本补充协议与原协议"
        "约定不一致的，以本补充协议为准；本补充协议未作约定的，仍按照原协议执行。",
    )
    article(
        doc,
        "{% if is_gx %}牵头单位应当自本补充协议签订之日起1个月内，将变更情况以书面形式报告自治区科技厅。"
        "{% else %}牵头单位应当将变更情况及时书面报告推荐单位和柳州市科学技术局。{% endif %}",
    )
    article(
        doc,
        "本补充协议自各方法定代表人或者授权代表签字并加盖单位公章之日起生效。本补充协议一式{{ copies }}份，"
        "各方各执一份，报送{{ recommender }}一份，每份具有同等法律效力。",
    )
    para(doc, "（以下无正文，为签署页）", indent=2)
    signature_page_title(doc, "{{ title }}签署页")
    blank(doc, keep_next=True)
    signature_blocks(doc)
    ctl(doc, "{%p if removed %}")
    para(doc, "退出成员单位", font=od.HEITI, align="center", indent=0, keep_next=True)
    blank(doc, keep_next=True)
    signature_blocks(doc, "removed")
    ctl(doc, "{%p endif %}")
    doc.save(path)


def findings_section(doc, number: str) -> None:
    heading(doc, f"{number}、审查发现的问题")
    ctl(doc, "{%p if not errors and not warnings and not infos %}")
    para(doc, "经审查，未发现不符合申报条件的情形。")
    ctl(doc, "{%p endif %}")
    for group, name in (
        ("errors", "不符合申报条件的事项"),
        ("warnings", "需作出书面说明的事项"),
        ("infos", "提示事项"),
    ):
        ctl(doc, f"{{%p if {group} %}}")
        subheading(doc, f"{{{{ heads.{group} }}}}{name}")
        ctl(doc, f"{{%p for f in {group} %}}")
        para(doc, "{{ f.no }}. {{ f.message }}（依据：{{ f.cite }}）")
        ctl(doc, "{%p endfor %}")
        ctl(doc, "{%p endif %}")


def conclusion_section(doc, number: str, heading_text: str) -> None:
    """The conclusion: one paragraph per choice, and the result line (``conclusion`` of
    templates/templates.yaml)."""
    from ..errors import TemplateError
    from .common import catalog

    conclusion = catalog()["conclusion"]
    choices, paragraphs = list(conclusion["choices"]), conclusion.get("paragraphs") or {}
    missing = [c for c in choices if c not in paragraphs]
    if missing:
        raise TemplateError(f"templates.yaml 中 conclusion.paragraphs 缺少结论“{'、'.join(missing)}”的段落")
    heading(doc, f"{number}、{heading_text}")
    for i, choice in enumerate(choices):
        if i == 0:
            ctl(doc, f"{{%p if conclusion == '{choice}' %}}")
        elif i < len(choices) - 1:
            ctl(doc, f"{{%p elif conclusion == '{choice}' %}}")
        else:
            ctl(doc, "{%p else %}")
        para(doc, paragraphs[choice])
    ctl(doc, "{%p endif %}")
    para(doc, conclusion["result"], font=od.HEITI)


def signature_table(doc, expert: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    blank(doc)
    table = doc.add_table(rows=1, cols=3)
    table.autofit = False
    widths = (
        Mm(62),
        Mm(84),
        Mm(10),
    )  # 156 mm of text width: the date, centred in the middle cell, ends about 4 characters from the right
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
    # The grid columns decide the layout in LibreOffice (and in Word with a fixed layout):
    # without them each column gets a third and the date wraps.
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    sign = table.rows[0].cells[1]
    lines = ["（盖章）", "{{ body }}", "{{ date }}"]
    if expert:
        lines = ["专家组组长（签字）：", "{{ body }}", "{{ date }}"]
    for i, text in enumerate(lines):
        p = sign.paragraphs[0] if i == 0 else sign.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _runs(p, text, od.FANGSONG)


def build_opinion(path: Path, stage: str) -> None:
    """The opinion of ``stage``; its opening sentence and conclusion heading come from the stage's
    entry in templates/templates.yaml (``intro``, ``heading``)."""
    from .common import stage_info

    info = stage_info(stage)
    intro, kind = info["intro"], info["heading"]
    expert = stage == "gx-expert"
    doc = new_doc()
    title(doc, "{{ title }}")
    blank(doc)
    para(doc, intro)
    heading(doc, "一、申报基本情况")
    para(doc, "创新联合体名称：{{ app.name }}")
    para(doc, "牵头单位：{{ app.lead }}（统一社会信用代码：{{ app.lead_uscc }}）")
    para(
        doc,
        "成员单位：{{ app.member_count }}家（不含牵头单位）{% if app.members %}，即{{ app.members }}{% endif %}。",
    )
    para(doc, "核心技术领域：{{ app.tech_field }}；建设期：{{ app.period }}。")
    para(doc, "推荐单位：{{ app.recommender }}；填报日期：{{ app.date }}。")
    n = 2
    if expert:
        for label, var in (
            ("组建方向的合理性", "direction"),
            ("牵头单位的基础和能力", "capability"),
            ("组建的可行性", "feasibility"),
            ("预期成效", "outcomes"),
        ):
            heading(doc, f"{od_number(n)}、{label}")
            para(doc, f"{{{{ expert.{var} }}}}")
            n += 1
    findings_section(doc, od_number(n))
    conclusion_section(doc, od_number(n + 1), kind)
    signature_table(doc, expert)
    doc.save(path)


def od_number(n: int) -> str:
    from .common import cn_number

    return cn_number(n)


def build_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / "agreement.docx", folder / "supplement.docx"]
    build_agreement(out[0])
    build_supplement(out[1])
    from .common import stage_ids

    for stage in stage_ids():
        p = folder / f"opinion-{stage}.docx"
        build_opinion(p, stage)
        out.append(p)
    from .notice import build_notice_template

    out.append(folder / "notice.docx")
    build_notice_template(out[-1])
    return out


if __name__ == "__main__":
    from ..resources import data_dir

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else data_dir("templates")
    for built in build_all(target):
        print(built)
