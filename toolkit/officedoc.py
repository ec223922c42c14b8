"""Word documents laid out as Chinese official documents (GB/T 9704-2012) with python-docx.

Every run, style and the document defaults carry an East Asian font on all four ``w:rFonts``
slots, and the theme-font attributes that would override them are removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

# Font names and the fonts Word or LibreOffice may fall back to when they are missing.
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
FALLBACKS = {
    FANGSONG: "仿宋",
    XIAOBIAOSONG: "宋体",
    KAITI: "楷体",
    HEITI: "SimHei",
    SONGTI: "SimSun",
}
LATIN = "Times New Roman"

# Chinese font sizes in points.
SIZE = {"初号": 42, "一号": 26, "二号": 22, "三号": 16, "四号": 14, "小四": 12, "五号": 10.5}


@dataclass(frozen=True)
class PageProfile:
    """Page layout; the default is GB/T 9704-2012 §5.2: A4, top 37 mm, bottom 35 mm,
    left (binding side) 28 mm, right 26 mm, 22 lines of 28 characters."""

    width_mm: float = 210
    height_mm: float = 297
    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26
    body_font: str = FANGSONG
    body_size: float = SIZE["三号"]
    line_pitch_pt: float = 28.95


OFFICIAL = PageProfile()
# Forms are tables: narrower margins give the cells room, as bureau forms do.
FORM = PageProfile(
    top_mm=25.4, bottom_mm=25.4, left_mm=25, right_mm=25, body_size=SIZE["小四"], line_pitch_pt=0
)


def set_fonts(rpr_owner, east_asia: str, latin: str | None = None) -> None:
    """Set all four rFonts slots on a run, a style or rPrDefault; drop theme overrides.

    ``rpr_owner`` is anything with ``get_or_add_rPr()`` (a CT_R or CT_Style) or an rPr element.
    Every slot gets ``east_asia`` (digits and Latin letters in the same face, as bureau forms
    print them) unless ``latin`` names a face for ``w:ascii``/``w:hAnsi`` (e.g. :data:`LATIN`).
    """
    latin = latin or east_asia
    rpr = rpr_owner if rpr_owner.tag == qn("w:rPr") else rpr_owner.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()  # keeps the schema order (after w:rStyle)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme_attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def style_run(run, font: str = FANGSONG, size: float | None = None, bold: bool | None = None) -> None:
    set_fonts(run._r, font)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def new_document(profile: PageProfile = OFFICIAL) -> DocumentType:
    """A blank A4 document whose defaults, Normal style and table style use Chinese fonts."""
    from docx import Document

    doc = Document()
    _strip_theme_fonts(doc)
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(profile.width_mm), Mm(profile.height_mm)
    section.top_margin, section.bottom_margin = Mm(profile.top_mm), Mm(profile.bottom_mm)
    section.left_margin, section.right_margin = Mm(profile.left_mm), Mm(profile.right_mm)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    for style in doc.styles:
        # Every style, not only those with an rPr: a style added later by Word inherits nothing odd.
        if style.element.get(qn("w:type")) == "numbering":
            continue
        set_fonts(style.element, HEITI if style.name.startswith(("Heading", "Title")) else profile.body_font)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(profile.body_size)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    if profile.line_pitch_pt:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(profile.line_pitch_pt)
    _register_fallbacks(doc)
    return doc


def _strip_theme_fonts(doc: DocumentType) -> None:
    """docDefaults in python-docx's template name theme fonts; replace them with real ones."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is not None:
        set_fonts(rpr_default, FANGSONG)
        lang = rpr_default.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr_default.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")
    for rfonts in styles.iter(qn("w:rFonts")):
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme_attr), None)


def _register_fallbacks(doc: DocumentType) -> None:
    """Name each Chinese font in the font table with its ``w:altName``, so Word and
    LibreOffice substitute a close face where 仿宋_GB2312 or 方正小标宋简体 is not installed."""
    font_part = None
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            font_part = rel.target_part
    if font_part is None:
        return
    from lxml import etree

    root = etree.fromstring(font_part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt_el = etree.SubElement(font, qn("w:altName"))
        alt_el.set(qn("w:val"), alt)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if name == HEITI else "roman")
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def align_paragraph(p, align: str) -> None:
    """``center``, ``right``, ``left`` or ``justify``."""
    p.alignment = ALIGN[align]


def indent_first_line(p, chars: float, char_pt: float | None = None) -> None:
    """First-line indent of ``chars`` characters; with ``char_pt`` also in twips, for readers
    that ignore ``w:firstLineChars``."""
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(int(chars * 100)))
    if char_pt is not None:
        ind.set(qn("w:firstLine"), str(int(chars * char_pt * 20)))


