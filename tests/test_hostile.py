"""Hostile input: every case of the corpus (tests/hostile/make_corpus.py) through parse, check,
generate and batch. Each command either refuses the file with one Chinese line and exit status 2
or gives a correct report; never a traceback, never an internal error, at most 30 CPU seconds per
command and 1 GB per case, and the text of an entity (or of a file it points at) never appears
in any output."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "hostile"))

import make_corpus  # noqa: E402

CORPUS = HERE / "hostile" / "corpus"
SECONDS = 30
MEMORY_MB = 1024
# The answers of an unexpected exception caught by a safety net: each is a bug of its own.
SAFETY_NETS = ("内部错误", "Traceback", "读取文件时出错（", "无法读取该文件：")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """The kept corpus, plus the big cases made now (10 MB and 100 MB are not kept)."""
    folder = tmp_path_factory.mktemp("hostile")
    for path in CORPUS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    make_corpus.write(folder, big=True, small=False)
    return folder


def test_the_kept_corpus_is_what_the_script_makes(tmp_path):
    made = make_corpus.write(tmp_path, big=False)
    kept = {p.name: p.read_bytes() for p in CORPUS.iterdir()}
    assert sorted(kept) == sorted(p.name for p in made)
    for p in made:
        assert kept[p.name] == p.read_bytes(), (
            f"{p.name}: run python tests/hostile/make_corpus.py --kept tests/hostile/corpus"
        )
    assert sum(map(len, kept.values())) < 3 * 1024 * 1024  # small on disk


def _limits() -> None:
    # Address space well above what a normal check maps (OCR models, numpy), so that only a
    # runaway allocation hits it; the resident peak is checked against MEMORY_MB separately.
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (5 * SECONDS, 5 * SECONDS))


def _outputs_text(folder: Path) -> str:
    """Every text an output file holds, documents unzipped."""
    texts = []
    for p in folder.rglob("*"):
        if not p.is_file():
            continue
        data = p.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(p) as zf:
                texts += [zf.read(n).decode("utf-8", "replace") for n in zf.namelist()]
        else:
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def _no_secret(text: str, where: str) -> None:
    for secret in make_corpus.SECRETS:
        assert secret not in text, f"{secret!r} leaked into {where}"


@pytest.mark.parametrize("name", list(make_corpus.CASES))
def test_case_through_parse_check_generate(corpus, tmp_path, name):
    expected = make_corpus.CASES[name][1]
    proc = subprocess.run(
        [sys.executable, str(HERE / "hostile" / "run_case.py"), str(corpus / name), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=6 * SECONDS,
        preexec_fn=_limits,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert report["peak_mb"] <= MEMORY_MB, report["peak_mb"]
    for r in report["results"]:
        cmd = " ".join(r["argv"][:2])
        said = r["stdout"] + r["stderr"]
        # CPU seconds: the clock is stretched when other tests share the cores
        assert r["cpu"] <= SECONDS, (cmd, r["cpu"], r["seconds"])
        assert not any(net in said for net in SAFETY_NETS), (cmd, said[-2000:])
        _no_secret(said, cmd)
        assert r["stderr"].count("\n") <= 1, (cmd, r["stderr"][-2000:])
        if expected == "refused":
            assert r["code"] == 2, (cmd, r["code"], said[-2000:])
            assert re.search(r"[\u4e00-\u9fff]", said), (cmd, said[-2000:])
        else:
            assert r["code"] in (0, 1, 2), (cmd, r["code"], said[-2000:])
    _no_secret(_outputs_text(tmp_path), "a generated document")
    if expected == "refused":
        assert not [p for p in tmp_path.iterdir()], "a refused file produced a document"


def test_hostile_values_stay_text_in_every_output(corpus, tmp_path):
    """Template syntax, markup, spreadsheet formulas, control characters, RTL overrides and a
    100 000-character cell are data: printed, stored and written as they are, never run."""
    src = corpus / "hostile-values.json"
    out = tmp_path / "out"
    out.mkdir()
    for argv in (
        ["generate", "agreement", str(src), "-o", str(out / "协议.docx")],
        ["generate", "opinion", str(src), "--stage", "lz-bureau", "-o", str(out / "意见.docx")],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "toolkit", *argv], capture_output=True, text=True, cwd=ROOT
        )
        assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out / "协议.docx") as zf:
        doc = zf.read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", doc))
    assert "{{ 7*7 }}{% for x in range(3) %}循环{% endfor %}" in text.replace("&amp;", "&")
    assert "循环循环循环" not in text
    assert "&lt;script&gt;" in doc and "<script>" not in doc

    folder = tmp_path / "收件"
    folder.mkdir()
    (folder / "申报.json").write_bytes(src.read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "batch", str(folder), "--xlsx", str(out / "汇总.xlsx"),
         "--html", str(out / "报告.html"), "--json", str(out / "结果.json")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    html = (out / "报告.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html

    from openpyxl import load_workbook

    wb = load_workbook(out / "汇总.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a value became a formula"
    assert any("HYPERLINK" in str(c.value) for c in cells)
    result = json.loads((out / "结果.json").read_text(encoding="utf-8"))
    names = json.dumps(result, ensure_ascii=False)
    assert "{{ 7*7 }}" in names


VALID = ROOT / "samples" / "intake" / "folder"


def _copy_valid(folder: Path) -> None:
    """The shipped intake folder's Word and text-PDF applications (its scans are left out: OCR
    is tested elsewhere and would only slow this test)."""
    for p in VALID.rglob("*"):
        if p.is_file() and "扫描件" not in p.parts:
            target = folder / p.relative_to(VALID)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(p.read_bytes())


def _hostile_folder(base: Path, corpus: Path) -> Path:
    """An intake folder: the shipped applications, every corpus case, and hostile names."""
    folder = base / "收件"
    _copy_valid(folder / "正常")
    hostile = folder / "恶意"
    hostile.mkdir()
    for name in make_corpus.CASES:
        os.link(corpus / name, hostile / name)  # hard links: the 100 MB case is not copied
    sample = (ROOT / "samples" / "filled" / "clean" / "lz-tech.docx").read_bytes()
    names = {
        "换行\n名字.docx": sample,
        "-rf.docx": sample,
        "--help.pdf": b"%PDF-1.4 garbage",
        ("长" * 80 + ".docx"): sample,  # 245 bytes in UTF-8
    }
    for name, data in names.items():
        (hostile / name).write_bytes(data)
    (hostile / "passwd.docx").symlink_to("/etc/passwd")
    (hostile / "loop-a.docx").symlink_to(hostile / "loop-b.docx")
    (hostile / "loop-b.docx").symlink_to(hostile / "loop-a.docx")
    (hostile / "up").symlink_to(folder, target_is_directory=True)
    hostile_b = os.fsencode(hostile)
    with open(os.path.join(hostile_b, b"\xff\xfe\xb3.docx"), "wb"):
        pass
    with open(os.path.join(hostile_b, b"gbk-\xd6\xd0\xce\xc4.docx"), "wb") as fh:
        fh.write(sample)
    return folder


def _batch(folder: Path, out: Path, cwd: Path) -> tuple[subprocess.CompletedProcess, dict]:
    out.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "batch", str(folder), "--xlsx", str(out / "汇总.xlsx"),
         "--html", str(out / "报告.html"), "--json", str(out / "结果.json"), "--opinions", str(out / "意见"),
         "--timeout", str(SECONDS), "-j", "2"],
        capture_output=True, text=True, errors="replace", cwd=cwd, timeout=20 * SECONDS, preexec_fn=_limits,
    )  # fmt: skip
    assert (out / "结果.json").exists(), proc.stderr[-3000:]
    return proc, json.loads((out / "结果.json").read_text(encoding="utf-8"))


def _own(report: dict) -> tuple:
    """What checking a file found in the file itself (not across the batch)."""
    return (report["verdict"], sorted((f["code"], f.get("field") or "") for f in report.get("findings", [])))


def test_batch_over_a_hostile_folder_checks_the_valid_files_right(corpus, tmp_path):
    folder = _hostile_folder(tmp_path, corpus)
    proc, result = _batch(folder, tmp_path / "out", tmp_path)
    said = proc.stdout + proc.stderr
    assert proc.returncode == 2, said[-3000:]  # files that cannot be read: exit 2, as the README says
    assert not any(net in said for net in SAFETY_NETS), said[-3000:]
    _no_secret(said, "the batch's terminal output")
    _no_secret(_outputs_text(tmp_path / "out"), "the batch's reports")

    # the shipped applications are checked as when they are alone
    _copy_valid(tmp_path / "alone")
    _, alone = _batch(tmp_path / "alone", tmp_path / "out-alone", tmp_path)
    reports = {r["file"]: r for r in result["reports"]}
    expected = {r["file"]: _own(r) for r in alone["reports"]}
    assert len(expected) >= 8
    assert {f: _own(reports[f"正常/{f}"]) for f in expected} == expected

    # every hostile file is accounted for: read, or unreadable with a Chinese reason; names that
    # are not UTF-8 shown as GB18030 when they are, else with replacement characters
    for name, (_, outcome, _) in make_corpus.CASES.items():
        r = reports.get(f"恶意/{name}")
        if r is None:  # a file that is no form is listed apart from the applications, with why
            (r,) = [
                {"verdict": "unreadable", "error": n["reason"]}
                for n in result["not_forms"]
                if n["file"] == f"恶意/{name}"
            ] or [None]
        assert r is not None, f"{name} missing from the batch"
        if outcome == "refused":
            assert r["verdict"] == "unreadable" and re.search(r"[\u4e00-\u9fff]", r.get("error") or ""), r
    lz_tech = (
        _own(reports["正常/城中区/云智工业软件.docx"]) if "正常/城中区/云智工业软件.docx" in reports else None
    )
    for name in ("-rf.docx", "换行\n名字.docx", "长" * 80 + ".docx", "gbk-中文.docx"):
        assert reports[f"恶意/{name}"]["verdict"] != "unreadable", name
    assert lz_tech is None or lz_tech[0] != "unreadable"
    for name in ("passwd.docx", "loop-a.docx", "loop-b.docx", "--help.pdf", "\ufffd\ufffd\ufffd.docx"):
        assert reports[f"恶意/{name}"]["verdict"] == "unreadable", name
    assert "收件文件夹之外" in reports["恶意/passwd.docx"]["error"]
    assert "成环" in reports["恶意/loop-a.docx"]["error"]
    assert not [f for f in reports if f.startswith("恶意/up/")], "followed a symlink out of the folder"
