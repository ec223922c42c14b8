"""``ictk parse``: the record on stdout, problems on stderr, and one Chinese line with exit
status 2 for anything that is not a readable form."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from functools import partial
from pathlib import Path

import pytest
from ictk_cli import ictk as run_ictk  # tests/ictk_cli.py
from ictk_cli import one_chinese_line

from toolkit.errors import ScanNeedsOCRError, UnreadableError
from toolkit.read.api import parse_file

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "samples" / "parse-cases"


ictk = partial(run_ictk, cwd=ROOT, timeout=120)


def test_json_record_and_problems_on_stderr() -> None:
    proc = ictk("parse", str(CASES / "bad-values.docx"))
    assert proc.returncode == 1, proc.stderr  # the record is printed, but six fields could not be read
    record = json.loads(proc.stdout)
    assert record["lead"]["name"] == "柳州智驰底盘科技股份有限公司"
    assert "revenue" not in record["lead"]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 6 and any("约五亿" in line for line in lines)


def test_table_format_is_a_chinese_label_value_table() -> None:
    proc = ictk("parse", str(CASES / "labels.docx"), "--format", "table")
    assert proc.returncode == 0, proc.stderr
    assert "上年度主营业务收入（万元）" in proc.stdout and "86500" in proc.stdout and "覃小燕" in proc.stdout


def test_reading_a_docx_loads_no_pdf_ocr_or_web_machinery() -> None:
    code = (
        "import sys\n"
        "from toolkit.cli import main\n"
        f"sys.argv = ['ictk', 'parse', {str(CASES / 'labels.docx')!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "heavy = [m for m in ('pdfplumber', 'pdfminer', 'pypdfium2', 'rapidocr', 'cv2', 'openpyxl', 'jinja2', 'numpy')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert "HEAVY []" in proc.stderr, proc.stderr


def test_scan_without_ocr_names_its_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the [ocr] extra, OpenCV is missing: importing the OCR reader fails on ``import cv2``.
    monkeypatch.delitem(sys.modules, "toolkit.ocr.reader", raising=False)
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(
        ScanNeedsOCRError, match="第1页没有可用的文字层，是扫描件.*pip install 'ictk\\[ocr\\]'"
    ):
        parse_file(CASES / "scan.pdf")


def test_scan_without_ocr_from_the_command_line(tmp_path: Path) -> None:
    # A sitecustomize that hides OpenCV and rapidocr, as on an install without the [ocr] extra.
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\nfor name in ('cv2', 'rapidocr', 'onnxruntime'):\n    sys.modules[name] = None\n",
        encoding="utf-8",
    )
    env = {**__import__("os").environ, "PYTHONPATH": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "parse", str(CASES / "scan.pdf")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    line = one_chinese_line(proc)
    assert "第1页" in line and "pip install 'ictk[ocr]'" in line


def _corrupt(tmp_path: Path) -> dict[str, Path]:
    files = {}
    data = (CASES / "labels.docx").read_bytes()
    files["truncated.docx"] = tmp_path / "truncated.docx"
    files["truncated.docx"].write_bytes(data[: len(data) // 2])
    pdf = (CASES / "labels.pdf").read_bytes()
    files["truncated.pdf"] = tmp_path / "truncated.pdf"
    files["truncated.pdf"].write_bytes(pdf[:1500])
    files["notes.txt"] = tmp_path / "notes.txt"
    files["notes.txt"].write_text("柳州市市级创新联合体预申报表\n牵头单位名称：某公司\n", encoding="utf-8")
    files["encrypted.docx"] = tmp_path / "encrypted.docx"
    files["encrypted.docx"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    files["empty.docx"] = tmp_path / "empty.docx"
    files["empty.docx"].write_bytes(b"")
    files["bomb.docx"] = tmp_path / "bomb.docx"
    with zipfile.ZipFile(files["bomb.docx"], "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:document>" + b" " * (80 * 1024 * 1024) + b"</w:document>")
    files["entities.docx"] = tmp_path / "entities.docx"
    with zipfile.ZipFile(files["entities.docx"], "w") as zf:
        zf.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            "<w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>",
        )
    files["zip-not-word.docx"] = tmp_path / "zip-not-word.docx"
    with zipfile.ZipFile(files["zip-not-word.docx"], "w") as zf:
        zf.writestr("hello.txt", "hi")
    files["old.doc"] = tmp_path / "old.doc"
    files["old.doc"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    files["old.wps"] = tmp_path / "old.wps"
    files["old.wps"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    # what the scanner wrote: a page image, not a PDF
    files["page1.jpg"] = tmp_path / "page1.jpg"
    files["page1.jpg"].write_bytes(b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 100)
    files["forms.zip"] = tmp_path / "forms.zip"
    with zipfile.ZipFile(files["forms.zip"], "w") as zf:
        zf.writestr("../../预申报表.docx", data)  # a path out of the folder it is unpacked into
    files["form.odt"] = tmp_path / "form.odt"
    with zipfile.ZipFile(files["form.odt"], "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    return files


@pytest.mark.parametrize(
    "name,says",
    [
        ("truncated.docx", "损坏"),
        ("truncated.pdf", "损坏"),
        ("notes.txt", "不支持的文件类型"),
        ("encrypted.docx", "加密"),
        ("empty.docx", "空的"),
        ("bomb.docx", "压缩炸弹"),
        ("entities.docx", "实体声明"),
        ("zip-not-word.docx", "不是 Word 文档"),
        ("old.doc", "旧版 Word"),
        ("old.wps", "^WPS 文字文档无法由 LibreOffice 转换，文件可能已损坏或已加密：old.wps$"),
        ("page1.jpg", "^图片文件已损坏，无法读取：page1.jpg"),
        ("forms.zip", r"^压缩包内的文件路径不安全（\.\./\.\./预申报表\.docx），已拒绝读取：forms\.zip$"),
        ("form.odt", r"^不是 OpenDocument 文本（缺少 content\.xml）：form\.odt$"),
    ],
)
def test_bad_files_are_unreadable_with_a_reason(tmp_path: Path, name: str, says: str) -> None:
    path = _corrupt(tmp_path)[name]
    with pytest.raises(UnreadableError, match=says):
        parse_file(path)


@pytest.mark.parametrize("name", ["truncated.docx", "truncated.pdf", "notes.txt", "bomb.docx"])
def test_bad_files_exit_2_with_one_line(tmp_path: Path, name: str) -> None:
    one_chinese_line(ictk("parse", str(_corrupt(tmp_path)[name])))


def test_blank_form_other_document_and_wrong_form() -> None:
    with pytest.raises(UnreadableError, match="没有读到任何已填写的内容"):
        parse_file(CASES / "blank.docx")
    assert (
        "错误：不是申报表：文中没有《广西壮族自治区创新联合体认定申请表》或《柳州市市级创新联合体预申报表》的标题"
        in one_chinese_line(ictk("parse", str(CASES / "not-a-form.docx")))
    )
    with pytest.raises(UnreadableError, match="与指定的表单 gx-recognition 不符"):
        parse_file(CASES / "labels.docx", "gx-recognition")
    one_chinese_line(ictk("parse", str(CASES / "missing.docx")))


def test_form_option_reads_a_document_without_a_title(tmp_path: Path) -> None:
    src = CASES / "labels.docx"
    with zipfile.ZipFile(src) as zin:
        xml = zin.read("word/document.xml").decode("utf-8").replace("柳州市市级创新联合体预申报表", "申报表")
        with zipfile.ZipFile(tmp_path / "untitled.docx", "w") as zout:
            for item in zin.infolist():
                zout.writestr(item, xml if item.filename == "word/document.xml" else zin.read(item))
    with pytest.raises(UnreadableError):
        parse_file(tmp_path / "untitled.docx")
    result = parse_file(tmp_path / "untitled.docx", "lz-preapply-2024")
    assert result.record["lead"]["revenue"] == 86500


def test_ocr_cells_carry_confidence_into_extraction() -> None:
    """extract() reads an OCR-like layout (cells with page and confidence) like any other."""
    from toolkit.read import Cell, Grid, Layout
    from toolkit.read.extract import extract

    grid = Grid(
        rows=[
            [Cell("牵头单位名称", 0.99, 1), Cell("柳州智驰底盘科技股份有限公司", 0.97, 1)],
            [Cell("上年度主营业务收入（万元）", 0.98, 1), Cell("86500", 0.91, 1)],
        ],
        page=1,
    )
    layout = Layout(source="x.pdf", kind="scan", blocks=["柳州市市级创新联合体预申报表", grid])
    result = extract(layout)
    assert result.record["lead"]["revenue"] == 86500 and result.kind == "scan" and result.seals == []
    assert result.cells["/lead/revenue"].confidence == pytest.approx(0.91)
