"""Uploads checked in worker processes, and a check that runs over its time stopped by killing
its worker.

The workers fork from a server process (multiprocessing's ``forkserver``) that has imported and
warmed the checking code (``toolkit.web.preload``), then stay for the next uploads. A hostile file
that makes a reader spin or eat memory costs a worker, never the web server: after ``seconds``
the pool's workers are killed (a check running beside it at that moment gets the error page and
may be uploaded again) and a fresh pool takes the next uploads.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .work import Limits, Outcome, Refused, check_upload


class TimedOut(Exception):
    pass


class Crashed(Exception):
    pass


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["toolkit.web.preload"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _task(data: bytes, name: str, form_id: str | None, limits: Limits) -> tuple[str, Any]:
    try:
        return "ok", check_upload(data, name, form_id, limits)
    except Refused as exc:
        return "refused", (str(exc), exc.title, exc.status)
    except Exception as exc:  # reported as the error page; the detail goes to the server log
        return "crashed", f"{type(exc).__name__}: {exc}"


def _ready() -> int:
    return os.getpid()


class Workers:
    """``jobs`` worker processes; :meth:`run` checks one upload in one of them."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _get(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.jobs, mp_context=_context())
            return self._pool

    def start(self) -> None:
        """Start every worker now, not on the first uploads."""
        pool = self._get()
        for future in [pool.submit(_ready) for _ in range(self.jobs)]:
            future.result(timeout=120)

    def _drop(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                os.kill(process.pid, signal.SIGKILL)
            except (ProcessLookupError, TypeError):
                pass
        pool.shutdown(wait=False, cancel_futures=True)

    def run(self, data: bytes, name: str, form_id: str | None, limits: Limits) -> Outcome:
        """:func:`~toolkit.web.work.check_upload` in a worker: :class:`TimedOut` after
        ``limits.seconds``, :class:`Crashed` when the worker dies or fails, :class:`Refused` as
        the check says. The caller lets at most ``jobs`` uploads in at once, so an upload never
        waits in the pool's queue and the time limit is the check's own."""
        pool = self._get()
        try:
            future = pool.submit(_task, data, name, form_id, limits)
            status, payload = future.result(timeout=limits.seconds)
        except FutureTimeout:
            self._drop(pool)
            raise TimedOut() from None
        except BrokenProcessPool:
            self._drop(pool)
            raise Crashed("a worker died") from None
        if status == "ok":
            return payload
        if status == "refused":
            message, title, code = payload
            raise Refused(message, title, code)
        raise Crashed(payload)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
