"""Finding the forms in an intake folder and checking each file, in parallel worker processes.

Each worker is a long-lived process: whatever a check loads once (form definitions, schemas,
OCR models) is loaded once per worker, not once per file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from ..errors import IctkError, InputError
from .model import FileResult

FORM_SUFFIXES = {".docx": "docx", ".pdf": "pdf", ".json": "json"}

Progress = Callable[[int, int, str], None]  # done, total, file just finished


def is_temporary(name: str) -> bool:
    """Lock and temporary files Word, WPS and LibreOffice leave beside an open document."""
    return (
        name.startswith(("~$", ".~lock", "~WRL", "."))
        or name.endswith(("~", ".tmp", ".TMP"))
        or name == "Thumbs.db"
    )


def find_forms(
    root: str | os.PathLike[str], exclude: Iterable[str | os.PathLike[str]] = ()
) -> tuple[list[str], list[str]]:
    """The candidate forms under ``root`` (recursively) and the other files, both as sorted
    paths relative to ``root``. Temporary files and hidden folders are ignored altogether.

    ``exclude`` lists files (e.g. the report being written) that are neither.
    """
    base = Path(root)
    if not base.is_dir():
        raise InputError(f"不是文件夹：{base}")
    excluded = {Path(p).resolve() for p in exclude}
    forms: list[str] = []
    others: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if is_temporary(name) or path.resolve() in excluded:
                continue
            rel = path.relative_to(base).as_posix()
            (forms if path.suffix.lower() in FORM_SUFFIXES else others).append(rel)
    return sorted(forms), sorted(others)


def check_one(root: str, rel: str, form_id: str | None = None) -> FileResult:
    """Check one file with ``toolkit.check.check_file``; never raises: a file that cannot be
    read comes back ``unreadable`` with its Chinese error."""
    path = Path(root) / rel
    kind = FORM_SUFFIXES.get(path.suffix.lower(), path.suffix.lower().lstrip("."))
    try:
        from ..check import check_file

        report = check_file(path, form_id)
        return FileResult(
            file=rel,
            kind=kind,
            form=report.form,
            verdict=report.verdict,
            record=report.record,
            findings=list(report.findings),
            error=report.error,
        )
    except IctkError as exc:
        return FileResult(file=rel, kind=kind, error=str(exc))
    except Exception as exc:  # one bad file never stops a batch
        return FileResult(file=rel, kind=kind, error=f"读取文件时出错（{type(exc).__name__}：{exc}）")


def _preload(kinds: set[str]) -> None:
    """Import the checking machinery once in the parent, so forked workers start warm."""
    import importlib

    for name in ("toolkit.check", "toolkit.read.api", "toolkit.rules.engine"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    if "pdf" in kinds:
        try:
            importlib.import_module("pdfplumber")
        except ImportError:
            pass


def _cost(path: Path) -> tuple[int, int]:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return (path.suffix.lower() == ".pdf", size)


def check_files(
    root: str | os.PathLike[str],
    files: list[str],
    form_id: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> list[FileResult]:
    """Check ``files`` (relative to ``root``) with ``jobs`` worker processes (default: the
    machine's cores); results come back in the order of ``files``."""
    root = str(root)
    jobs = jobs or os.cpu_count() or 1
    total = len(files)
    results: dict[str, FileResult] = {}
    if jobs <= 1 or total <= 1:
        for i, rel in enumerate(files, 1):
            results[rel] = check_one(root, rel, form_id)
            if progress:
                progress(i, total, rel)
        return [results[rel] for rel in files]

    _preload({FORM_SUFFIXES.get(Path(f).suffix.lower(), "") for f in files})
    with ProcessPoolExecutor(max_workers=min(jobs, total)) as pool:
        # Longest first (PDFs, then by size): no slow file left alone at the end of the run.
        by_cost = sorted(files, key=lambda rel: _cost(Path(root) / rel), reverse=True)
        futures = {pool.submit(check_one, root, rel, form_id): rel for rel in by_cost}
        for i, future in enumerate(as_completed(futures), 1):
            rel = futures[future]
            try:
                results[rel] = future.result()
            except Exception as exc:  # a crashed worker loses one file, not the batch
                kind = FORM_SUFFIXES.get(Path(rel).suffix.lower(), "")
                results[rel] = FileResult(
                    file=rel, kind=kind, error=f"检查进程异常退出（{type(exc).__name__}）"
                )
            if progress:
                progress(i, total, rel)
    return [results[rel] for rel in files]
