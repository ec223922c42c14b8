"""What every document shares: the template catalogue, Chinese numbering, dates, clause citations
and the parties of a consortium as template values."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError, TemplateError
from ..resources import data_dir, load_yaml
from ..text import parse_date

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numeral for 1 … 999, as in 第十二条.

    >>> [cn_number(n) for n in (1, 10, 12, 20, 21, 100, 105, 110)]
    ['一', '十', '十二', '二十', '二十一', '一百', '一百零五', '一百一十']
    """
    if not 0 < n < 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


class Numbering:
    """A per-document counter the template calls: ``{{ article() }}`` gives 第一条, 第二条 …

    Chapters that a template leaves out never take a number, so the numbering stays continuous.
    """

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return self.fmt.format(cn_number(self.n))

    @property
    def current(self) -> str:
        return self.fmt.format(cn_number(self.n))


def format_date(value: str | dt.date | None, blank: str = "　　年　　月　　日") -> str:
    """Full Arabic numerals, no zero padding (GB/T 9704-2012 §7.3.5.1).

    >>> format_date("2024-04-05")
    '2024年4月5日'
    """
    if value is None or value == "":
        return blank
    day = value if isinstance(value, dt.date) else required_date(str(value))
    return f"{day.year}年{day.month}月{day.day}日"


def required_date(text: str) -> dt.date:
    """``2024-04-05``, ``2024.4.5`` or ``2024年4月5日`` (``toolkit.text.parse_date``), or
    :class:`InputError`."""
    day = parse_date(text)
    if day is None:
        raise InputError(f"日期无法识别：{text}（应写作 2024-04-05 或 2024年4月5日）")
    return day


def amount(value: Any) -> str:
    """An amount in 万元 as written in a document: ``86500万元``."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    text = format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
    return f"{text}万元"


def cite(clause: str, edition: str | None = None) -> str:
    """The place in the policy text a clause id points to, in words, from the edition's clause
    data (``forms/<edition>.clauses.yaml``): never the internal id.

    >>> cite("gx-5.2.2")
    '《管理办法》第五条第（二）项第2目'
    >>> cite("lz-2.2", "lz-2024")
    '《通知》第二条第（二）项'
    >>> cite("form")
    '申报表填写规范'
    """
    from ..editions import cite as edition_cite

    return edition_cite(clause, edition)


def edition_of(record: dict[str, Any]) -> Any:
    """The policy edition of a record (``toolkit.editions.edition_for``), or None."""
    from ..editions import edition_for
    from ..errors import IctkError

    try:
        return edition_for(record)
    except IctkError:
        return None


@cache
def catalog() -> dict[str, Any]:
    import yaml

    path = data_dir("templates") / "templates.yaml"
    try:
        return load_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"模板目录文件无法读取：{path}（{exc}）") from None


def stage_ids() -> list[str]:
    return list(catalog()["stages"])


def stage_info(stage: str) -> dict[str, Any]:
    stages = catalog()["stages"]
    if stage not in stages:
        raise InputError(f"未知的审核环节：{stage}（可选：{'、'.join(stages)}）")
    return stages[stage]


def template_path(key: str, override: str | Path | None = None) -> Path:
    """The template for ``key`` (``agreement``, ``supplement`` or a stage id), or ``override``."""
    if override is not None:
        p = Path(override)
        if not p.is_file():
            raise TemplateError(f"模板文件不存在：{p}")
        return p
    entry = catalog()["templates"].get(key) or catalog()["stages"].get(key)
    if entry is None:
        raise TemplateError(f"没有名为 {key} 的模板")
    return data_dir("templates") / entry["file"]


def text(value: Any) -> str:
    return "" if value is None else str(value)


def party(unit: dict[str, Any], role: str) -> dict[str, str]:
    """A party of an agreement as template values; unknown details are empty strings."""
    return {
        "role": role,
        "name": text(unit.get("name")),
        "uscc": text(unit.get("uscc")),
        "address": text(unit.get("address")),
        "location": text(unit.get("location")),
        "legal_representative": text(unit.get("legal_representative")),
        "org_type": text(unit.get("org_type")),
        "layer": text(unit.get("layer")),
        "basis": text(unit.get("basis")),
    }


def parties(record: dict[str, Any]) -> list[dict[str, str]]:
    """The lead first, then every member in the order of the record."""
    lead = record.get("lead") or {}
    members = [m for m in record.get("members") or [] if isinstance(m, dict)]
    out = [party(lead, "牵头单位")]
    out += [party(m, f"成员单位{i}") for i, m in enumerate(members, 1)]
    return out


def is_gx(record: dict[str, Any]) -> bool:
    """Whether the record is checked by a Guangxi edition (the measures' chapters apply)."""
    edition = edition_of(record)
    return edition is not None and edition.policy == "gx"


def city_of(location: str) -> str:
    """``柳州市柳南区`` -> ``柳州``; empty when no prefecture city is named."""
    m = re.search(r"([\u4e00-\u9fff]{2,4}?)市", location or "")
    return m.group(1) if m else ""


def policy_name(record: dict[str, Any]) -> str:
    """The full name of the policy document of the record's edition (《…通知》)."""
    edition = edition_of(record)
    return edition.document if edition is not None else ""


def policy_short(record: dict[str, Any]) -> str:
    """The short name the document goes by once named (《通知》, 《管理办法》)."""
    edition = edition_of(record)
    return edition.short if edition is not None else ""


def templates_dir() -> Path:
    return data_dir("templates")
