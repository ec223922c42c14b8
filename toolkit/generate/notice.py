"""The 补正通知: what the clerk sends back to the applicant, listing the errors to correct and the
warnings to explain, section by section of the form, in the GB/T 9704-2012 layout of the other
documents (template ``templates/notice.docx``, built by :func:`build_notice_template`).

>>> from toolkit.findings import Finding
>>> ctx = notice_context({"form": "lz-preapply-2024", "consortium": {"name": "甲联合体"},
...     "lead": {"name": "甲公司"}}, [Finding("LZ-REVENUE", "warning", "lz-1.2.1", "收入偏低",
...     field="/lead/revenue")], date="2024-04-05")
>>> ctx["warnings"][0]["title"], ctx["warnings"][0]["findings"][0]["no"], ctx["date"]
('牵头单位研发能力', '1', '2024年4月5日')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..findings import Finding
from .common import cite, cn_number, format_date, is_gx, policy_name, template_path, text
from .engine import render_docx

_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")
DEFAULT_DAYS = 10  # working time the applicant is given unless the clerk says otherwise


def _sections(findings: list[Finding], form_id: str | None) -> list[dict[str, Any]]:
    """Findings grouped by the section of the form they concern, in the order of the form."""
    from ..check import section_title
    from ..forms import form_ids, load_form

    form = load_form(form_id) if form_id in form_ids() else None
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        title = section_title(form, f.field) if form is not None else "整体"
        groups.setdefault(title, []).append(f)
    out = []
    for n, (title, items) in enumerate(groups.items(), 1):
        out.append(
            {
                "head": f"（{cn_number(n)}）",
                "title": "申报整体" if title == "整体" else _NUMBERED.sub("", title),
                "findings": [
                    {
                        "no": str(i),
                        "message": f.message,
                        "expected": f.expected or "",
                        "clause": f.clause,
                        "cite": cite(f.clause),
                        "code": f.code,
                    }
                    for i, f in enumerate(items, 1)
                ],
            }
        )
    return out


def notice_context(
    record: dict[str, Any],
    findings: Iterable[Finding | dict[str, Any]],
    body: str | None = None,
    date: str | dt.date | None = None,
    deadline: str | dt.date | None = None,
    contact: str | None = None,
) -> dict[str, Any]:
    from .opinion import as_finding

    items = [as_finding(f) for f in findings]
    errors = [f for f in items if f.severity == "error"]
    warnings = [f for f in items if f.severity == "warning"]
    day = date if isinstance(date, dt.date) else None
    if date and not isinstance(date, dt.date):
        from .common import parse_date

        day = parse_date(str(date))
    day = day or dt.date.today()
    if deadline is None:
        due = format_date(day + dt.timedelta(days=DEFAULT_DAYS))
    else:
        due = format_date(deadline)
    c, lead, signoff = (record.get(k) or {} for k in ("consortium", "lead", "signoff"))
    gx = is_gx(record)
    heads, n = {}, 0
    for key, group in (("errors", errors), ("warnings", warnings)):
        if group:
            n += 1
            heads[key] = f"{cn_number(n)}、"
        else:
            heads[key] = ""
    n += 1
    heads["requirements"] = f"{cn_number(n)}、"
    default_body = "广西壮族自治区科学技术厅" if gx else "柳州市科学技术局"
    return {
        "title": f"关于补正“{text(c.get('name')) or '创新联合体'}”申报材料的通知",
        "addressee": text(lead.get("name")) or "申报单位",
        "app": {
            "name": text(c.get("name")) or "（未填写名称）",
            "lead": text(lead.get("name")) or "（未填写牵头单位）",
            "recommender": text(signoff.get("recommender")),
        },
        "material": "认定申请材料" if gx else "预申报材料",
        "policy": policy_name(record),
        "error_count": str(len(errors)),
        "warning_count": str(len(warnings)),
        "errors": _sections(errors, record.get("form")),
        "warnings": _sections(warnings, record.get("form")),
        "heads": heads,
        "deadline": due,
        "contact": contact or "",
        "body": body or default_body,
        "date": format_date(day),
    }


def render_notice(
    record: dict[str, Any],
    findings: Iterable[Finding | dict[str, Any]],
    body: str | None = None,
    date: str | dt.date | None = None,
    deadline: str | dt.date | None = None,
    contact: str | None = None,
    template: str | Path | None = None,
) -> bytes:
    """The 补正通知 as .docx bytes."""
    items = list(findings)
    from .opinion import as_finding

    if not any(as_finding(f).severity in ("error", "warning") for f in items):
        raise InputError("检查未发现错误或警告，无需补正，未生成补正通知")
    ctx = notice_context(record, items, body, date, deadline, contact)
    return render_docx(template_path("notice", template), ctx)


# --- the template ----------------------------------------------------------------------------


def build_notice_template(path: Path) -> None:
    """Write ``templates/notice.docx`` (called by ``python -m toolkit.generate.builder``)."""
    from .. import officedoc as od
    from .builder import blank, ctl, heading, new_doc, para, signature_table, subheading, title

    doc = new_doc()
    title(doc, "{{ title }}")
    blank(doc)
    para(doc, "{{ addressee }}：", indent=0)
    para(
        doc,
        "你单位牵头报送的“{{ app.name }}”{{ material }}，经形式审查，对照{{ policy }}，"
        "存在{% if errors %}{{ error_count }}项需要补正的问题{% endif %}{% if errors and warnings %}和{% endif %}"
        "{% if warnings %}{{ warning_count }}项需要书面说明的事项{% endif %}。"
        "请按下列意见逐项补正、说明后，于{{ deadline }}前重新报送。",
    )
    for group, name, verb in (
        ("errors", "需要补正的问题", "不符合申报条件或填写不规范，须修改申报材料"),
        ("warnings", "需要书面说明的事项", "原则上应达到的条件未达到，须附书面说明"),
    ):
        ctl(doc, f"{{%p if {group} %}}")
        heading(doc, f"{{{{ heads.{group} }}}}{name}")
        para(doc, f"以下事项{verb}：")
        ctl(doc, f"{{%p for s in {group} %}}")
        subheading(doc, "{{ s.head }}{{ s.title }}")
        ctl(doc, "{%p for f in s.findings %}")
        para(
            doc,
            "{{ f.no }}. {{ f.message }}{% if f.expected %}（要求：{{ f.expected }}）{% endif %}"
            "（依据：{{ f.cite }}）",
        )
        ctl(doc, "{%p endfor %}")
        ctl(doc, "{%p endfor %}")
        ctl(doc, "{%p endif %}")
    heading(doc, "{{ heads.requirements }}补正要求")
    para(
        doc,
        "（一）请在原申报表上直接修改，修改处与上列问题逐一对应；不得改变申报表格式和栏目。"
        "需要书面说明的事项，请逐项说明原因并加盖单位公章，随申报材料一并报送。",
    )
    para(doc, "（二）补正后的申报材料须重新履行审核、盖章手续，逾期未补正的，视为放弃本次申报。")
    ctl(doc, "{%p if contact %}")
    para(doc, "联系人及电话：{{ contact }}", font=od.FANGSONG)
    ctl(doc, "{%p endif %}")
    signature_table(doc)
    doc.save(path)


if __name__ == "__main__":
    import sys

    from ..resources import data_dir

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else data_dir("templates") / "notice.docx"
    build_notice_template(target)
    print(target)
