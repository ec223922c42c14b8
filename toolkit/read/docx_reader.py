"""Word (.docx) -> :class:`Layout`, reading ``word/document.xml`` with lxml directly.

python-docx repeats a merged cell once per grid column and is slow on big tables; reading the
XML gives each ``w:tc`` once, with its grid column, and lets us see what python-docx hides:
content-control checkboxes (``w14:checkbox``), legacy ``FORMCHECKBOX`` fields, placeholder text
(``w:showingPlcHdr``), tracked deletions, Wingdings tick glyphs.

Checkboxes become the glyphs ☑ / ☐ in the text, so ``normalize.choice`` reads every way of
ticking the same way.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path

from lxml import etree

from ..errors import UnreadableError
from . import Cell, Grid, Layout
from .guard import xml_part

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"


CHECKED, UNCHECKED = "☑", "☐"

# Symbol fonts: code point (low byte) -> glyph, for ticks typed with Insert > Symbol.
_SYMBOLS = {
    "wingdings": {
        0xA8: "☐",
        0x6F: "□",
        0x71: "☐",
        0xFE: "☑",
        0xFD: "☒",
        0xFC: "✓",
        0x6E: "■",
        0x6C: "●",
        0xA1: "○",
        0x78: "☒",
    },
    "wingdings 2": {0x52: "☑", 0x51: "☒", 0x53: "☒", 0x54: "☒", 0xA3: "☐", 0x2A: "□", 0x50: "✓"},
}


def _tag(name: str) -> str:
    return _W + name


T_P, T_R, T_T, T_TBL, T_TR, T_TC, T_SDT = (_tag(n) for n in ("p", "r", "t", "tbl", "tr", "tc", "sdt"))
_T_BODY = _tag("body")
_T_BR = _tag("br")
_T_CHECKBOX = _tag("checkBox")
_T_CHECKED = _tag("checked")
_T_CR = _tag("cr")
_T_CUSTOMXML = _tag("customXml")
_T_DDLIST = _tag("ddList")
_T_DEFAULT = _tag("default")
_T_DRAWING = _tag("drawing")
_T_FFDATA = _tag("ffData")
_T_FLDCHAR = _tag("fldChar")
_T_GRIDBEFORE = _tag("gridBefore")
_T_GRIDSPAN = _tag("gridSpan")
_T_HMERGE = _tag("hMerge")
_T_LISTENTRY = _tag("listEntry")
_T_MOVEFROM = _tag("moveFrom")
_T_PICT = _tag("pict")
_T_RFONTS = _tag("rFonts")
_T_RPR = _tag("rPr")
_T_RESULT = _tag("result")
_T_SDTCONTENT = _tag("sdtContent")
_T_SDTPR = _tag("sdtPr")
_T_SHOWINGPLCHDR = _tag("showingPlcHdr")
_T_SYM = _tag("sym")
_T_TAB = _tag("tab")
_T_TCPR = _tag("tcPr")
_T_TRPR = _tag("trPr")
_T_TXBXCONTENT = _tag("txbxContent")
_T_VMERGE = _tag("vMerge")
T_SDTPR, T_SDTCONTENT = _tag("sdtPr"), _tag("sdtContent")
_RECURSE = {
    _tag(n) for n in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo", "dir", "bdo")
}
_ALT = f"{{{MC}}}AlternateContent"
_VAL = _W + "val"


def read_docx(path: str | Path) -> Layout:
    """Paragraphs and tables of the document body, in reading order."""
    root = _document_xml(Path(path))
    body = root.find(_T_BODY)
    if body is None:
        raise UnreadableError(f"Word 文档内容为空：{Path(path).name}")
    _LOCAL.merged = _merged(body)
    try:
        return Layout(source=str(path), kind="docx", blocks=_blocks(body))
    finally:
        _LOCAL.merged = None  # nothing of this document kept


def _merged(body: etree._Element) -> set[etree._Element]:
    """The cells whose properties hold a span or a merge (a third of them, in one pass over the
    body; looking in every cell's properties costs more). The same element objects as the
    table walk meets: lxml hands out one object per element while it is referenced."""
    out: set[etree._Element] = set()
    for prop in body.iter(_T_GRIDSPAN, _T_VMERGE, _T_HMERGE):
        pr = prop.getparent()
        if pr is not None and pr.tag == _T_TCPR:
            tc = pr.getparent()
            if tc is not None and tc.tag == T_TC:
                out.add(tc)
    return out


def _document_xml(path: Path) -> etree._Element:
    data, root = xml_part(path, "word/document.xml", "Word 文档")
    _LOCAL.cell_tags, _LOCAL.para_tags = _tags_for(data)
    return root


def _tags_for(data: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The elements to look at in the cells and paragraphs of this document: of the tabs, breaks
    and elements that need the careful walk, only those the document holds (matching every
    element of every cell against a dozen tags is a third of the cost of reading the cells).

    An element is in the document only if its start tag is in its bytes: ``<w:sym`` (any prefix;
    a name in another namespace or in text only makes us look for more than there is). Unless a
    default namespace is declared (``xmlns=``, where it could be ``<sym``) or the bytes are not
    ASCII-compatible (UTF-16): then every tag is looked for. Runs in a symbol font are looked
    for only in a document that names one anywhere (a run's fonts are one more element in every
    run)."""
    head = data[:4]
    if b"\x00" in head or not head.lstrip(b"\xef\xbb\xbf").startswith(b"<") or b"xmlns=" in data:
        present = set(_BY_NAME.values())
    else:
        present = {_BY_NAME[name] for name in _NAMED.findall(data)}
    if b"ingdings" in data:
        present.add(_RFONTS)
    return _tag_sets(frozenset(present))


@cache
def _tag_sets(present: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    cell = tuple(t for t in _CELL_TAGS if t in present or t in (T_P, T_T, T_TBL))
    para = tuple(t for t in _PARA_TAGS if t in present or t == T_T)
    return cell, para


# --- blocks ----------------------------------------------------------------------------------


def _blocks(container: etree._Element) -> list[str | Grid]:
    out: list[str | Grid] = []
    for child in container:
        tag = child.tag
        if tag == T_P:
            text = _para_text(child)
            if text.strip():
                out.append(text)
        elif tag == T_TBL:
            out.extend(_tables(child))
        elif tag == T_SDT:
            if _placeholder(child):
                continue
            content = child.find(T_SDTCONTENT)
            if content is not None:
                out.extend(_blocks(content))
        elif tag in _RECURSE:
            out.extend(_blocks(child))
    return out


def _tables(tbl: etree._Element) -> list[Grid]:
    """The table as a grid, then every table nested in its cells (recursively)."""
    rows: list[list[Cell]] = []
    nested: list[Grid] = []
    above: dict[int, Cell] = {}  # grid column -> the cell a vertical merge there started with
    tree = tbl.getroottree()
    merged = getattr(_LOCAL, "merged", None)
    tags = getattr(_LOCAL, "cell_tags", _CELL_TAGS)
    trs, direct = _children(tbl, T_TR)
    for tr, tr_path in zip(trs, _paths(tree, tbl, trs, direct, tree.getpath(tbl), "tr"), strict=True):
        col = 0
        trpr = _first(tr, _T_TRPR)
        if trpr is not None:
            before = trpr.find(_T_GRIDBEFORE)
            if before is not None:
                col += int(before.get(_VAL, "0") or 0)
        row: list[Cell] = []
        tcs, direct = _children(tr, T_TC)
        for tc, ref in zip(tcs, _paths(tree, tr, tcs, direct, tr_path, "tc"), strict=True):
            span, continued = 1, False
            # a cell outside ``merged`` has no span or merge in any of its properties
            tcpr = _first(tc, _T_TCPR) if merged is None or tc in merged else None
            if tcpr is not None:
                for prop in tcpr.iterchildren(_T_GRIDSPAN, _T_VMERGE, _T_HMERGE):
                    if prop.tag == _T_GRIDSPAN:
                        span = max(1, int(prop.get(_VAL, "1") or 1))
                    elif prop.get(_VAL, "continue") != "restart":  # vMerge / old-style hMerge
                        continued = True
            if not continued:
                cell = Cell(text=_cell_text(tc, tags, nested), col=col, span=span, ref=ref)
                above[col] = cell
                row.append(cell)
            elif col in above:  # a vertical merge: the text was read where the merge starts
                top = above[col]
                row.append(Cell(text=top.text, col=col, span=top.span, continued=True, ref=top.ref))
            col += span
        rows.append(row)
    return [Grid(rows=rows), *nested]


def _first(el: etree._Element, tag: str) -> etree._Element | None:
    """``el.find(tag)``: the properties (``w:tcPr``, ``w:trPr``) Word writes as the first child
    are taken from there; ``find`` costs a path lookup in every cell."""
    for child in el:
        return child if child.tag == tag else el.find(tag)
    return None


def _children(el: etree._Element, tag: str) -> tuple[list[etree._Element], bool]:
    """Children with ``tag``, looking through content controls and custom XML wrappers; True
    when they are all children of ``el`` (none was wrapped)."""
    if next(el.iterchildren(T_SDT, _T_CUSTOMXML), None) is None:
        return list(el.iterchildren(tag)), True
    return list(_wrapped(el, tag)), False


def _paths(
    tree: etree._ElementTree,
    parent: etree._Element,
    kids: list[etree._Element],
    direct: bool,
    at: str,
    name: str,
) -> list[str]:
    """``tree.getpath`` of each of ``kids`` (the children of ``parent`` named ``name`` in the
    Word namespace, at path ``at``), written out here rather than asked of libxml2 for each:
    that walks every ancestor's preceding siblings (the body's hundreds of paragraphs) per cell.
    The same text: ``prefix:name``, with the 1-based position among the siblings of that name
    unless it is the only one. Anything less plain (children found inside a wrapper, an element
    without a prefix) is asked of libxml2."""
    if not direct:
        return [tree.getpath(kid) for kid in kids]
    if len(kids) == 1:
        prefix = kids[0].prefix
        return [f"{at}/{prefix}:{name}" if prefix else tree.getpath(kids[0])]
    return [
        f"{at}/{prefix}:{name}[{i}]" if (prefix := kid.prefix) else tree.getpath(kid)
        for i, kid in enumerate(kids, 1)
    ]


def _wrapped(el: etree._Element, tag: str):
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == T_SDT:
            content = child.find(T_SDTCONTENT)
            if content is not None:
                yield from _wrapped(content, tag)
        elif child.tag == _T_CUSTOMXML:
            yield from _wrapped(child, tag)


def _cell_text(el: etree._Element, tags: tuple[str, ...], nested: list[Grid]) -> str:
    """The text of a cell, its paragraphs one a line (``tags``: the elements to look at, see
    :func:`_tags_for`); the tables nested in it go to ``nested``."""
    # Most cells hold plain runs of text: read them in one pass over the cell.
    parts: list[str] | None = None
    fast: list[str] = []
    for node in el.iter(*tags):
        tag = node.tag
        if tag == T_T:
            parts.append(node.text or "")  # type: ignore[union-attr]
        elif tag == T_P:
            if parts is not None:
                fast.append("".join(parts))
            parts = []
        elif tag == _TAB:
            parts.append(" ")  # type: ignore[union-attr]
        elif tag in (_BR, _CR):
            parts.append("\n")  # type: ignore[union-attr]
        elif tag == _RFONTS and not any("ingdings" in v for v in node.attrib.values()):
            continue
        else:
            break
    else:
        if parts is not None:
            fast.append("".join(parts))
        text = "\n".join(fast)
        if not _PUA.search(text):
            return text
    paragraphs: list[str] = []
    _careful_cell(el, paragraphs, nested)
    return "\n".join(paragraphs)


def _careful_cell(el: etree._Element, paragraphs: list[str], nested: list[Grid]) -> None:
    for child in el:
        tag = child.tag
        if tag == T_P:
            paragraphs.append(_para_text(child))
        elif tag == T_TBL:
            nested.extend(_tables(child))
        elif tag == T_SDT:
            if _placeholder(child):
                continue
            content = child.find(T_SDTCONTENT)
            if content is not None:
                _careful_cell(content, paragraphs, nested)
        elif tag in _RECURSE:
            _careful_cell(child, paragraphs, nested)


# --- text of a paragraph ---------------------------------------------------------------------


def _placeholder(sdt: etree._Element) -> bool:
    pr = sdt.find(T_SDTPR)
    return pr is not None and pr.find(_T_SHOWINGPLCHDR) is not None


def _checkbox_state(sdt: etree._Element) -> bool | None:
    """True/False for a ``w14:checkbox`` content control, None for any other control."""
    pr = sdt.find(T_SDTPR)
    if pr is None:
        return None
    box = pr.find(f"{{{W14}}}checkbox")
    if box is None:
        return None
    checked = box.find(f"{{{W14}}}checked")
    return checked is not None and checked.get(f"{{{W14}}}val", "0") in ("1", "true", "on")


def _on(el: etree._Element | None) -> bool | None:
    """A WordprocessingML on/off element: present without ``w:val`` means on."""
    if el is None:
        return None
    return el.get(_VAL, "1") not in ("0", "false", "off")


def _legacy_field(fld: etree._Element) -> str:
    """The value of a legacy form field at its ``begin`` fldChar: a checkbox or a dropdown."""
    ff = fld.find(_T_FFDATA)
    if ff is None:
        return ""
    box = ff.find(_T_CHECKBOX)
    if box is not None:
        checked = _on(box.find(_T_CHECKED))
        if checked is None:
            default = box.find(_T_DEFAULT)
            checked = default is not None and default.get(_VAL, "0") in ("1", "true", "on")
        return CHECKED if checked else UNCHECKED
    dd = ff.find(_T_DDLIST)
    if dd is not None:
        entries = [e.get(_VAL, "") for e in dd.findall(_T_LISTENTRY)]
        chosen = dd.find(_T_RESULT)
        if chosen is None:
            chosen = dd.find(_T_DEFAULT)
        idx = int(chosen.get(_VAL, "0")) if chosen is not None else 0
        return entries[idx] if 0 <= idx < len(entries) else ""
    return ""


def _symbol(font: str, code: int) -> str:
    table = _SYMBOLS.get(font.lower().strip())
    if table is None:
        table = _SYMBOLS["wingdings"] if "wingdings" in font.lower() else {}
    return table.get(code & 0xFF, "")


def _run_font(run: etree._Element) -> str:
    rpr = run.find(_T_RPR)
    if rpr is None:
        return ""
    fonts = rpr.find(_T_RFONTS)
    if fonts is None:
        return ""
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        name = fonts.get(_W + slot)
        if name and "wingdings" in name.lower():
            return name
    return ""


class _State:
    __slots__ = ("in_code", "out")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.in_code = 0  # inside a field's instructions (between begin and separate)


_TAB, _BR, _CR, _RFONTS = _T_TAB, _T_BR, _T_CR, _T_RFONTS
_PUA = re.compile("[\uf000-\uf0ff]")
_PLAIN = (T_T, _TAB, _BR, _CR)
# Anything of these in a paragraph needs the careful walk; plain runs of text do not.
_SPECIAL = (_T_SYM, _T_FLDCHAR, T_SDT, _ALT, _T_DRAWING, _T_PICT, _T_MOVEFROM, _RFONTS)
_CELL_TAGS = (T_P, *_PLAIN, *_SPECIAL, T_TBL)
_PARA_TAGS = (*_PLAIN, *_SPECIAL)
_NAMED = re.compile(rb":(sym|fldChar|sdt|AlternateContent|drawing|pict|moveFrom|tab|br|cr)[\s/>]")
_BY_NAME = {
    b"sym": _T_SYM,
    b"fldChar": _T_FLDCHAR,
    b"sdt": T_SDT,
    b"AlternateContent": _ALT,
    b"drawing": _T_DRAWING,
    b"pict": _T_PICT,
    b"moveFrom": _T_MOVEFROM,
    b"tab": _TAB,
    b"br": _BR,
    b"cr": _CR,
}
_LOCAL = threading.local()  # the tags to look at in the document being read (one per thread)


def _para_text(p: etree._Element) -> str:
    parts: list[str] = []
    for el in p.iter(*getattr(_LOCAL, "para_tags", _PARA_TAGS)):
        tag = el.tag
        if tag == T_T:
            parts.append(el.text or "")
        elif tag == _TAB:
            parts.append(" ")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _RFONTS and not any("ingdings" in v for v in el.attrib.values()):
            continue
        else:
            return _careful_text(p)
    text = "".join(parts)
    if _PUA.search(text):
        return _careful_text(p)
    return text


def _careful_text(p: etree._Element) -> str:
    state = _State()
    _inline(p, state)
    return "".join(state.out)


def _inline(el: etree._Element, state: _State) -> None:
    out = state.out
    for child in el:
        tag = child.tag
        if tag == T_R:
            _run(child, state)
        elif tag == T_SDT:
            box = _checkbox_state(child)
            if box is not None:
                out.append(CHECKED if box else UNCHECKED)
            elif not _placeholder(child):
                content = child.find(T_SDTCONTENT)
                if content is not None:
                    _inline(content, state)
        elif tag in _RECURSE:
            _inline(child, state)
        elif tag == _ALT:
            _alternate(child, state)


def _run(run: etree._Element, state: _State) -> None:
    out = state.out
    font = None
    for child in run:
        tag = child.tag
        if tag == T_T:
            if state.in_code:
                continue
            text = child.text or ""
            if font is None:
                font = _run_font(run)
            if font or any("\uf000" <= c <= "\uf0ff" for c in text):
                text = "".join(_symbol(font or "wingdings", ord(c)) or c for c in text)
            out.append(text)
        elif tag == _T_FLDCHAR:
            kind = child.get(_W + "fldCharType")
            if kind == "begin":
                out.append(_legacy_field(child))
                state.in_code += 1
            elif kind in ("separate", "end") and state.in_code:
                state.in_code -= 1
        elif state.in_code:
            continue
        elif tag == _T_TAB:
            out.append(" ")
        elif tag in (_T_BR, _T_CR):
            out.append("\n")
        elif tag == _T_SYM:
            code = int(child.get(_W + "char", "0") or "0", 16)
            out.append(_symbol(child.get(_W + "font", ""), code))
        elif tag == _ALT:
            _alternate(child, state)
        elif tag in (_T_DRAWING, _T_PICT):
            _textboxes(child, state)


def _alternate(alt: etree._Element, state: _State) -> None:
    """mc:AlternateContent holds the same content twice: read only the first choice."""
    for branch in alt:
        _textboxes(branch, state)
        return


def _textboxes(el: etree._Element, state: _State) -> None:
    for box in el.iter(_T_TXBXCONTENT):
        for p in box.iter(T_P):
            state.out.append("\n" + _para_text(p))
        return
