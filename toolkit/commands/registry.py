"""``ictk registry``: the registry of recognised consortia (SQLite)."""

from __future__ import annotations

import click

from .options import force_option, form_option, format_option, output_option

registry_option = click.option(
    "--registry",
    "registry",
    type=click.Path(dir_okay=False),
    default=None,
    help="名录文件（SQLite），默认 ~/.local/share/ictk/registry.db；由 add 或 import 首次写入时建立。",
)


def _date(value: str | None) -> str | None:
    from ..batch.registry import iso_date

    return iso_date(value) if value else None


def _open(ctx: click.Context, registry: str | None, create: bool = False):  # type: ignore[no-untyped-def]
    """The registry; only ``add`` and ``import`` create one that does not exist yet."""
    from ..batch.registry import Registry

    return Registry(registry or (ctx.obj or {}).get("registry"), create=create)


@click.group("registry", options_metavar="[选项]", subcommand_metavar="子命令 [参数]...")
@registry_option
@click.pass_context
def command(ctx: click.Context, registry: str | None) -> None:
    """管理已认定创新联合体名录：加入、导入、导出、记录评估结果、列出到期事项。

    名录记录名称、级别、认定日期、牵头单位和成员单位（按统一社会信用代码）及历次评估等级；
    ictk batch --registry 用它检查牵头单位重复、成员单位超限和名称重复或近似。
    """
    ctx.obj = {"registry": registry}


@command.command("add", options_metavar="[选项]")
@click.argument("source", metavar="记录或申报表", type=click.Path(exists=True, dir_okay=False))
@click.option("--recognized-on", "recognized_on", help="认定日期，如 2024-06-30；默认今天。")
@click.option(
    "--level", type=click.Choice(["自治区级", "市级"]), help="级别；默认柳州表为市级，广西表为自治区级。"
)
@click.option("--replace", is_flag=True, help="名录中已有同名创新联合体时替换它。")
@form_option()
@registry_option
@click.pass_context
def add(
    ctx: click.Context,
    source: str,
    recognized_on: str | None,
    level: str | None,
    replace: bool,
    form_id: str | None,
    registry: str | None,
) -> None:
    """把一个已认定的创新联合体加入名录：JSON 记录，或填好的申报表（.docx/.pdf）。"""
    from datetime import date
    from pathlib import Path

    from ..batch.registry import consortium_from_record
    from ..record import load_record

    if Path(source).suffix.lower() == ".json":
        record = load_record(source)
    else:
        from ..read.api import parse_file

        record = parse_file(source, form_id).record
    c = consortium_from_record(record, _date(recognized_on) or date.today().isoformat(), level)
    with _open(ctx, registry, create=True) as reg:
        cid = reg.add(c, replace=replace)
        click.echo(
            f"已加入名录：{c.name}（编号 {cid}，{c.level or '级别未填'}，{c.recognized_on}认定，"
            f"成员单位 {len(c.members)} 个）"
        )


@command.command("import", options_metavar="[选项]")
@click.argument("source", metavar="表格文件", type=click.Path(exists=True, dir_okay=False))
@registry_option
@click.pass_context
def import_(ctx: click.Context, source: str, registry: str | None) -> None:
    """从 .xlsx 或 .csv 导入（列名为中文，可用 ictk registry export 生成模板）；同名的替换。

    每行一个成员单位；同一创新联合体的后续行可只填成员单位各列。全部成功才写入。

    至少要有创新联合体名称和牵头单位统一社会信用代码两列；常见的列名写法（如“联合体名称”
    “牵头单位”“统一社会信用代码”“认定时间”“评估结果”）都能识别，表头上方可以有标题行。
    """
    from ..batch.registry import read_table

    rows = read_table(source)
    with _open(ctx, registry, create=True) as reg:
        n = reg.import_rows(rows)
        click.echo(f"已导入 {n} 个创新联合体（名录：{reg.path}）")


@command.command("list", options_metavar="[选项]")
@format_option()
@registry_option
@click.pass_context
def list_(ctx: click.Context, fmt: str, registry: str | None) -> None:
    """列出名录中的创新联合体。"""
    from ..record import dumps

    with _open(ctx, registry) as reg:
        items = reg.consortia()
    if fmt == "json":
        click.echo(dumps([c.to_json() for c in items]))
        return
    if not items:
        click.echo("名录为空。")
        return
    for c in items:
        g = c.latest_grade
        grade = f"，最近评估：{g.year}年{g.grade}" if g else ""
        click.echo(
            f"{c.id}  {c.name}  {c.level or ''}  {c.recognized_on or ''}认定  牵头：{c.lead_name}"
            f"（{c.lead_uscc}）  成员 {len(c.members)} 个{grade}"
        )


@command.command("export", options_metavar="[选项]")
@output_option
@force_option
@registry_option
@click.pass_context
def export(ctx: click.Context, output: str, force: bool, registry: str | None) -> None:
    """导出名录为 .xlsx 或 .csv（也是 import 的模板）。"""
    from ..batch.registry import COLUMNS
    from ..outputs import check_target
    from ..views.xlsx import write_table

    check_target(output, force)
    with _open(ctx, registry) as reg:
        rows = reg.export_rows()
    click.echo(f"已生成：{write_table(output, list(COLUMNS), rows, force)}（{len(rows)} 行）")


@command.command("grade", options_metavar="[选项]")
@click.argument("key", metavar="名称或编号")
@click.option("--year", type=int, required=True, help="评估年度。")
@click.option(
    "--grade",
    "grade_",
    type=click.Choice(["优秀", "良好", "合格", "整改", "撤销"]),
    required=True,
    help="评估等级。",
)
@click.option("--published-on", "published_on", help="结果公布日期（整改期由此起算）；默认今天。")
@registry_option
@click.pass_context
def grade(
    ctx: click.Context, key: str, year: int, grade_: str, published_on: str | None, registry: str | None
) -> None:
    """记录一次绩效评估的等级（gx-14）。"""
    from datetime import date

    with _open(ctx, registry) as reg:
        c = reg.grade(key, year, grade_, _date(published_on) or date.today().isoformat())
    click.echo(f"已记录：{c.name} {year}年评估结果 {grade_}")


@command.command("due", options_metavar="[选项]")
@click.option("--on", "on", help="以哪一天为准，默认今天。")
@format_option()
@registry_option
@click.pass_context
def due(ctx: click.Context, on: str | None, fmt: str, registry: str | None) -> None:
    """列出到期事项：年度报告（gx-12）、定期绩效评估（gx-14）、整改期满的复核（gx-14）。

    年报日期、评估周期和整改期取自该创新联合体所属政策版本的配置（registry 一节）：
    自治区级按《管理办法》，市级按柳州市通知（未规定的注明“未规定”）。"""
    from datetime import date

    from ..record import dumps

    day = date.fromisoformat(_date(on)) if on else date.today()
    with _open(ctx, registry) as reg:
        items = reg.due(day)
    if fmt == "json":
        click.echo(dumps([i.to_json() for i in items]))
        return
    if not items:
        click.echo(f"截至 {day.isoformat()} 没有到期事项。")
        return
    for i in items:
        flag = "【已逾期】" if i.overdue else ""
        where = f"  [{i.clause}]" if i.clause else ""
        click.echo(
            f"{i.due or '（未规定）'}  {i.kind}{flag}  {i.consortium}（编号 {i.consortium_id}）  {i.note}{where}"
        )
