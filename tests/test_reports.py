"""The clerk's reports of a batch: the xlsx opened again with openpyxl, the HTML parsed, the
review opinions written; all views of the same findings."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.batch.registry import Registry, read_table
from toolkit.batch.report import APPLICATION_COLUMNS, FINDING_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
INTAKE = ROOT / "samples" / "intake"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ictk batch`` on the sample intake folder, every report written."""
    out = tmp_path_factory.mktemp("reports")
    with Registry(out / "registry.db") as reg:
        reg.import_rows(read_table(INTAKE / "registry.csv"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "batch",
            str(INTAKE / "folder"),
            "--registry",
            str(out / "registry.db"),
            "--xlsx",
            str(out / "report.xlsx"),
            "--html",
            str(out / "report.html"),
            "--json",
            str(out / "report.json"),
            "--opinions",
            str(out / "opinions"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr  # the damaged Word file
    return out


@pytest.fixture(scope="module")
def data(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_xlsx_sheets_headers_frozen_filters(out, data):
    wb = load_workbook(out / "report.xlsx")
    assert wb.sheetnames == ["申报汇总", "问题清单", "统计"]
    apps, findings = wb["申报汇总"], wb["问题清单"]
    assert [c.value for c in apps[1]] == list(APPLICATION_COLUMNS)
    assert [c.value for c in findings[1]][:8] == [
        "申报编号",
        "创新联合体名称",
        "文件",
        "规则编号",
        "严重程度",
        "条款",
        "栏目",
        "问题说明",
    ]
    assert [c.value for c in findings[1]] == list(FINDING_COLUMNS)
    for ws in (apps, findings, wb["统计"]):
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    widths = {c: apps.column_dimensions[c].width for c in "ABCD"}
    assert widths["D"] > widths["A"] >= 8  # the name column is wider than the id column
    assert findings.column_dimensions["H"].width == 60  # long messages capped and wrapped


def test_xlsx_rows_are_the_applications_and_findings(out, data):
    wb = load_workbook(out / "report.xlsx")
    rows = [
        dict(zip(APPLICATION_COLUMNS, r, strict=True))
        for r in wb["申报汇总"].iter_rows(min_row=2, values_only=True)
    ]
    assert [r["申报编号"] for r in rows] == [a["id"] for a in data["applications"]]
    by_name = {r["创新联合体名称"]: r for r in rows if r["创新联合体名称"]}
    agri = by_name["柳州市螺蛳粉食品加工与质量安全创新联合体"]
    assert agri["结论"] == "不通过" and agri["文件"] == "柳江区/螺蛳粉研究院-预申报表.docx"
    agri_json = next(
        a for a in data["applications"] if a["consortium"] == "柳州市螺蛳粉食品加工与质量安全创新联合体"
    )
    assert agri["错误数"] == agri_json["counts"]["error"] >= 2
    unreadable = [r for r in rows if r["结论"] == "无法读取"]
    assert sorted(r["文件"] for r in unreadable) == ["城中区/损坏文件.docx"]
    assert all(r["无法读取原因"] for r in unreadable)

    findings = [
        dict(zip(FINDING_COLUMNS, r, strict=True))
        for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)
    ]
    total = sum(len(a["findings"]) for a in data["applications"]) + len(unreadable)
    assert len(findings) == total
    name = [f for f in findings if f["规则编号"] == "LZ-BATCH-NAME"]
    assert len(name) == 1
    assert (
        name[0]["条款"] == "lz-3.1" and name[0]["严重程度"] == "错误" and name[0]["栏目"] == "创新联合体名称"
    )
    assert (
        "柳州市螺蛳粉食品加工与质量安全产业创新联合体" in name[0]["问题说明"] and name[0]["范围"] == "跨申报"
    )
    mismatch = next(f for f in findings if f["规则编号"] == "LZ-BATCH-MISMATCH")
    assert mismatch["栏目"] == "上年度主营业务收入（万元）"

    stats = dict(wb["统计"].iter_rows(min_row=2, values_only=True))
    assert stats["不是申报表的文件"] == 3
    assert stats["不是申报表：说明.txt"] == (  # named, with why: every kind of file that is read
        "不是 ictk 读取的文件类型（.docx、.docm、.odt、.doc、.wps、.rtf、.pdf、.jpg、.jpeg、.png、.tif、"
        ".tiff、.bmp、.zip、.json），未检查"
    )
    assert "锁文件" in stats["不是申报表：柳南区/~$驰底盘-预申报表.docx"]
    # each rule counted under its code and what it asks
    assert stats["错误：LZ-BATCH-NAME（创新联合体名称不得与已有或同批次的名称重复或近似）"] == 1


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_html_has_every_application_and_finding_and_nothing_external(out, data):
    page = parse(out / "report.html")
    text = "".join(page.text)
    for app in data["applications"]:
        assert app["id"] in page.ids
        for f in app["findings"]:
            assert f["message"] in text
        for file in app["files"]:
            assert file in text
    assert "归并为" not in text and "申报数" in text
    assert "不是申报表的文件" in text and "说明.txt" in text and "会议通知.docx" in text
    assert "错误：LZ-BATCH-NAME（创新联合体名称不得与已有或同批次的名称重复或近似）" in text
    tags = {t for t, _ in page.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags and "style" in tags
    for _, attrs in page.tags:
        for key in ("src", "href"):
            assert not attrs.get(key) or attrs[key].startswith("#"), attrs


def test_html_escapes_what_applicants_wrote(tmp_path):
    rec = (ROOT / "samples" / "records" / "lz-pass.json").read_text(encoding="utf-8")
    evil = rec.replace(
        "柳州市新能源汽车智能底盘创新联合体",
        "柳州市<script>alert(1)</script><img src='http://x/y.png'>创新联合体",
    )
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(evil, encoding="utf-8")
    Registry(tmp_path / "r.db").close()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "batch",
            str(folder),
            "--registry",
            str(tmp_path / "r.db"),
            "--html",
            str(tmp_path / "r.html"),
            "--xlsx",
            str(tmp_path / "r.xlsx"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode in (0, 1), proc.stderr
    page = parse(tmp_path / "r.html")
    assert not {"script", "img"} & {t for t, _ in page.tags}
    assert "<script>alert(1)</script>" in "".join(page.text)  # shown as text
    ws = load_workbook(tmp_path / "r.xlsx")["申报汇总"]
    assert ws["D2"].value.startswith("柳州市<script>")


def test_one_opinion_per_readable_application(out, data):
    from docx import Document

    files = sorted((out / "opinions").glob("*.docx"))
    readable = [a for a in data["applications"] if a["verdict"] != "unreadable"]
    assert len(files) == len(readable) == 6
    agri = next(p for p in files if "螺蛳粉" in p.name)
    text = "\n".join(p.text for p in Document(agri).paragraphs)
    assert "柳州市螺蛳粉食品加工与质量安全创新联合体" in text
