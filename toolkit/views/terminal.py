"""The terminal view of a check report and of the rule list (rich; colour only on a terminal).

The report is data first (``toolkit.check.CheckReport``); this module only lays it out.
"""

from __future__ import annotations

from typing import IO, Any

from ..findings import SEVERITY_LABEL
from .wording import requirement

VERDICT_LABEL = {"pass": "通过", "warn": "通过（有警告）", "fail": "不通过", "unreadable": "无法读取"}
VERDICT_STYLE = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red", "unreadable": "bold red"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def console(file: IO[str] | None = None) -> Any:
    from rich.console import Console

    # highlight=False: rich would otherwise colour numbers inside Chinese sentences.
    return Console(file=file, highlight=False, soft_wrap=True)


def render_report(report: Any, out: Any = None) -> None:
    """Verdict line, then the findings grouped by section of the form."""
    from rich.markup import escape

    from ..check import section_title
    from ..forms import load_form

    out = out or console()
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    head = f"[{VERDICT_STYLE[report.verdict]}]结论：{VERDICT_LABEL[report.verdict]}[/]"
    if report.verdict == "unreadable":
        out.print(f"{head}  {escape(report.file)}")
        out.print(f"  {escape(report.error or '')}")
        return
    form = load_form(report.form)
    tally = "，".join(f"{SEVERITY_LABEL[s]} {n}" for s, n in counts.items())
    out.print(f"{head}（{tally}）  {escape(report.file)} · {form.title}")
    if report.seals is not None:
        from ..commands.parse import seal_summary

        colourless = any(f.code == "SEAL-UNCHECKED" for f in report.findings) or any(
            s.get("grey") for s in report.seals
        )
        out.print(f"  {escape(seal_summary(report.seals, colourless))}")
    if not report.findings:
        out.print("  未发现问题：符合各项可核对的条件。")
        return
    current = None
    for f in report.findings:
        section = section_title(form, f.field)
        if section != current:
            current = section
            out.print()
            out.print(f"[bold]{escape(section)}[/]")
        style = SEVERITY_STYLE[f.severity]
        label = form.label_of(f.field) if f.field else "整份申报表"
        out.print(
            f"  [{style}]{SEVERITY_LABEL[f.severity]}[/]  {escape(label)}  [dim]{f.clause} · {f.code}[/]"
        )
        out.print(f"        {escape(f.message)}")
        details = []
        if f.value is not None:
            details.append(f"填写值：{_plain(f.value)}")
        if f.expected:
            details.append(f"要求：{requirement(f.expected)}")
        if details:
            out.print(f"        [dim]{escape('；'.join(details))}[/]")


def _plain(value: Any) -> str:
    from ..rules.engine import fmt_value

    text = fmt_value(value)
    return text if len(text) <= 60 else text[:58] + "…"


def render_rules(infos: list[Any], out: Any = None) -> None:
    """One line per rule: code, severity, clause, forms, title."""
    from rich.markup import escape

    out = out or console()
    for info in infos:
        style = SEVERITY_STYLE[info.severity]
        scope = "（批量）" if info.scope == "batch" else ""
        out.print(
            f"[bold]{info.code:<22}[/] [{style}]{SEVERITY_LABEL[info.severity]}[/]  {info.clause:<9} "
            f"{escape(info.title)}{scope}  [dim]{'、'.join(info.forms)}[/]"
        )
    out.print(f"\n共 {len(infos)} 条规则。用 ictk rules 规则代码 查看某条规则的条款原文和说明。")


def render_rule(entries: list[dict[str, Any]], out: Any = None) -> None:
    """One rule explained: clause, quoted text, severity, forms, why."""
    from rich.markup import escape

    out = out or console()
    for i, e in enumerate(entries):
        if i:
            out.print()
        style = SEVERITY_STYLE[e["severity"]]
        out.print(f"[bold]{e['code']}[/]  {escape(e['title'])}")
        out.print(
            f"  条款：{e['clause']}    级别：[{style}]{SEVERITY_LABEL[e['severity']]}[/]    "
            f"适用表单：{'、'.join(e['forms'])}{'    批量检查' if e['scope'] == 'batch' else ''}"
        )
        if e.get("quote"):
            out.print(f"  原文：“{escape(e['quote'])}”")
        if e.get("why"):
            out.print(f"  说明：{escape(e['why'])}")
