"""``ictk compare A B``: every field whose values differ between two filled forms."""

from __future__ import annotations

import json
import sys

import click

from ..errors import InputError
from .options import form_option, format_option


@click.command(
    "compare",
    options_metavar="[选项]",
    help="比对两份申报表（如 Word 版与盖章扫描版），列出取值不一致的每个字段。\n\n"
    "扫描件上识别不确定（已标记人工核对）的栏目如不一致，只提示对照纸质件核对，不计为不一致。\n\n"
    "退出状态：0 表示完全一致（或仅有待核对的栏目），1 表示有不一致，2 表示文件无法读取。",
)
@click.argument("file_a", metavar="文件A", type=click.Path(exists=True, dir_okay=False))
@click.argument("file_b", metavar="文件B", type=click.Path(exists=True, dir_okay=False))
@form_option()
@format_option()
def command(file_a: str, file_b: str, form_id: str | None, fmt: str) -> None:
    from ..compare import compare_records, doubted, format_text
    from ..editions import resolve
    from ..read.api import read_application

    form_id = resolve(form_id)[0]
    a = read_application(file_a, form_id)
    b = _read_second(file_b, form_id, a.form)
    if a.form != b.form:
        raise InputError(f"两份文件不是同一种表单：{file_a} 为 {a.form}，{file_b} 为 {b.form}")
    diffs = compare_records(a.record, b.record, a.form)
    flagged = {p.field for p in a.problems + b.problems if p.field and p.code.startswith(("OCR-", "PARSE-"))}
    real = [d for d in diffs if not doubted(d, flagged)]
    if fmt == "json":
        data = {
            "a": file_a,
            "b": file_b,
            "form": a.form,
            "identical": not diffs,
            "differences": [{**d.to_json(), "check_paper": doubted(d, flagged)} for d in diffs],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(diffs, file_a, file_b, flagged))
    sys.exit(1 if real else 0)


def _read_second(path: str, form_id: str | None, form_of_a: str):  # type: ignore[no-untyped-def]
    """The second file, its form recognised on its own (so that a different form is reported as
    such, not as one the user "specified"); the first file's form is a hint only when the
    second's title cannot be found."""
    from ..read.api import read_application

    if form_id:
        return read_application(path, form_id)
    try:
        return read_application(path)
    except InputError as exc:  # no title found, or a record without its form
        try:
            return read_application(path, form_of_a)
        except InputError:
            raise exc from None
