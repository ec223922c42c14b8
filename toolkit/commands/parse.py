"""``ictk parse FILE``: read a filled form and print its canonical record."""

from __future__ import annotations

from typing import Any

import click

from .options import CONTEXT, form_option, format_option


@click.command("parse", context_settings=CONTEXT, options_metavar="[选项]")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=False))
@form_option()
@format_option(("json", "table"), "json", "输出格式：json 为标准记录，table 为“栏目—内容”对照表。")
def command(file: str, form_id: str | None, fmt: str) -> None:
    """读取填好的申报表（.docx、.odt，.doc/.wps/.rtf 经 LibreOffice 转换，带文字层的 .pdf；扫描件及其图片需安装 OCR；.zip 读其中的可编辑版），输出标准记录。

    无法识别的填写内容不会被猜测：该栏目不写入记录，并在标准错误输出中逐条列出。

    \b
    示例：
      ictk parse 申报表.docx
      ictk parse 申报表.pdf --form lz-preapply-2024 --format table
    """
    from ..read.api import parse_file

    result = parse_file(file, form_id)
    if fmt == "json":
        from ..record import dumps

        click.echo(dumps(result.record))
    else:
        _print_table(result)
    for problem in result.problems:
        click.echo(f"{_problem_kind(problem.code)}：{problem.message}", err=True)
    if result.seals is not None:
        click.echo(seal_summary(result.seals, result.colourless), err=True)


def _problem_kind(code: str) -> str:
    return "需人工核对" if code.startswith("OCR-") else "无法识别"


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


def _rows(record: dict[str, Any], form_id: str) -> list[tuple[str, str]]:
    """(label, value) for every field of the record, in the order of the form."""
    from ..forms import load_form
    from ..record import get_path, to_jsonable

    def show(value: Any) -> str:
        if isinstance(value, bool):
            return "是" if value else "否"
        return str(to_jsonable(value))

    form = load_form(form_id)
    out: list[tuple[str, str]] = []
    for section in form.sections:
        for f in section.fields:
            value = get_path(record, f.id)
            if value is not None:
                out.append((f.label, show(value)))
        for table in section.tables:
            for i, entry in enumerate(get_path(record, table.id) or []):
                for col in table.columns:
                    if col.id in entry:
                        out.append((f"{table.label}{i + 1}·{col.label}", show(entry[col.id])))
    return out


def _print_table(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..forms import load_form

    form = load_form(result.form)
    table = Table(title=f"{form.title}（{result.source}）", show_lines=False)
    table.add_column("栏目", style="bold", no_wrap=False)
    table.add_column("填写内容")
    for label, value in _rows(result.record, result.form):
        table.add_row(label, value)
    console = Console()
    console.print(table)
    if result.problems:
        problems = Table(title="无法识别或需人工核对的内容", show_lines=False)
        problems.add_column("栏目")
        problems.add_column("原文")
        problems.add_column("原因")
        for p in result.problems:
            problems.add_row(form.label_of(p.field or ""), str(p.value), p.message)
        console.print(problems)
