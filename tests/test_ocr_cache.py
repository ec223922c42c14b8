"""Scan readings kept on disk (toolkit.ocr.cache): the same bytes are read once, the kept
reading is the reading, and a changed file, a broken entry or an unwritable folder never gives
a wrong or a failed check."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("cv2")

from toolkit.ocr import cache
from toolkit.read import Cell, Grid, Layout

SCAN = "scans/lz-pass-scan.pdf"


class Counting:
    """A stand-in for the OCR that says how often it was asked, returning a fixed layout."""

    def __init__(self, layout: Layout) -> None:
        self.layout, self.calls = layout, []

    def __call__(self, path, pages):
        self.calls.append((Path(path).name, pages))
        return self.layout


def small_layout() -> Layout:
    cells = [
        Cell("联合体名称", confidence=0.99, page=1, bbox=(10.0, 20.0, 30.0, 40.0), col=0, ink=True),
        Cell("柳州市&<\"'\u202e创新联合体", confidence=0.5, page=1, span=2, doubt="两行合成一格"),
    ]
    return Layout(
        source="x.pdf",
        kind="scan",
        blocks=["柳州市市级创新联合体预申报表", Grid(rows=[cells, [Cell("", continued=True)]], page=1)],
        seals=[{"page": 1, "centre": [100.5, 80.0], "radius": 40.0, "shape": "circle"}],
        colourless=True,
        quality={1: {"speck_density": 0.001, "median_score": 0.93}},
    )


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ICTK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "ocr"


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ICTK_CACHE_DIR", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "ocr"
    for off in ("off", "", "0"):
        monkeypatch.setenv("ICTK_CACHE_DIR", off)
        assert cache.cache_dir() is None
    monkeypatch.delenv("ICTK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "ictk" / "ocr"


def test_the_same_bytes_are_read_once_and_changed_bytes_again(folder, tmp_path, samples):
    scan = tmp_path / "扫描件.pdf"
    shutil.copyfile(samples / SCAN, scan)
    read = Counting(small_layout())
    first = cache.cached_read(scan, None, read)
    again = cache.cached_read(scan, None, read)
    assert read.calls == [("扫描件.pdf", None)]
    assert again.source == str(scan) and again is not first
    assert again == replace(first, source=str(scan))
    cache.cached_read(scan, [2], read)  # other pages: another reading
    assert read.calls[-1] == ("扫描件.pdf", [2])
    copy = tmp_path / "副本.pdf"  # the same bytes under another name: the same reading
    shutil.copyfile(scan, copy)
    assert cache.cached_read(copy, None, read).source == str(copy) and len(read.calls) == 2
    with scan.open("ab") as fh:  # one byte more: read again
        fh.write(b"\n")
    cache.cached_read(scan, None, read)
    assert len(read.calls) == 3
    assert len(list(folder.glob("*.json"))) == 3 and not list(folder.glob(".tmp-*"))


def test_a_new_reader_does_not_take_the_old_readings(folder, tmp_path, samples, monkeypatch):
    read = Counting(small_layout())
    cache.cached_read(samples / SCAN, None, read)
    monkeypatch.setattr(cache, "fingerprint", lambda: "another reader")
    cache.cached_read(samples / SCAN, None, read)
    assert len(read.calls) == 2


def test_a_broken_entry_is_read_again_and_replaced(folder, samples):
    read = Counting(small_layout())
    cache.cached_read(samples / SCAN, None, read)
    (entry,) = folder.glob("*.json")
    for broken in ("{", '{"blocks": [{"rows": 5}]}', "[]", "\udcff"):
        entry.write_text(broken, encoding="utf-8", errors="surrogateescape")
        assert cache.cached_read(samples / SCAN, None, read) == small_layout()
    assert len(read.calls) == 5
    kept = cache.layout_from_json(json.loads(entry.read_text(encoding="utf-8")))
    assert replace(kept, source="x.pdf") == small_layout()


def test_a_cache_path_that_is_a_file_is_skipped(tmp_path, monkeypatch, samples):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("ICTK_CACHE_DIR", str(blocker))
    read = Counting(small_layout())
    assert cache.cached_read(samples / SCAN, None, read) == small_layout()
    assert cache.cached_read(samples / SCAN, None, read) == small_layout()
    assert len(read.calls) == 2 and blocker.is_file() and blocker.read_text() == "x"


def test_the_oldest_entries_go_beyond_the_limit(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    read = Counting(small_layout())
    for i in range(5):
        f = tmp_path / f"{i}.pdf"
        f.write_bytes(b"%PDF-1.4 " + bytes([i]))
        cache.cached_read(f, None, read)
        entry = max(folder.glob("*.json"), key=lambda e: e.stat().st_mtime_ns)
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
    assert len(list(folder.glob("*.json"))) == 3
    read.calls.clear()
    cache.cached_read(tmp_path / "4.pdf", None, read)  # the newest is kept
    cache.cached_read(tmp_path / "0.pdf", None, read)  # the oldest is gone
    assert [name for name, _ in read.calls] == ["0.pdf"]


def test_a_real_scan_kept_and_read_back_reads_the_same(folder, samples):
    """The OCR of a real scan's page through JSON and back is the same layout, and gives the
    same record; read again, it comes from the cache (one page: the other tests read the whole
    sample scans through the run's cache)."""
    from toolkit.ocr import read_scan
    from toolkit.read.extract import extract

    fresh = read_scan(samples / SCAN, [1])  # the folder is empty: this is the OCR's own reading
    (entry,) = folder.glob("*.json")
    kept = cache.layout_from_json(json.loads(entry.read_text(encoding="utf-8")))
    kept.source = fresh.source
    assert kept == fresh
    assert any(isinstance(b, Grid) for b in kept.blocks) and kept.quality[1]
    assert extract(kept, "lz-preapply-2024").record == extract(fresh, "lz-preapply-2024").record
    assert read_scan(samples / SCAN, [1]) == fresh
    assert len(list(folder.glob("*.json"))) == 1  # read by the OCR once in all


def _slow_read(log: str, path, pages):
    """A reading that takes a while and leaves a line in ``log`` (for the processes below)."""
    import time

    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    time.sleep(0.5)
    return small_layout()


def _read_in_process(folder: str, scan: str, log: str, start, out) -> None:
    os.environ["ICTK_CACHE_DIR"] = folder
    start.wait()
    layout = cache.cached_read(scan, None, lambda p, pages: _slow_read(log, p, pages))
    out.put(json.dumps(cache.layout_to_json(layout)))


def test_processes_given_the_same_scan_at_once_read_it_once(tmp_path, samples):
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    start, out, log = ctx.Barrier(3), ctx.Queue(), tmp_path / "reads.log"
    procs = [
        ctx.Process(target=_read_in_process, args=(str(tmp_path), str(samples / SCAN), str(log), start, out))
        for _ in range(3)
    ]
    for p in procs:
        p.start()
    got = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert len(log.read_text().splitlines()) == 1  # one of the three read it; two waited
    assert got == [json.dumps(cache.layout_to_json(small_layout()))] * 3
