"""Finding the forms in an intake folder and checking each file, in parallel worker processes.

What a check loads once (the checking modules, form definitions, profiles, schema validators,
compiled label patterns, rules and clause texts, pdfplumber) is loaded once in the parent by
:func:`warm`; the workers are forked from it and inherit all of it, so no worker pays start-up
imports. Files go to the workers longest first (PDFs, then by size), Word files a few per task.
A worker that dies (a crash in a native library on one file) costs that file only: the files it
and its siblings were holding are checked again, the suspects each in a pool of their own. A file
that takes longer than the time limit (a reader caught in a loop) is reported as such and its
worker killed, which the same recovery then handles.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import IctkError, InputError, UnreadableError
from ..read.formats import kind_of_name, suffixes
from .model import FileResult

# kinds whose reading takes seconds (OCR, LibreOffice): each is a task of its own
SLOW_KINDS = {"pdf", "doc", "wps", "rtf", "jpg", "png", "tif", "bmp"}

Progress = Callable[[int, int, str], None]  # done, total, file just finished

MAX_OCR_THREADS = 4  # more threads on one page's recognition gain little
TIMEOUT = 300.0  # seconds one file may take before its worker is stopped (``ictk batch --timeout``)


def is_temporary(name: str) -> bool:
    """Lock and temporary files Word, WPS and LibreOffice leave beside an open document."""
    return (
        name.startswith(("~$", ".~lock", "~WRL", "."))
        or name.endswith(("~", ".tmp", ".TMP"))
        or name == "Thumbs.db"
    )


def is_lock_file(name: str) -> bool:
    """The owner file Word and WPS (``~$``) or LibreOffice (``.~lock``) keep beside an open document."""
    return name.startswith(("~$", ".~lock"))


def find_forms(
    root: str | os.PathLike[str], exclude: Iterable[str | os.PathLike[str]] = ()
) -> tuple[list[str], list[str]]:
    """The candidate forms under ``root`` (recursively) and the other files, both as sorted
    paths relative to ``root``. Candidates are the files of every kind in the format table
    (``toolkit.read.formats``), those it cannot read included (they are reported as unreadable,
    with what to do, not passed over). A .zip stands for the files to check in it, each as
    ``archive.zip/member`` (the archive itself when it cannot be opened safely: then it is
    reported unreadable with the reason). Office lock files are among the others (named in the summary); other temporary
    files and hidden folders are ignored.

    ``exclude`` lists files (e.g. the report being written) that are neither.
    """
    base = Path(root)
    if not base.is_dir():
        raise InputError(f"不是文件夹：{base}")
    excluded = {os.path.realpath(p) for p in exclude}
    known = suffixes()
    forms: list[str] = []
    others: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if (is_temporary(name) and not is_lock_file(name)) or os.path.realpath(path) in excluded:
                continue
            rel = path.relative_to(base).as_posix()
            if is_lock_file(name):  # named in the summary, so that nobody wonders where it went
                others.append(rel)
                continue
            suffix = path.suffix.lower()
            if suffix == ".zip":
                forms.extend(_archive_entries(path, rel))
            else:
                (forms if suffix in known else others).append(rel)
    return sorted(forms), sorted(others)


def _archive_entries(path: Path, rel: str) -> list[str]:
    from ..read.archive import entries

    try:
        found = entries(path)
    except UnreadableError:
        return [rel]
    return [f"{rel}/{e.name}" for e in found] or [rel]


def archive_member(root: str | os.PathLike[str], rel: str) -> tuple[Path, str] | None:
    """``(archive, entry name)`` when ``rel`` names a file inside a .zip under ``root``."""
    parts = rel.split("/")
    for i in range(1, len(parts)):
        if parts[i - 1].lower().endswith(".zip"):
            archive = Path(root, *parts[:i])
            if archive.is_file():
                return archive, "/".join(parts[i:])
            return None
    return None


def check_one(root: str, rel: str, form_id: str | None = None) -> FileResult:
    """Check one file with ``toolkit.check.check_file``; never raises: a file that cannot be
    read comes back ``unreadable`` with its Chinese error."""
    path = Path(root) / rel
    kind = kind_of(rel)
    link = link_problem(root, path)
    if link:
        return FileResult(file=rel, kind=kind, error=link)
    try:
        from ..check import check_file

        member = archive_member(root, rel)
        if member is not None:
            report = _check_member(*member, form_id)
        else:
            report = check_file(path, form_id)
        return FileResult(
            file=rel,
            kind=kind,
            form=report.form,
            verdict=report.verdict,
            record=report.record,
            findings=list(report.findings),
            error=report.error,
            seals=report.seals,
            edition=report.edition,
        )
    except IctkError as exc:
        return FileResult(file=rel, kind=kind, error=str(exc))
    except Exception as exc:  # one bad file never stops a batch
        return FileResult(file=rel, kind=kind, error=f"读取文件时出错（{type(exc).__name__}：{exc}）")


def _check_member(archive: Path, name: str, form_id: str | None) -> Any:
    """Check one entry of an archive, unpacked (within the archive's limits) into a private
    temporary folder."""
    import tempfile

    from ..check import check_file
    from ..read.archive import entries, extract_entry

    entry = next((e for e in entries(archive) if e.name == name), None)
    if entry is None:
        raise UnreadableError(f"压缩包内找不到文件：{name}")
    with tempfile.TemporaryDirectory(prefix="ictk-zip-") as work:
        return check_file(extract_entry(archive, entry, work), form_id)


def link_problem(root: str, path: Path) -> str | None:
    """Why a symbolic link in the intake folder is not read: it leads nowhere (a loop, a missing
    target) or out of the folder (to /etc/passwd, to another office's files). None for a file or
    a link to a file inside the folder."""
    if not path.is_symlink():
        return None
    target = os.path.realpath(path)
    if not os.path.isfile(target):
        return "符号链接无效（目标不存在或链接成环），未读取"
    base = os.path.realpath(root)
    if os.path.commonpath([base, target]) != base:
        return "符号链接指向收件文件夹之外的文件，为安全起见未读取"
    return None


_STARTED: Any = None  # in a worker: the queue told (worker pid, file) before each file is read


def _init_worker(started: Any, ocr_threads: Any) -> None:
    global _STARTED
    _STARTED = started
    # The workers share the cores: one OCR thread each while all are busy, or they
    # oversubscribe them; the parent raises ``ocr_threads`` when only the last files are left.
    os.environ["ICTK_OCR_THREADS"] = "1"
    from ..ocr.engine import follow_threads

    follow_threads(lambda: ocr_threads.value)


def check_chunk(root: str, rels: list[str], form_id: str | None = None) -> list[FileResult]:
    """:func:`check_one` on each of ``rels`` (one task of a worker). The parent is told of
    each file before it is read, so that a file that kills its worker can be named."""
    out = []
    for rel in rels:
        if _STARTED is not None:
            _STARTED.put((os.getpid(), rel))
        out.append(check_one(root, rel, form_id))
    return out


def warm(kinds: set[str], form_id: str | None = None) -> None:
    """Load in this process what every check needs, so forked workers start with it."""
    import gc
    import importlib
    from functools import partial

    from ..forms import form_ids, load_form
    from ..profile import load_profile
    from ..read.extract import labels_for
    from ..rules.engine import all_rules, clause_text
    from ..schema import validator

    steps: list[Callable[[], Any]] = [
        lambda: importlib.import_module("toolkit.check"),
        lambda: importlib.import_module("toolkit.read.api"),
        all_rules,
        partial(clause_text, "gx-12"),  # reads every clause quote
    ]
    from ..editions import edition_ids, resolve

    for fid in [resolve(form_id)[0]] if form_id else form_ids():
        steps += [partial(f, fid) for f in (load_form, validator, labels_for)]
    steps += [partial(load_profile, e) for e in edition_ids()]  # every edition's, validated
    converted = ["toolkit.read.convert", "toolkit.read.docx_reader"]
    images = ["toolkit.read.image_reader", "toolkit.read.pdf_reader", "pdfplumber"]
    modules = {
        "docx": ["toolkit.read.docx_reader"],
        "odt": ["toolkit.read.odt_reader"],
        "pdf": ["toolkit.read.pdf_reader", "pdfplumber"],
        **{k: converted for k in ("doc", "wps", "rtf")},
        **{k: images for k in ("jpg", "png", "tif", "bmp")},
    }
    for name in [m for kind in sorted(kinds) for m in modules.get(kind, [])]:
        steps.append(partial(importlib.import_module, name))
    for step in steps:
        try:
            step()
        except Exception:  # best effort: what fails here fails again, reported, in its file
            pass
    # What is loaded now lives as long as the workers: keep the collector off it, so it is
    # neither scanned in every worker's collections nor copied page by page after the fork.
    gc.collect()
    gc.freeze()


def _slow(rel: str) -> bool:
    return kind_of(rel) in SLOW_KINDS


def _cost(root: str, rel: str) -> tuple[bool, int]:
    member = archive_member(root, rel)
    try:
        size = (member[0] if member else Path(root) / rel).stat().st_size
    except OSError:
        size = 0
    return (_slow(rel), size)


def plan(root: str, files: list[str], jobs: int, chunk: int = 4) -> list[list[str]]:
    """The tasks for the workers, longest first: each PDF, scan image or file to convert alone,
    Word files and records ``chunk`` at a time (fewer, towards the end, so that the workers
    finish together)."""
    by_cost = sorted(files, key=lambda rel: _cost(root, rel), reverse=True)
    pdfs = [[rel] for rel in by_cost if _slow(rel)]
    rest = [rel for rel in by_cost if not _slow(rel)]
    tasks = list(pdfs)
    tail = jobs * chunk  # the last files go one by one
    head, last = rest[: max(0, len(rest) - tail)], rest[max(0, len(rest) - tail) :]
    tasks += [head[i : i + chunk] for i in range(0, len(head), chunk)]
    tasks += [[rel] for rel in last]
    return tasks


def _context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def kind_of(rel: str) -> str:
    """The kind of file a result reports, from the format table (``docx``, ``odt``, ``doc``,
    ``pdf``, ``jpg``, ``json`` ...; a file inside an archive by its own name), else its suffix."""
    return kind_of_name(rel)


def crashed(rel: str, exc: BaseException | None = None) -> FileResult:
    cause = f"（{type(exc).__name__}）" if exc is not None else ""
    return FileResult(file=rel, kind=kind_of(rel), error=f"检查该文件时进程异常退出{cause}，文件可能已损坏")


def timed_out(rel: str, seconds: float) -> FileResult:
    return FileResult(
        file=rel,
        kind=kind_of(rel),
        error=f"检查该文件超过 {seconds:g} 秒仍未完成，已停止；文件可能已损坏，或页数过多（可用 --timeout 放宽）",
    )


def cores() -> int:
    """The cores this process may run on (fewer than the machine's in a limited container)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def check_files(
    root: str | os.PathLike[str],
    files: list[str],
    form_id: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    timeout: float | None = TIMEOUT,
) -> list[FileResult]:
    """Check ``files`` (relative to ``root``) with ``jobs`` worker processes (default: the
    machine's cores); results come back in the order of ``files``, whatever order they
    finish in. A file still being checked after ``timeout`` seconds (None: no limit) is
    reported as timed out. With one job and no time limit the files are checked in this
    process."""
    root = str(root)
    total = len(files)
    jobs = max(1, min(jobs or cores(), total))
    results: dict[str, FileResult] = {}

    def done(result: FileResult) -> None:
        results[result.file] = result
        if progress:
            progress(len(results), total, result.file)

    if jobs <= 1 and not timeout:
        for rel in files:
            done(check_one(root, rel, form_id))
        return [results[rel] for rel in files]

    import gc

    warm({kind_of(f) for f in files}, form_id)
    try:
        _run_all(root, plan(root, files, jobs), form_id, jobs, done, results, timeout)
    finally:
        gc.unfreeze()
    return [results[rel] for rel in files]


def _run_all(
    root: str,
    pending: list[list[str]],
    form_id: str | None,
    jobs: int,
    done: Callable[[FileResult], None],
    results: dict[str, FileResult],
    timeout: float | None = None,
) -> None:
    while pending:
        before = len(results)
        broken, suspects = _run_pool(root, pending, form_id, jobs, done, timeout)
        if broken and not suspects and len(results) == before:
            # a worker killed from outside before it began a file, and nothing came of the pool:
            # running the same files again would end the same way
            for task in pending:
                for rel in task:
                    if rel not in results:
                        done(crashed(rel))
        # The pool broke: whatever a worker had begun is suspect and is checked again alone,
        # in a pool of its own, so that only a file that crashes by itself is lost.
        for rel in suspects:
            if rel not in results and _run_pool(root, [[rel]], form_id, 1, done, timeout)[0]:
                if rel not in results:
                    done(crashed(rel))
        pending = [[rel for rel in task if rel not in results] for task in pending]
        pending = [task for task in pending if task]


def _run_pool(
    root: str,
    tasks: list[list[str]],
    form_id: str | None,
    jobs: int,
    done: Callable[[FileResult], None],
    timeout: float | None = None,
) -> tuple[bool, list[str]]:
    """Run ``tasks`` in a pool of ``jobs`` workers, giving each result to ``done``. Returns
    whether a worker died (or was stopped: a file over ``timeout`` seconds is given to ``done``
    as timed out and its worker killed), and the files begun but not finished when it did."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = _context()
    started = ctx.SimpleQueue()
    begun: dict[str, None] = {}  # begun and not given to ``done``, in order
    current: dict[int, tuple[str, float]] = {}  # each worker's file now: since when
    finished: set[str] = set()

    def drain() -> None:
        while not started.empty():
            pid, rel = started.get()
            begun[rel] = None
            current[pid] = (rel, time.monotonic())

    def stop_overdue() -> None:
        now = time.monotonic()
        for pid, (rel, since) in list(current.items()):
            if timeout and now - since > timeout and rel not in finished:
                del current[pid]
                begun.pop(rel, None)
                finished.add(rel)
                done(timed_out(rel, timeout))
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:  # pragma: no cover - it finished meanwhile
                    pass

    broken = False
    workers = min(jobs, len(tasks))
    tick = min(1.0, timeout / 4) if timeout else 1.0
    left = sum(len(task) for task in tasks)
    ocr_threads = ctx.RawValue("i", 1)  # what each worker's OCR may use now
    machine = cores()

    def share_cores() -> None:
        # the cores shared among the workers with a file to check: once fewer files are left
        # than workers, the idle workers' cores go to the busy ones' OCR
        busy = max(1, min(workers, left - len(finished)))
        ocr_threads.value = max(1, min(MAX_OCR_THREADS, machine // busy))

    share_cores()

    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(started, ocr_threads)
    ) as pool:
        futures = {pool.submit(check_chunk, root, task, form_id): task for task in tasks}
        waiting = set(futures)
        while waiting:
            ready, waiting = wait(waiting, timeout=tick, return_when=FIRST_COMPLETED)
            drain()
            for future in ready:
                try:
                    chunk = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                except Exception as exc:  # pragma: no cover - check_one catches everything
                    chunk = [crashed(rel, exc) for rel in futures[future]]
                for result in chunk:
                    begun.pop(result.file, None)
                    if result.file not in finished:
                        finished.add(result.file)
                        done(result)
            stop_overdue()
            share_cores()
    drain()
    return broken, (list(begun) if broken else [])
