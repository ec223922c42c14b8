"""``ictk batch DIR``: check a whole intake folder."""

from __future__ import annotations

import os
import sys

import click

from .options import force_option, form_option


@click.command(
    "batch",
    options_metavar="[选项]",
    short_help="批量检查一个文件夹的申报材料，含跨申报规则与汇总报表",
)
@click.argument("folder", metavar="目录", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--registry",
    "registry",
    type=click.Path(dir_okay=False),
    help="已认定创新联合体名录（SQLite）；不指定时使用默认名录（存在时）。",
)
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False), help="生成 Excel 汇总表（.xlsx）。")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="生成 HTML 报告（单个文件）。")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="生成 JSON 结果。")
@click.option(
    "--opinions",
    "opinions_dir",
    type=click.Path(file_okay=False),
    help="为每份申报生成审核意见草稿（.docx）到此目录。",
)
@click.option(
    "--stage",
    default=None,
    help="审核意见的环节（lz-county、lz-bureau、gx-city、gx-dept、gx-expert），各环节用于其适用的表单；"
    "柳州表和广西表混在一起时用逗号分开，如 lz-county,gx-city（也可写 lz=lz-county,gx=gx-city）；"
    "未指定的表单默认柳州表为 lz-bureau，广西表为 gx-dept。",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="并行进程数，默认为 CPU 核数。")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=300,
    show_default=True,
    help="单个文件最长检查秒数，超时的文件记为无法读取，其余照常检查；0 为不限。",
)
@form_option()
@force_option
def command(
    folder: str,
    registry: str | None,
    xlsx_out: str | None,
    html_out: str | None,
    json_out: str | None,
    opinions_dir: str | None,
    stage: str | None,
    jobs: int | None,
    timeout: float,
    form_id: str | None,
    force: bool,
) -> None:
    """检查“目录”下（含子目录）所有申报材料（Word、WPS、PDF、扫描图片、压缩包、记录文件），
    把同一申报的可编辑版和盖章扫描版按内容配对，执行跨申报规则（牵头单位重复、成员单位超限、名称重复或近似），并与名录比对。

    不是申报表的文件（如会议通知、Word 的临时锁文件 ~$*.docx）不算作申报，在汇总中逐个列出原因。

    \b
    退出状态：0 没有错误；1 有申报存在错误；2 有文件无法读取或调用有误。
    """
    from ..batch.registry import default_path
    from ..batch.run import run_batch
    from ..generate.opinion import opinion_stages
    from ..outputs import check_folder, check_target, write_bytes, write_text

    # Every option is checked before the long work, not after it.
    stages = opinion_stages(stage)
    outputs = [p for p in (xlsx_out, html_out, json_out) if p]
    for path in outputs:
        check_target(path, force)  # fail before the long work, not after it
    if opinions_dir:
        check_folder(opinions_dir)
    if registry is None and default_path().is_file():
        registry = str(default_path())

    if sys.stderr.isatty():
        result = _run_with_bar(run_batch, folder, registry, form_id, jobs, outputs, timeout or None)
    else:
        result = run_batch(
            folder, registry=registry, form_id=form_id, jobs=jobs, exclude=outputs, timeout=timeout or None
        )

    _print_table(result)
    click.echo(result.summary_text())
    if registry:
        click.echo(f"已与名录比对：{registry}")

    if xlsx_out:
        from ..views.xlsx import batch_workbook

        click.echo(f"已生成：{write_bytes(xlsx_out, batch_workbook(result), force)}")
    if html_out:
        from ..views.html import batch_html

        click.echo(f"已生成：{write_text(html_out, batch_html(result), force)}")
    if json_out:
        from ..record import dumps

        click.echo(f"已生成：{write_text(json_out, dumps(result.to_json()) + os.linesep, force)}")
    if opinions_dir:
        from ..generate.opinion import write_opinions

        written = write_opinions(result, opinions_dir, stage=stages, force=force)
        click.echo(f"已生成审核意见草稿 {len(written)} 份：{opinions_dir}")
    unreadable = any(a.verdict == "unreadable" for a in result.applications)
    sys.exit(2 if unreadable else 1 if result.has_errors else 0)


def _run_with_bar(run_batch, folder, registry, form_id, jobs, outputs, timeout):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("检查中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        auto_refresh=False,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name)
            bar.refresh()  # no refresh thread: the worker processes are forked meanwhile

        return run_batch(
            folder,
            registry=registry,
            form_id=form_id,
            jobs=jobs,
            progress=progress,
            exclude=outputs,
            timeout=timeout,
        )


def _print_table(result) -> None:  # type: ignore[no-untyped-def]
    from ..batch.model import VERDICT_LABEL

    for app in result.applications:
        c = app.counts()
        name = app.record.get("consortium", {}).get("name", "") if app.readable else ""
        line = f"{app.id}  {VERDICT_LABEL[app.verdict]}  错误{c['error']} 警告{c['warning']} 提示{c['info']}  {name}"
        click.echo(line + f"  [{'、'.join(app.file_names)}]")
        if app.error:
            click.echo(f"    {app.error}")
