"""The batch report as one self-contained HTML page: inline CSS, no script, no network resource,
every value escaped (Jinja autoescape). Template: ``toolkit/views/batch-report.html.j2``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).with_name("batch-report.html.j2")


def _context(result: Any, generated: str | None) -> dict[str, Any]:
    from ..batch.model import VERDICT_LABEL
    from ..batch.report import APPLICATION_COLUMNS, field_label, form_title, show_value
    from ..findings import SEVERITY_LABEL
    from ..rules.engine import rule_titles
    from ..wording import requirement

    apps = []
    for app in result.applications:
        apps.append(
            {
                "id": app.id,
                "files": app.file_names,
                "form": form_title(app.form),
                "name": app.record.get("consortium", {}).get("name", "") if app.readable else "",
                "lead": app.lead_name,
                "uscc": app.lead_uscc,
                "verdict": app.verdict,
                "verdict_label": VERDICT_LABEL.get(app.verdict, app.verdict),
                "counts": app.counts(),
                "error": app.error or "",
                "findings": [
                    {
                        "code": f.code,
                        "severity": f.severity,
                        "severity_label": SEVERITY_LABEL.get(f.severity, f.severity),
                        "clause": f.clause,
                        "label": field_label(app, f.field),
                        "message": f.message,
                        "value": show_value(f.value),
                        "expected": requirement(f.expected),
                        "scope": "跨申报" if f in app.batch_findings else "单份申报",
                    }
                    for f in app.findings
                ],
            }
        )
    show_reason = any(a["error"] for a in apps)
    return {
        "root": result.root,
        "registry": result.registry,
        "generated": generated,
        "summary": result.summary(),
        "verdict_label": VERDICT_LABEL,
        # the reason column only when a file could not be read: empty, it squeezes the others
        "app_columns": APPLICATION_COLUMNS if show_reason else APPLICATION_COLUMNS[:-1],
        "show_reason": show_reason,
        "apps": apps,
        "skipped": [(name, result.notes.get(name, "")) for name in result.skipped],
        "titles": rule_titles(),
    }


def batch_html(result: Any, generated: str | None = None) -> str:
    """The HTML report of a ``toolkit.batch.model.BatchResult``."""
    from jinja2 import Environment, StrictUndefined

    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(**_context(result, generated))
