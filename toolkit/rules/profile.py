"""The profile as the rule texts show it (``{rd_staff_min}`` → ``20``, ``{deadline}`` →
``2024年4月15日``). Loading and validating a profile is :mod:`toolkit.profile` (a data file, read
by the rules and the readers alike); its names are re-exported here for the rules' convenience."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from ..editions import Edition
from ..profile import (  # noqa: F401  (re-exported)
    SCHEMA,
    ProfileError,
    _load,
    edition_of,
    load_profile,
    validate,
)


def _show(value: Any, kind: Any) -> Any:
    from .engine import fmt_number, fmt_wan

    if isinstance(kind, dict) and isinstance(value, dict):
        return {k: _show(v, kind.get(k, ("", (), ""))[0]) for k, v in value.items()}
    if kind == "money":
        return {k: fmt_wan(v) for k, v in value.items()} if isinstance(value, dict) else fmt_wan(value)
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if value is None:
        return "（未规定）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        return fmt_number(value)
    if isinstance(value, list):
        return "、".join(map(str, value))
    return value


@cache
def _display(edition: Edition) -> dict[str, Any]:
    profile = _load(edition)
    shown = {k: _show(v, SCHEMA.get(k, ("", (), ""))[0]) for k, v in profile.items()}
    shown["notice"] = edition.short
    shown["document"] = edition.document
    shown["edition"] = edition.id
    return shown


def display(edition: Edition) -> dict[str, Any]:
    """The profile as template values, as the texts write them: ``5亿元（50000万元）``,
    ``2024年4月15日``, ``20``; plus ``{notice}`` (the document's short name) and ``{edition}``."""
    return dict(_display(edition))
