"""One rapidocr engine per process, created on first use and reused: the ONNX models inside the
rapidocr wheel are loaded once per batch, never per file, and nothing is downloaded.

The reader finds text lines itself (table cells from ruling lines, lines from ink projections), so
it runs the recognition model only: :func:`recognize` batches line crops of similar width without
padding them to rapidocr's 320-pixel minimum, and returns each character with its score and its
horizontal position in the crop.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ScanNeedsOCRError

_engine: Any = None
_lock = threading.Lock()
load_seconds: float | None = None  # how long loading the models took, for bench/bench_ocr.py

REC_HEIGHT = 48  # the recognition model's fixed input height
THREADS = 2  # onnxruntime intra-op threads: the target machine has 2 cores


def threads() -> int:
    """Intra-op threads for this process: ``ICTK_OCR_THREADS`` when set (``ictk batch`` gives each
    of its worker processes one thread, since the workers already share the cores), else THREADS."""
    try:
        return max(1, int(os.environ.get("ICTK_OCR_THREADS", THREADS)))
    except ValueError:
        return THREADS


def get_engine() -> Any:
    """The shared ``RapidOCR`` instance (no angle classifier: pages are deskewed before OCR)."""
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
                engine = RapidOCR(
                    params={
                        "Global.log_level": "error",
                        "Global.use_cls": False,
                        "EngineConfig.onnxruntime.intra_op_num_threads": threads(),
                        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                    }
                )
                engine._load_rec_model()  # the detector loads only if something asks for it
                _engine = engine
                load_seconds = time.perf_counter() - start
    return _engine


def is_loaded() -> bool:
    return _engine is not None


_allowed: Callable[[], int] | None = None  # threads this process may use now, when it varies
_wider: dict[int, Callable[[Any], Any]] = {}  # a session per thread count above threads()


def follow_threads(allowed: Callable[[], int] | None) -> None:
    """Let ``allowed()`` (read before each page) raise the threads the recognition uses above
    :func:`threads`: ``ictk batch`` gives its workers one thread each while all are busy, and
    more to the last ones when the others have nothing left to do."""
    global _allowed
    _allowed = allowed


def _model(rec: Any) -> Callable[[Any], Any]:
    """The recognition model as a callable on one input, with as many threads as allowed now."""
    n = _allowed() if _allowed is not None else 0
    if n <= threads():
        return rec.session
    if n not in _wider:
        base = rec.session.session  # the onnxruntime InferenceSession rapidocr made
        path = getattr(base, "_model_path", None)
        if not path:  # pragma: no cover - an onnxruntime without it: keep the one session
            return rec.session
        import onnxruntime

        opts = onnxruntime.SessionOptions()
        opts.log_severity_level = 4
        opts.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = n
        opts.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(path, sess_options=opts, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        _wider[n] = lambda x: session.run(None, {name: x})[0]
    return _wider[n]


@dataclass
class Char:
    text: str
    score: float
    x: float  # centre, in crop pixels


@dataclass
class Line:
    text: str
    score: float  # mean of the characters' scores (0 when nothing was read)
    chars: list[Char]


def recognize(crops: list[Any]) -> list[Line]:
    """Recognise each BGR crop (one text line each) with the recognition model alone.

    One crop per model call: on 2 cores a batch costs more per pixel than its crops one by one
    (measured 45 us per input pixel alone, 60-150 in batches of 6-24), and nothing is padded.
    """
    import cv2
    import numpy as np

    rec = get_engine()._load_rec_model()
    model = _model(rec)
    charset = rec.postprocess_op.character
    out = []
    for crop in crops:
        h, w = crop.shape[:2]
        width = max(16, int(np.ceil(REC_HEIGHT * w / max(h, 1))))
        img = cv2.resize(crop, (width, REC_HEIGHT), interpolation=cv2.INTER_LINEAR)
        x = (img.transpose(2, 0, 1)[None].astype(np.float32) / 127.5) - 1.0
        preds = model(x)[0]
        idx, prob = preds.argmax(axis=1), preds.max(axis=1)
        steps = preds.shape[0]
        chars = []
        for t in np.flatnonzero(idx).tolist():
            c = int(idx[t])
            if t == 0 or idx[t - 1] != c:  # CTC: a repeat without a blank between is one character
                # the step's centre in the model input, back to crop pixels
                chars.append(Char(charset[c], float(prob[t]), (t + 0.5) * w / steps))
        score = sum(ch.score for ch in chars) / len(chars) if chars else 0.0
        out.append(Line("".join(ch.text for ch in chars), score, chars))
    return out
