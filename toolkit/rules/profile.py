"""Thresholds, deadlines and allowed values of one form: ``forms/<form-id>.profile.yaml``.

Next year's notice is a new profile, not new code. Money thresholds come back as ``Decimal``
(万元); dates as ``datetime.date``.

>>> p = load_profile("lz-preapply-2024")
>>> p["revenue_min"]["制造业"], p["deadline"].isoformat(), p["batch"]["name_similarity"]
(Decimal('50000'), '2024-04-15', 85)
>>> load_profile("gx-recognition")["rd_average_min"]
Decimal('3000')
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from ..errors import UnknownFormError
from ..forms import form_ids
from ..resources import data_dir, load_yaml

# Keys whose values are amounts in 万元 (Decimal), wherever they appear in the profile.
MONEY_KEYS = frozenset({"revenue_min", "rd_average_min", "special_case_rd_average"})
PERCENT_KEYS = frozenset({"rd_ratio_min"})


def _money(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _money(v) for k, v in value.items()}
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


@cache
def _load(form_id: str) -> dict[str, Any]:
    if form_id not in form_ids():
        raise UnknownFormError(f"未知的表单：{form_id}（可用：{'、'.join(form_ids())}）")
    path = data_dir("forms") / f"{form_id}.profile.yaml"
    if not path.is_file():
        raise UnknownFormError(f"表单 {form_id} 没有检查规则配置文件：{path.name}")
    raw = load_yaml(path) or {}
    for key in MONEY_KEYS | PERCENT_KEYS:
        if key in raw:
            raw[key] = _money(raw[key])
    for key in ("deadline",):
        if isinstance(raw.get(key), str):
            raw[key] = dt.date.fromisoformat(raw[key])
    return raw


def load_profile(form_id: str) -> dict[str, Any]:
    """The profile of ``form_id`` (a copy: callers may change it freely)."""
    return copy.deepcopy(_load(form_id))
