"""``ictk schema ID``: print (or write) the JSON Schema of a form's record."""

from __future__ import annotations

import click

from .options import CONTEXT, force_option


@click.command("schema", context_settings=CONTEXT, options_metavar="[选项]")
@click.argument("form_id", metavar="表单编号")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), help="生成文件而不是输出到屏幕。")
@force_option
def command(form_id: str, output: str | None, force: bool) -> None:
    """输出表单标准记录的 JSON Schema（draft 2020-12）。

    每个字段带有中文标签（title）、字段编号（x-field），每项约束带有政策条款（x-clause）
    和中文说明（x-message）。可用的表单编号见 ictk forms list。

    \b
    示例：
      ictk schema lz-preapply-2024
      ictk schema gx-recognition -o gx-recognition.schema.json
    """
    from ..outputs import check_target, write_bytes
    from ..schema import dumps_schema, load_schema

    if output:
        check_target(output, force)
    text = dumps_schema(load_schema(form_id))
    if output:
        write_bytes(output, text.encode("utf-8"), force)
        click.echo(f"已生成：{output}", err=True)
    else:
        click.echo(text, nl=False)
