"""``ictk serve``: the self-check web page on this computer or a bureau intranet."""

from __future__ import annotations

import click


@click.command("serve", options_metavar="[选项]")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；内网共享可用 0.0.0.0。")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="端口。")
@click.option(
    "--max-mb", default=20, show_default=True, type=click.IntRange(1, 200), help="上传文件大小上限（MB）。"
)
@click.option(
    "--max-pages", default=30, show_default=True, type=click.IntRange(1, 500), help="PDF 页数上限。"
)
@click.option(
    "--timeout",
    default=60,
    show_default=True,
    type=click.IntRange(5, 3600),
    help="每份文件检查的时间上限（秒）。",
)
@click.option(
    "--jobs", default=None, type=click.IntRange(1, 64), help="同时检查的文件数；默认等于 CPU 核数。"
)
def command(host: str, port: int, max_mb: int, max_pages: int, timeout: int, jobs: int | None) -> None:
    """启动自查网页：上传申报表（.docx、.pdf），查看结论和逐条问题，下载带批注的 Word 副本、
    检查报告和补正通知。需先安装网页组件：pip install 'ictk[web]'。

    上传的文件只在检查期间保存在内存或临时文件夹中，返回结果后即删除。按 Ctrl+C 停止。
    """
    from ..errors import InputError

    try:
        import uvicorn

        from ..web.app import create_app
        from ..web.work import Limits
    except ImportError as exc:
        raise InputError(f"未安装网页组件（缺少 {exc.name}），请先运行：pip install 'ictk[web]'") from None
    _check_port(host, port)
    limits = Limits(max_bytes=max_mb * 1024 * 1024, max_pages=max_pages, seconds=float(timeout))
    app = create_app(limits, jobs=jobs)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"自查网页已启动：http://{shown}:{port}/ （按 Ctrl+C 停止）", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, date_header=False)


def _check_port(host: str, port: int) -> None:
    """One Chinese line, not uvicorn's log, when the address cannot be listened on."""
    import socket

    from ..errors import InputError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise InputError(f"监听地址无效：{host}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            from ..outputs import os_reason

            reason = "已被占用" if exc.errno in (98, 48, 10048) else os_reason(exc)
            raise InputError(f"无法在 {host}:{port} 上启动网页（{reason}），请用 --port 换一个端口") from None
