"""Options shared by several commands."""

from __future__ import annotations

import click

from ..cli import CONTEXT  # noqa: F401 - re-exported: commands may be invoked alone
from ..forms import form_ids

force_option = click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
output_option = click.option(
    "-o", "--output", "output", type=click.Path(dir_okay=False), required=True, help="输出文件路径。"
)


def form_option(required: bool = False):
    return click.option(
        "--form",
        "form_id",
        type=click.Choice(form_ids()),
        required=required,
        help="表单编号；不指定时根据文档标题自动识别。" if not required else "表单编号。",
    )


def format_option(
    choices: tuple[str, ...] = ("text", "json"), default: str = "text", help: str = "输出格式。"
):
    """``--format`` (stored as ``fmt``): the views a command can print."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True, help=help
    )
