"""Uploads checked in worker processes; a check that runs over its time is stopped by killing
its own worker, and a fresh worker takes its place.

The workers fork from a server process (multiprocessing's ``forkserver``) that has imported and
warmed the checking code (``toolkit.web.preload``), then stay for the next uploads. A hostile file
that makes a reader spin or eat memory costs one worker, never the web server nor the uploads
being checked beside it.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import tempfile
import threading
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


def _task(data: bytes, name: str, form_id: str | None, limits: Limits, folder: str) -> tuple[str, Any]:
    try:
        return "ok", check_upload(data, name, form_id, limits, folder)
    except Refused as exc:
        return "refused", (str(exc), exc.title, exc.status)
    except Exception as exc:  # reported as the error page; the detail goes to the server log
        return "crashed", f"{type(exc).__name__}: {exc}"


def _serve(conn: Any) -> None:
    """A worker's loop: one job in, one result out, until the pipe closes."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(("ready", os.getpid()) if job == "ping" else _task(*job))


class _Worker:
    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        try:
            os.kill(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, TypeError):
            pass
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.process.join(5)
        except (OSError, ValueError):
            pass
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


class Workers:
    """``jobs`` worker processes; :meth:`run` checks one upload in an idle one."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._ctx: Any = None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._started = False

    def _spawn(self) -> _Worker:
        if self._ctx is None:
            self._ctx = _context()
        return _Worker(self._ctx)

    def start(self) -> None:
        """Start every worker now and wait until each answers, not on the first uploads."""
        with self._lock:
            if self._started:
                return
            self._started = True
            workers = [self._spawn() for _ in range(self.jobs)]
        for worker in workers:
            worker.conn.send("ping")
            if not worker.conn.poll(120):
                raise RuntimeError("a web worker did not start")
            worker.conn.recv()
            self._idle.put(worker)

    def run(self, data: bytes, name: str, form_id: str | None, limits: Limits) -> Outcome:
        """:func:`~toolkit.web.work.check_upload` in a worker: :class:`TimedOut` after
        ``limits.seconds``, :class:`Crashed` when the worker dies or fails, :class:`Refused` as
        the check says. The caller lets at most ``jobs`` uploads in at once, so a worker is
        always idle when one arrives and the time limit is the check's own."""
        self.start()
        # The folder is the server's: it goes even when the worker is killed half-way.
        with tempfile.TemporaryDirectory(prefix="ictk-web-") as folder:
            return self._run(data, name, form_id, limits, folder)

    def _run(self, data: bytes, name: str, form_id: str | None, limits: Limits, folder: str) -> Outcome:
        worker = self._idle.get()
        try:
            worker.conn.send((data, name, form_id, limits, folder))
            if not worker.conn.poll(limits.seconds):
                worker.kill()
                worker = self._spawn()
                raise TimedOut()
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            worker.kill()
            worker = self._spawn()
            raise Crashed("a worker died") from None
        finally:
            self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "refused":
            message, title, code = payload
            raise Refused(message, title, code)
        raise Crashed(payload)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                break
