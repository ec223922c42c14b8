"""Faults around the tool, not in its input: a process killed mid-run, two clerks writing the
registry at once, a full disk, a read-only folder, a mistyped registry path. Nothing written is
ever half-written; the registry always opens and passes ``PRAGMA integrity_check``."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ictk_cli import one_chinese_line  # tests/ictk_cli.py

ROOT = Path(__file__).resolve().parent.parent
INTAKE = ROOT / "samples" / "intake"
RECORD = ROOT / "samples" / "records" / "lz-pass.json"


def ictk(*args: str, cwd: Path = ROOT, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=cwd, timeout=300, **kw
    )


def integrity(db: Path) -> tuple[str, int]:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0], con.execute(
            "SELECT count(*) FROM consortia"
        ).fetchone()[0]
    finally:
        con.close()


# -- a registry given for checking must exist -----------------------------------------------


@pytest.mark.parametrize("command", ["check", "batch", "list", "due"])
def test_a_mistyped_registry_is_an_error_and_creates_nothing(tmp_path, command):
    typo = tmp_path / "名录typo.db"
    target = {
        "check": ["check", str(ROOT / "samples/filled/clean/lz-pass.docx"), "--registry", str(typo)],
        "batch": ["batch", str(INTAKE / "folder"), "--registry", str(typo)],
        "list": ["registry", "list", "--registry", str(typo)],
        "due": ["registry", "due", "--registry", str(typo)],
    }[command]
    proc = ictk(*target)
    line = one_chinese_line(proc)
    assert "名录文件不存在" in line and "名录typo.db" in line and "registry import" in line
    assert "已与名录比对" not in proc.stdout
    assert list(tmp_path.iterdir()) == []


def test_registry_import_and_add_create_a_new_registry(tmp_path):
    db = tmp_path / "新名录.db"
    assert ictk("registry", "--registry", str(db), "import", str(INTAKE / "registry.csv")).returncode == 0
    assert integrity(db)[0] == "ok" and integrity(db)[1] > 0
    db2 = tmp_path / "另一个.db"
    proc = ictk("registry", "add", str(RECORD), "--registry", str(db2))
    assert proc.returncode == 0, proc.stderr
    assert integrity(db2) == ("ok", 1)


# -- two writers at once ----------------------------------------------------------------------

WRITER = """
import sys
from toolkit.batch.registry import Consortium, Member, Registry
db, tag = sys.argv[1], sys.argv[2]
with Registry(db) as reg:
    for i in range(50):
        reg.add(Consortium(name=f"{tag}创新联合体{i:02d}", lead_name=f"{tag}牵头单位{i}",
                           lead_uscc=f"91450200MA5{tag}{i:04d}X"[:18],
                           members=[Member(f"{tag}成员{i}-{k}", "") for k in range(3)]))
