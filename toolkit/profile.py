"""The profile of an edition: its thresholds, deadlines and allowed values,
``forms/<name>.profile.yaml``, validated against :data:`SCHEMA` when loaded.

Next year's notice is a new profile, not new code. Money thresholds come back as ``Decimal``
(万元); dates as ``datetime.date``. A wrong, misspelt or missing key is a
:class:`ProfileError` naming the file and the key (exit status 2), never a silent default.

>>> p = load_profile("lz-preapply-2024")
>>> p["revenue_min"]["制造业"], p["deadline"].isoformat(), p["batch"]["name_similarity"]
(Decimal('50000'), '2024-04-15', 85)
>>> load_profile("gx-2023")["rd_average_min"]
Decimal('3000')
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .editions import EDITION_KEYS, Edition, editions_of, get_edition
from .errors import InputError, UnknownFormError
from .forms import form_ids


class ProfileError(InputError):
    """A profile with a wrong, misspelt or missing key."""


# The schema of a profile: key -> (kind, policies that must set it, Chinese description).
# Kinds: money (万元, or {行业: 万元}), int, number, percent, date (or null), str, strs (a list of
# text), map (text -> text), bool, and a section (a dict of the same shape). Policies: the
# editions of these policies must have the key; others may.
Spec = tuple[str, tuple[str, ...], str]
SCHEMA: dict[str, Any] = {
    "deadline": ("date", ("lz", "gx"), "报送截止日期（无则写 null）"),
    "revenue_min": ("money", ("lz", "gx"), "牵头单位年主营业务收入门槛（万元）"),
    "rd_staff_min": ("int", ("lz", "gx"), "专职研发人员数下限"),
    "rd_ratio_min": ("percent", ("lz", "gx"), "研发费用占销售收入比例下限（%）"),
    "platform_levels": ("strs", ("lz", "gx"), "符合要求的创新平台级别"),
    "platform_types": ("strs", ("lz", "gx"), "符合要求的创新平台类型（空表示不限）"),
    "outreach_keywords": ("strs", ("lz", "gx"), "说明组织交流、服务等活动的关键词"),
    "guangxi_cities": ("strs", ("lz", "gx"), "广西设区市"),
    "members_min": ("int", ("lz",), "成员单位数下限"),
    "executive_staff_min": ("int", ("lz",), "执行机构工作人员数下限"),
    "funds_supervision_keywords": ("strs", ("lz",), "经费内部监督机制的关键词"),
    "locations_city": ("str", ("lz",), "牵头单位注册地所在市"),
    "name_prefix": ("str", ("lz",), "创新联合体名称的开头（名称为“开头+核心技术领域+创新联合体”）"),
    "locations": ("strs", ("lz",), "注册地可选的县（区）"),
    "location_aliases": ("map", (), "县（区）的别称"),
    "rd_average_min": ("money", ("gx",), "年均研发费用门槛（万元）"),
    "rd_years": ("int", ("gx",), "研发费用平均的年数"),
    "special_case_rd_average": ("money", ("gx",), "“一事一议”年均研发费用门槛（万元）"),
    "member_consortia_max": ("int", ("gx",), "一个成员单位至多参与的创新联合体数"),
    "layers": ("strs", ("gx",), "成员单位层级"),
    "categories_min": ("int", ("gx",), "单位类别数下限"),
    "categories": ("map", ("gx",), "单位类型归入的类别"),
    "category_other": ("str", ("gx",), "其余单位类型归入的类别"),
    "systems": ("map", ("gx",), "六项运行制度（记录栏目: 名称）"),
    "other_provinces": ("strs", ("gx",), "广西以外的省（区、市）"),
    "guangxi_names": ("strs", ("gx",), "广西的写法"),
    "regional_recommender_words": ("strs", ("gx",), "表示自治区主管部门的词"),
    "batch": (
        {
            "name_similarity": ("number", ("lz", "gx"), "名称相似度阈值（0-100）"),
            "name_contained_min_chars": ("int", ("lz",), "名称包含判定的最少字数"),
            "name_contained_min_share": ("number", ("lz",), "名称包含判定的最低占比"),
            "max_consortia_per_member": ("int", ("lz", "gx"), "一个单位每批次至多参与数"),
            "max_consortia_university_hospital": ("int", ("lz", "gx"), "高校、医院至多参与数"),
            "one_lead_one_consortium": ("bool", (), "一个牵头单位只牵头一个"),
            "name_prefixes": ("strs", ("lz",), "比较名称前去掉的开头（地名），依次尝试"),
            "university_hospital_types": ("strs", ("lz", "gx"), "适用高校、医院上限的单位类型"),
            "university_hospital_name": ("str", ("lz", "gx"), "这些单位类型在提示中的称呼"),
        },
        ("lz", "gx"),
        "批量检查设置",
    ),
    "registry": (
        {
            "annual_report": (
                {"clause": ("str", (), "条款"), "month": ("int", (), "月"), "day": ("int", (), "日")},
                (),
                "年度报告",
            ),
            "evaluation": ({"clause": ("str", (), "条款"), "every_years": ("int", (), "年")}, (), "评估周期"),
            "rectification": ({"clause": ("str", (), "条款"), "years": ("int", (), "年")}, (), "整改期"),
        },
        (),
        "已认定创新联合体的年报、评估、整改期限（无则不设）",
    ),
}
MONEY_KINDS = frozenset({"money"})


def _bad(path: Path, key: str, what: str) -> ProfileError:
    return ProfileError(f"配置文件 {path.name} 中键“{key}”{what}")


def _check(value: Any, kind: str, path: Path, key: str) -> Any:
    """``value`` converted to its kind, or :class:`ProfileError`."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "money":
        if isinstance(value, dict) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()
        ):
            return {str(k): Decimal(str(v)) for k, v in value.items()}
        if number:
            return Decimal(str(value))
        raise _bad(path, key, "应为金额（万元），或“行业: 金额”")
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise _bad(path, key, f"应为整数，实为“{value}”")
    if kind in ("number", "percent"):
        if number:
            return Decimal(str(value)) if kind == "percent" else value
        raise _bad(path, key, f"应为数字，实为“{value}”")
    if kind == "date":
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise _bad(path, key, f"应为日期 YYYY-MM-DD，实为“{value}”") from None
    if kind == "str":
        if isinstance(value, str):
            return value
        raise _bad(path, key, "应为文字")
    if kind == "strs":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        raise _bad(path, key, "应为文字的列表，如 [甲, 乙]")
    if kind == "map":
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return {str(k): v for k, v in value.items()}
        raise _bad(path, key, "应为“名称: 文字”的对照表")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise _bad(path, key, "应为 true 或 false")
    raise ValueError(kind)  # pragma: no cover - a kind missing above


