"""The worker processes of ``ictk batch``: a file that kills its worker costs that file only,
and the report is the same whatever order the workers finish in."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from toolkit.batch import collect
from toolkit.batch.collect import find_forms, plan
from toolkit.batch.run import assemble, run_batch

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "samples" / "intake" / "folder"

pytestmark = pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(),
    reason="the patched check must reach the workers through fork",
)


@pytest.fixture(scope="module")
def serial():
    """The sample intake folder checked in this process, one file after another."""
    return run_batch(FOLDER, jobs=1)


def test_a_file_that_kills_its_worker_costs_that_file_only(monkeypatch, serial):
    real = collect.check_one
    victim = "柳南区/智驰底盘-预申报表.docx"

    def crashing(root, rel, form_id=None):
        if rel == victim:
            os._exit(139)  # as a segfault in a native library would end the worker
        return real(root, rel, form_id)

    monkeypatch.setattr(collect, "check_one", crashing)
    seen = []
    result = run_batch(FOLDER, jobs=2, progress=lambda done, total, name: seen.append((done, total, name)))

    assert [f.file for f in result.files] == [f.file for f in serial.files]  # no file lost
    (crashed,) = [f for f in result.files if f.file == victim]
    assert crashed.verdict == "unreadable" and "进程异常退出" in crashed.error
    for mine, theirs in zip(result.files, serial.files, strict=True):
        if mine.file != victim:
            assert (mine.verdict, mine.record, mine.error) == (theirs.verdict, theirs.record, theirs.error)
    # its scanned PDF is now an application of its own, reported as missing its Word file
    (pdf_app,) = [a for a in result.applications if "扫描件/scan-0001.pdf" in a.file_names]
    assert pdf_app.file_names == ["扫描件/scan-0001.pdf"]
    assert "LZ-BATCH-PAIR" in {f.code for f in pdf_app.batch_findings}
    # the progress counted every file read once, up to the total (the meeting notice too: it is
    # read, then found to be no form)
    read = sorted([f.file for f in serial.files] + ["会议通知.docx"])
    assert [d for d, _, _ in seen] == list(range(1, len(read) + 1))
    assert sorted(name for _, _, name in seen) == read


def test_the_report_does_not_depend_on_the_order_the_workers_finish_in(monkeypatch, serial):
    real = collect.check_one
    files, _ = find_forms(FOLDER)
    # the first files of the folder take longest: they finish last
    delay = {rel: 0.08 * (len(files) - i) / len(files) for i, rel in enumerate(files)}
    finished = []

    def slow(root, rel, form_id=None):
        time.sleep(delay[rel])
        return real(root, rel, form_id)

    monkeypatch.setattr(collect, "check_one", slow)
    result = run_batch(FOLDER, jobs=2, progress=lambda done, total, name: finished.append(name))

    assert finished != files  # they did finish out of order
    assert result.to_json() == serial.to_json()


def test_every_file_is_given_to_a_worker_once_pdfs_first():
    files, _ = find_forms(FOLDER)
    tasks = plan(str(FOLDER), files, jobs=2, chunk=3)
    flat = [rel for task in tasks for rel in task]
    assert sorted(flat) == sorted(files) and len(flat) == len(set(flat))
    pdfs = [rel for rel in files if rel.endswith(".pdf")]
    assert [t[0] for t in tasks[: len(pdfs)]] == sorted(pdfs, key=lambda r: -(FOLDER / r).stat().st_size)
    assert all(len(t) == 1 for t in tasks[: len(pdfs)])
    assert max(len(t) for t in tasks) <= 3


def test_a_file_that_hangs_is_reported_and_the_others_are_checked(monkeypatch, serial):
    real = collect.check_one
    victim = "城中区/云智工业软件.docx"

    def hanging(root, rel, form_id=None):
        if rel == victim:
            time.sleep(3600)  # as a reader caught in a loop would
        return real(root, rel, form_id)

    monkeypatch.setattr(collect, "check_one", hanging)
    # the scans are left out: their OCR takes longer than this test's time limit
    files = [f.file for f in serial.files if not f.file.startswith("扫描件/")]
    seen = []
    started = time.monotonic()
    results = collect.check_files(
        FOLDER, files, jobs=2, timeout=5, progress=lambda d, t, name: seen.append(name)
    )

    assert time.monotonic() - started < 600  # it was stopped, not waited for
    assert [f.file for f in results] == files
    (hung,) = [f for f in results if f.file == victim]
    assert hung.verdict == "unreadable"
    assert hung.error.startswith("检查该文件超过 5 秒仍未完成，已停止")
    theirs = {f.file: f for f in serial.files}
    for mine in results:
        if mine.file != victim:
            same = theirs[mine.file]
            assert (mine.verdict, mine.record, mine.error) == (same.verdict, same.record, same.error)
    assert sorted(seen) == sorted(files)  # each file reported once
    # its PDF stands alone now, reported as missing its Word file
    apps = assemble(str(FOLDER), results).applications
    (pdf_app,) = [a for a in apps if "城中区/云智工业软件.pdf" in a.file_names]
    assert pdf_app.file_names == ["城中区/云智工业软件.pdf"]
    assert "LZ-BATCH-PAIR" in {f.code for f in pdf_app.batch_findings}


def test_a_time_limit_applies_with_one_worker_too(monkeypatch):
    real = collect.check_one
    victim = "自治区/蓝湾海洋生物.docx"

    def hanging(root, rel, form_id=None):
        if rel == victim:
            while True:  # busy, not asleep
                pass
        return real(root, rel, form_id)

    monkeypatch.setattr(collect, "check_one", hanging)
    files = ["柳南区/智驰-轻量化材料.docx", victim, "柳江区/螺蛳粉研究院-预申报表.docx"]
    results = collect.check_files(FOLDER, files, jobs=1, timeout=2)
    assert [r.file for r in results] == files
    assert [r.verdict for r in results] == ["pass", "unreadable", "warn"]
    assert "超过 2 秒" in results[1].error
