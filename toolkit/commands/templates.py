"""``ictk templates list|check|export``: the document templates and their lint."""

from __future__ import annotations

import sys

import click

from .options import force_option, output_option

KINDS = ("agreement", "supplement", "notice", "lz-county", "lz-bureau", "gx-city", "gx-dept", "gx-expert")


@click.group("templates", options_metavar="[选项]", subcommand_metavar="命令 [参数]...")
def command() -> None:
    """公文模板：列出、检查（标签是否被拆分、变量是否齐全）、导出供修改。"""


@command.command("list", options_metavar="[选项]")
def list_templates() -> None:
    """列出内置模板及其用途。"""
    from ..generate.common import catalog

    cat = catalog()
    for key, entry in {**cat["templates"], **cat["stages"]}.items():
        click.echo(f"{key:<12}{entry['file']:<26}{entry['name']}（{'、'.join(entry['forms'])}）")


@command.command("check", options_metavar="[选项]")
@click.argument("files", metavar="[模板]...", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="模板类型；默认按文件名判断，文件名看不出时按内容与哪个内置模板相近判断。",
)
def check(files: tuple[str, ...], kind: str | None) -> None:
    """检查模板：标签被拆分到多个文字块、Jinja 语法错误、未知变量、试渲染失败。

    不指定文件时检查全部内置模板。

    \b
    退出状态：0 未发现问题；1 发现问题；2 文件无法读取。
    """
    from pathlib import Path

    from ..errors import IctkError
    from ..generate.lint import lint_template, shipped_templates

    paths = [Path(f) for f in files] or shipped_templates()
    found = 0
    for path in paths:
        try:
            problems = lint_template(path, kind)
        except IctkError as exc:
            click.echo(f"{path}：{exc}", err=True)
            sys.exit(2)
        if not problems:
            click.echo(f"{path}：未发现问题")
            continue
        found += len(problems)
        for problem in problems:
            click.echo(f"{path}：{problem}")
    if found:
        click.echo(f"共发现 {found} 处问题。", err=True)
        sys.exit(1)


@command.command("export", options_metavar="[选项]")
@click.argument("name", metavar="模板", type=click.Choice(KINDS))
@output_option
@force_option
def export(name: str, output: str, force: bool) -> None:
    """导出一个内置模板，修改后可用 --template 生成公文。"""
    from ..generate.common import template_path
    from ..outputs import write_bytes

    write_bytes(output, template_path(name).read_bytes(), force)
    click.echo(f"已导出模板：{output}")
