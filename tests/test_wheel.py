"""The package users install: the wheel built from this checkout, installed (not editable) into a
fresh virtual environment and run from a folder outside the checkout, on the shipped samples.

An editable install hides what the wheel lacks (a data file not declared, a module imported by a
path that only exists in the checkout); this test is how ``make test`` sees it. First the wheel
alone (without the ``ocr`` extra): a scan gets one Chinese line naming the extra; then with
``[all]``: every command once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
pytestmark = pytest.mark.xdist_group("wheel")

# What the wheel is built from: the package, its data folders and metadata; not the samples,
# the tests or a developer's venv.
_NOT_SHIPPED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "samples",
    "tests",
    "bench",
    "docs",
    "out",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*cache",
)


def _pip(venv: Path, *args: str) -> None:
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-compile", *args],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=_NOT_SHIPPED)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(src), "-w", str(base / "dist")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (whl,) = (base / "dist").glob("ictk-*.whl")
    return whl


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A folder outside the checkout with copies of the shipped samples."""
    work = tmp_path_factory.mktemp("outside")
    for src, name in (
        (SAMPLES / "filled" / "clean" / "lz-pass.docx", "预申报表.docx"),
        (SAMPLES / "filled" / "pdf" / "lz-pass.pdf", "预申报表.pdf"),
        (SAMPLES / "scans" / "gx-pass-scan.pdf", "扫描件.pdf"),
        (SAMPLES / "records" / "lz-pass.json", "原申报.json"),
        (SAMPLES / "generated" / "lz-pass.amended.json", "变更后.json"),
        (SAMPLES / "intake" / "registry.csv", "名录.csv"),
    ):
        shutil.copyfile(src, work / name)
    # the intake folder without its scans: the scan is checked above, once
    shutil.copytree(SAMPLES / "intake" / "folder", work / "收件", ignore=shutil.ignore_patterns("扫描件"))
    return work


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    return venv


