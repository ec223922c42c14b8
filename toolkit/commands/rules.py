"""``ictk rules [CODE]``: list the rules, or explain one with its clause quoted."""

from __future__ import annotations

import click

from .options import form_option, format_option


@click.command("rules", options_metavar="[选项]")
@click.argument("code", metavar="[规则代码]", required=False)
@form_option(help="只列出（或解释）适用于该表单的规则；不指定时包括全部表单。")
@format_option()
def command(code: str | None, form_id: str | None, fmt: str) -> None:
    """列出全部检查规则；给出规则代码时，解释该规则：条款、条款原文、级别和理由。"""
    from ..editions import editions
    from ..record import dumps
    from ..rules.engine import all_rules, explain, get_rule, get_rules

    edition = editions().get(form_id) if form_id else None  # --form lz-2025: that edition's numbers
    if code:
        infos = [get_rule(code, form_id)] if form_id else get_rules(code)
        entries = [explain(i, edition) for i in infos]
        if fmt == "json":
            click.echo(dumps(entries[0] if len(entries) == 1 else entries))
        else:
            from ..views.terminal import render_rule

            render_rule(entries)
        return
    infos = all_rules(form_id)
    if fmt == "json":
        click.echo(dumps([explain(i, edition) for i in infos]))
    else:
        from ..views.terminal import render_rules

        render_rules(infos, edition=edition)
