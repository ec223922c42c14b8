"""``ictk generate agreement|supplement|opinion|notice``: official documents from applications."""

from __future__ import annotations

import sys

import click

from .options import force_option, form_option, output_option

STAGES = ("lz-county", "lz-bureau", "gx-city", "gx-dept", "gx-expert")  # templates/templates.yaml


def _conclusions() -> list[str]:
    """The conclusions of templates/templates.yaml (the one place a clerk edits them)."""
    from ..generate.common import catalog

    return list(catalog()["conclusion"]["choices"])


template_option = click.option(
    "--template",
    "template",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="使用自己修改过的模板（.docx）代替内置模板；可先用 ictk templates export 导出内置模板。",
)
form_id_option = form_option(help="表单编号或政策版本；输入为 Word/PDF 申报表且无法自动识别时指定。")


@click.group("generate", options_metavar="[选项]", subcommand_metavar="文书 [参数]...")
def command() -> None:
    """生成组建协议、补充协议、审核（推荐）意见、补正通知等公文（Word .docx，GB/T 9704-2012 版式）。"""


@command.command("agreement", options_metavar="[选项]")
@click.argument("source", metavar="申报材料", type=click.Path(exists=True, dir_okay=False))
@output_option
@click.option(
    "--dispute",
    type=click.Choice(["arbitration", "litigation"]),
    default="litigation",
    show_default=True,
    help="争议解决方式（二者只能选一）：arbitration 仲裁，litigation 诉讼。",
)
@click.option("--arbitration-body", default=None, help="仲裁机构名称；默认取牵头单位所在市的仲裁委员会。")
@click.option("--court", default=None, help="管辖法院；默认“牵头单位住所地有管辖权的人民法院”。")
@template_option
@form_id_option
@force_option
def agreement(
    source: str,
    output: str,
    dispute: str,
    arbitration_body: str | None,
    court: str | None,
    template: str | None,
    form_id: str | None,
    force: bool,
) -> None:
    """由申报材料（记录 JSON 或填好的申报表）生成创新联合体组建协议。"""
    from ..generate.agreement import render_agreement
    from ..generate.inputs import load_application
    from ..outputs import check_target, write_bytes

    if dispute == "litigation" and arbitration_body:
        raise click.UsageError("选择诉讼（--dispute litigation）时不能同时指定仲裁机构（--arbitration-body）")
    if dispute == "arbitration" and court:
        raise click.UsageError("选择仲裁（--dispute arbitration）时不能同时指定法院（--court）")
    check_target(output, force)
    record = load_application(source, form_id)
    data = render_agreement(record, dispute, arbitration_body, court, template)
    write_bytes(output, data, force)
    click.echo(f"已生成组建协议：{output}")


@command.command("supplement", options_metavar="[选项]")
@click.option(
    "--old",
    "old",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="原申报材料（组建协议所依据的版本）。",
)
@click.option(
    "--new", "new", type=click.Path(exists=True, dir_okay=False), required=True, help="变更后的申报材料。"
)
@click.option(
    "--changes",
    "changes_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="变更事项 YAML（可由 --dump-changes 生成后修改），代替 --old 自动比对。",
)
@click.option(
    "--dump-changes",
    "dump",
    type=click.Path(dir_okay=False),
    default=None,
    help="同时把比对出的变更事项写入该 YAML 文件。",
)
@click.option("--agreement-name", default=None, help="原组建协议名称；默认“<原联合体名称>组建协议”。")
@click.option("--agreement-date", default=None, help="原组建协议签订日期，如 2024-05-20。")
@output_option
@template_option
@form_id_option
@force_option
def supplement(
    old: str | None,
    new: str,
    changes_file: str | None,
    dump: str | None,
    agreement_name: str | None,
    agreement_date: str | None,
    output: str,
    template: str | None,
    form_id: str | None,
    force: bool,
) -> None:
    """比对两个版本的申报材料（或读取变更事项 YAML），生成组建协议的补充协议。

    \b
    退出状态：0 已生成；1 两个版本没有变更（不生成文件）；2 输入或输出错误。
    """
    from ..generate.inputs import load_application
    from ..generate.supplement import changes_yaml, compute_changes, load_changes, render_supplement
    from ..outputs import check_target, write_bytes, write_text

    if (old is None) == (changes_file is None):
        raise click.UsageError("请在 --old 与 --changes 中指定且只指定一个")
    check_target(output, force)
    new_record = load_application(new, form_id)
    old_record = load_application(old, form_id) if old else None
    changes = load_changes(changes_file) if changes_file else compute_changes(old_record, new_record)
    if not changes:
        click.echo("两个版本之间没有发现变更，无需签订补充协议，未生成文件。", err=True)
        sys.exit(1)
    if dump:
        write_text(dump, changes_yaml(changes), force)
    data = render_supplement(new_record, old_record, changes, agreement_name, agreement_date, template)
    write_bytes(output, data, force)
    click.echo(f"已生成补充协议（{len(changes)}项变更）：{output}")