def validate(
    raw: dict[str, Any], schema: dict[str, Any], policy: str, path: Path, prefix: str = ""
) -> dict[str, Any]:
    """``raw`` checked against ``schema`` for an edition of ``policy`` and converted."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = prefix + str(key)
        if not prefix and key in EDITION_KEYS:
            out[key] = value
            continue
        if key not in schema:
            near = difflib.get_close_matches(str(key), list(schema), n=1)
            hint = f"（是否应为“{prefix}{near[0]}”？）" if near else f"（可用：{'、'.join(schema)}）"
            raise _bad(path, name, f"不是可用的配置项{hint}")
        kind, _, _ = schema[key]
        if isinstance(kind, dict):
            if not isinstance(value, dict):
                raise _bad(path, name, "应为一节键值对")
            out[key] = validate(value, kind, policy, path, name + ".")
        else:
            out[key] = _check(value, kind, path, name)
    for key, (_kind, policies, what) in schema.items():
        if key not in raw and policy in policies:
            raise _bad(path, prefix + key, f"缺少（{what}）")
    return out


@cache
def _load(edition: Edition) -> dict[str, Any]:
    from .resources import load_yaml

    raw = load_yaml(edition.profile_path) or {}
    return validate(raw, SCHEMA, edition.policy, edition.profile_path)


def edition_of(name: str) -> Edition:
    """The edition ``name`` stands for: an edition id, or a form id (its newest edition)."""
    try:
        return get_edition(name)
    except UnknownFormError:
        pass
    if name not in form_ids():
        raise UnknownFormError(f"未知的表单：{name}（可用：{'、'.join(form_ids())}）")
    found = editions_of(name)
    if not found:
        raise UnknownFormError(f"表单 {name} 没有检查规则配置文件（forms/*.profile.yaml 中 form: {name}）")
    return found[0]


def load_profile(name: str | Edition) -> dict[str, Any]:
    """The validated profile of an edition (or of a form's newest edition); a copy."""
    edition = name if isinstance(name, Edition) else edition_of(name)
    return copy.deepcopy(_load(edition))
