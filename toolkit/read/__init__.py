"""Reading filled forms: file -> layout (paragraphs and cell grids) -> canonical record.

Every reader (Word, text-layer PDF, OCR of a scan) produces the same :class:`Layout`, so the
label-based extraction in ``toolkit.read.extract`` serves all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..findings import Finding

Kind = Literal["docx", "odt", "doc", "wps", "rtf", "pdf", "scan", "json"]  # json: a record file read as is


@dataclass
class Cell:
    text: str
    confidence: float | None = None  # OCR only: 0..1
    page: int | None = None  # 1-based, PDF and scans only
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom on the page
    col: int | None = None  # first grid column the cell covers (0-based), when the reader knows it
    span: int = 1  # grid columns covered (a horizontally merged cell)
    continued: bool = False  # the lower part of a vertically merged cell: same text as the cell above
    ink: bool = False  # scans only: the cell holds ink (text or marks), whether or not it was read
    ref: str | None = field(
        default=None, compare=False
    )  # Word only: XPath of the cell's w:tc in word/document.xml (for comments)
    doubt: str | None = None  # why the reader is unsure how this cell's text was put together


@dataclass
class Grid:
    """A table as rows of cells; merged cells appear once (python-docx repeats them)."""

    rows: list[list[Cell]]
    page: int | None = None
    borderless: bool = False  # PDF only: a table found by the text's geometry, not ruling lines


@dataclass
class Layout:
    source: str
    kind: Kind
    blocks: list[str | Grid]  # paragraphs and tables in reading order
    seals: list[dict[str, Any]] = field(default_factory=list)  # scans only
    colourless: bool = False  # scans only: greyscale or black-and-white images (no red to find)
    quality: dict[int, dict[str, float]] = field(default_factory=dict)  # scans only: page -> measures


@dataclass
class ParseResult:
    record: dict[str, Any]
    form: str
    source: str
    kind: Kind
    problems: list[Finding] = field(default_factory=list)  # values that could not be read
    seals: list[dict[str, Any]] | None = None  # None: the source cannot carry a seal (Word)
    colourless: bool = False  # a greyscale or black-and-white scan: seals cannot be found by colour
    cells: dict[str, Cell] = field(default_factory=dict)  # JSON pointer -> the cell the value came from
