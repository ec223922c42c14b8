"""What the web page does with one upload, as plain data: check it, and make the three downloads
(the annotated Word copy, the JSON report, the 补正通知).

It runs in a child process (:mod:`toolkit.web.isolate`) with the upload's bytes; the file is
written under a name of our own into a temporary folder that is removed before the function
returns. The user's file name is only ever shown, never used as a path.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IctkError
from ..findings import SEVERITY_LABEL

VERDICT_LABEL = {"pass": "通过", "warn": "通过（有警告）", "fail": "不通过", "unreadable": "无法读取"}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_pages: int = 30  # of a PDF; a scan is read by OCR page by page
    seconds: float = 60.0  # one request's check, end to end


class Refused(Exception):
    """An upload the page turns away before checking it; ``str()`` is the Chinese reason."""

    def __init__(self, message: str, title: str = "无法检查该文件", status: int = 400) -> None:
        super().__init__(message)
        self.title = title
        self.status = status


@dataclass
class Outcome:
    """The result page's data, and the downloads as bytes (None when there is none)."""

    name: str  # the user's file name, for display only
    verdict: str
    verdict_label: str
    form: str | None = None
    form_title: str = ""
    kind: str | None = None
    error: str | None = None
    needs_form: bool = False  # the form could not be recognised: ask the user which it is
    counts: dict[str, int] = field(default_factory=dict)
    sections: list[dict[str, Any]] = field(default_factory=list)
    report_json: bytes = b""
    annotated: bytes | None = None
    notice: bytes | None = None
    annotate_note: str = ""


def kind_of_upload(data: bytes, name: str) -> str:
    """``docx`` or ``pdf`` from the content; :class:`Refused` with the advice for anything else."""
    from ..read.api import OTHER_FORMATS, sniff

    kind = sniff(data[:1024])
    suffix = Path(name).suffix.lower()
    if kind == "zip":
        kind = "docx" if suffix == ".docx" or _holds_word_document(data) else "zip"
    if kind in ("docx", "pdf"):
        return kind
    if kind in ("jpg", "png", "tif", "bmp"):
        raise Refused("这是图片文件，请把扫描的各页合成一个 PDF 后再上传。")
    if kind == "ole":
        raise Refused(
            "文件是旧版 Word（.doc）格式或已加密。请在 Word 或 WPS 中另存为未加密的 .docx 后再上传。"
        )
    if kind == "rtf" or suffix in (".doc", ".wps", ".odt", ".rtf"):
        raise Refused("网页自查只接受 Word（.docx）或 PDF。请在 Word 或 WPS 中另存为 .docx 后再上传。")
    if suffix in OTHER_FORMATS:
        raise Refused(f"这是{OTHER_FORMATS[suffix]}。")
    if suffix in (".docx", ".pdf"):
        raise Refused(f"文件已损坏，不是有效的 {suffix[1:].upper()} 文件。请重新保存后再上传。")
    raise Refused("不支持的文件类型。请上传填好的申报表：Word（.docx）或 PDF（.pdf）。")


def _holds_word_document(data: bytes) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def check_upload(
    data: bytes, name: str, form_id: str | None, limits: Limits, folder: str | None = None
) -> Outcome:
    """Check the uploaded bytes ``data`` (shown as ``name``) and make the downloads. The file is
    written into ``folder`` (made by the caller, who removes it even when this process is killed)
    or into a temporary folder of its own."""
    if not data:
        raise Refused("上传的文件是空的（0 字节）。请确认选择了填好的申报表。")
    if len(data) > limits.max_bytes:
        raise Refused(
            f"文件超过 {limits.max_bytes // (1024 * 1024)} MB 的上限。申报表通常不到 5 MB；"
            "扫描件请降低分辨率（300 dpi 即可）后再上传。",
            title="文件过大",
            status=413,
        )
    kind = kind_of_upload(data, name)
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="ictk-web-") as own:
            return _checked(Path(own) / f"upload.{kind}", data, name, kind, form_id, limits)
    path = Path(folder) / f"upload.{kind}"
    try:
        return _checked(path, data, name, kind, form_id, limits)
    finally:
        path.unlink(missing_ok=True)


