"""Offline OCR of scanned forms (extra ``ocr``): deskew, table grid, seal detection.

This module stays import-light: numpy, OpenCV and rapidocr load only when a scan is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from ..read import Layout, ParseResult


def require_extra(what: str) -> None:
    """Raise :class:`toolkit.errors.ScanNeedsOCRError` (one Chinese line naming the extra) when
    the ``ocr`` extra (numpy, OpenCV, rapidocr) is not installed; ``what`` says what needs it."""
    import importlib.util

    from ..errors import ScanNeedsOCRError

    def missing(module: str) -> bool:
        try:
            return importlib.util.find_spec(module) is None
        except (ImportError, ValueError):  # hidden (None in sys.modules) or broken
            return True

    if any(missing(m) for m in ("cv2", "numpy", "rapidocr", "onnxruntime")):
        raise ScanNeedsOCRError(f"{what}，需要 OCR 组件：请执行 pip install 'ictk[ocr]'")


def read_scan(path: str | Path, pages: list[int] | None = None) -> Layout:
    """The layout of a scanned PDF's pages (1-based; all when None); see :mod:`toolkit.ocr.reader`.
    A file read before (same bytes, same reader) is not read again: :mod:`toolkit.ocr.cache`."""
    from .cache import cached_read

    return cached_read(path, pages, _read)


def _read(path: str | Path, pages: list[int] | None) -> Layout:
    from .reader import read_scan as _read_scan

    return _read_scan(path, pages)


def parse_scan(path: str | Path, form_id: str | None = None) -> ParseResult:
    """A scanned PDF to the record, with seals and the OCR checks in ``problems``."""
    from .reader import parse_scan as _parse_scan

    return _parse_scan(path, form_id)
