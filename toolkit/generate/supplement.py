"""The 补充协议 (gx-12): what changed between two versions of an application, and the amendment.

:func:`compute_changes` is data in, data out: a list of :class:`Change`, each of which reads as
one numbered article. The list can be written to YAML, edited by hand and fed back with
``ictk generate supplement --changes``.

>>> old = {"lead": {"name": "甲公司"}, "members": [{"name": "乙大学", "layer": "核心层"}]}
>>> new = {"lead": {"name": "甲公司"}, "members": [{"name": "乙大学", "layer": "紧密合作层"}, {"name": "丙所"}]}
>>> [c.kind for c in compute_changes(old, new)]
['member_layer', 'member_added']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .common import cn_number, format_date, is_gx, parties, party, template_path, text
from .engine import render_docx

KINDS = (
    "consortium_name",
    "lead",
    "member_renamed",
    "member_added",
    "member_removed",
    "member_layer",
    "governance",
    "build_period",
    "other",
)
GOVERNANCE_FIELDS = (
    "governance.decision_body",
    "governance.advisory_body",
    "governance.executive_body",
    "governance.executive_staff",
    "governance.funds_policy",
    "governance.benefit_policy",
    "governance.openness_policy",
)


@dataclass
class Change:
    """One change between the original and the amended consortium; ``text`` is the article."""

    kind: str
    text: str = ""
    name: str = ""  # the unit concerned (its name in the new version)
    uscc: str = ""
    field: str = ""  # dotted record path, for governance changes
    old: str = ""
    new: str = ""

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v != ""}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        if not isinstance(data, dict) or data.get("kind") not in KINDS:
            raise InputError(f"变更事项格式不正确：{data}（kind 应为 {'、'.join(KINDS)} 之一）")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise InputError(f"变更事项含有未知的键：{'、'.join(sorted(unknown))}")
        change = cls(**{k: text(v) for k, v in data.items()})
        if not change.text:
            if change.kind == "other":
                raise InputError("kind 为 other 的变更事项须写明 text")
            change.text = describe(change)
        return change


def _key(unit: dict[str, Any]) -> tuple[str, str]:
    return text(unit.get("uscc")).strip().upper(), text(unit.get("name")).strip()


def _find(unit: dict[str, Any], pool: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The unit of ``pool`` that is ``unit``: same USCC when both carry one, else same name."""
    uscc, name = _key(unit)
    if uscc:
        for other in pool:
            if _key(other)[0] == uscc:
                return other
    for other in pool:
        o_uscc, o_name = _key(other)
        if o_name == name and not (uscc and o_uscc and uscc != o_uscc):
            return other
    return None


def _who(unit: dict[str, Any]) -> str:
    uscc = text(unit.get("uscc"))
    return f"{text(unit.get('name'))}（统一社会信用代码：{uscc}）" if uscc else text(unit.get("name"))


def _label(field_path: str) -> str:
    import re

    from ..forms import form_ids, load_form

    for form_id in form_ids():  # the first form that knows the field names it
        try:
            return re.sub(r"（[^）]*）$", "", load_form(form_id).field(field_path).label)
        except Exception:  # a label is cosmetic; fall back to the id
            continue
    return field_path


def _quoted(text: str | None) -> str:
    """Text quoted inside a sentence, without its own closing full stop: the sentence around it
    ends it, so that “……。”。 cannot be printed.

    >>> _quoted("联合体秘书处：设在牵头单位研究院，负责日常运行管理。")
    '联合体秘书处：设在牵头单位研究院，负责日常运行管理'
    """
    return str(text or "").rstrip().rstrip("。；;．.")


