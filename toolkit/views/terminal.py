"""The terminal view of a check report and of the rule list (rich; colour only on a terminal).

The report is data first (``toolkit.check.CheckReport``); this module only lays it out.
"""

from __future__ import annotations

from typing import IO, Any

from ..findings import SEVERITY_LABEL
from ..wording import requirement

VERDICT_LABEL = {"pass": "通过", "warn": "通过（有警告）", "fail": "不通过", "unreadable": "无法读取"}
VERDICT_STYLE = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red", "unreadable": "bold red"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def console(file: IO[str] | None = None) -> Any:
    from rich.console import Console

    # highlight=False: rich would otherwise colour numbers inside Chinese sentences.
    return Console(file=file, highlight=False, soft_wrap=True)


def seal_summary(seals: list[dict[str, Any]], colourless: bool = False) -> str:
    """One Chinese line on the red seals found on a scan (positions in PDF points from top left).

    >>> seal_summary([])
    '扫描件：未发现红色印章'
    >>> seal_summary([], colourless=True)
    '扫描件：灰度或黑白图像，未识别到圆形印章'
    >>> seal_summary([{"page": 2, "centre": [265.4, 509.3], "radius": 57.0, "grey": True}], colourless=True)
    '扫描件：发现圆形印章 1 枚（灰度或黑白扫描，按形状识别；第2页，中心约 x=265、y=509 点，半径约 57 点）'
    >>> seal_summary([{"page": 3, "centre": [410.2, 655.0], "radius": 44.1}])
    '扫描件：发现红色印章 1 枚（第3页，中心约 x=410、y=655 点，半径约 44 点）'
    """
    if not seals:
        return "扫描件：灰度或黑白图像，未识别到圆形印章" if colourless else "扫描件：未发现红色印章"
    where = "；".join(
        f"第{s['page']}页，中心约 x={s['centre'][0]:.0f}、y={s['centre'][1]:.0f} 点，半径约 {s['radius']:.0f} 点"
        for s in seals
    )
    if colourless:
        return f"扫描件：发现圆形印章 {len(seals)} 枚（灰度或黑白扫描，按形状识别；{where}）"
    return f"扫描件：发现红色印章 {len(seals)} 枚（{where}）"


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
    edition = f"（政策版本 {report.edition}）" if getattr(report, "edition", None) else ""
    out.print(f"{head}（{tally}）  {escape(report.file)} · {form.title}{edition}")
    if report.seals is not None:
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


def render_rules(infos: list[Any], out: Any = None, edition: Any = None) -> None:
    """One line per rule: code, severity, clause, forms, title (with the numbers of ``edition``,
    by default of the newest edition the rule applies to)."""
    from rich.markup import escape

    from ..rules.engine import title_of

    out = out or console()
    for info in infos:
        style = SEVERITY_STYLE[info.severity]
        scope = "（批量）" if info.scope == "batch" else ""
        out.print(
            f"[bold]{info.code:<22}[/] [{style}]{SEVERITY_LABEL[info.severity]}[/]  {info.clause:<9} "
            f"{escape(title_of(info, edition))}{scope}  [dim]{'、'.join(info.forms)}[/]"
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
        if e.get("editions"):
            out.print(f"  政策版本：{'、'.join(e['editions'])}（数值按 {e.get('edition')}）")
        if e.get("cite") and e["clause"] != "form":
            out.print(f"  出处：{escape(e['cite'])}")
        if e.get("quote"):
            out.print(f"  原文：“{escape(e['quote'])}”")
        if e.get("why"):
            out.print(f"  说明：{escape(e['why'])}")
