"""The ``ictk`` command line. Commands are thin and load lazily: ``ictk parse x.docx``
imports the parse command only, and that imports no PDF, OCR or web machinery."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from . import __version__
from .errors import IctkError

# name -> (module, one-line Chinese help shown by `ictk --help` without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("toolkit.commands.check", "检查申报表是否符合政策条件，列出每一处不足及条款出处"),
    "parse": ("toolkit.commands.parse", "读取填好的申报表（Word、PDF、扫描件），输出标准记录"),
    "batch": ("toolkit.commands.batch", "批量检查一个文件夹的申报材料，含跨申报规则与汇总报表"),
    "compare": ("toolkit.commands.compare", "比对 Word 版与扫描版申报表，列出不一致的字段"),
    "generate": ("toolkit.commands.generate", "生成组建协议、补充协议、审核（推荐）意见等公文"),
    "forms": ("toolkit.commands.forms", "列出表单、生成空白申报表"),
    "schema": ("toolkit.commands.schema", "输出表单记录的 JSON Schema"),
    "rules": ("toolkit.commands.rules", "列出检查规则，或解释某条规则及其政策条款"),
    "registry": ("toolkit.commands.registry", "管理已认定创新联合体名录（年报、评估到期提醒）"),
    "templates": ("toolkit.commands.templates", "检查公文模板（标签是否被拆分、变量是否齐全）"),
    "serve": ("toolkit.commands.serve", "启动自查网页：上传申报表，查看问题，下载带批注的副本和补正通知"),
}

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _available(name):
            return None
        module = importlib.import_module(COMMANDS[name][0])
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)


def _available(name: str) -> bool:
    return importlib.util.find_spec(COMMANDS[name][0]) is not None


@click.group(
    cls=LazyGroup, context_settings=CONTEXT, options_metavar="[选项]", subcommand_metavar="命令 [参数]..."
)
@click.version_option(__version__, "-V", "--version", message="ictk %(version)s", help="显示版本号后退出。")
def cli() -> None:
    """ictk —— 创新联合体申报材料工具箱（广西、柳州）。

    申报单位用它在提交前自查申报表；科技局用它批量审查申报材料、生成审核意见；
    双方都可以用它生成空白表、组建协议、补充协议等公文。

    查看某个命令的用法：ictk 命令 --help
    """


_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one Chinese line and exit status 2, never a traceback."""
    _localise_click()
    try:
        cli.main(args=argv, prog_name="ictk", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except _NO_ARGS_IS_HELP as exc:  # `ictk generate` alone: what is there
        click.echo(exc.ctx.get_help())
        sys.exit(0)
    except click.ClickException as exc:
        click.echo(f"错误：{usage_error_text(exc)}", err=True)
        sys.exit(2)
    except IctkError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if os.environ.get("ICTK_DEBUG"):
            raise
        click.echo(
            f"内部错误：{type(exc).__name__}: {exc}（设置环境变量 ICTK_DEBUG=1 可查看详细信息）", err=True
        )
        sys.exit(2)
    sys.exit(0)


def usage_error_text(exc: click.ClickException) -> str:
    """click's own complaint (missing argument, unknown option or command, bad choice) as one
    Chinese sentence, with where to find the usage: the README promises one line, never three."""
    message = exc.format_message()
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        what = "参数" if exc.param.param_type_name == "argument" else "选项"
        hint = exc.param_hint or (exc.param.get_error_hint(exc.ctx) if exc.ctx else exc.param.name)
        message = f"缺少{what} {hint}"
        choices = getattr(exc.param.type, "choices", None)
        if choices:
            message += f"（可选：{'、'.join(map(str, choices))}）"
    elif isinstance(exc, click.NoSuchOption):
        message = f"没有这个选项：{exc.option_name}"
        if exc.possibilities:
            message += f"（是否想用 {' 或 '.join(exc.possibilities)}？）"
    message = " ".join(message.split())  # click's multi-line hints ("Choose from:\n\t...") on one line
    message = message.rstrip(".。") + "。"
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and isinstance(exc, click.UsageError):
        message += f"查看用法：{ctx.command_path} --help"
    return message


def _localise_click() -> None:
    """click prints its own usage errors in English; give the common ones in Chinese."""
    import gettext

    messages = {
        "Usage:": "用法：",
        "Options": "选项",
        "Usage: ": "用法：",
        "Commands": "命令",
        "Show this message and exit.": "显示帮助后退出。",
        "Error: {message}": "错误：{message}",
        "Try '{command} {option}' for help.": "使用 '{command} {option}' 查看帮助。",
        "Arguments": "参数",
        "required": "必填",
        "default": "默认",
        "default: {default}": "默认：{default}",
        "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
        "integer": "整数",
        "{value} is not in the range {range}.": "{value} 不在允许的范围（{range}）内。",
        "float": "数值",
        "Options:": "选项：",
        "No such command {name!r}.": "没有这个命令：{name!r}。",
        "No such option {name!r}.": "没有这个选项：{name}。",
        "Did you mean {possibility}?": "是否想用 {possibility}？",
        "(Did you mean one of: {possibilities}?)": "（是否想用以下之一：{possibilities}？）",
        "Missing command.": "缺少命令。",
        "Missing argument": "缺少参数",
        "Missing option": "缺少选项",
        "Missing parameter": "缺少参数",
        "Missing parameter: {param_name}": "缺少参数：{param_name}",
        "Choose from:\n\t{choices}": "可选：{choices}",
        "{value!r} is not {choice}.": "{value!r} 不是可选值 {choice}。",
        "Invalid value: {message}": "值无效：{message}",
        "Option {name!r} does not take a value.": "选项 {name!r} 不需要值。",
        "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
        "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
        "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
        "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式：{formats}。",
        "Missing argument {param_hint}.": "缺少参数 {param_hint}。",
        "Missing option {param_hint}.": "缺少选项 {param_hint}。",
        "No such option: {name}": "没有这个选项：{name}",
        "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
        "Got unexpected extra argument ({args})": "多余的参数：{args}",
        "Got unexpected extra arguments ({args})": "多余的参数：{args}",
        "{value!r} is not one of {choices}.": "{value!r} 不是可选值 {choices} 之一。",
        "{value!r} is not a valid integer.": "{value!r} 不是有效的整数。",
        "Path {name} does not exist.": "路径 {name} 不存在。",
        "File {name} does not exist.": "文件 {name} 不存在。",
        "Directory {name} does not exist.": "目录 {name} 不存在。",
        "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
        "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个目录。",
        "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
        "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
        "Show the version and exit.": "显示版本号后退出。",
        "file": "文件",
        "directory": "目录",
        "path": "路径",
    }

    class _Zh(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return messages.get(message, message)

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return messages.get(singular if n == 1 else plural, singular if n == 1 else plural)

    # Metavars shown in help are the type names upper-cased (TEXT, INTEGER): give them Chinese names.
    click.types.STRING.name = "文本"
    click.types.INT.name = "整数"
    click.types.FLOAT.name = "数值"
    click.types.IntRange.name = "整数"
    click.types.FloatRange.name = "数值"
    click.types.DateTime.name = "日期"

    # click measures and wraps help by characters; a Chinese character takes two columns.
    import click.formatting as formatting

    from .helptext import display_width, wide_wrap

    formatting.term_len = display_width
    formatting.wrap_text = wide_wrap(formatting.wrap_text)
    formatting.HelpFormatter.write_heading = lambda self, heading: self.write(  # type: ignore[method-assign]
        f"{'':>{self.current_indent}}{heading}{'：' if not heading.isascii() else ':'}\n"
    )

    zh = _Zh()
    for mod_name in (
        "click.core",
        "click.exceptions",
        "click.types",
        "click.parser",
        "click.decorators",
        "click.formatting",
        "click._termui_impl",
        "click.termui",
    ):
        mod = sys.modules.get(mod_name) or importlib.import_module(mod_name)
        if hasattr(mod, "_"):
            mod._ = zh.gettext
        if hasattr(mod, "ngettext"):
            mod.ngettext = zh.ngettext


if __name__ == "__main__":
    main()
