"""JSON Schema violations as findings, with the clause and Chinese message the schema carries.

The schema (``schemas/<form-id>.schema.json``, built by ``toolkit.schema``) annotates every
constraint with ``x-clause``/``x-message`` (``x-keywords`` per keyword) and every ``required``
with ``x-required``. A missing field is reported at its own pointer (``/lead/revenue``), never as
``'revenue' is a required property`` at the root.

Codes: ``SCHEMA-REQUIRED`` for a missing field, ``SCHEMA-<KEYWORD>`` for the other keywords
(``SCHEMA-TYPE``, ``SCHEMA-PATTERN``, ``SCHEMA-ENUM``, ``SCHEMA-FORMAT``, ``SCHEMA-MINIMUM``,
``SCHEMA-MAXIMUM``, ``SCHEMA-MINLENGTH``, ``SCHEMA-CONST``); anything else is ``SCHEMA-OTHER``.
The clause of a finding is the one the schema names for that field, so it differs per field.
All are errors: a form that is incomplete or malformed cannot be reviewed.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from ..forms import FormDef, form_ids
from .engine import RuleInfo, register

KEYWORDS = {
    "required": ("未填写必填项", "申请表中该栏目为必填项（表单定义中 required），留空则无法审查。"),
    "type": ("栏目的值类型不对", "例如金额栏写了文字、是否栏写了数字。"),
    "pattern": ("栏目格式不符", "例如统一社会信用代码不是18位、名称不符合命名规则、日期不是 YYYY-MM-DD。"),
    "enum": ("选项不在可选范围内", "选择栏目只能填写表单列出的选项之一。"),
    "format": ("日期不存在", "日期栏目必须是日历上存在的日期。"),
    "minimum": ("数值低于下限", "金额、人数等不能为负数。"),
    "maximum": ("数值高于上限", "百分比应在0到100之间。"),
    "minlength": ("栏目为空", "必填文字栏目不能只填空白。"),
    "const": ("表单编号不对", "记录的 form 应为本表单的编号。"),
    "other": ("不符合表单结构", "记录的结构与表单定义不一致。"),
}

for _kw, (_title, _why) in KEYWORDS.items():
    register(
        RuleInfo(
            f"SCHEMA-{_kw.upper()}",
            "form",
            "error",
            tuple(form_ids()),
            _title,
            _why + "条款取自 JSON Schema 中该栏目的 x-clause（必填项取 x-required），因栏目而异。",
        )
    )


def _code(keyword: str) -> str:
    keyword = keyword.lower()
    return f"SCHEMA-{keyword.upper()}" if keyword in KEYWORDS else "SCHEMA-OTHER"


def schema_findings(record: dict[str, Any], form: FormDef) -> list[Finding]:
    """Every schema violation of ``record`` as a finding at the field's own pointer."""
    from ..record import get_path
    from ..schema import annotations, validator

    findings: list[Finding] = []
    for error in validator(form.id).iter_errors(record):
        for pointer, clause, message in annotations(error):
            value = None if error.validator == "required" else get_path(record, pointer) if pointer else None
            if isinstance(value, (dict, list)):
                value = None
            findings.append(
                Finding(
                    code=_code(str(error.validator)),
                    severity="error",
                    clause=clause,
                    message=message,
                    field=pointer or None,
                    value=value,
                    expected=_expected(error),
                )
            )
    return findings


def _expected(error: Any) -> str | None:
    kw, val = error.validator, error.validator_value
    if kw == "required":
        return "必填"
    if kw == "enum":
        return "/".join(map(str, val))
    if kw in ("minimum", "maximum"):
        return f"{'>=' if kw == 'minimum' else '<='} {val}"
    if kw == "type":
        return {
            "string": "文字",
            "number": "数字",
            "integer": "整数",
            "boolean": "是/否",
            "object": "对象",
            "array": "表格",
        }.get(val, str(val))
    if kw == "format":
        return "YYYY-MM-DD" if val == "date" else str(val)
    if kw == "minLength":
        return "非空"
    return None
