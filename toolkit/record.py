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
    data = load_json(p, loads)  # size, encoding, nesting guarded
    if not isinstance(data, dict):
        raise InputError(f"JSON 记录应为对象：{p}")
    return data


# Limits on a record file: a JSON record is small and shallow; anything else is refused.
MAX_JSON_BYTES = 20 * 1024 * 1024
MAX_JSON_DEPTH = 200


def json_depth(value: Any) -> int:
    """The deepest nesting of objects and arrays in a loaded JSON value (without recursion).

    >>> json_depth({"a": [1, {"b": "[[[["}]})
    3
    """
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            items = item.values()
        elif isinstance(item, list):
            items = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in items if isinstance(child, (dict, list)))
    return deepest


def load_json(path: Path, loads: Any) -> Any:
    """A record JSON file read with ``loads``, refused with a Chinese reason when it is missing,
    empty, too big, not UTF-8, not JSON, or nested too deep to be a record."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"文件不存在：{path}") from None
    if size > MAX_JSON_BYTES:
        raise InputError(f"JSON 文件过大（{size // (1024 * 1024)} MB），不像是申报记录：{path.name}")
    if size == 0:
        raise InputError(f"文件是空的：{path.name}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"JSON 文件不是 UTF-8 编码，请另存为 UTF-8 后再试：{path.name}") from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{path}（{exc.strerror or exc}）") from None
    too_deep = object()
    try:
        data = loads(text)
    except RecursionError:
        data = too_deep
    except ValueError as exc:  # json.JSONDecodeError
        raise InputError(f"不是有效的 JSON 记录文件：{path.name}（{exc}）") from None
    if data is too_deep or json_depth(data) > MAX_JSON_DEPTH:
        raise InputError(f"JSON 文件嵌套层数过多，不像是申报记录：{path.name}")
    if "\\u" in text:  # an escaped lone surrogate (\\ud800) cannot be written to any output
        import json

        try:
            json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(f"JSON 文件含有无效的 Unicode 字符（孤立的代理码位）：{path.name}") from None
    return data


def require_shape(record: dict[str, Any], name: str) -> None:
    """Refuse a record whose parts are not of their kind (a list where a value belongs, text
    where the member list belongs): checking, pairing and documents all walk its structure.
    Wrong values (a missing date, an amount written as text) are left to the checks."""
    from .forms import form_ids
    from .schema import validator

    form = record.get("form")
    if not isinstance(form, str) or form not in form_ids():
        return
    for error in validator(form).iter_errors(record):
        if error.validator != "type":
            continue
        expected = (
            error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        )
        if isinstance(error.instance, (dict, list)) or {"object", "array"} & set(expected):
            where = "/" + "/".join(str(p) for p in error.absolute_path)
            kind = "对象" if "object" in expected else "列表" if "array" in expected else "单个取值"
            raise InputError(f"记录的结构有误：{where} 应为{kind}：{name}")
