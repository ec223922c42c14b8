"""Review opinions drafted from the findings of a check, one template per stage of review
(``templates/templates.yaml``: lz-county, lz-bureau, gx-city, gx-dept, gx-expert).

How the conclusion follows from the findings (the clerk may override it):

- no error and no warning: 同意推荐;
- warnings only: 同意推荐, the warnings listed as matters the applicant must explain in writing
  (a 原则上 threshold may be missed with a reason, CLAUSES.md);
- errors, every one of them on a clause listed as fixable in ``templates.yaml``
  (form-filling problems, systems or descriptions the applicant can supply): 补正后再报;
- any other error (a condition the applicant cannot meet by re-filling): 不予推荐.

>>> from toolkit.findings import Finding
>>> draw_conclusion([Finding("X", "warning", "lz-1.2.1", "收入偏低")])
'同意推荐'
>>> draw_conclusion([Finding("X", "error", "form", "统一社会信用代码校验位错误")])
'补正后再报'
>>> draw_conclusion([Finding("X", "error", "lz-1.2.2", "无市级以上平台")])
'不予推荐'
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..findings import Finding
from .common import (
    amount,
    catalog,
    cite,
    cn_number,
    edition_of,
    format_date,
    is_gx,
    policy_name,
    policy_short,
    stage_info,
    template_path,
    text,
)
from .engine import render_docx


def conclusions() -> tuple[str, ...]:
    """The conclusions an opinion may draw (``conclusion.choices`` of templates.yaml)."""
    return tuple(catalog()["conclusion"]["choices"])


def as_finding(item: Finding | dict[str, Any]) -> Finding:
    if isinstance(item, Finding):
        return item
    try:
        return Finding(
            code=str(item["code"]),
            severity=item["severity"],
            clause=str(item.get("clause") or "form"),
            message=str(item["message"]),
            field=item.get("field"),
            value=item.get("value"),
            expected=item.get("expected"),
        )
    except (KeyError, TypeError):
        raise InputError(f"检查结果格式不正确：{item}") from None


def draw_conclusion(findings: Iterable[Finding]) -> str:
    """同意推荐, 补正后再报 or 不予推荐, as the module docstring explains."""
    fixable = set(catalog()["conclusion"]["fixable_clauses"])
    errors = [f for f in findings if f.severity == "error"]
    if not errors:
        return "同意推荐"
    if all(f.clause in fixable for f in errors):
        return "补正后再报"
    return "不予推荐"


def _numbered(findings: list[Finding], edition: str | None = None) -> list[dict[str, str]]:
    """The findings as numbered items; each cites its clause in words (《通知》第二条第（二）项)."""
    return [
        {
            "no": str(i),
            "message": f.message,
            "clause": f.clause,
            "cite": cite(f.clause, f.edition or edition),
            "code": f.code,
        }
        for i, f in enumerate(findings, 1)
    ]


def _names(units: list[dict[str, Any]]) -> str:
    return "、".join(text(u.get("name")) for u in units if text(u.get("name")))


def expert_points(record: dict[str, Any]) -> dict[str, str]:
    """The facts of the record the 论证 (gx-8) weighs: direction, lead's capability,
    feasibility, expected results."""
    c, lead, plan, gov = (record.get(k) or {} for k in ("consortium", "lead", "plan", "governance"))
    members = [m for m in record.get("members") or [] if isinstance(m, dict)]
    platforms = [p for p in lead.get("platforms") or [] if isinstance(p, dict)]
    direction = (
        f"该创新联合体聚焦{text(c.get('tech_field')) or '（未填写）'}领域，所属产业方向为"
        f"{text(c.get('industry_direction')) or '（未填写）'}。建设目标：{text(plan.get('goals')) or '（未填写）'}"
    )
    facts = []
    if lead.get("revenue") is not None:
        facts.append(f"上年度主营业务收入{amount(lead.get('revenue'))}")
    if lead.get("rd_expense_3y") is not None:
        facts.append(f"近三个会计年度研究开发费用总额{amount(lead.get('rd_expense_3y'))}")
    if lead.get("rd_staff") is not None:
        facts.append(f"专职研发人员{lead.get('rd_staff')}人")
    if platforms:
        facts.append(
            "拥有" + "、".join(f"{text(p.get('name'))}（{text(p.get('level'))}）" for p in platforms)
        )
    capability = f"牵头单位{text(lead.get('name'))}" + ("，" + "，".join(facts) if facts else "") + "。"
    if lead.get("outreach"):
        capability += f"组织学术交流、技术服务、国际合作和成果转化情况：{text(lead.get('outreach'))}"
    layers: dict[str, int] = {}
    for m in members:
        layers[text(m.get("layer")) or "未分层"] = layers.get(text(m.get("layer")) or "未分层", 0) + 1
    layer_text = "、".join(f"{k}{v}家" for k, v in layers.items())
    feasibility = (
        f"创新联合体由牵头单位和{len(members)}家成员单位组成"
        + (f"（{layer_text}）" if layer_text else "")
        + "。"
        f"决策议事机构：{text(gov.get('decision_body')) or '（未填写）'}；技术咨询机构："
        f"{text(gov.get('advisory_body')) or '（未填写）'}；常设执行机构：{text(gov.get('executive_body')) or '（未填写）'}。"
        f"主要任务：{text(plan.get('tasks')) or '（未填写）'}"
    )
    outcomes = f"预期成效：{text(plan.get('outcomes')) or '（未填写）'}"
    return {
        "direction": direction,
        "capability": capability,
        "feasibility": feasibility,
        "outcomes": outcomes,
    }


def opinion_context(
    record: dict[str, Any],
    findings: Iterable[Finding | dict[str, Any]],
    stage: str,
    conclusion: str | None = None,
    body: str | None = None,
    date: str | dt.date | None = None,
) -> dict[str, Any]:
    info = stage_info(stage)
    form = record.get("form")
    if form and form not in info["forms"]:
        raise InputError(f"审核环节 {stage}（{info['name']}）不适用于表单 {form}")
    if conclusion is not None and conclusion not in conclusions():
        raise InputError(f"审查结论只能是：{'、'.join(conclusions())}，而不是：{conclusion}")
    items = [as_finding(f) for f in findings]
    errors = [f for f in items if f.severity == "error"]
    warnings = [f for f in items if f.severity == "warning"]
    infos = [f for f in items if f.severity == "info"]
    signoff, lead, c, plan = (record.get(k) or {} for k in ("signoff", "lead", "consortium", "plan"))
    members = [m for m in record.get("members") or [] if isinstance(m, dict)]
    recommender = text(signoff.get("recommender"))
    if not body:
        body = recommender if info.get("use_recommender") and recommender else info["body"]
    heads, n = {}, 0
    for key, group in (("errors", errors), ("warnings", warnings), ("infos", infos)):
        if group:
            n += 1
            heads[key] = f"（{cn_number(n)}）"
        else:
            heads[key] = ""
    period = "未填写"
    if plan.get("start") or plan.get("end"):
        period = f"{format_date(plan.get('start'), blank='（未填写）')}至{format_date(plan.get('end'), blank='（未填写）')}"
    drawn = conclusion or draw_conclusion(items)
    edition = edition_of(record)
    edition_id = edition.id if edition is not None else None
    stage_clause = (info.get("clauses") or ["form"])[0]
    return {
        "title": info["title"],
        "stage": stage,
        "stage_name": info["name"],
        "policy": policy_name(record),
        "policy_short": policy_short(record),
        # the stage's clause in words, with the document's full name: 《…通知》第二条第（三）项
        "stage_cite": policy_name(record) + (edition.words(stage_clause) or "" if edition else ""),
        "is_gx": is_gx(record),
        "app": {
            "name": text(c.get("name")) or "（未填写名称）",
            "lead": text(lead.get("name")) or "（未填写牵头单位）",
            "lead_uscc": text(lead.get("uscc")) or "未填写",
            "member_count": len(members),
            "members": _names(members),
            "tech_field": text(c.get("tech_field")) or "未填写",
            "period": period,
            "recommender": recommender or "未填写",
            "date": format_date(signoff.get("date"), blank="未填写") if signoff.get("date") else "未填写",
        },
        "errors": _numbered(errors, edition_id),
        "warnings": _numbered(warnings, edition_id),
        "infos": _numbered(infos, edition_id),
        "heads": heads,
        "conclusion": drawn,
        "conclusion_basis": "符合" + policy_name(record) + "规定的申报条件"
        if not warnings
        else "基本符合" + policy_name(record) + "规定的申报条件",
        "body": body,
        "date": format_date(date or dt.date.today()),
        "expert": expert_points(record),
    }


def render_opinion(
    record: dict[str, Any],
    findings: Iterable[Finding | dict[str, Any]],
    stage: str,
    conclusion: str | None = None,
    body: str | None = None,
    date: str | dt.date | None = None,
    template: str | Path | None = None,
) -> bytes:
    """The review opinion of ``stage`` as .docx bytes. The template is compiled once per process
    (and re-compiled only when its file changes), so a batch may call this for every application."""
    ctx = opinion_context(record, findings, stage, conclusion, body, date)
    return render_docx(template_path(stage, template), ctx)


DEFAULT_STAGE = {"lz": "lz-bureau", "gx": "gx-dept"}  # by policy, when --stage names none


def opinion_stages(text: str | None = None) -> dict[str, str]:
    """The review stage of each form's opinions, from ``ictk batch --stage``: a stage applies to
    the forms it serves (``lz-county``); several are separated by commas (``lz-county,gx-city``)
    and may name the policy or form they are for (``lz=lz-county,gx=gx-city``). A form left
    out gets its policy's default (:data:`DEFAULT_STAGE`).

    >>> stages = opinion_stages("lz-county")
    >>> stages["lz-preapply-2024"], stages["gx-recognition"]
    ('lz-county', 'gx-dept')
    """
    from ..forms import form_ids, load_form

    stages = catalog()["stages"]
    policy = {f: load_form(f).policy for f in form_ids()}
    chosen = {f: DEFAULT_STAGE[p] for f, p in policy.items() if p in DEFAULT_STAGE}
    given: dict[str, str] = {}
    for item in (text or "").split(","):
        key, _, stage = (part.strip() for part in item.rpartition("="))
        if not stage:
            continue
        if stage not in stages:
            raise InputError(
                f"未知的审核环节：{stage}（可选：{'、'.join(stages)}；不同表单的环节用逗号分开，"
                "如 lz-county,gx-city）"
            )
        serves = list(stages[stage]["forms"])
        forms = [f for f in policy if key in (f, policy[f])] if key else serves
        if key and not forms:
            raise InputError(
                f"--stage 中的“{key}”既不是政策（{'、'.join(sorted(set(policy.values())))}）也不是表单编号"
            )
        wrong = [f for f in forms if f not in serves]
        if wrong:
            raise InputError(f"审核环节 {stage}（{stages[stage]['name']}）不适用于表单 {'、'.join(wrong)}")
        for f in forms:
            if given.get(f, stage) != stage:
                raise InputError(f"表单 {f} 指定了两个审核环节：{given[f]}、{stage}")
            given[f] = stage
    return {**chosen, **given}


def write_opinions(
    result: Any,
    folder: str | os.PathLike[str],
    stage: str | dict[str, str] | None = None,
    force: bool = False,
) -> list[Path]:
    """A draft review opinion (.docx) per readable application of a batch result
    (``toolkit.batch.model.BatchResult``); ``stage``: the ``--stage`` text or
    :func:`opinion_stages` of it (each form its policy's default when None)."""
    from ..outputs import ensure_folder, write_bytes

    stages = stage if isinstance(stage, dict) else opinion_stages(stage)
    out = ensure_folder(folder)
    written = []
    for app in result.applications:
        if not app.readable:
            continue
        app_stage = stages.get(app.form or "") or DEFAULT_STAGE.get(app.policy or "", "gx-dept")
        data = render_opinion(app.record, app.findings, app_stage)
        name = _safe(app.record.get("consortium", {}).get("name") or app.id)
        written.append(write_bytes(out / f"{app.id}-{name}-审核意见.docx", data, force))
    return written


def _safe(name: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' or c.isspace() else c for c in str(name))[:60]
