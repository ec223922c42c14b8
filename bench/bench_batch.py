"""How much faster is ``ictk batch`` than checking the same files one by one?

Makes a folder of N forms (default 200) from the sample intake folder: the Word files copied
with the consortium name varied (so each copy is its own application) and the PDFs copied as
they are (three Word files for each PDF; of the PDFs about a quarter are real scans, read by
OCR), then measures in the same run, each in a fresh process:

- (b) the sum of the single-file checks: ``ictk check FILE --format json`` on every file, one
  after another, a process per file, as a clerk without ``ictk batch`` would run them; the sum
  of their wall times. This is the issue's baseline. ``--sample K`` times K files only and
  scales by kind (the output then says so).
- (a) in-process: ``toolkit.check.check_file`` on every file, one after another, in one
  Python process; the sum of the per-file wall times, by kind of file. A stricter floor than
  (b): no interpreter start, no imports after the first file, the OCR model loaded once. Note
  that a single scan's OCR already runs on 2 threads, so on 2 cores (a) is not a one-core sum
  for the scans, and no batch can reach 0.5x of it.
- batch: ``ictk batch DIR --json OUT --jobs J`` as a separate process, wall time from start to
  exit (interpreter start, imports, pairing, cross rules, the table and the JSON included), and
  the CPU time of the process and its workers.

Beside each measurement: how many cores other work on the machine took meanwhile (from
``/proc/stat``, less our own processes). On a machine shared with other work, ``--rounds R``
repeats (a) and the batch alternately and the best of each is compared.

    python bench/bench_batch.py [--files 200] [--jobs 2] [--sample 0] [--rounds 1] [--no-scans]

Target: batch / (b) <= 0.6 with 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SOURCE = ROOT / "samples" / "intake" / "folder"


def varied_copy(src: Path, dst: Path, n: int) -> None:
    """A copy of a Word form whose consortium name (and so its application) is its own."""
    from docx import Document

    doc = Document(src)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                text = cell.text
                if text.endswith("创新联合体") and "名称" not in text and len(text) < 40:
                    cell.paragraphs[0].runs[0].text = text.replace("创新联合体", f"{n:03d}号创新联合体")
                    for run in cell.paragraphs[0].runs[1:]:
                        run.text = ""
                    doc.save(dst)
                    return
    shutil.copyfile(src, dst)


def is_scan(pdf: Path) -> bool:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return not (doc.pages[0].extract_text() or "").strip()


def make_folder(folder: Path, count: int, scans: bool = True) -> list[Path]:
    from toolkit.batch.collect import find_forms

    forms, _ = find_forms(SOURCE)
    good = [SOURCE / f for f in forms if "损坏" not in f and "通知" not in f]
    words = [p for p in good if p.suffix == ".docx"]
    pdfs = [p for p in good if p.suffix == ".pdf" and (scans or not is_scan(p))]
    out = []
    for i in range(count):
        # three Word files for each PDF, about what an intake with some scans looks like
        if i % 4 == 3:
            src = pdfs[(i // 4) % len(pdfs)]
            dst = folder / f"{i:03d}-{src.name}"
            shutil.copyfile(src, dst)
        else:
            src = words[i % len(words)]
            dst = folder / f"{i:03d}-{src.name}"
            varied_copy(src, dst, i)
        out.append(dst)
    return out


class Machine:
    """How busy the whole machine was while something of ours ran: the CPU seconds all
    processes used (``/proc/stat``) minus those of our own child processes, so the output can
    say how many cores other work took meanwhile."""

    def __init__(self) -> None:
        self.busy0 = self._busy()
        self.ours0 = self._ours()
        self.t0 = time.perf_counter()

    @staticmethod
    def _busy() -> float | None:
        try:
            fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _ours() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        s = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime + s.ru_utime + s.ru_stime

    def others(self) -> str:
        """``other work: N cores`` over the time since this object was made."""
        busy = self._busy()
        wall = time.perf_counter() - self.t0
        if busy is None or self.busy0 is None or wall <= 0:
            return f"load {os.getloadavg()[0]:.2f}"
        theirs = max(0.0, (busy - self.busy0) - (self._ours() - self.ours0))
        return f"other work on the machine meanwhile: {theirs / wall:.2f} cores"


def in_process(folder: Path) -> None:
    """(a), run as ``bench_batch.py --in-process DIR`` in a fresh process: prints JSON."""
    from toolkit.check import check_file

    total = 0.0
    unreadable = 0
    by_kind: dict[str, list[float]] = {}
    files = sorted(p for p in folder.iterdir() if p.suffix in (".docx", ".pdf"))
    for f in files:
        t = time.perf_counter()
        report = check_file(f)
        spent = time.perf_counter() - t
        total += spent
        unreadable += report.verdict == "unreadable"
        kind = by_kind.setdefault(report.kind or "unreadable", [0, 0.0])
        kind[0] += 1
        kind[1] += spent
    print(json.dumps({"seconds": total, "files": len(files), "unreadable": unreadable, "by_kind": by_kind}))


KIND_NAMES = {"docx": "Word", "pdf": "text PDF", "scan": "scanned PDF", "unreadable": "unreadable"}


def measure_in_process(folder: Path) -> tuple[float, int, str]:
    proc = subprocess.run(
        [sys.executable, __file__, "--in-process", str(folder)], capture_output=True, text=True, check=True
    )
    data = json.loads(proc.stdout)
    kinds = ", ".join(
        f"{n} {KIND_NAMES.get(k, k)} {secs:.2f} s" for k, (n, secs) in sorted(data["by_kind"].items())
    )
    return data["seconds"], data["unreadable"], kinds


def ictk_command() -> list[str]:
    """The ``ictk`` a clerk runs: the console script of this Python (not a version-manager shim
    in front of it, whose own start-up is not ictk's), else ``python -m toolkit``."""
    script = Path(sys.executable).parent / "ictk"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "toolkit"]


