"""``ictk check FILE|RECORD.json``: check one application against the policy."""

from __future__ import annotations

import sys

import click

from .options import force_option, form_option, format_option


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
@click.option(
    "--annotate",
    "annotated",
    type=click.Path(dir_okay=False),
    default=None,
    help="另存一份带批注的申报表副本（.docx）：每条问题以 Word 批注标在对应栏目上。",
)
@force_option
def command(
    file: str,
    form_id: str | None,
    registry: str | None,
    fmt: str,
    strict: bool,
    annotated: str | None,
    force: bool,
) -> None:
    """检查申报表（.docx、.doc、.wps、.odt、.rtf、.pdf、扫描图片、.zip）或标准记录（.json）是否符合政策条件。

    逐条列出不符合之处：栏目、填写值、要求和政策条款。退出码：0 无错误，1 有错误
    （--strict 时警告也算），2 文件无法读取或参数错误。
    """
    from ..check import check_file

    if annotated:
        from pathlib import Path

        from ..annotate import require_docx
        from ..errors import InputError
        from ..outputs import check_target

        check_target(annotated, force)
        require_docx(file)
        if Path(annotated).resolve() == Path(file).resolve():
            raise InputError("带批注的副本不能覆盖原文件，请另指定输出文件名")
    consortia = None
    if registry:
        from ..batch.run import load_registry

        consortia = load_registry(registry)
    report = check_file(file, form_id=form_id, registry=consortia, strict=strict)
    if fmt == "json":
        from ..record import dumps

        click.echo(dumps(report.to_json()))
    else:
        from ..views.terminal import render_report

        render_report(report)
    if annotated:
        _write_annotated(file, report, annotated, force)
    sys.exit(report.exit_code)


def _write_annotated(file: str, report, target: str, force: bool) -> None:
    from ..errors import InputError

    if report.verdict == "unreadable" or report.record is None:
        raise InputError(f"申报表无法读取，未生成带批注的副本：{report.error or file}")
    from ..annotate import annotate
    from ..outputs import write_bytes

    data = annotate(file, report.findings, form_id=report.form)
    write_bytes(target, data, force)
    click.echo(f"已生成带批注的副本（{len(report.findings)}条检查发现）：{target}", err=True)
