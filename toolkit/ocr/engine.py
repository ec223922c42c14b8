"""One rapidocr engine per process, created on first use and reused: the ONNX models inside the
rapidocr wheel are loaded once per batch, never per file, and nothing is downloaded."""

from __future__ import annotations

import threading
import time
from typing import Any

from ..errors import ScanNeedsOCRError

_engine: Any = None
_lock = threading.Lock()
load_seconds: float | None = None  # how long loading the models took, for bench/bench_ocr.py


def get_engine() -> Any:
    """The shared ``RapidOCR`` instance (text detection and recognition, no angle classifier:
    pages are deskewed before OCR)."""
    global _engine, load_seconds
    if _engine is None:
        with _lock:
            if _engine is None:
                start = time.perf_counter()
                try:
                    from rapidocr import RapidOCR
                except ImportError:
                    raise ScanNeedsOCRError(
                        "该 PDF 是扫描件，识别需要 OCR 组件：请执行 pip install 'ictk[ocr]'"
                    ) from None
                _engine = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})
                load_seconds = time.perf_counter() - start
    return _engine


def is_loaded() -> bool:
    return _engine is not None
