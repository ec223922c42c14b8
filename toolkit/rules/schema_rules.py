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
from ..forms import FormDef

# The keywords with a code of their own (titles and explanations: rules.yaml, scope schema).
KEYWORDS = ("required", "type", "pattern", "enum", "format", "minimum", "maximum", "minlength", "const")


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
