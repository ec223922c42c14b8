"""``ictk parse FILE``: read a filled form and print its canonical record."""

from __future__ import annotations

import sys
from typing import Any

import click

from .options import CONTEXT, form_option, format_option


@click.command("parse", context_settings=CONTEXT, options_metavar="[选项]")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=False))
@form_option()
@format_option(("json", "text"), "json", "输出格式：json 为标准记录，text 为“栏目—内容”对照表。")
def command(file: str, form_id: str | None, fmt: str) -> None:
    """读取填好的申报表（.docx、.odt，.doc/.wps/.rtf 经 LibreOffice 转换，带文字层的 .pdf；扫描件及其图片需安装 OCR；.zip 读其中的可编辑版），输出标准记录。

    无法识别的填写内容不会被猜测：该栏目不写入记录，并在标准错误输出中逐条列出。

    \b
    退出状态：0 全部填写内容已识别（扫描件可能有需人工核对的提示）；1 有栏目无法识别
    （记录照常输出，缺少这些栏目）；2 文件无法读取或调用有误。

    \b
    示例：
      ictk parse 申报表.docx
      ictk parse 申报表.pdf --form lz-preapply-2024 --format text
    """
    from ..editions import resolve
    from ..read.api import parse_file

    result = parse_file(file, resolve(form_id)[0])
    if fmt == "json":
        from ..record import dumps

        click.echo(dumps(result.record))
    else:
        _print_table(result)
    for problem in result.problems:
        click.echo(problem_line(problem), err=True)
    if result.seals is not None:
        from ..views.terminal import seal_summary

        click.echo(seal_summary(result.seals, result.colourless), err=True)
    if any(p.severity == "error" for p in result.problems):
        sys.exit(1)


def problem_line(problem: Any) -> str:
    """One stderr line per problem: a value that could not be read says so itself
    (“所属行业”填写的“…”无法识别：…); an OCR doubt is marked as one."""
    return f"需人工核对：{problem.message}" if problem.code.startswith("OCR-") else problem.message


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


_WIDE = 1000  # columns of a piped table: more than any label and value need


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
    # On a terminal the table fits its width; piped or redirected, nothing is cut at 80 columns.
    console = Console() if sys.stdout.isatty() else Console(width=_WIDE)
    console.print(table)
    if result.problems:
        problems = Table(title="无法识别或需人工核对的内容", show_lines=False)
        problems.add_column("栏目")
        problems.add_column("原文")
        problems.add_column("原因")
        for p in result.problems:
            problems.add_row(form.label_of(p.field or ""), str(p.value), p.message)
        console.print(problems)