print("done", tag)
"""


def test_two_processes_adding_fifty_each_lose_none(tmp_path):
    db = tmp_path / "名录.db"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), tag],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("A", "B")
    ]
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
    ok, count = integrity(db)
    assert ok == "ok" and count == 100
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM members").fetchone()[0] == 300
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


# -- kill -9 ----------------------------------------------------------------------------------


def big_registry_table(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["创新联合体名称", "级别", "认定日期", "牵头单位名称", "牵头单位统一社会信用代码", "成员单位名称"]
        )
        for i in range(n):
            for k in range(3):
                w.writerow(
                    [
                        f"导入联合体{i:05d}",
                        "市级",
                        "2023-06-30",
                        f"牵头{i}",
                        f"91450200{i:010d}",
                        f"成员{i}-{k}",
                    ]
                )


def test_kill_9_during_registry_import_keeps_the_registry_as_it_was(tmp_path):
    db = tmp_path / "名录.db"
    assert ictk("registry", "--registry", str(db), "import", str(INTAKE / "registry.csv")).returncode == 0
    before = integrity(db)
    table = tmp_path / "大名单.csv"
    big_registry_table(table, 30000)
    killed = 0
    for delay in (0.8, 1.5, 2.5, 4.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "toolkit", "registry", "--registry", str(db), "import", str(table)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = integrity(db)
        assert after[0] == "ok"
        if proc.returncode == -signal.SIGKILL:
            killed += 1
            assert after == before  # all or nothing: nothing of the killed import
        else:
            assert after[1] == before[1] + 30000
            break
    assert killed, "the import always finished before it could be killed"
    assert ictk("registry", "list", "--registry", str(db)).returncode == 0


def _outputs_complete(out: Path, old: dict[str, bytes]) -> None:
    """Each report is absent, the old one untouched, or a complete new one."""
    for name in ("汇总.xlsx", "报告.html", "结果.json"):
        path = out / name
        if not path.exists():
            continue
        data = path.read_bytes()
        if data == old.get(name):
            continue
        if name.endswith(".json"):
            json.loads(data)
        elif name.endswith(".html"):
            assert data.rstrip().endswith(b"</html>")
        else:
            import zipfile

            with zipfile.ZipFile(path) as zf:
                assert zf.testzip() is None


def test_kill_9_during_batch_leaves_no_half_written_report(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    old = {"汇总.xlsx": b"old xlsx", "报告.html": b"old html", "结果.json": b"old json"}
    for name, data in old.items():
        (out / name).write_bytes(data)
    db = tmp_path / "名录.db"
    assert ictk("registry", "--registry", str(db), "import", str(INTAKE / "registry.csv")).returncode == 0
    folder = tmp_path / "收件"  # the intake folder without its scans: OCR would only slow this down
    shutil.copytree(INTAKE / "folder", folder, ignore=shutil.ignore_patterns("扫描件"))
    args = [
        sys.executable, "-m", "toolkit", "batch", str(folder), "--registry", str(db),
        "--xlsx", str(out / "汇总.xlsx"), "--html", str(out / "报告.html"), "--json", str(out / "结果.json"),
        "--opinions", str(out / "意见"), "--force", "-j", "2",
    ]  # fmt: skip
    killed = 0
    for delay in (0.8, 2.0):
        proc = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        killed += proc.wait() == -signal.SIGKILL
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # its workers, orphaned
        _outputs_complete(out, old)
        assert integrity(db)[0] == "ok"
    assert killed, "the batch always finished before it could be killed"
    # and a run to the end replaces them all
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
    # 2: the intake folder holds files that cannot be read, as a real one does (listed, not fatal)
    assert proc.returncode in (0, 1, 2) and "内部错误" not in proc.stderr, proc.stderr
    _outputs_complete(out, {})
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


# -- full disk, read-only folder --------------------------------------------------------------


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_file_size_limit_gives_a_clear_error_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "空白表.docx"
    target.write_bytes(b"old")
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "forms", "blank", "lz-preapply-2024", "-o", str(target), "--force"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_file_size(4096),
    )
    line = one_chinese_line(proc)
    assert "无法写入" in line and "大小" in line
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["空白表.docx"]


def test_full_registry_disk_gives_a_clear_error_and_keeps_the_registry(tmp_path):
    db = tmp_path / "名录.db"
    assert ictk("registry", "--registry", str(db), "import", str(INTAKE / "registry.csv")).returncode == 0
    before = integrity(db)
    table = tmp_path / "大名单.csv"
    big_registry_table(table, 3000)
    size = db.stat().st_size + sum(p.stat().st_size for p in tmp_path.glob("名录.db-*"))
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "registry", "--registry", str(db), "import", str(table)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_file_size(max(size, 64 * 1024) + 64 * 1024),
    )
    line = one_chinese_line(proc)
    assert "名录" in line and "保持原样" in line
    assert integrity(db) == before


def _mount_tmpfs(path: Path, size: str, readonly: bool = False) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    opts = f"size={size}" + (",ro" if readonly else "")
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True
        ).returncode
        == 0
    )


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount_tmpfs(disk, "96k"):
        pytest.skip("needs root to mount a small tmpfs (the RLIMIT_FSIZE tests cover the non-root case)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_full_disk_gives_a_clear_error_and_keeps_the_old_file(small_disk):
    target = small_disk / "空白表.docx"
    target.write_bytes(b"old")
    st = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(b"\0" * (st.f_bavail * st.f_frsize - 8192))  # 8 KB left
    proc = ictk("forms", "blank", "gx-recognition", "-o", str(target), "--force")
    line = one_chinese_line(proc)
    assert "磁盘空间不足" in line
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "空白表.docx"]


@pytest.fixture
def readonly_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "旧报告.json").write_text("old", encoding="utf-8")
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    # root writes through permission bits: a read-only mount holding the old file instead
    if not _mount_tmpfs(folder, "1m"):
        pytest.skip("needs permission bits (non-root) or a tmpfs mount (root)")
    (folder / "旧报告.json").write_text("old", encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_read_only_folder_gives_a_clear_error_and_keeps_the_old_file(readonly_folder):
    target = readonly_folder / "旧报告.json"
    proc = ictk("batch", str(INTAKE / "folder"), "--json", str(target), "--force")
    line = one_chinese_line(proc)
    assert "不可写" in line or "只读" in line
    assert target.read_text(encoding="utf-8") == "old"
    proc = ictk("batch", str(INTAKE / "folder"), "--opinions", str(readonly_folder / "意见"))
    line = one_chinese_line(proc)
    assert ("不可写" in line or "只读" in line) and "意见" in line
    assert sorted(p.name for p in readonly_folder.iterdir()) == ["旧报告.json"]


def test_a_registry_on_read_only_media_is_read_but_not_written(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    root = os.geteuid() == 0
    if root and not _mount_tmpfs(media, "2m"):
        pytest.skip("needs permission bits (non-root) or a tmpfs mount (root)")
    db = media / "名录.db"
    try:
        assert ictk("registry", "--registry", str(db), "import", str(INTAKE / "registry.csv")).returncode == 0
        if root:
            subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        else:
            media.chmod(0o555)
            db.chmod(0o444)
        proc = ictk("check", str(ROOT / "samples/filled/clean/lz-pass.docx"), "--registry", str(db))
        assert proc.returncode in (0, 1) and "结论" in proc.stdout, proc.stderr
        listed = ictk("registry", "--registry", str(db), "list")
        assert listed.returncode == 0 and len(listed.stdout.strip().splitlines()) == 4, listed.stderr
        line = one_chinese_line(ictk("registry", "add", str(RECORD), "--registry", str(db)))
        assert "只读" in line and "保持原样" in line
    finally:
        if root:
            subprocess.run(["umount", "-l", str(media)], check=False)
        else:
            media.chmod(0o755)
