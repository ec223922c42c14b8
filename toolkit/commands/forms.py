"""``ictk forms list`` and ``ictk forms blank``: the forms ictk knows, and their blank versions."""

from __future__ import annotations

import json
import unicodedata

import click

from .options import CONTEXT, force_option, format_option, output_option


@click.group("forms", context_settings=CONTEXT, options_metavar="[选项]", subcommand_metavar="命令 [参数]...")
def command() -> None:
    """列出表单、生成空白申报表。

    \b
    示例：
      ictk forms list
      ictk forms blank lz-preapply-2024 -o 柳州市市级创新联合体预申报表.docx
      ictk forms blank gx-recognition --format json -o 空白记录.json
    """


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def form_summaries() -> list[dict[str, object]]:
    """One line per form: id, title, policy, number of record fields (table columns included)."""
    from ..forms import form_ids, load_form

    out = []
    for form_id in form_ids():
        form = load_form(form_id)
        columns = sum(1 for t in form.tables for c in t.columns if c.in_record)
        out.append(
            {
                "id": form.id,
                "title": form.title,
                "policy": form.policy,
                "fields": len(form.fields) + columns,
                "sections": len(form.sections),
                "tables": [t.label for t in form.tables],
            }
        )
    return out


@command.command("list", context_settings=CONTEXT, options_metavar="[选项]")
@format_option(help="输出格式：text 为表格，json 供程序读取。")
def list_forms(fmt: str) -> None:
    """列出可用的表单：编号、名称、所属政策（lz 柳州、gx 广西）、字段数。"""
    rows = form_summaries()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    head = ("表单编号", "名称", "政策", "字段数")
    table = [head] + [(str(r["id"]), str(r["title"]), str(r["policy"]), str(r["fields"])) for r in rows]
    widths = [max(_width(line[i]) for line in table) for i in range(len(head))]
    for line in table:
        click.echo("  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip())


@command.command("blank", context_settings=CONTEXT, options_metavar="[选项]")
@click.argument("form_id", metavar="表单编号")
@output_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "json"]),
    default=None,
    help="docx 为可打印的空白 Word 申报表；json 为供程序填写的空记录。默认按输出文件扩展名判断（.json 为 json，其余为 docx）。",
)
@force_option
def blank(form_id: str, output: str, fmt: str | None, force: bool) -> None:
    """生成空白申报表（Word），或供程序填写的空记录（JSON）。

    Word 版即科技局发布的空白表：A4 纵向，标题方正小标宋简体二号加粗居中，各部分为带边框的“标签—填写”表格，选项前印有 ☐，成员单位、创新平台表格带表头行和空行，文末为填报单位、推荐单位盖章栏。

    \b
    JSON 空记录的结构（与标准记录相同，只是值为空）：
      {"form": "表单编号",
       "consortium": {"name": null, ...},
       "lead": {"name": null, ..., "platforms": [{"name": null, "level": null, "type": null}]},
       "members": [{"name": null, "uscc": null, ...}],
       "governance": {...}, "plan": {...}, "signoff": {...}}
    每个字段都在，值为 null；每个表格是一个列表，内含一行全为 null 的示例行，按需复制。
    金额单位万元，百分比写数值（3.5 表示 3.5%），日期写 YYYY-MM-DD，是/否写 true/false，
    选项字段写 ictk schema 表单编号 中列出的规范值。填好后删去仍为 null 的字段和空行
    （标准记录中未填写的字段不出现）。

    输出文件已存在时不覆盖，除非加 --force。
    """
    from ..blank import write_blank

    if fmt is None:
        fmt = "json" if output.lower().endswith(".json") else "docx"
    path = write_blank(form_id, output, fmt, force)
    click.echo(f"已生成：{path}", err=True)
