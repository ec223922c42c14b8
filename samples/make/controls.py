"""Word form controls written as WordprocessingML: content controls (``w:sdt``) holding text,
``w14:checkbox`` content controls, a control still showing its placeholder, and legacy
``FORMCHECKBOX`` fields (``w:ffData/w:checkBox``), as Word 2010+ and older templates save them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

PLACEHOLDER = "单击或点击此处输入文字。"
CHECKED, UNCHECKED = "☒", "☐"  # Word's default glyphs: U+2612 and U+2610 in MS Gothic
_ids = itertools.count(100001)

_RPR = (
    '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" '
    'w:hint="eastAsia"/><w:sz w:val="18"/></w:rPr>'
)


def reset_ids() -> None:
    """Start control ids again, so that rebuilding gives the same document."""
    global _ids
    _ids = itertools.count(100001)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, rpr: str = _RPR) -> str:
    return f'<w:r {nsdecls("w")}>{rpr}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


def text_control(p, text: str, tag: str, alias: str) -> None:
    """A plain-text content control holding ``text``; empty text shows the placeholder instead."""
    if text:
        pr, content = "<w:text/>", _run(text)
    else:
        pr = "<w:showingPlcHdr/><w:text/>"
        content = _run(PLACEHOLDER, '<w:rPr><w:rStyle w:val="PlaceholderText"/><w:sz w:val="18"/></w:rPr>')
    xml = (
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{_esc(alias)}"/><w:tag w:val="{tag}"/>'
        f'<w:id w:val="{next(_ids)}"/>{pr}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>'
    )
    p._p.append(parse_xml(xml))


def checkbox_control(p, checked: bool) -> None:
    """A Word 2010 check box content control with its glyph as Word writes it."""
    glyph_rpr = '<w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/></w:rPr>'
    xml = (
        f'<w:sdt {nsdecls("w", "w14")}><w:sdtPr><w:id w:val="{next(_ids)}"/>'
        f'<w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        f"<w:sdtContent>{_run(CHECKED if checked else UNCHECKED, glyph_rpr)}</w:sdtContent></w:sdt>"
    )
    p._p.append(parse_xml(xml))


def legacy_checkbox(p, checked: bool, name: str, way: str = "default") -> None:
    """A legacy FORMCHECKBOX field. ``way`` says how its state is stored: ``default`` (only
    ``w:default``), ``checked`` (``w:default`` 0 overridden by ``w:checked``) or ``unchecked-over``
    (``w:default`` 1 overridden by ``w:checked w:val=0``, a box the user cleared)."""
    if way == "default":
        state = f'<w:default w:val="{1 if checked else 0}"/>'
    elif way == "checked":
        state = '<w:default w:val="0"/>' + ("<w:checked/>" if checked else "")
    else:
        state = '<w:default w:val="1"/>' + ("" if checked else '<w:checked w:val="0"/>')
    begin = (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/>'
        f'<w:enabled/><w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{state}</w:checkBox>'
        "</w:ffData></w:fldChar></w:r>"
    )
    instr = f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
    end = f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'
    for xml in (begin, instr, end):
        p._p.append(parse_xml(xml))


def options_filler(
    options: list[str], chosen: set[str], box: Callable[[Any, bool, int], None]
) -> Callable[[Any], None]:
    """Fill a paragraph with one box per option followed by the option's text."""

    def fill(p) -> None:
        for n, opt in enumerate(options):
            box(p, opt in chosen, n)
            p._p.append(parse_xml(_run(opt + ("  " if n < len(options) - 1 else ""))))

    return fill


def add_placeholder_style(doc) -> None:
    """The character style Word gives placeholder text (grey)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    style = doc.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
