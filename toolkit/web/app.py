"""The self-check web page as a Starlette application.

- ``GET /``: the upload page (drag and drop, or a plain file input; the form may be chosen);
- ``POST /check``: the verdict and the findings by section, with the downloads (annotated Word
  copy, JSON report, 补正通知) inlined as ``data:`` links, so nothing of the upload outlives the
  response;
- ``/static/…``: the page's own CSS, script and icon (no CDN, no build step).

Every response carries a Content-Security-Policy without inline script, ``nosniff``,
``frame-ancestors 'none'`` and ``no-store``. A bad upload gets a Chinese page saying what to do.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .work import DOCX_TYPE, Limits, Outcome, Refused

HERE = Path(__file__).parent
log = logging.getLogger("ictk.web")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
MULTIPART_OVERHEAD = 64 * 1024  # the form's other fields and the part headers


class TooLarge(Exception):
    pass


class Guard:
    """ASGI middleware: security headers on every response, and a cap on a request body's size
    (counted as it arrives, whatever the Content-Length says)."""

    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0
        limit = self.max_body

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Read on (so the browser gets the page, not a reset) but keep nothing;
                    # a client that goes on far past the limit is cut off.
                    scope.setdefault("state", {})["too_large"] = True
                    if seen > limit * 5:
                        raise TooLarge()
                    message = {**message, "body": b""}
            return message

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in dict(SECURITY_HEADERS)
                ]
                headers += SECURITY_HEADERS
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, counted, with_headers)


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


_NAME_CHARS = re.compile(r"[^\w\u4e00-\u9fff\-（）()·]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def display_name(raw: str | None) -> str:
    """The user's file name as shown on the page: no folders, no control characters, not too long.

    >>> display_name("C:\\\\Users\\\\张三\\\\申报表.docx")
    '申报表.docx'
    """
    name = PurePosixPath((raw or "").replace("\\", "/")).name
    name = _CONTROL.sub("", name).strip()
    return (name[:80] + "…") if len(name) > 80 else (name or "未命名文件")


def download_stem(name: str) -> str:
    """A safe stem for the download names, from the displayed name.

    >>> download_stem("../../etc/passwd")
    'passwd'
    >>> download_stem("柳州 申报表（终稿）.docx")
    '柳州_申报表（终稿）'
    """
    stem = PurePosixPath(name).stem
    stem = _NAME_CHARS.sub("_", stem).strip("._")
    return stem[:60] or "申报表"


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def create_app(limits: Limits | None = None, jobs: int | None = None, isolated: bool = True) -> Any:
    """The ASGI application. ``isolated``: check each upload in a child process killed after
    ``limits.seconds`` (False runs it in a thread of the server: tests of the page only)."""
    import anyio
    from anyio import to_thread

    from ..forms import form_ids, load_form

    limits = limits or Limits()
    env = _environment()
    forms = [(fid, load_form(fid).title) for fid in form_ids()]
    jobs = jobs or max(1, os.cpu_count() or 1)
    limiter = anyio.CapacityLimiter(jobs)
    workers = None
    if isolated:
        from .isolate import Workers

        workers = Workers(jobs)

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("forms", forms)
        ctx.setdefault("limits", limits)
        ctx.setdefault("chosen", "")
        ctx.setdefault("max_mb", limits.max_bytes // (1024 * 1024))
        html = env.get_template(name).render(**ctx)
        return HTMLResponse(html, status_code=status)

    def problem(title: str, message: str, status: int, **ctx: Any) -> HTMLResponse:
        return page("problem.html.j2", status, title=title, message=message, **ctx)

    async def index(request: Request) -> Response:
        return page("index.html.j2")

    async def check(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limits.max_bytes + MULTIPART_OVERHEAD:
            try:
                async for _chunk in request.stream():
                    pass
            except TooLarge:
                pass
            return _too_large()
        try:
            async with request.form(max_files=1, max_fields=4, max_part_size=64 * 1024) as form:
                upload = form.get("file")
                chosen = form.get("form") or ""
                if request.scope.get("state", {}).get("too_large"):
                    return _too_large()
                if not hasattr(upload, "read"):
                    return problem(
                        "没有收到文件",
                        "请先选择或拖入一份填好的申报表（.docx 或 .pdf），再点“开始检查”。",
                        400,
                    )
                name = display_name(getattr(upload, "filename", ""))
                data = await upload.read(limits.max_bytes + 1)
        except TooLarge:
            return _too_large()
        except HTTPException:
            if request.scope.get("state", {}).get("too_large"):
                return _too_large()
            return problem(
                "上传内容无法识别", "上传的表单格式不正确。请用本页的“选择文件”按钮重新上传。", 400
            )
        if request.scope.get("state", {}).get("too_large") or len(data) > limits.max_bytes:
            return _too_large()
        if not isinstance(chosen, str) or (chosen and chosen not in form_ids()):
            return problem("表单类型无效", "请从列表中选择表单类型，或选“自动识别”。", 400)
        form_id = chosen or None
        try:
            outcome = await to_thread.run_sync(_run, data, name, form_id, limiter=limiter)
        except Refused as exc:
            return problem(exc.title, str(exc), exc.status)
        except _TimedOut:
            return problem(
                "检查超时",
                f"该文件在 {limits.seconds:g} 秒内没有检查完，已停止。文件可能已损坏，"
                "或是页数很多的扫描件：请上传 Word 版或页数较少的 PDF。",
                503,
            )
        except _Crashed as exc:
            log.error("check crashed on %s: %s", name, exc)
            return problem(
                "检查出错",
                "检查该文件时出现意外错误，已停止。请确认文件能在 Word/WPS 中正常打开后重试。",
                500,
            )
        if outcome.verdict == "unreadable":
            if outcome.needs_form:
                return problem(
                    "无法确定表单类型",
                    f"《{name}》中没有找到申报表的标题，无法自动判断是哪一种申报表。"
                    "如确是申报表，请在下面选择表单类型后重新上传。",
                    422,
                    needs_form=True,
                )
            return problem("无法读取该文件", outcome.error or "文件无法读取。", 422)
        return page("result.html.j2", **_result_context(outcome))

    def _run(data: bytes, name: str, form_id: str | None) -> Outcome:
        if workers is not None:
            from . import isolate

            try:
                return workers.run(data, name, form_id, limits)
            except isolate.TimedOut:
                raise _TimedOut() from None
            except isolate.Crashed as exc:
                raise _Crashed(str(exc)) from None
        from .work import check_upload

        return check_upload(data, name, form_id, limits)

    def _too_large() -> HTMLResponse:
        return problem(
            "文件过大",
            f"文件超过 {limits.max_bytes // (1024 * 1024)} MB 的上限。申报表通常不到 5 MB；"
            "扫描件请降低分辨率（300 dpi 即可）后再上传。",
            413,
        )

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if status == 405:
            return problem("不支持的操作", "请从首页上传文件。", 405)
        return problem("页面不存在", "没有这个页面。请回到首页上传申报表。", 404)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error")
        return problem("服务器出错", "处理请求时出现意外错误，请稍后重试。", 500)

    @contextlib.asynccontextmanager
    async def lifespan(app: Any):
        if workers is not None:
            await to_thread.run_sync(workers.start)
        try:
            yield
        finally:
            if workers is not None:
                await to_thread.run_sync(workers.close)

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/check", check, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={404: not_found, 405: not_found, 500: server_error},
        lifespan=lifespan,
    )
    return Guard(app, limits.max_bytes + MULTIPART_OVERHEAD)


class _TimedOut(Exception):
    pass


class _Crashed(Exception):
    pass


def _result_context(outcome: Outcome) -> dict[str, Any]:
    stem = download_stem(outcome.name)
    downloads = []
    if outcome.annotated is not None:
        downloads.append(
            {
                "id": "annotated",
                "label": "带批注的 Word 副本",
                "hint": "问题以批注标在对应栏目上，可直接在 Word/WPS 中修改",
                "name": f"{stem}-批注.docx",
                "url": _data_url(DOCX_TYPE, outcome.annotated),
            }
        )
    downloads.append(
        {
            "id": "report",
            "label": "检查报告（JSON）",
            "hint": "机器可读的全部检查结果",
            "name": f"{stem}-检查报告.json",
            "url": _data_url("application/json", outcome.report_json),
        }
    )
    if outcome.notice is not None:
        downloads.append(
            {
                "id": "notice",
                "label": "补正通知（Word）",
                "hint": "供受理部门按 GB/T 9704 格式发出",
                "name": f"{stem}-补正通知.docx",
                "url": _data_url(DOCX_TYPE, outcome.notice),
            }
        )
    return {"o": outcome, "downloads": downloads}
