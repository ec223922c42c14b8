"""How much faster is ``ictk batch`` than checking the same files one by one?

Makes a folder of N forms (default 200) from the sample intake folder: the Word files copied
with the consortium name varied (so each copy is its own application) and the PDFs copied as
they are, then in the same run measures

- baseline: ``toolkit.check.check_file`` on every file, one after another, in this process
  (the sum of the per-file wall times; the first call pays the lazy imports, as the batch does);
- batch: ``ictk batch DIR --json OUT --jobs J`` as a separate process, wall time from start to
  exit (interpreter start, imports, pairing, cross rules and the JSON included).

    python bench/bench_batch.py [--files 200] [--jobs 2]

Target: batch / baseline <= 0.6 with 2 cores.
"""

from __future__ import annotations

import argparse
import os
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


def make_folder(folder: Path, count: int) -> list[Path]:
    from toolkit.batch.collect import find_forms

    forms, _ = find_forms(SOURCE)
    good = [SOURCE / f for f in forms if "损坏" not in f and "通知" not in f]
    words = [p for p in good if p.suffix == ".docx"]
    pdfs = [p for p in good if p.suffix == ".pdf"]
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="ictk-bench-") as tmp:
        folder = Path(tmp) / "intake"
        folder.mkdir()
        files = make_folder(folder, args.files)
        kinds = {s: sum(1 for f in files if f.suffix == s) for s in (".docx", ".pdf")}
        print(
            f"{len(files)} forms ({kinds['.docx']} Word, {kinds['.pdf']} PDF), {os.cpu_count()} cores, "
            f"--jobs {args.jobs}"
        )

        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "toolkit",
                "batch",
                str(folder),
                "--json",
                str(Path(tmp) / "out.json"),
                "--jobs",
                str(args.jobs),
                "--registry",
                str(Path(tmp) / "registry.db"),
            ],
            capture_output=True,
            text=True,
        )
        batch = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            print(proc.stderr, file=sys.stderr)
            return 2

        from toolkit.check import check_file

        baseline = 0.0
        unreadable = 0
        for f in files:
            t = time.perf_counter()
            report = check_file(f)
            baseline += time.perf_counter() - t
            unreadable += report.verdict == "unreadable"

    print(f"baseline (check_file one by one, one process): {baseline:8.2f} s  ({unreadable} unreadable)")
    print(f"ictk batch --jobs {args.jobs}:                      {batch:8.2f} s")
    print(f"ratio batch / baseline: {batch / baseline:.2f}x (target <= 0.60x with 2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