def describe(c: Change) -> str:
    """The article text of a change."""
    who = f"{c.name}（统一社会信用代码：{c.uscc}）" if c.uscc else c.name
    if c.kind == "consortium_name":
        return f"创新联合体名称由“{_quoted(c.old)}”变更为“{_quoted(c.new)}”。原协议中的创新联合体名称均相应变更。"
    if c.kind == "lead":
        return f"创新联合体牵头单位由{c.old}变更为{c.new}。原协议约定的牵头单位的权利和义务，自本补充协议生效之日起由{c.name}享有和承担。"
    if c.kind == "member_renamed":
        return f"成员单位“{c.old}”名称变更为“{c.new}”{'（统一社会信用代码不变：' + c.uscc + '）' if c.uscc else ''}，原协议中该单位的权利和义务由其继续享有和承担。"
    if c.kind == "member_added":
        layer = f"，成员层级为{c.new}" if c.new else ""
        return f"增加{who}为创新联合体成员单位{layer}。"
    if c.kind == "member_removed":
        return f"{who}退出创新联合体，不再作为成员单位。"
    if c.kind == "member_layer":
        return f"成员单位{c.name}的成员层级由{c.old or '未确定层级'}调整为{c.new or '未确定层级'}。"
    if c.kind == "governance":
        label = _label(c.field)
        if not c.new:
            return f"删除原协议关于{label}的约定（原为：{_quoted(c.old)}）。"
        return f"{label}由“{_quoted(c.old) or '未约定'}”调整为“{_quoted(c.new)}”。"
    if c.kind == "build_period":
        return f"创新联合体建设期由{c.old}调整为{c.new}，原协议约定的协议有效期相应调整。"
    return c.text


def _period(plan: dict[str, Any]) -> str:
    start, end = plan.get("start"), plan.get("end")
    if not start and not end:
        return "未约定"
    return f"{format_date(start, blank='（未定）')}至{format_date(end, blank='（未定）')}"


