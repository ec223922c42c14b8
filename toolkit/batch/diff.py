"""Where two records of the same application disagree, field by field.

``toolkit.compare.compare_records`` (the Word/scan comparison of the OCR work) is used when it
is installed; this module's own diff stands in for it otherwise and adapts its answers into
``(pointer, word_value, pdf_value)`` triples.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .model import squeeze

Difference = tuple[str, Any, Any]  # JSON pointer, value in the first record, value in the second


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"/lead/revenue": Decimal(...), "/members/0/uscc": "...", ...}``; ``form`` left out."""
    out: dict[str, Any] = {}
    items = record.items() if isinstance(record, dict) else enumerate(record)
    for key, value in items:
        if prefix == "" and key == "form":
            continue
        ptr = f"{prefix}/{key}"
        if isinstance(value, (dict, list)):
            out.update(flatten(value, ptr))
        else:
            out[ptr] = value
    return out


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float, Decimal)) or isinstance(b, (int, float, Decimal)):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except InvalidOperation:
            return False
    return squeeze(a) == squeeze(b)


def own_diff(a: dict[str, Any], b: dict[str, Any]) -> list[Difference]:
    fa, fb = flatten(a), flatten(b)
    out: list[Difference] = []
    for ptr in list(fa) + [p for p in fb if p not in fa]:
        va, vb = fa.get(ptr), fb.get(ptr)
        if not _same(va, vb):
            out.append((ptr, va, vb))
    return out


def diff_records(a: dict[str, Any], b: dict[str, Any], form: str) -> list[Difference]:
    """The fields where ``a`` and ``b`` disagree, in the order of ``a``."""
    try:
        from ..compare import compare_records
    except ImportError:
        return own_diff(a, b)
    out: list[Difference] = []
    for d in compare_records(a, b, form):
        ptr = _attr(d, "field", "pointer", "path")
        if ptr and not str(ptr).startswith("/"):
            ptr = "/" + str(ptr).replace(".", "/")
        out.append((ptr, _attr(d, "a", "left", "word", "expected"), _attr(d, "b", "right", "scan", "found")))
    return out


def _attr(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return None
