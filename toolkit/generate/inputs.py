"""Reading what the generate commands are given: a record JSON, a check report JSON
(``ictk check --format json``) or a filled form (.docx/.pdf), parsed and checked on demand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..findings import Finding
from ..record import require_shape


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def load_application(path: str | Path, form_id: str | None = None) -> dict[str, Any]:
    """The record of a record JSON, of a check report JSON, or parsed from a filled form."""
    record, _ = _load(Path(path), form_id, want_findings=False)
    return record


def load_checked(path: str | Path, form_id: str | None = None) -> tuple[dict[str, Any], list[Finding]]:
    """The record and its findings: a check report's own, or a fresh check of a record or form."""
    record, findings = _load(Path(path), form_id, want_findings=True)
    return record, findings or []


def _load(
    path: Path, form_id: str | None, want_findings: bool
) -> tuple[dict[str, Any], list[Finding] | None]:
    if not path.is_file():
        raise InputError(f"文件不存在：{path}")
    from ..editions import resolve

    form_id, edition = resolve(form_id)  # --form may name an edition (lz-2024)
    if _is_json(path):
        from ..record import load_record

        data = load_record(path)
        if isinstance(data.get("record"), dict) and isinstance(data.get("findings"), list):
            from .opinion import as_finding

            if data.get("verdict") == "unreadable":
                raise InputError(f"检查报告显示该申报表无法读取：{data.get('error') or path}")
            require_shape(data["record"], path.name)
            return data["record"], [as_finding(f) for f in data["findings"]]
        if form_id and not data.get("form"):
            data["form"] = form_id
        require_shape(data, path.name)
        if not want_findings:
            return data, None
        return data, _check_record(data, edition)
    if want_findings:
        from ..check import check_file

        report = check_file(path, edition or form_id)
        if report.verdict == "unreadable" or report.record is None:
            raise InputError(f"无法读取申报表：{path}（{report.error or '格式无法识别'}）")
        return report.record, list(report.findings)
    from ..read.api import parse_file

    return parse_file(path, form_id).record, None


def _check_record(record: dict[str, Any], edition: str | None = None) -> list[Finding]:
    from ..check import check_record

    return list(check_record(record, edition=edition))
