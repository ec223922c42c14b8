"""Helpers of the tests of generated documents: open .docx bytes, collect text, fonts, margins."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def texts(doc) -> list[str]:
    """Every paragraph text of the body and of table cells, in order."""
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return out


def runs_without_east_asia(doc) -> list[str]:
    """Text of every run (body, tables, footers) that lacks ``w:eastAsia`` on its rFonts."""
    parts = [doc.element]
    for section in doc.sections:
        parts.append(section.footer._element)
    bad = []
    for part in parts:
        for r in part.iter(qn("w:r")):
            rfonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
            if rfonts is None or not rfonts.get(qn("w:eastAsia")) or rfonts.get(qn("w:eastAsiaTheme")):
                bad.append("".join(t.text or "" for t in r.iter(qn("w:t"))))
    return bad


def margins_mm(doc) -> list[tuple[float, float, float, float]]:
    return [
        tuple(round(v.mm, 1) for v in (s.top_margin, s.left_margin, s.right_margin, s.bottom_margin))
        for s in doc.sections
    ]
