"""What a clerk prints (issue 16): page numbers where GB/T 9704 puts them, no heading or note cut
off from what it introduces, quotes ending once, spreadsheets that print on A4, and reports
that say requirements and reasons in words."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lo import convert

from toolkit.record import load_record

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def _pages(pdf: Path) -> list[list[tuple[str, float]]]:
    """Each page's text lines with the horizontal centre of each line, top to bottom."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            lines = []
            for line in page.extract_text_lines():
                if line["text"].strip():
                    lines.append((line["text"].replace(" ", ""), (line["x0"] + line["x1"]) / 2 / page.width))
            out.append(lines)
    return out


@pytest.fixture(scope="module")
def supplement_pdf(tmp_path_factory) -> Path:
    from toolkit.generate.supplement import render_supplement

    lz = load_record(SAMPLES / "records" / "lz-pass.json")
    amended = load_record(SAMPLES / "generated" / "lz-pass.amended.json")
    out = tmp_path_factory.mktemp("supplement")
    docx = out / "supplement.docx"
    docx.write_bytes(render_supplement(amended, lz, agreement_date="2024-05-20"))
    return convert(docx, "pdf", out)


# --- page numbers ---------------------------------------------------------------------------------


def test_page_numbers_are_outside_aligned_in_the_docx():
    from toolkit.generate.agreement import render_agreement

    doc = Document(io.BytesIO(render_agreement(load_record(SAMPLES / "records" / "lz-pass.json"))))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for p in (odd, even):
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))


def test_odd_page_numbers_print_right_and_even_ones_left(supplement_pdf):
    pages = _pages(supplement_pdf)
    assert len(pages) >= 3
    for number, lines in enumerate(pages, 1):
        text, centre = lines[-1]
        assert text == f"—{number}—", lines[-1]
        assert (centre > 0.6) if number % 2 else (centre < 0.4), (number, centre)


# --- headings, notes, quotes -----------------------------------------------------------------------


def test_no_heading_ends_a_page(supplement_pdf):
    for lines in _pages(supplement_pdf)[:-1]:
        assert lines[-2][0] not in ("退出成员单位：", "鉴于："), lines[-3:]


def test_the_signature_page_follows_without_an_empty_page(tmp_path):
    from toolkit.generate.agreement import render_agreement

    docx = tmp_path / "agreement.docx"
    docx.write_bytes(render_agreement(load_record(SAMPLES / "records" / "lz-pass.json")))
    pages = _pages(convert(docx, "pdf", tmp_path))
    assert all(len(lines) > 1 for lines in pages), [i for i, lines in enumerate(pages, 1) if len(lines) <= 1]
    (start,) = [i for i, lines in enumerate(pages) if lines[0][0].endswith("组建协议签署页")]
    assert pages[start - 1][-2][0] == "（以下无正文，为签署页）"


def test_the_supplements_quotes_end_with_one_full_stop():
    from toolkit.generate.supplement import render_supplement

    lz = load_record(SAMPLES / "records" / "lz-pass.json")
    amended = load_record(SAMPLES / "generated" / "lz-pass.amended.json")
    doc = Document(io.BytesIO(render_supplement(amended, lz, agreement_date="2024-05-20")))
    texts = [p.text for p in doc.paragraphs]
    assert not [t for t in texts if "。”。" in t or "；”。" in t]
    assert any(
        t.endswith(
            "常设执行机构由“联合体秘书处：设在牵头单位研究院，负责日常运行管理”调整为"
            "“联合体运行管理办公室：设在牵头单位研究院，负责日常运行管理”。"
        )
        for t in texts
    ), texts


def test_the_members_note_stays_with_its_table(tmp_path):
    from toolkit.blank import write_blank

    docx = write_blank("lz-preapply-2024", tmp_path / "blank.docx")
    for lines in _pages(convert(docx, "pdf", tmp_path)):
        for i, (text, _) in enumerate(lines):
            if text.startswith("注："):
                assert i > 0, f"the note {text[:12]} opens a page, away from its table"


