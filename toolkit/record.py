"""The canonical record (spec/FORMS.md): nested dicts, amounts as Decimal, dates as ISO strings.

>>> r = {}
>>> set_path(r, "lead.revenue", Decimal("52000"))
>>> get_path(r, "lead.revenue")
Decimal('52000')
>>> dumps({"a": Decimal("5.20")})
'{\\n  "a": 5.2\\n}'
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import InputError

_MISSING = object()


def get_path(record: dict[str, Any], path: str, default: Any = None) -> Any:
    """Value at a dotted path (``lead.revenue``) or a JSON pointer (``/members/0/name``)."""
    node: Any = record
    for part in _split(path):
        if isinstance(node, list):
            try:
                node = node[int(part)]
            except (ValueError, IndexError):
                return default
        elif isinstance(node, dict):
            node = node.get(part, _MISSING)
            if node is _MISSING:
                return default
        else:
            return default
    return node


def set_path(record: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at a dotted path or JSON pointer, creating the dicts on the way; a list on
    the way is indexed by the part's number (``/members/3/uscc``), never grown.

    >>> r = {"members": [{"uscc": "X"}]}
    >>> set_path(r, "/members/0/uscc", "Y"); r["members"][0]["uscc"]
    'Y'
    """
    parts = _split(path)
    node: Any = record
    for part in parts[:-1]:
        node = node[_index(node, part, path)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[_index(node, parts[-1], path)] = value
    else:
        node[parts[-1]] = value


def _index(node: list[Any], part: str, path: str) -> int:
    try:
        i = int(part)
    except ValueError:
        raise KeyError(f"{path}: {part!r} is no index into a list") from None
    if not 0 <= i < len(node):
        raise KeyError(f"{path}: row {i} does not exist")
    return i


def pointer(path: str) -> str:
    """``lead.revenue`` -> ``/lead/revenue``."""
    return "/" + "/".join(_split(path))


def _split(path: str) -> list[str]:
    if path.startswith("/"):
        return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]
    return path.split(".")


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def to_jsonable(obj: Any) -> Any:
    """Decimals become int (when whole) or float, recursively; everything else is kept."""
    if isinstance(obj, Decimal):
        return _plain(obj)
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    return obj


def dumps(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(to_jsonable(obj), ensure_ascii=False, indent=indent)


def loads(text: str) -> Any:
    """JSON with every non-integer number read as an exact Decimal."""
    return json.loads(text, parse_float=Decimal)


def load_record(path: str | Path) -> dict[str, Any]:
    """Read a record JSON file; amounts come back as Decimal."""
    p = Path(path)
    try:
        data = loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(f"文件不存在：{p}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"不是有效的 JSON 记录文件：{p}（{exc}）") from None
    if not isinstance(data, dict):
        raise InputError(f"JSON 记录应为对象：{p}")
    return data
