"""Help text for a terminal where a Chinese character takes two columns: click measures and wraps
by characters, so Chinese help comes out ragged and too wide; ``toolkit.cli`` puts these in its place.
"""

from __future__ import annotations


def display_width(text: str) -> int:
    """Terminal columns of ``text``: two for each wide (CJK) character, ANSI colours not counted.

    >>> display_width("--registry 文件")
    15
    """
    import unicodedata

    from click._compat import strip_ansi

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in strip_ansi(text))


_NO_LINE_START = set("，。、；：？！）》」』”’%）") | set(",.;:?!)]}")


def wrap_lines(line: str, width: int) -> list[str]:
    """One line cut into lines of at most ``width`` columns (continuations keep its indent),
    between Chinese characters or at spaces, never before closing punctuation.

    >>> wrap_lines("  检查目录下所有申报表（.docx、.pdf），并与名录比对。", 20)
    ['  检查目录下所有申报', '  表（.docx、.pdf），', '  并与名录比对。']
    """
    import re

    indent = line[: len(line) - len(line.lstrip(" "))]
    tokens = re.findall(r"[ ]+|[\x21-\x7e]+|.", line[len(indent) :])
    out: list[str] = []
    current = ""
    for token in tokens:
        fits = display_width(indent + current + token) <= width
        if fits or not current.strip() or token[0] in _NO_LINE_START:
            current += token
            continue
        out.append(indent + current.rstrip())
        current = token.lstrip(" ")
    if current.strip() or not out:
        out.append(indent + current.rstrip())
    return out


def wide_wrap(wrap_text):  # type: ignore[no-untyped-def]
    """click's ``wrap_text``, measuring Chinese text by its columns."""
    import re

    def wrap(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "", **kw):  # type: ignore[no-untyped-def]
        if text.isascii():
            return wrap_text(text, width, initial_indent, subsequent_indent, **kw)
        # let click lay out the paragraphs and indents, then cut the long lines by columns
        laid = wrap_text(text, 10**6, initial_indent, subsequent_indent, **kw)
        # the line breaks of a docstring joined with a space: none between Chinese characters
        wide = r"[\u2018-\u201d\u2e80-\u9fff\uff00-\uffef]"  # CJK, full-width forms, curly quotes
        laid = re.sub(rf"(?<={wide}) (?={wide})", "", laid)
        return "\n".join(part for line in laid.splitlines() for part in wrap_lines(line, width))

    return wrap
