"""Options shared by several commands."""

from __future__ import annotations

import click

from ..cli import CONTEXT  # noqa: F401 - re-exported: commands may be invoked alone
from ..editions import edition_ids
from ..forms import form_ids

force_option = click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
output_option = click.option(
    "-o", "--output", "output", type=click.Path(dir_okay=False), required=True, help="输出文件路径。"
)


def form_option(required: bool = False, help: str | None = None):
    """``--form`` (stored as ``form_id``): one of the forms' ids, shown as a list of choices."""
    return click.option(
        "--form",
        "form_id",
        type=click.Choice([*form_ids(), *edition_ids()]),
        required=required,
        help=help
        or (
            "表单编号或政策版本（如 lz-2024）；不指定时根据文档的栏目和标题识别表单，按填报日期选版本。"
            if not required
            else "表单编号或政策版本（如 lz-2024）。"
        ),
    )


def format_option(
    choices: tuple[str, ...] = ("text", "json"),
    default: str = "text",
    help: str = "输出格式：text 为供人阅读的文字或表格，json 为供程序读取的 JSON。",
):
    """``--format`` (stored as ``fmt``): the views a command can print. Every command calls its
    human view ``text`` (``table``, the old name of some, is still accepted)."""
    return click.option(
        "--format", "fmt", type=FormatChoice(list(choices)), default=default, show_default=True, help=help
    )


class FormatChoice(click.Choice):
    ALIASES = {"table": "text"}

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        return super().convert(self.ALIASES.get(value, value), param, ctx)