def measure_one_by_one(files: list[Path], sample: int) -> tuple[float, str]:
    """(b): ``ictk check FILE`` per file, every file (``sample`` 0) or a sample scaled by kind."""

    def run(f: Path) -> float:
        t = time.perf_counter()
        proc = subprocess.run([*ictk_command(), "check", str(f), "--format", "json"], capture_output=True)
        spent = time.perf_counter() - t
        if proc.returncode not in (0, 1):
            raise SystemExit(f"ictk check {f.name} failed: {proc.stderr.decode()[-300:]}")
        return spent

    by_kind: dict[str, list[Path]] = {}
    for f in files:
        by_kind.setdefault(f.suffix, []).append(f)
    if not sample or sample >= len(files):
        spent = {suffix: [run(f) for f in group] for suffix, group in sorted(by_kind.items())}
        notes = [f"{len(t)} {s} at {sum(t) / len(t):.2f} s each" for s, t in spent.items()]
        return sum(sum(t) for t in spent.values()), "every file: " + ", ".join(notes)
    rng = random.Random(6)
    estimate = 0.0
    notes = []
    for suffix, group in sorted(by_kind.items()):
        k = max(1, round(sample * len(group) / len(files)))
        chosen = rng.sample(group, min(k, len(group)))
        mean = sum(run(f) for f in chosen) / len(chosen)
        estimate += mean * len(group)
        notes.append(f"{len(chosen)} of {len(group)} {suffix} at {mean:.2f} s each")
    return estimate, "SAMPLED " + ", ".join(notes) + ", scaled to all files"


def measure_batch(folder: Path, tmp: Path, jobs: int, n: int) -> tuple[float, float]:
    out = tmp / "out.json"
    out.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            *ictk_command(),
            "batch",
            str(folder),
            "--json",
            str(out),
            "--jobs",
            str(jobs),
            "--registry",
            str(tmp / "registry.db"),
        ],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1, 2) or not out.is_file():  # 2: a file could not be read
        raise SystemExit(f"ictk batch failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    reports = json.loads(out.read_text(encoding="utf-8"))["reports"]
    if len(reports) != n:
        raise SystemExit(f"ictk batch reported {len(reports)} files of {n}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--sample", type=int, default=0, help="time ictk check on this many files only (0: all)")
    ap.add_argument("--rounds", type=int, default=1, help="repeat (a) and the batch, alternately")
    ap.add_argument("--no-scans", action="store_true", help="Word files and text PDFs only")
    ap.add_argument("--in-process", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.in_process:
        in_process(args.in_process)
        return 0

    with tempfile.TemporaryDirectory(prefix="ictk-bench-") as tmpdir:
        tmp = Path(tmpdir)
        folder = tmp / "intake"
        folder.mkdir()
        files = make_folder(folder, args.files, scans=not args.no_scans)
        kinds = {s: sum(1 for f in files if f.suffix == s) for s in (".docx", ".pdf")}
        scans = sum(1 for f in files if f.suffix == ".pdf" and is_scan(f))
        print(
            f"{len(files)} forms ({kinds['.docx']} Word, {kinds['.pdf']} PDF of which {scans} scanned), "
            f"{os.cpu_count()} cores, --jobs {args.jobs}, ictk = {' '.join(ictk_command())}"
        )
        floor: list[float] = []
        batch: list[float] = []
        for r in range(1, args.rounds + 1):
            print(f"round {r}:")
            m = Machine()
            a, unreadable, by_kind = measure_in_process(folder)
            floor.append(a)
            print(f"  (a) check_file, one process:  {a:7.2f} s  ({by_kind}; {m.others()})")
            if unreadable:
                raise SystemExit(f"{unreadable} files unreadable: the folder is not what it should be")
            m = Machine()
            wall, cpu = measure_batch(folder, tmp, args.jobs, len(files))
            batch.append(wall)
            print(
                f"  ictk batch --jobs {args.jobs}:          {wall:7.2f} s  "
                f"(CPU {cpu:.2f} s, {cpu / wall:.2f} cores busy; {m.others()})"
            )
            print(f"  this round: batch / (a) = {wall / a:.2f}x")
        m = Machine()
        b, how = measure_one_by_one(files, args.sample)
        print(f"(b) ictk check FILE, each:      {b:7.2f} s  ({how}; {m.others()})")

    best_a, best_batch = min(floor), min(batch)
    if args.rounds > 1:
        rounds = sorted(w / a for w, a in zip(batch, floor, strict=True))
        print(f"per-round ratios batch / (a): {', '.join(f'{r:.2f}x' for r in rounds)}")
        print(f"best of {args.rounds} rounds each: batch {best_batch:.2f} s, (a) {best_a:.2f} s")
    print(
        f"ratio batch / (b) the sum of single-file checks: {best_batch / b:.2f}x (target <= 0.60x with 2 cores)"
    )
    print(
        f"ratio batch / (a) the in-process floor:         {best_batch / best_a:.2f}x (a stricter floor, no target: see the docstring)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
