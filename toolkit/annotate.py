"""The applicant's own Word file with the findings as comments (批注) on the cells they concern.

``ictk check FILE.docx --annotate OUT.docx`` writes a copy of ``FILE.docx`` that differs only by
Word comments: each finding is anchored on the cell (or paragraph) its value was read from, or,
for a blank field, on the cell next to the field's label; a finding with no place in the form
(a whole-application condition) goes into one comment on the title.

The comment ranges are written into ``word/document.xml`` directly (``w:commentRangeStart``,
``w:commentRangeEnd`` and a reference run without text), so a cell's text, and therefore a
re-check of the annotated copy, stays the same. The comment bodies go through python-docx's
comments part (python-docx >= 1.2).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import InputError
from .findings import SEVERITY_LABEL, Finding

AUTHOR = "ictk 自查"
INITIALS = "ictk"
MAX_COMMENT_CHARS = 1500  # a hostile value must not make a comment pages long

# Characters XML 1.0 cannot hold (lxml refuses them): C0 controls but tab/newline/CR, surrogates,
# U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML part cannot hold.

    >>> xml_safe("A\\x00B\\x1bC")
    'ABC'
    """
    return _NOT_XML.sub("", text)


def comment_lines(finding: Finding) -> list[str]:
    """The lines of one finding's comment: severity and message, what is required, the clause.

    >>> comment_lines(Finding("X", "error", "form", "未填写“牵头单位名称”", expected="必填"))
    ['【错误】未填写“牵头单位名称”', '要求：必填', '依据：申报表填写规范（规则 X）']
    """
    from .generate.common import cite

    lines = [f"【{SEVERITY_LABEL.get(finding.severity, finding.severity)}】{finding.message}"]
    if finding.expected:
        lines.append(f"要求：{finding.expected}")
    where = cite(finding.clause)
    clause = "" if finding.clause == "form" else f"，条款 {finding.clause}"
    lines.append(f"依据：{where}（规则 {finding.code}{clause}）")
    quote = _quote(finding.clause) if finding.clause != "form" else None  # form: no policy text
    if quote:
        lines.append(f"条款原文：{quote}")
    return [_clip(xml_safe(line)) for line in lines]


def _quote(clause: str) -> str | None:
    from .rules.engine import clause_text

    text = clause_text(clause)
    return " ".join(text.split()) if text else None


def _clip(text: str) -> str:
    return text if len(text) <= MAX_COMMENT_CHARS else text[: MAX_COMMENT_CHARS - 1] + "…"


def require_docx(source: str | Path) -> Path:
    """``source`` as a path, when it is a Word (.docx) file comments can be added to."""
    from .errors import IctkError
    from .read.api import resolve_format

    path = Path(source)
    try:
        kind = resolve_format(path).kind
    except IctkError:
        kind = None
    if kind != "docx":
        raise InputError(f"只能给 Word（.docx）申报表加批注：{path.name} 不是 .docx 文件")
    return path


