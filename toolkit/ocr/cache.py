"""Scan readings kept on disk: a scanned file read once is not read again.

A clerk runs ``ictk batch`` over a folder, adds the registry or one late file, and runs it again:
OCR costs seconds a page, the rest of the check milliseconds. The reading of a scan (its
:class:`~toolkit.read.Layout`, before the values are picked out and checked) is kept under a key
made of the file's bytes, the pages read and a fingerprint of the reader: the source of
``toolkit.ocr`` and the versions of the libraries it uses. Change the file, the reader or a
library and the key changes; nothing has to be cleared by hand.

Where: ``ICTK_CACHE_DIR`` when set (``off`` or empty: no cache), else ``$XDG_CACHE_HOME/ictk``
(``~/.cache/ictk``; ``%LOCALAPPDATA%\\ictk\\cache`` on Windows). An entry that cannot be read
is read again from the scan; a cache that cannot be written is skipped. Entries are written
atomically (a temporary file renamed into place), so processes reading the same scans at once
(batch workers) never see half an entry, and a process given a scan another is reading waits
for that reading instead of doing it again. The oldest entries go beyond :data:`MAX_ENTRIES`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

from ..read import Cell, Grid, Layout

FORMAT = 1  # of an entry; part of the key
MAX_ENTRIES = 2000  # about 10 KB each
LOCKS = 16  # lock files; scans whose entries share one are read one after the other
_LIBRARIES = ("rapidocr", "onnxruntime", "opencv-python-headless", "opencv-python", "numpy", "pypdfium2")


def cache_dir() -> Path | None:
    """The folder of scan readings, or None when the cache is off."""
    env = os.environ.get("ICTK_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "no") else Path(env) / "ocr"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):  # pragma: no cover - Windows
        return Path(os.environ["LOCALAPPDATA"]) / "ictk" / "cache" / "ocr"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ictk" / "ocr"


@cache
def fingerprint() -> str:
    """What the reading depends on besides the file: the reader's source and data, the layout
    classes it fills, and the versions of the OCR libraries."""
    from importlib import metadata

    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    here = Path(__file__).resolve().parent
    for path in sorted([*here.glob("*.py"), *here.glob("*.yaml"), here.parent / "read" / "__init__.py"]):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            h.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} absent\n".encode())
    return h.hexdigest()


def key(path: Path, pages: list[int] | None) -> str:
    h = hashlib.sha256(fingerprint().encode())
    h.update(repr(sorted(pages) if pages is not None else None).encode())
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load(folder: Path, name: str, source: str) -> Layout | None:
    """The layout kept under ``name``, its source set to ``source``; None when there is none or
    it cannot be read."""
    try:
        data = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        layout = layout_from_json(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    layout.source = source
    return layout


def store(folder: Path, name: str, layout: Layout) -> None:
    """Keep ``layout`` under ``name``; a folder that cannot be written is left alone."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(layout_to_json(layout), ensure_ascii=False, separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, folder / f"{name}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except (OSError, TypeError, ValueError):
        return


def _prune(folder: Path) -> None:
    entries = [e for e in os.scandir(folder) if e.name.endswith(".json") and not e.name.startswith(".")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime)
    for entry in entries[: len(entries) - MAX_ENTRIES]:
        Path(entry.path).unlink(missing_ok=True)


def cached_read(path: str | Path, pages: list[int] | None, read: Any) -> Layout:
    """``read(path, pages)``, or the reading kept from an earlier call on the same bytes."""
    folder = cache_dir()
    if folder is None:
        return read(path, pages)
    p = Path(path)
    try:
        name = key(p, pages)
    except OSError:
        return read(path, pages)
    layout = load(folder, name, str(path))
    if layout is None:
        with _reading(folder, name):  # another process reading the same bytes: wait for it
            layout = load(folder, name, str(path))
            if layout is None:
                layout = read(path, pages)
                store(folder, name, layout)
    return layout


@contextmanager
def _reading(folder: Path, name: str) -> Iterator[None]:
    """Hold one of :data:`LOCKS` lock files, by the entry's name, while reading a scan: two
    processes given the same scan at once (batch workers, two clerks on one share) read it
    once. A lock that cannot be had (no ``fcntl``, a read-only folder) is done without."""
    try:
        import fcntl

        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / f".lock-{int(name[:4], 16) % LOCKS}", os.O_RDWR | os.O_CREAT, 0o600)
    except (ImportError, OSError, ValueError):
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)  # releases the lock; a killed process's lock goes with it


# -- JSON form of a layout -------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """numpy scalars and tuples as JSON has them."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _cell_to_json(cell: Cell) -> dict[str, Any]:
    return _plain({k: v for k, v in vars(cell).items() if v != Cell.__dataclass_fields__[k].default})


def _cell_from_json(data: dict[str, Any]) -> Cell:
    if "bbox" in data and data["bbox"] is not None:
        data = {**data, "bbox": tuple(data["bbox"])}
    return Cell(**data)


def layout_to_json(layout: Layout) -> dict[str, Any]:
    blocks: list[Any] = []
    for block in layout.blocks:
        if isinstance(block, Grid):
            grid = {f.name: _plain(getattr(block, f.name)) for f in fields(Grid) if f.name != "rows"}
            blocks.append({**grid, "rows": [[_cell_to_json(c) for c in row] for row in block.rows]})
        else:
            blocks.append(block)
    rest = {
        f.name: _plain(getattr(layout, f.name)) for f in fields(Layout) if f.name not in ("source", "blocks")
    }
    return {**rest, "blocks": blocks}


def layout_from_json(data: dict[str, Any]) -> Layout:
    blocks: list[str | Grid] = []
    for block in data["blocks"]:
        if isinstance(block, str):
            blocks.append(block)
        else:
            rows = [[_cell_from_json(c) for c in row] for row in block["rows"]]
            blocks.append(Grid(**{**block, "rows": rows}))
    rest = {k: v for k, v in data.items() if k != "blocks"}
    rest["quality"] = {int(k): v for k, v in rest.get("quality", {}).items()}  # JSON keys are strings
    return Layout(source="", blocks=blocks, **rest)