def compute_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``: name, lead, members (matched by USCC, else by name),
    layers, governance bodies and systems, build period. Empty when nothing changed."""
    changes: list[Change] = []
    old_name = text(get(old, "consortium", "name"))
    new_name = text(get(new, "consortium", "name"))
    if old_name != new_name and new_name:
        changes.append(Change("consortium_name", old=old_name, new=new_name))

    old_lead, new_lead = old.get("lead") or {}, new.get("lead") or {}
    old_members = [m for m in old.get("members") or [] if isinstance(m, dict)]
    new_members = [m for m in new.get("members") or [] if isinstance(m, dict)]
    if _find(new_lead, [old_lead]) is None:
        changes.append(
            Change(
                "lead",
                name=text(new_lead.get("name")),
                uscc=text(new_lead.get("uscc")),
                old=_who(old_lead),
                new=_who(new_lead),
            )
        )
    elif text(old_lead.get("name")) != text(new_lead.get("name")):
        changes.append(
            Change(
                "member_renamed",
                name=text(new_lead.get("name")),
                uscc=text(new_lead.get("uscc")),
                old=text(old_lead.get("name")),
                new=text(new_lead.get("name")),
            )
        )

    old_units = [old_lead, *old_members]
    matched: list[int] = []
    for m in new_members:
        prev = _find(m, old_units)
        if prev is None:
            changes.append(
                Change(
                    "member_added",
                    name=text(m.get("name")),
                    uscc=text(m.get("uscc")),
                    new=text(m.get("layer")),
                )
            )
            continue
        matched.append(id(prev))
        if text(prev.get("name")) != text(m.get("name")):
            changes.append(
                Change(
                    "member_renamed",
                    name=text(m.get("name")),
                    uscc=text(m.get("uscc")),
                    old=text(prev.get("name")),
                    new=text(m.get("name")),
                )
            )
        old_layer = "牵头单位" if prev is old_lead else text(prev.get("layer"))
        if old_layer != text(m.get("layer")):
            changes.append(
                Change(
                    "member_layer",
                    name=text(m.get("name")),
                    uscc=text(m.get("uscc")),
                    old=old_layer,
                    new=text(m.get("layer")),
                )
            )
    new_units = [new_lead, *new_members]
    for m in old_members:
        if id(m) not in matched and _find(m, new_units) is None:
            changes.append(Change("member_removed", name=text(m.get("name")), uscc=text(m.get("uscc"))))

    for path in GOVERNANCE_FIELDS:
        section, key = path.split(".")
        a, b = text(get(old, section, key)).strip(), text(get(new, section, key)).strip()
        if a != b:
            changes.append(Change("governance", field=path, old=a, new=b))

    a, b = _period(old.get("plan") or {}), _period(new.get("plan") or {})
    if a != b:
        changes.append(Change("build_period", old=a, new=b))
    for c in changes:
        c.text = describe(c)
    return changes


def get(record: dict[str, Any], section: str, key: str) -> Any:
    node = record.get(section)
    return node.get(key) if isinstance(node, dict) else None


def load_changes(path: str | Path) -> list[Change]:
    """Changes written by hand or by ``changes_yaml``: a YAML list of change mappings."""
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(f"文件不存在：{p}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"变更文件不是有效的 YAML：{p}（{exc}）") from None
    if isinstance(data, dict):
        data = data.get("changes")
    if not isinstance(data, list):
        raise InputError(f"变更文件应为变更事项列表（或含 changes 列表）：{p}")
    return [Change.from_dict(item) for item in data]


def changes_yaml(changes: list[Change]) -> str:
    import yaml

    return yaml.safe_dump({"changes": [c.to_dict() for c in changes]}, allow_unicode=True, sort_keys=False)


def supplement_context(
    new: dict[str, Any],
    changes: list[Change],
    old: dict[str, Any] | None = None,
    agreement_name: str | None = None,
    agreement_date: str | None = None,
) -> dict[str, Any]:
    from .common import Numbering

    if not changes:
        raise InputError("两个版本之间没有发现变更，无需签订补充协议，未生成文件")
    base = old if old is not None else new
    old_name = text(get(base, "consortium", "name"))
    for c in changes:
        if c.kind == "consortium_name" and c.old:
            old_name = c.old
    old_name = old_name or "创新联合体"
    amended = parties(new)
    removed_names = {(c.uscc, c.name) for c in changes if c.kind == "member_removed"}
    removed: list[dict[str, str]] = []
    old_members = [m for m in (old or {}).get("members") or [] if isinstance(m, dict)]
    for i, (uscc, name) in enumerate(sorted(removed_names, key=lambda k: k[1]), 1):
        found = _find({"uscc": uscc, "name": name}, old_members) or {"uscc": uscc, "name": name}
        removed.append(party(found, f"退出成员单位{i}"))
    added = [c.name for c in changes if c.kind == "member_added"]
    signers = len(amended) + len(removed)
    lead_name = text(get(base, "lead", "name"))
    return {
        "title": f"{old_name}组建协议补充协议",
        "old_name": old_name,
        "agreement_name": f"《{agreement_name or old_name + '组建协议'}》".replace("《《", "《").replace(
            "》》", "》"
        ),
        "agreement_date": format_date(agreement_date) if agreement_date else "　　年　　月　　日",
        "original_parties": f"{lead_name}等原协议各方" if lead_name else "原协议各方",
        "parties": amended,
        "removed": removed,
        "added": "、".join(added),
        "changes": [{"text": c.text, "kind": c.kind} for c in changes],
        "is_gx": is_gx(new),
        "recommender": text(get(new, "signoff", "recommender")) or "推荐单位",
        "copies": cn_number(signers + 1),
        "article": Numbering("第{}条"),
    }


def render_supplement(
    new: dict[str, Any],
    old: dict[str, Any] | None = None,
    changes: list[Change] | None = None,
    agreement_name: str | None = None,
    agreement_date: str | None = None,
    template: str | Path | None = None,
) -> bytes:
    """The supplementary agreement as .docx bytes: from ``old`` and ``new``, or from ``changes``
    (then ``new`` gives the parties). Raises :class:`InputError` when nothing changed."""
    if changes is None:
        if old is None:
            raise InputError("生成补充协议需要原版本记录（--old）或变更文件（--changes）")
        changes = compute_changes(old, new)
    ctx = supplement_context(new, changes, old, agreement_name, agreement_date)
    return render_docx(template_path("supplement", template), ctx)
