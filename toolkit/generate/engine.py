"""Rendering Word templates: docxtpl syntax, compiled once, written straight into a zip.

A template is a real ``.docx`` whose text carries Jinja tags in docxtpl's dialect
(``{{ lead.name }}``, ``{%p if is_gx %}`` … ``{%p endif %}``). Loading it reads the zip once,
runs docxtpl's own XML clean-up on every part that holds a tag and compiles each part with a
sandboxed, autoescaping, strict Jinja environment. The compiled template is cached by path and
modification time, so rendering 200 opinions compiles once and each render is a Jinja call plus
a zip write.

Values are made safe in one place, :func:`finalize`: XML-illegal characters are dropped, the text
is escaped exactly once, and newlines and tabs become ``<w:br/>`` and ``<w:tab/>`` so that
python-docx reads back exactly what went in.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TemplateError

# XML 1.0 forbids these characters even as character references.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Parts of a .docx that may carry template tags.
_TEMPLATED_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_TAG_OPEN = re.compile(r"\{[{%#]")


def clean_text(value: str) -> str:
    """The text a value becomes in a document: XML-illegal control characters removed,
    line ends normalised to ``\\n``.

    >>> clean_text("A\\x00B\\r\\nC\\x1f")
    'AB\\nC'
    """
    return _ILLEGAL_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def finalize(value: Any) -> Any:
    """Jinja ``finalize`` hook: every ``{{ value }}`` passes here before output."""
    from markupsafe import Markup, escape

    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    text = escape(clean_text(str(value)))
    if "\n" in text or "\t" in text:
        text = Markup(
            str(text)
            .replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
            .replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
        )
    return text


_ENV = None
_ENV_LOCK = threading.Lock()


def environment():
    """The one Jinja environment: sandboxed, autoescaping, undefined variables are errors."""
    global _ENV
    with _ENV_LOCK:
        if _ENV is None:
            from jinja2 import StrictUndefined
            from jinja2.sandbox import SandboxedEnvironment

            _ENV = SandboxedEnvironment(
                autoescape=True,
                undefined=StrictUndefined,
                finalize=finalize,
                keep_trailing_newline=True,
                auto_reload=False,
                cache_size=0,
            )
        return _ENV


def preprocess(xml: str) -> str:
    """docxtpl's clean-up of Word XML (tags freed from run markup, ``{%p %}`` lifted out of
    their paragraph), then one line per paragraph so Jinja's line numbers point somewhere."""
    from docxtpl import DocxTemplate

    xml = DocxTemplate.patch_xml(None, xml)  # patch_xml uses no instance state
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


@dataclass
class CompiledTemplate:
    path: Path
    name: str  # file name, for messages
    entries: list[tuple[zipfile.ZipInfo, bytes]]  # every part of the zip, in order
    compiled: dict[str, Any]  # part name -> jinja Template
    sources: dict[str, str]  # part name -> preprocessed XML (for the lint)

    def render(self, context: dict[str, Any]) -> bytes:
        """The rendered document as .docx bytes."""
        rendered: dict[str, bytes] = {}
        for part, template in self.compiled.items():
            try:
                xml = template.render(context)
            except Exception as exc:
                raise template_error(exc, self.name) from None
            rendered[part] = xml.replace("\n<w:p", "<w:p").encode("utf-8")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info, data in self.entries:
                if info.filename in rendered:
                    out.writestr(_fresh_info(info), rendered[info.filename])
                else:
                    out.writestr(info, data)
        return buf.getvalue()


def _fresh_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    fresh.compress_type = zipfile.ZIP_DEFLATED
    fresh.external_attr = info.external_attr
    return fresh


_CACHE: dict[tuple[str, int, int], CompiledTemplate] = {}
_CACHE_LOCK = threading.Lock()


def load_template(path: str | Path) -> CompiledTemplate:
    """The compiled template at ``path``; compiled once per path and modification time."""
    p = Path(path)
    try:
        stat = p.stat()
    except OSError:
        raise TemplateError(f"模板文件不存在：{p}") from None
    key = (str(p.resolve()), stat.st_mtime_ns, stat.st_size)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    compiled = compile_template(p)
    with _CACHE_LOCK:
        for old in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[old]
        _CACHE[key] = compiled
    return compiled


def read_parts(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    try:
        with zipfile.ZipFile(path) as zf:
            entries = [(info, zf.read(info)) for info in zf.infolist()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"模板 {path.name} 不是有效的 Word（.docx）文件：{exc}") from None
    if not any(info.filename == "word/document.xml" for info, _ in entries):
        raise TemplateError(f"模板 {path.name} 不是有效的 Word（.docx）文件：缺少 word/document.xml")
    return entries


def compile_template(path: Path) -> CompiledTemplate:
    from jinja2 import TemplateSyntaxError

    entries = read_parts(path)
    env = environment()
    compiled: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for info, data in entries:
        if not _TEMPLATED_PART.match(info.filename):
            continue
        xml = data.decode("utf-8")
        if not _TAG_OPEN.search(xml):
            continue
        src = preprocess(xml)
        sources[info.filename] = src
        try:
            compiled[info.filename] = env.from_string(src)
        except TemplateSyntaxError as exc:
            raise TemplateError(
                f"模板 {path.name} 有语法错误（{where(src, exc.lineno)}）：{exc.message}"
            ) from None
    return CompiledTemplate(path, path.name, entries, compiled, sources)


def where(src: str, lineno: int | None) -> str:
    """A human pointer to the paragraph at ``lineno`` of preprocessed XML."""
    if not lineno:
        return "位置不明"
    lines = src.splitlines()
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1]) if 0 < lineno <= len(lines) else ""
    text = text.strip()
    return f"第{lineno}段附近：“{text[:60]}”" if text else f"第{lineno}段附近"


_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined")
_UNDEFINED_ATTR = re.compile(r"has no attribute '([^']+)'")


def template_error(exc: Exception, name: str) -> TemplateError:
    """A Chinese :class:`TemplateError` for any failure while rendering template ``name``."""
    from jinja2 import TemplateError as JinjaError
    from jinja2 import UndefinedError
    from jinja2.sandbox import SecurityError

    message = str(exc)
    if isinstance(exc, UndefinedError):
        m = _UNDEFINED_NAME.search(message) or _UNDEFINED_ATTR.search(message)
        variable = m.group(1) if m else message
        return TemplateError(f"模板 {name} 使用了未定义的变量：{variable}")
    if isinstance(exc, SecurityError):
        return TemplateError(f"模板 {name} 试图执行不安全的操作：{message}")
    if isinstance(exc, JinjaError):
        return TemplateError(f"模板 {name} 渲染失败：{message}")
    return TemplateError(f"模板 {name} 渲染失败：{type(exc).__name__}: {message}")


def render_docx(path: str | Path, context: dict[str, Any]) -> bytes:
    """Render the template at ``path`` with ``context`` into .docx bytes."""
    return load_template(path).render(context)
