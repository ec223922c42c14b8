"""Field-by-field comparison of two records of the same form: is the stamped scan the same
application as the Word file?

>>> from decimal import Decimal
>>> a = {"form": "lz-preapply-2024", "lead": {"revenue": Decimal("86500"), "name": "甲公司"}}
>>> b = {"form": "lz-preapply-2024", "lead": {"revenue": 68500, "name": "甲公司"}}
>>> [(d.pointer, d.label, d.a, d.b) for d in compare_records(a, b, "lz-preapply-2024")]
[('/lead/revenue', '上年度主营业务收入（万元）', Decimal('86500'), 68500)]
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .forms import FormDef, load_form
from .record import to_jsonable


@dataclass(frozen=True)
class Difference:
    pointer: str  # JSON pointer into both records, e.g. /members/3/uscc
    label: str  # the Chinese label of the field, e.g. 成员单位第4行“统一社会信用代码”
    a: Any  # value in the first record (None: absent)
    b: Any  # value in the second record (None: absent)

    def to_json(self) -> dict[str, Any]:
        return to_jsonable({"field": self.pointer, "label": self.label, "a": self.a, "b": self.b})


def compare_records(a: dict[str, Any], b: dict[str, Any], form: FormDef | str) -> list[Difference]:
    """Every field whose values differ between ``a`` and ``b``, in record order.

    Amounts compare as numbers (``86500`` equals ``86500.0``), text with surrounding spaces
    ignored; table rows are compared by position, and a row only one record has is one difference.
    """
    form = load_form(form) if isinstance(form, str) else form
    out: list[Difference] = []
    _walk(a, b, "", form, out)
    return out


def _walk(a: Any, b: Any, pointer: str, form: FormDef, out: list[Difference]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        keys = list(a) + [k for k in b if k not in a]
        for k in keys:
            _walk(a.get(k), b.get(k), f"{pointer}/{k}", form, out)
        return
    if isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else None
            y = b[i] if i < len(b) else None
            if x is None or y is None:
                out.append(Difference(f"{pointer}/{i}", form.label_of(f"{pointer}/{i}"), x, y))
            else:
                _walk(x, y, f"{pointer}/{i}", form, out)
        return
    if not _same(a, b):
        out.append(Difference(pointer, form.label_of(pointer), a, b))


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return _blank(a) and _blank(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return Decimal(str(a)) == Decimal(str(b))
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return to_jsonable(a) == to_jsonable(b)
    return a == b


def _blank(v: Any) -> bool:
    return v is None or v == "" or v == [] or v == {}


def doubted(diff: Difference, flagged: set[str]) -> bool:
    """Whether a reader flagged the difference's field (or a cell of its row) for a look at the
    paper (``flagged``: the fields of the OCR-/PARSE- problems of either file): a misreading,
    maybe, not a different application."""
    p = diff.pointer
    return any(p == f or p.startswith(f + "/") or f.startswith(p + "/") for f in flagged)


def format_text(diffs: list[Difference], name_a: str, name_b: str, flagged: set[str] | None = None) -> str:
    """The differences as lines a clerk reads: label, value in A, value in B; those on a field
    the scan's reading flagged marked as a note to look at the paper."""
    if not diffs:
        return f"两份申报表的所有字段一致：{name_a} 与 {name_b}"
    lines = [f"{name_a} 与 {name_b} 有 {len(diffs)} 处不一致："]
    for d in diffs:
        note = "（扫描件该栏目识别不确定，请对照盖章纸质件核对）" if doubted(d, flagged or set()) else ""
        lines.append(f"- {d.label}（{d.pointer}）：A为“{_show(d.a)}”，B为“{_show(d.b)}”{note}")
    return "\n".join(lines)


def _show(v: Any) -> str:
    if v is None:
        return "（未填写）"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    if isinstance(v, (dict, list)):
        import json

        return json.dumps(to_jsonable(v), ensure_ascii=False)
    return str(v)


FieldDiff = tuple[str, Any, Any]  # JSON pointer, value in the first record, value in the second


def diff_records(a: dict[str, Any], b: dict[str, Any], form: str) -> list[FieldDiff]:
    """The fields where ``a`` and ``b`` disagree, in record order (``form`` left out): the
    ``(pointer, a_value, b_value)`` triples the batch rules compare a Word file and its PDF by."""
    return [(d.pointer, d.a, d.b) for d in compare_records(a, b, form) if d.pointer != "/form"]