def annotate(
    source: str | Path,
    findings: Iterable[Finding],
    form_id: str | None = None,
    parse: Any = None,
) -> bytes:
    """The annotated copy of the Word file ``source`` as .docx bytes.

    ``findings`` are those of a check of ``source`` (``check_file(source).findings``); ``parse``
    is the :class:`~toolkit.read.ParseResult` of ``source`` when the caller has it (it is read
    again otherwise, for the cells the values came from).
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = require_docx(source)
    if parse is None:
        from .read.api import parse_file

        parse = parse_file(path, form_id)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(f"Word 文档无法打开，不能加批注：{path.name}（{type(exc).__name__}）") from None
    if not hasattr(document, "add_comment"):  # pragma: no cover - an old python-docx
        raise InputError("加批注需要 python-docx 1.2 或更高版本：pip install -U python-docx")
    places = _Places(document, parse)
    unplaced: list[Finding] = []
    for finding in findings:
        where = places.find(finding.field)
        if where is None:
            unplaced.append(finding)
            continue
        _comment(document, where, comment_lines(finding))
    if unplaced:
        lines = [f"以下 {len(unplaced)} 项检查发现不对应表中某一栏，汇总于此："]
        for i, finding in enumerate(unplaced, 1):
            first, *rest = comment_lines(finding)
            lines.append(f"{i}. {first}")
            lines.extend(f"    {line}" for line in rest)
        _comment(document, places.title(), lines)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- where a finding goes ----------------------------------------------------------------------


def _text(el: Any) -> str:
    from docx.oxml.ns import qn

    return "".join(t.text or "" for t in el.iter(qn("w:t")))


class _Places:
    """Finds the paragraphs a finding's comment spans, in python-docx's tree of the document."""

    def __init__(self, document: Any, parse: Any) -> None:
        from docx.oxml.ns import qn

        self.root = document.element
        self.body = document.element.body
        self.parse = parse
        self.qn = qn
        self._labels: dict[str, Any] | None = None

    def find(self, pointer: str | None) -> tuple[Any, Any] | None:
        """(first paragraph, last paragraph) of the place of ``pointer``; None: no place."""
        if not pointer:
            return None
        cells = self.parse.cells
        cell = cells.get(pointer)
        if cell is None:  # a blank column of a table row: the row's first cell read
            prefix = pointer.rstrip("/") + "/"
            row = re.match(r"^(.*/\d+)/", pointer)
            candidates = [c for p, c in cells.items() if p.startswith(prefix)]
            if not candidates and row:
                candidates = [c for p, c in cells.items() if p.startswith(row.group(1) + "/")]
            cell = candidates[0] if candidates else None
        if cell is not None and cell.ref:
            tc = self._xpath(cell.ref)
            if tc is not None:
                return self._span(tc)
        return self._by_label(pointer)

    def _xpath(self, ref: str) -> Any:
        try:
            found = self.root.xpath(ref)  # python-docx's xpath knows the w: prefix
        except Exception:  # a path the reader wrote for another tree: fall back to the label
            return None
        return found[0] if found and found[0].tag == self.qn("w:tc") else None

    def _span(self, container: Any) -> tuple[Any, Any] | None:
        paragraphs = [p for p in container.iter(self.qn("w:p"))]
        if not paragraphs:
            return None
        return paragraphs[0], paragraphs[-1]

    def _by_label(self, pointer: str) -> tuple[Any, Any] | None:
        """A blank field: the cell right of its label (the label cell when none), or the paragraph
        that carries the label."""
        labels = self._label_places()
        place = labels.get(pointer)
        return place

    def _label_places(self) -> dict[str, Any]:
        if self._labels is not None:
            return self._labels
        from .read.extract import labels_for

        labels = labels_for(self.parse.form)
        places: dict[str, Any] = {}
        qn = self.qn
        for tc in self.body.iter(qn("w:tc")):
            text = _text(tc)
            f = labels.field_of(text)
            if f is None or f.pointer in places:
                continue
            value = tc.getnext()
            while value is not None and value.tag != qn("w:tc"):
                value = value.getnext()
            target = value if value is not None and labels.field_of(_text(value)) is None else tc
            span = self._span(target)
            if span:
                places[f.pointer] = span
        for p in self._paragraphs():
            text = _text(p)
            f = labels.field_of(text)
            if f is not None and f.pointer not in places:
                places[f.pointer] = (p, p)
                continue
            from .read.extract import _pairs

            for pf, _value in _pairs(text, labels):
                places.setdefault(pf.pointer, (p, p))
        self._labels = places
        return places

    def _paragraphs(self) -> Iterator[Any]:
        """Body paragraphs outside tables."""
        qn = self.qn
        for p in self.body.iter(qn("w:p")):
            parent = p.getparent()
            inside = False
            while parent is not None and parent is not self.body:
                if parent.tag == qn("w:tc"):
                    inside = True
                    break
                parent = parent.getparent()
            if not inside:
                yield p

    def title(self) -> tuple[Any, Any]:
        """The paragraph holding the form's title; the first paragraph with text otherwise."""
        from .forms import load_form

        form = load_form(self.parse.form)
        squeeze = re.compile(r"[\s\u3000]+")
        first_text = None
        every = list(self.body.iter(self.qn("w:p")))
        for p in every:
            text = squeeze.sub("", _text(p))
            if not text:
                continue
            if first_text is None:
                first_text = p
            if any(t in text for t in (form.title, *form.title_variants)):
                return p, p
        if first_text is not None:
            return first_text, first_text
        if every:
            return every[0], every[0]
        # A body without a single paragraph: give the comment one to sit on.
        from docx.oxml import OxmlElement

        p = OxmlElement("w:p")
        self.body.insert(0, p)
        return p, p


def _comment(document: Any, span: tuple[Any, Any], lines: list[str]) -> None:
    """One comment with ``lines`` as its paragraphs, its range over ``span``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    first, last = span
    comment = document.comments.add_comment(text=lines[0], author=AUTHOR, initials=INITIALS)
    for line in lines[1:]:
        comment.add_paragraph(line)
    cid = str(comment.comment_id)
    start = OxmlElement("w:commentRangeStart")
    start.set(qn("w:id"), cid)
    ppr = first.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    end = OxmlElement("w:commentRangeEnd")
    end.set(qn("w:id"), cid)
    last.append(end)
    run = OxmlElement("w:r")
    ref = OxmlElement("w:commentReference")
    ref.set(qn("w:id"), cid)
    run.append(ref)
    last.append(run)