# --- spreadsheets ------------------------------------------------------------------------------------


def _result():
    """A batch of two applications read from records, one file unreadable."""
    from toolkit.batch.model import FileResult
    from toolkit.batch.run import assemble
    from toolkit.check import check_record

    files = []
    for name in ("lz-pass", "gx-pass"):
        record = load_record(SAMPLES / "records" / f"{name}.json")
        record["lead"]["rd_staff"] = 15  # below the Liuzhou threshold of 20
        findings = check_record(record)
        files.append(
            FileResult(
                file=f"{name}.json",
                kind="json",
                form=record["form"],
                verdict="fail",
                record=record,
                findings=findings,
            )
        )
    return assemble("收件", files)


def test_spreadsheets_print_on_a4_landscape_with_the_header_row_on_every_page():
    from openpyxl import load_workbook

    from toolkit.views.xlsx import batch_workbook, table_workbook

    for data in (batch_workbook(_result()), table_workbook("名录", ["名称", "牵头单位"], [["甲", "乙"]])):
        wb = load_workbook(io.BytesIO(data))
        for ws in wb.worksheets:
            assert ws.page_setup.orientation == "landscape", ws.title
            assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
            assert (ws.print_title_rows or "").replace("$", "") == "1:1", ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0


# --- requirements and reasons in words -----------------------------------------------------------------


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.cells: list[tuple[str, str]] = []  # (class, text)
        self._in: str | None = None
        self._cls = ""
        self.style = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td", "style"):
            self._in, self._cls = tag, dict(attrs).get("class") or ""
            if tag in ("th", "td"):
                (self.headers if tag == "th" else self.cells).append((self._cls, ""))

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.style += data
        elif self._in in ("th", "td"):
            target = self.headers if self._in == "th" else self.cells
            cls, text = target[-1]
            target[-1] = (cls, text + data)


def test_html_keeps_the_id_whole_and_shows_no_empty_reason_column():
    from toolkit.views.html import batch_html

    page = _Cells()
    page.feed(batch_html(_result()))
    headers = [t for _, t in page.headers]
    assert "申报编号" in headers and "无法读取原因" not in headers
    ids = [(c, t) for c, t in page.cells if re.fullmatch(r"申报\d+", t)]
    assert ids and all("id" in c.split() for c, _ in ids)
    assert ".id" in page.style and "white-space: nowrap" in page.style.split(".id", 1)[1].split("}", 1)[0]


def test_requirements_read_as_words_in_every_report():
    from openpyxl import load_workbook

    from toolkit.views.html import batch_html
    from toolkit.views.terminal import console, render_report
    from toolkit.views.xlsx import batch_workbook

    result = _result()
    staff = [f for a in result.applications for f in a.findings if f.code == "LZ-RD-STAFF"]
    assert staff and staff[0].expected == ">= 20"  # the JSON contract keeps the operator
    html = batch_html(result)
    assert "不低于 20" in html and "&gt;= 20" not in html
    wb = load_workbook(io.BytesIO(batch_workbook(result)))
    sheet = wb["问题清单"]
    column = [c.value for c in sheet[1]].index("要求")
    wanted = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "不低于 20" in wanted and not [w for w in wanted if w and (">=" in w or "<=" in w)]

    from toolkit.check import CheckReport

    (app,) = [a for a in result.applications if a.form == "lz-preapply-2024"]
    report = CheckReport(
        "lz-pass.json", form=app.form, verdict="fail", record=app.record, findings=app.findings
    )
    buf = io.StringIO()
    render_report(report, console(buf))
    assert "要求：不低于 20" in buf.getvalue() and ">=" not in buf.getvalue()


def test_a_damaged_word_file_is_explained_without_python_names(tmp_path):
    from toolkit.check import check_file

    data = (SAMPLES / "parse-cases" / "labels.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    report = check_file(tmp_path / "cut.docx")
    assert report.verdict == "unreadable"
    assert "BadZip" not in report.error and "Error" not in report.error
    assert "Word 文档已损坏" in report.error and "重新" in report.error
