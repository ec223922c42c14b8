"""``ictk check FILE|RECORD.json``: check one application against the policy."""

from __future__ import annotations

import sys

import click

from .options import form_option, format_option


@click.command("check", options_metavar="[选项]")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=False))
@form_option()
@click.option(
    "--registry",
    "registry",
    type=click.Path(dir_okay=False),
    help="已认定创新联合体名录数据库（用于名称重复等检查）。",
)
@format_option()
@click.option("--strict", is_flag=True, help="严格模式：有警告也视为不通过（退出码 1）。")
def command(file: str, form_id: str | None, registry: str | None, fmt: str, strict: bool) -> None:
    """检查申报表（.docx、.pdf）或标准记录（.json）是否符合政策条件。

    逐条列出不符合之处：栏目、填写值、要求和政策条款。退出码：0 无错误，1 有错误
    （--strict 时警告也算），2 文件无法读取或参数错误。
    """
    from ..check import check_file

    if registry:  # a registry that cannot be used is an error of the call, not of the file
        from ..batch.run import load_registry

        registry = load_registry(registry)  # type: ignore[assignment]
    report = check_file(file, form_id=form_id, registry=registry, strict=strict)
    if fmt == "json":
        from ..record import dumps

        click.echo(dumps(report.to_json()))
    else:
        from ..views.terminal import render_report

        render_report(report)
    sys.exit(report.exit_code)