def paragraph(
    doc,
    text: str = "",
    font: str = FANGSONG,
    size: float | None = None,
    bold: bool = False,
    align: str | None = None,
    indent_chars: float = 0,
):
    """Add a paragraph with one run in ``font``; ``indent_chars`` is a first-line indent in characters."""
    p = doc.add_paragraph()
    if align:
        align_paragraph(p, align)
    if indent_chars:
        indent_first_line(p, indent_chars)
    run = p.add_run(text)
    style_run(run, font, size, bold or None)
    return p


def add_page_number_footer(doc, size: float = SIZE["四号"]) -> None:
    """Page numbers as GB/T 9704-2012 §7.5 prints them: ``— N —`` in 四号 宋体, odd pages at the
    right and even pages at the left, one character in from the edge (the outside of a page
    printed on both sides). Word and LibreOffice need ``w:evenAndOddHeaders`` in the settings
    for the even pages' footer to be used."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer, "right", size)
    _page_number(section.even_page_footer, "left", size)


def _page_number(footer, side: str, size: float) -> None:
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    align_paragraph(p, side)
    if side == "right":
        p.paragraph_format.right_indent = Pt(size)  # 空一字
    else:
        p.paragraph_format.left_indent = Pt(size)
    for text, field_code in (("— ", None), (None, "PAGE"), (" —", None)):
        run = p.add_run()
        style_run(run, SONGTI, size)
        if field_code is None:
            run.text = text
            continue
        for kind, payload in (("begin", None), ("instr", field_code), ("separate", None), ("end", None)):
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = f" {payload} "
                run._r.append(instr)
            else:
                fc = OxmlElement("w:fldChar")
                fc.set(qn("w:fldCharType"), kind)
                run._r.append(fc)
                if kind == "separate":
                    t = OxmlElement("w:t")
                    t.text = "1"
                    run._r.append(t)


# --- tables -------------------------------------------------------------------------------------


def add_table(doc, widths_mm: list[float], rows: int = 0, borders: bool = True, font: str = FANGSONG):
    """A fixed-layout table with the given column widths, single 0.5 pt borders (or none)."""
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        tbl_pr.remove(style)
    _set_child(tbl_pr, "w:tblW", {"w:w": str(int(sum(widths_mm) * 56.7)), "w:type": "dxa"})
    _set_child(tbl_pr, "w:jc", {"w:val": "center"})
    borders_el = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single" if borders else "nil")
        if borders:
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders_el.append(el)
    _set_child(tbl_pr, "w:tblBorders", element=borders_el)
    _set_child(tbl_pr, "w:tblLayout", {"w:type": "fixed"})
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("left", 85), ("right", 85)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _set_child(tbl_pr, "w:tblCellMar", element=margins)
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(width * 56.7)))
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def add_row(table, height_mm: float | None = None, exact: bool = False):
    """Append a row (cells sized like the grid); ``height_mm`` is a minimum unless ``exact``."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    row = table.add_row()
    _set_child(row._tr.get_or_add_trPr(), "w:cantSplit", {"w:val": "true"})
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = width * 635  # twips to EMU
    if height_mm:
        row.height = Mm(height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST
    return row


def repeat_header(row) -> None:
    """Mark ``row`` as a header row repeated at the top of every page (``w:tblHeader``)."""
    tr_pr = row._tr.get_or_add_trPr()
    _set_child(tr_pr, "w:tblHeader", {"w:val": "true"})
    _set_child(tr_pr, "w:cantSplit", {"w:val": "true"})


def shade(cell, fill: str = "F2F2F2") -> None:
    """Fill a cell with a light background (label cells of a form)."""
    _set_child(cell._tc.get_or_add_tcPr(), "w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})


def cell_text(
    cell,
    text: str,
    font: str = FANGSONG,
    size: float | None = None,
    bold: bool = False,
    align: str = "left",
    valign: str = "center",
):
    """Write ``text`` into ``cell`` as one run of one paragraph (labels stay searchable)."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    cell.vertical_alignment = {
        "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
        "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
        "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
    }[valign]
    p = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    p.alignment = _ALIGN[align]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if text:
        run = p.add_run(text)
        style_run(run, font, size, bold or None)
    return p


_ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# Child order the OOXML schema requires (Word refuses files that break it).
_ORDER = {
    "w:tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "w:tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark",
}


def _set_child(parent, tag: str, attrs: dict[str, str] | None = None, element=None):
    """Replace (or add) the child ``tag`` of ``parent`` at its place in the schema order."""
    old = parent.find(qn(tag))
    el = element if element is not None else OxmlElement(tag)
    for key, value in (attrs or {}).items():
        el.set(qn(key), value)
    if old is not None:
        old.addprevious(el)
        parent.remove(old)
        return el
    order = [qn(f"w:{name}") for name in _ORDER.get(parent.tag.replace(qn("w:x")[:-1], "w:"), "").split()]
    if el.tag in order:
        later = set(order[order.index(el.tag) + 1 :])
        for child in parent:
            if child.tag in later:
                child.addprevious(el)
                return el
    parent.append(el)
    return el
