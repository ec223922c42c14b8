"""``ictk`` run as a user runs it, for the tests: ``python -m toolkit`` in a child process, with
UTF-8 output and without ``ICTK_DEBUG`` (which would print tracebacks the tests look for)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def ictk(
    *args: object, cwd: Path | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("ICTK_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def one_chinese_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The single line a refused call prints (exit status 2): Chinese, no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), lines[0]
    return lines[0]