def _checked(path: Path, data: bytes, name: str, kind: str, form_id: str | None, limits: Limits) -> Outcome:
    path.write_bytes(data)
    if kind == "pdf":
        _check_pages(path, limits.max_pages)
    return _outcome(path, name, kind, form_id)


def _check_pages(path: Path, max_pages: int) -> None:
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
    except Exception:
        raise Refused("PDF 文件已损坏或已加密，无法打开。请重新导出 PDF 后再上传。") from None
    if pages > max_pages:
        raise Refused(
            f"PDF 共 {pages} 页，超过 {max_pages} 页的上限。请只上传申报表本身，附件不必上传。",
            title="页数过多",
            status=413,
        )


def _outcome(path: Path, name: str, kind: str, form_id: str | None) -> Outcome:
    from ..check import check_file, section_title
    from ..forms import load_form

    report = check_file(path, form_id=form_id)
    report.file = name
    out = Outcome(name=name, verdict=report.verdict, verdict_label=VERDICT_LABEL[report.verdict], kind=kind)
    out.report_json = json.dumps(_jsonable(report.to_json()), ensure_ascii=False, indent=2).encode("utf-8")
    if report.verdict == "unreadable" or report.record is None:
        out.error = (report.error or "文件无法读取").replace(path.name, name)
        out.needs_form = form_id is None and _unrecognised(path)
        return out
    form = load_form(report.form)
    out.form, out.form_title = form.id, form.title
    out.counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    out.sections = _sections(report.findings, form, section_title)
    if kind == "docx":
        from ..annotate import annotate

        try:
            out.annotated = annotate(path, report.findings, form_id=form.id)
        except IctkError as exc:
            out.annotate_note = str(exc)
    else:
        out.annotate_note = "带批注的副本只能由 Word（.docx）文件生成；PDF 请对照下列问题修改原 Word 文件。"
    if out.counts["error"] or out.counts["warning"]:
        from ..generate.notice import render_notice

        try:
            out.notice = render_notice(report.record, report.findings)
        except IctkError:
            out.notice = None
    return out


def _jsonable(data: Any) -> Any:
    from ..record import to_jsonable

    return to_jsonable(data)


def _unrecognised(path: Path) -> bool:
    """The file reads, but its title names no form: the user may say which form it is."""
    from ..forms import detect_form
    from ..read import Grid
    from ..read.api import read_layout

    try:
        layout = read_layout(path)
    except Exception:
        return False
    texts = []
    for block in layout.blocks:
        if isinstance(block, Grid):
            texts.extend(c.text for row in block.rows for c in row)
        else:
            texts.append(block)
    return bool(texts) and detect_form("\n".join(texts)) is None


def _sections(findings: list[Any], form: Any, section_title: Any) -> list[dict[str, Any]]:
    from ..generate.common import cite
    from ..rules.engine import clause_text, fmt_value

    out: list[dict[str, Any]] = []
    for f in findings:
        title = section_title(form, f.field)
        if not out or out[-1]["title"] != title:
            out.append({"title": title, "findings": []})
        value = "" if f.value is None else fmt_value(f.value)
        out[-1]["findings"].append(
            {
                "severity": f.severity,
                "severity_label": SEVERITY_LABEL.get(f.severity, f.severity),
                "code": f.code,
                "clause": f.clause,
                "cite": cite(f.clause),
                "quote": clause_text(f.clause) or "",
                "label": form.label_of(f.field) if f.field else "整份申报表",
                "message": f.message,
                "value": value if len(value) <= 200 else value[:199] + "…",
                "expected": f.expected or "",
            }
        )
    return out


def warm() -> None:
    """Load what every check needs, so a child forked from this process starts with it."""
    from ..forms import form_ids, load_form
    from ..profile import load_profile
    from ..read.extract import labels_for
    from ..rules.engine import all_rules

    for fid in form_ids():
        load_form(fid)
        labels_for(fid)
        load_profile(fid)
    all_rules()
    from ..schema import validator

    for fid in form_ids():
        validator(fid)
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401

    from .. import annotate  # noqa: F401
    from ..generate import notice  # noqa: F401
    from ..generate.common import template_path
    from ..generate.engine import load_template

    load_template(template_path("notice"))
