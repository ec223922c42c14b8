"""The tables every batch report shows (xlsx, HTML): one row per application, one per finding.

The views in ``toolkit/views/`` only lay these rows out; what a row says is decided here once.
"""

from __future__ import annotations

from typing import Any

from ..findings import SEVERITY_LABEL, Finding
from ..wording import requirement
from .model import VERDICT_LABEL, Application, BatchResult

APPLICATION_COLUMNS = (
    "申报编号",
    "文件",
    "表单",
    "创新联合体名称",
    "牵头单位",
    "牵头单位统一社会信用代码",
    "结论",
    "错误数",
    "警告数",
    "提示数",
    "无法读取原因",
)

FINDING_COLUMNS = (
    "申报编号",
    "创新联合体名称",
    "文件",
    "规则编号",
    "严重程度",
    "条款",
    "栏目",
    "问题说明",
    "填写值",
    "要求",
    "范围",
)


def form_title(form_id: str | None) -> str:
    if not form_id:
        return ""
    from ..forms import load_form

    try:
        return load_form(form_id).title
    except Exception:  # an unknown form id in a record: show the id itself
        return form_id


def field_label(app: Application, pointer: str | None) -> str:
    """The Chinese label of a finding's field (``成员单位第3行“统一社会信用代码”``)."""
    if not pointer:
        return "（整份申报）"
    if not app.form:
        return pointer
    from ..forms import load_form

    try:
        return load_form(app.form).label_of(pointer)
    except Exception:
        return pointer


def show_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    from ..rules.engine import fmt_value

    if isinstance(value, (list, dict)):
        from ..record import dumps

        return dumps(value, indent=None)
    return fmt_value(value)


def application_row(app: Application) -> list[Any]:
    c = app.counts()
    return [
        app.id,
        "\n".join(app.file_names),
        form_title(app.form),
        app.record.get("consortium", {}).get("name", "") if app.readable else "",
        app.lead_name,
        app.lead_uscc,
        VERDICT_LABEL.get(app.verdict, app.verdict),
        c["error"],
        c["warning"],
        c["info"],
        app.error or "",
    ]


def finding_row(app: Application, f: Finding) -> list[Any]:
    return [
        app.id,
        app.record.get("consortium", {}).get("name", "") if app.readable else "",
        "\n".join(app.file_names),
        f.code,
        SEVERITY_LABEL.get(f.severity, f.severity),
        f.clause,
        field_label(app, f.field),
        f.message,
        show_value(f.value),
        requirement(f.expected),
        "跨申报" if f in app.batch_findings else "单份申报",
    ]


def application_rows(result: BatchResult) -> list[list[Any]]:
    return [application_row(a) for a in result.applications]


def finding_rows(result: BatchResult) -> list[list[Any]]:
    """Every finding of every application; an unreadable file is a row of its own too."""
    rows: list[list[Any]] = []
    for app in result.applications:
        if not app.readable:
            rows.append(
                [
                    app.id,
                    "",
                    "\n".join(app.file_names),
                    "",
                    "无法读取",
                    "",
                    "（整份申报）",
                    app.error or "无法读取",
                    "",
                    "",
                    "单份申报",
                ]
            )
        for f in app.findings:
            rows.append(finding_row(app, f))
    return rows
