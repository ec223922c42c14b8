"""Offline OCR of scanned forms (extra ``ocr``): deskew, table grid, seal detection.

This module stays import-light: numpy, OpenCV and rapidocr load only when a scan is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from ..read import Layout, ParseResult


def read_scan(path: str | Path, pages: list[int] | None = None) -> Layout:
    """The layout of a scanned PDF's pages (1-based; all when None); see :mod:`toolkit.ocr.reader`."""
    from .reader import read_scan as _read_scan

    return _read_scan(path, pages)


def parse_scan(path: str | Path, form_id: str | None = None) -> ParseResult:
    """A scanned PDF to the record, with seals and the OCR checks in ``problems``."""
    from .reader import parse_scan as _parse_scan

    return _parse_scan(path, form_id)