def ictk(venv: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["HOME"] = str(work)  # the default registry, if any command wanted it, is not the user's
    # the default cache folder (under HOME), empty at first: the installed wheel's OCR really runs
    for name in ("ICTK_CACHE_DIR", "XDG_CACHE_HOME"):
        env.pop(name, None)
    return subprocess.run(
        [str(venv / "bin" / "ictk"), *args], capture_output=True, text=True, cwd=work, env=env, timeout=600
    )


def test_the_wheel_without_ocr_then_with_all_extras(wheel, work, venv):
    # the wheel carries its data files
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "toolkit/rules/rules.yaml",
        "toolkit/_data/forms/lz-2024.clauses.yaml",
        "toolkit/_data/forms/gx-2023.clauses.yaml",
        "toolkit/_data/templates/templates.yaml",
        "toolkit/_data/templates/notice.docx",
        "toolkit/web/templates/result.html.j2",
        "toolkit/ocr/ocr.yaml",
    ):
        assert needed in names, needed
    assert any(n.startswith("toolkit/_data/forms/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("toolkit/_data/schemas/") for n in names)

    # -- without the ocr extra ------------------------------------------------------------------
    _pip(venv, str(wheel))
    proc = ictk(venv, work, "--help")
    assert proc.returncode == 0 and "check" in proc.stdout, proc.stderr
    proc = ictk(venv, work, "check", "扫描件.pdf")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    said = (proc.stdout + proc.stderr).strip().splitlines()
    assert "Traceback" not in proc.stderr and "cv2" not in proc.stdout + proc.stderr
    assert [line for line in said if "pip install 'ictk[ocr]'" in line], said
    proc = ictk(venv, work, "parse", "扫描件.pdf")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "pip install 'ictk[ocr]'" in proc.stderr

    # -- with [all] -----------------------------------------------------------------------------
    _pip(venv, f"{wheel}[all]")
    runs = {
        "help": ("--help",),
        "check docx": ("check", "预申报表.docx"),
        "check pdf": ("check", "预申报表.pdf"),
        "check scan": ("check", "扫描件.pdf"),
        "parse": ("parse", "预申报表.docx"),
        "rules": ("rules",),
        "rule": ("rules", "LZ-RD-STAFF"),
        "schema": ("schema", "lz-preapply-2024"),
        "blank": ("forms", "blank", "lz-preapply-2024", "-o", "空白表.docx"),
        "agreement": ("generate", "agreement", "预申报表.docx", "-o", "组建协议.docx"),
        "supplement": ("generate", "supplement", "--old", "原申报.json", "--new", "变更后.json", "-o", "补充协议.docx"),
        "opinion": ("generate", "opinion", "预申报表.docx", "--stage", "lz-bureau", "-o", "审核意见.docx"),
        "notice": ("generate", "notice", "预申报表.docx", "-o", "补正通知.docx"),
        "check annotate": ("check", "预申报表.docx", "--annotate", "批注副本.docx"),
        "registry import": ("registry", "--registry", "名录.db", "import", "名录.csv"),
        "registry list": ("registry", "--registry", "名录.db", "list"),
        "registry due": ("registry", "--registry", "名录.db", "due", "--on", "2026-01-05"),
        "batch": ("batch", "收件", "--registry", "名录.db", "--json", "结果.json", "--xlsx", "汇总.xlsx", "-j", "2"),
        "compare": ("compare", "预申报表.docx", "预申报表.pdf"),
        "templates": ("templates", "check"),
    }  # fmt: skip
    done = {name: ictk(venv, work, *args) for name, args in runs.items()}
    for name, proc in done.items():
        said = proc.stdout + proc.stderr
        assert "Traceback" not in said and "内部错误" not in said, (name, said[-2000:])
        # check/compare: 1 when errors are found; notice: 1 when there is nothing to correct;
        # batch: 2 as well, the sample intake folder holds files that cannot be read on purpose
        allowed = (
            (0, 1, 2)
            if name == "batch"
            else (0, 1)
            if name.startswith(("check", "compare", "notice"))
            else (0,)
        )
        assert proc.returncode in allowed, (name, proc.returncode, said[-2000:])
    assert "结论" in done["check docx"].stdout and "结论" in done["check scan"].stdout
    # the scan was read by the wheel's OCR once, and its reading kept in the user's cache folder
    assert len(list((work / ".cache" / "ictk" / "ocr").glob("*.json"))) == 1
    assert json.loads(done["parse"].stdout)["form"] == "lz-preapply-2024"
    assert json.loads(done["schema"].stdout)["$schema"].startswith("https://json-schema.org/")
    assert "LZ-RD-STAFF" in done["rule"].stdout
    with zipfile.ZipFile(work / "批注副本.docx") as zf:  # the applicant's copy with the findings
        names = zf.namelist()
        assert "word/document.xml" in names
        assert "word/comments.xml" in names or done["check annotate"].returncode == 0  # errors: commented
    assert (work / "补正通知.docx").exists() == (done["notice"].returncode == 0)
    for doc in ("空白表.docx", "组建协议.docx", "补充协议.docx", "审核意见.docx", "汇总.xlsx"):
        with zipfile.ZipFile(work / doc) as zf:
            assert zf.testzip() is None, doc
    imported = int(re.search(r"已导入 (\d+) 个", done["registry import"].stdout)[1])
    assert imported >= 3 and len(done["registry list"].stdout.strip().splitlines()) == imported
    assert "年度报告" in done["registry due"].stdout
    batch = json.loads((work / "结果.json").read_text(encoding="utf-8"))
    assert batch["summary"] and len(batch["applications"]) >= 5
    # the tool ran from the wheel, not from this checkout
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import toolkit; print(toolkit.__file__)"],
        capture_output=True,
        text=True,
        cwd=work,
    )
    assert str(venv) in proc.stdout and str(ROOT) not in proc.stdout
