"""The 创新联合体组建协议 (gx-4.4, gx-5.4; lz-1.4, lz-1.5) from an application record.

>>> from toolkit.record import load_record
>>> from toolkit.resources import data_dir
>>> rec = load_record(data_dir("templates").parent / "samples/records/lz-pass.json")
>>> ctx = agreement_context(rec)
>>> ctx["copies"], ctx["member_count"], ctx["parties"][0]["role"]
('十一', 9, '牵头单位')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from .common import (
    Numbering,
    city_of,
    cn_number,
    format_date,
    is_gx,
    parties,
    policy_name,
    template_path,
    text,
)
from .engine import render_docx

DISPUTES = ("arbitration", "litigation")
LAYER_KEYS = {"核心层": "core", "紧密合作层": "close", "一般协作层": "general"}
UNSETTLED = "由各方另行协商确定"
GOVERNANCE = (
    "decision_body",
    "advisory_body",
    "executive_body",
    "funds_policy",
    "benefit_policy",
    "openness_policy",
)


def agreement_context(
    record: dict[str, Any],
    dispute: str = "litigation",
    arbitration_body: str | None = None,
    court: str | None = None,
) -> dict[str, Any]:
    """Template values of the agreement. ``dispute`` is one exclusive choice: ``arbitration``
    (before ``arbitration_body``, by default the commission of the lead's city) or ``litigation``
    (before ``court``, by default the court of the lead's domicile)."""
    if dispute not in DISPUTES:
        raise InputError(f"争议解决方式只能是仲裁（arbitration）或诉讼（litigation），而不是：{dispute}")
    lead = record.get("lead") or {}
    if not text(lead.get("name")).strip():
        raise InputError("记录中没有牵头单位名称（lead.name），无法生成组建协议")
    consortium = record.get("consortium") or {}
    all_parties = parties(record)
    members = all_parties[1:]
    layers = {key: [] for key in (*LAYER_KEYS.values(), "unassigned")}
    for m in members:
        layers[LAYER_KEYS.get(m["layer"], "unassigned")].append(m["name"])
    gov = record.get("governance") or {}
    # The record's sentences are set inside the template's own; their closing stop is the template's.
    governance = {k: text(gov.get(k)).strip().rstrip("。；;，,. ") or UNSETTLED for k in GOVERNANCE}
    governance["executive_staff"] = text(gov.get("executive_staff"))
    plan = record.get("plan") or {}
    if dispute == "arbitration" and not arbitration_body:
        city = city_of(text(lead.get("location"))) or city_of(text(lead.get("address")))
        if not city:
            raise InputError("无法从牵头单位注册地推断仲裁委员会，请用 --arbitration-body 指定")
        arbitration_body = f"{city}仲裁委员会"
    signoff = record.get("signoff") or {}
    return {
        "consortium": {
            "name": text(consortium.get("name")) or f"{lead['name']}牵头的创新联合体",
            "tech_field": text(consortium.get("tech_field")),
            "industry_direction": text(consortium.get("industry_direction")),
        },
        "lead": all_parties[0],
        "members": members,
        "parties": all_parties,
        "member_count": len(members),
        "layers": {k: "、".join(v) for k, v in layers.items()},
        "governance": governance,
        "plan": {
            "goals": text(plan.get("goals")),
            "tasks": text(plan.get("tasks")),
            "outcomes": text(plan.get("outcomes")),
            "start": format_date(plan.get("start"), blank="") if plan.get("start") else "",
            "end": format_date(plan.get("end"), blank="") if plan.get("end") else "",
        },
        "is_gx": is_gx(record),
        "policy": policy_name(record),
        "recommender": text(signoff.get("recommender")) or "推荐单位",
        "dispute": dispute,
        "arbitration_body": arbitration_body or "",
        "court": court or "牵头单位住所地有管辖权的人民法院",
        "copies": cn_number(len(all_parties) + 1),
        "chapter": Numbering("第{}章"),
        "article": Numbering("第{}条"),
    }


def render_agreement(
    record: dict[str, Any],
    dispute: str = "litigation",
    arbitration_body: str | None = None,
    court: str | None = None,
    template: str | Path | None = None,
) -> bytes:
    """The formation agreement as .docx bytes."""
    ctx = agreement_context(record, dispute, arbitration_body, court)
    return render_docx(template_path("agreement", template), ctx)