@command.command("opinion", options_metavar="[选项]")
@click.argument("source", metavar="申报材料", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--stage",
    type=click.Choice(STAGES),
    required=True,
    help="审核环节：lz-county 县（区）推荐，lz-bureau 市科技局形审，gx-city 设区市审核推荐，"
    "gx-dept 自治区科技厅形审，gx-expert “一事一议”论证。",
)
@output_option
@click.option(
    "--conclusion",
    type=click.Choice(_conclusions()),
    default=None,
    help="审查结论；默认由检查结果得出（无错误无警告：同意推荐；仅有警告：同意推荐并要求书面说明；"
    "错误均可补正：补正后再报；否则不予推荐）。",
)
@click.option("--body", default=None, help="出具意见的单位；默认取推荐单位或该阶段的审查机关。")
@click.option("--date", "date", default=None, help="成文日期，如 2024-04-05；默认今天。")
@template_option
@form_id_option
@force_option
def opinion(
    source: str,
    stage: str,
    output: str,
    conclusion: str | None,
    body: str | None,
    date: str | None,
    template: str | None,
    form_id: str | None,
    force: bool,
) -> None:
    """由申报材料（记录 JSON、检查报告 JSON 或填好的申报表）生成审核（推荐）意见。"""
    from ..generate.common import required_date, stage_info
    from ..generate.inputs import load_checked
    from ..generate.opinion import render_opinion
    from ..outputs import check_target, write_bytes

    check_target(output, force)
    day = required_date(date) if date else None
    record, findings = load_checked(source, form_id)
    data = render_opinion(record, findings, stage, conclusion, body, day, template)
    write_bytes(output, data, force)
    click.echo(f"已生成{stage_info(stage)['name']}（{len(findings)}项检查发现）：{output}")


@command.command("notice", options_metavar="[选项]")
@click.argument("source", metavar="申报材料", type=click.Path(exists=True, dir_okay=False))
@output_option
@click.option("--body", default=None, help="发文单位；默认柳州市科学技术局（柳州）或自治区科技厅（广西）。")
@click.option("--date", "date", default=None, help="成文日期，如 2024-04-05；默认今天。")
@click.option("--deadline", default=None, help="补正截止日期，如 2024-04-15；默认成文日期后 10 日。")
@click.option("--contact", default=None, help="联系人及电话，如“张三，0772-1234567”。")
@template_option
@form_id_option
@force_option
def notice(
    source: str,
    output: str,
    body: str | None,
    date: str | None,
    deadline: str | None,
    contact: str | None,
    template: str | None,
    form_id: str | None,
    force: bool,
) -> None:
    """由申报材料（记录 JSON、检查报告 JSON 或填好的申报表）生成补正通知：按栏目列出错误和警告。

    \b
    退出状态：0 已生成；1 没有错误或警告（无需补正，不生成文件）；2 输入或输出错误。
    """
    from ..generate.common import required_date
    from ..generate.inputs import load_checked
    from ..generate.notice import render_notice
    from ..outputs import check_target, write_bytes

    check_target(output, force)
    day = required_date(date) if date else None
    due = required_date(deadline) if deadline else None
    record, findings = load_checked(source, form_id)
    to_fix = [f for f in findings if f.severity in ("error", "warning")]
    if not to_fix:
        click.echo("检查未发现错误或警告，无需补正，未生成补正通知。", err=True)
        sys.exit(1)
    data = render_notice(record, findings, body, day, due, contact, template)
    write_bytes(output, data, force)
    click.echo(f"已生成补正通知（{len(to_fix)}项需补正或说明）：{output}")
