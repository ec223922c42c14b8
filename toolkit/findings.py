"""Findings are data: the rules engine, the parser and the batch checks all produce them,
and the terminal table, JSON, xlsx, HTML and review opinions are views of the same list."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from .record import to_jsonable

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABEL: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Finding:
    code: str  # stable rule code, e.g. "LZ-REVENUE"
    severity: Severity
    clause: str  # clause id from spec/CLAUSES.md, or "form"
    message: str  # Chinese, names the field by its label
    field: str | None = None  # JSON pointer into the record
    value: Any = None
    expected: str | None = None
    edition: str | None = None  # the policy edition whose rule raised it (lz-2024), when one did

    def to_json(self) -> dict[str, Any]:
        # the edition is the report's (spec/REPORT.md's finding object stays as it is)
        data = {k: v for k, v in asdict(self).items() if v is not None and k != "edition"}
        return to_jsonable(data)


def verdict(findings: list[Finding], strict: bool = False) -> str:
    """``pass``, ``warn`` or ``fail`` as spec/REPORT.md says; ``strict`` makes warnings fail."""
    severities = {f.severity for f in findings}
    if "error" in severities or (strict and "warning" in severities):
        return "fail"
    if "warning" in severities:
        return "warn"
    return "pass"
