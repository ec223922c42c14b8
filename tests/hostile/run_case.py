"""Run ictk commands on one hostile file in this process, as the shell would run them, and print
what each did as JSON: exit status, stdout, stderr, seconds (clock and CPU); and the peak memory
of the process.

    python tests/hostile/run_case.py FILE OUTDIR

The test starts this under resource limits (address space, CPU time), so that a bomb that gets
through is stopped and reported instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time


def run(argv: list[str]) -> dict:
    from toolkit.cli import main

    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        start, cpu = time.perf_counter(), _cpu()
        code: int | str | None = 0
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException as exc:
            import traceback

            traceback.print_exc()
            code = f"escaped {type(exc).__name__}"
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        out.seek(0)
        err.seek(0)
        return {
            "argv": argv,
            "code": code,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
            "seconds": round(seconds, 2),
            "cpu": round(cpu, 2),
        }


def _cpu() -> float:
    """CPU seconds of this process and its children: unlike the clock, not stretched by a
    machine busy with other work."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    path, outdir = sys.argv[1], sys.argv[2]
    stage = "lz-bureau"
    results = [
        run(["parse", path]),
        run(["check", path]),
        run(["generate", "agreement", path, "-o", os.path.join(outdir, "协议.docx")]),
        run(["generate", "opinion", path, "--stage", stage, "-o", os.path.join(outdir, "意见.docx")]),
    ]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"results": results, "peak_mb": peak_kb // 1024}, ensure_ascii=False))


if __name__ == "__main__":
    main()
