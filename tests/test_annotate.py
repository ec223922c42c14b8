"""An applicant gets their own Word file back with the findings as comments on the cells to fix.

The annotated copy differs from the original only by comments: the same findings come out of a
re-check, LibreOffice reads every comment, and hostile values neither break the file nor leak
into its XML as markup.
"""

from __future__ import annotations

import zipfile
from functools import partial
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from ictk_cli import ictk as run_ictk  # tests/ictk_cli.py
from lxml import etree

from toolkit.annotate import annotate, comment_lines, xml_safe
from toolkit.check import check_file
from toolkit.findings import Finding

YOUNG_UNREADABLE = "filled/unreadable/gx-young-unreadable.docx"
GX_PASS = "filled/clean/gx-pass.docx"


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def anchored(path: Path) -> dict[str, tuple[str, str]]:
    """comment text -> (text of the cell the comment starts in, text of the cell left of it)."""
    doc = docx.Document(str(path))
    bodies = {str(c.comment_id): c.text for c in doc.comments}
    out = {}
    for start in doc.element.body.iter(qn("w:commentRangeStart")):
        p = start.getparent()
        tc = next((a for a in p.iterancestors(qn("w:tc"))), None)
        where = _text(tc) if tc is not None else _text(p)
        left = tc.getprevious() if tc is not None else None
        out[bodies[start.get(qn("w:id"))]] = (where, _text(left) if left is not None else "")
    return out


def write_annotated(src: Path, tmp_path: Path, extra: list[Finding] = ()) -> tuple[Path, list[Finding]]:
    report = check_file(src)
    assert report.verdict != "unreadable", report.error
    findings = [*report.findings, *extra]
    out = tmp_path / f"{src.stem}.annotated.docx"
    out.write_bytes(annotate(src, findings, form_id=report.form))
    return out, findings


def test_each_finding_sits_on_the_cell_it_concerns(samples, tmp_path):
    out, findings = write_annotated(samples / YOUNG_UNREADABLE, tmp_path)
    places = anchored(out)
    assert len(places) == len(findings) == 7
    by_code = {}
    for body, (cell, label) in places.items():
        by_code.setdefault(body.split("】")[0], []).append((body, cell, label))
    revenue = next(v for v in places.items() if "主营业务收入为6800万元" in v[0])
    assert revenue[1] == ("6800", "上年度主营业务收入（万元）")
    assert revenue[0].startswith("【警告】")
    assert "要求：>= 100000" in revenue[0]
    assert "第五条第（二）项第1目" in revenue[0] and "gx-5.2.1" in revenue[0]
    assert "年主营业务收入原则上应达到10亿元以上" in revenue[0]  # the clause quoted
    sales = next(v for v in places.items() if "一亿多" in v[0])
    assert sales[1] == ("一亿多", "近三个会计年度销售收入总额（万元）")
    assert sales[0].startswith("【错误】")
    date = next(v for v in places.items() if "11月31日" in v[0])
    assert date[1][1] == "填报日期"


def test_the_annotated_copy_checks_the_same_and_keeps_the_text(samples, tmp_path):
    src = samples / YOUNG_UNREADABLE
    out, findings = write_annotated(src, tmp_path)
    again = check_file(out)
    assert [f.to_json() for f in again.findings] == [f.to_json() for f in findings]
    assert again.record == check_file(src).record
    before = [p.text for p in docx.Document(str(src)).paragraphs]
    after = [p.text for p in docx.Document(str(out)).paragraphs]
    assert before == after
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert set(b.namelist()) - set(a.namelist()) == {"word/comments.xml"}
        changed = {n for n in a.namelist() if a.read(n) != b.read(n)}
        assert changed <= {"word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}
        original, annotated = (etree.fromstring(z.read("word/document.xml")) for z in (a, b))
    # The body without the comment marks is the original body, element for element.
    for mark in list(annotated.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd"))):
        mark.getparent().remove(mark)
    for ref in list(annotated.iter(qn("w:commentReference"))):
        run = ref.getparent()
        assert run.tag == qn("w:r") and len(run) == 1  # a run that holds the mark and nothing else
        run.getparent().remove(run)
    assert etree.tostring(annotated, method="c14n") == etree.tostring(original, method="c14n")


def test_a_blank_field_is_marked_next_to_its_label_and_placeless_findings_on_the_title(samples, tmp_path):
    doc = docx.Document(str(samples / GX_PASS))
    cleared = None
    for table in doc.tables:
        for row in table.rows:
            cells = row.cells
            for left, right in zip(cells, cells[1:], strict=False):
                if left.text.strip() == "牵头单位名称" and right._tc is not left._tc:
                    for p in right.paragraphs:
                        for r in p.runs:
                            r.text = ""
                    cleared = right
    assert cleared is not None
    src = tmp_path / "gx-pass-no-lead-name.docx"
    doc.save(src)
    whole = Finding("TEST-WHOLE", "error", "gx-5.1", "成员单位类型不足2类（整体条件）")
    out, findings = write_annotated(src, tmp_path, [whole])
    missing = [f for f in findings if f.field == "/lead/name"]
    assert missing, [f.code for f in findings]
    places = anchored(out)
    on_blank = [(body, where) for body, where in places.items() if "牵头单位名称" in body.splitlines()[0]]
    assert on_blank and on_blank[0][1] == ("", "牵头单位名称")
    title = [(body, where) for body, where in places.items() if "TEST-WHOLE" in body]
    assert len(title) == 1
    body, (where, _) = title[0]
    assert "广西壮族自治区创新联合体认定申请表" in where.replace(" ", "")
    assert body.startswith("以下 1 项检查发现不对应表中某一栏") and "成员单位类型不足2类" in body


HOSTILE = "<w:t>x</w:t>]]>&amp;\"'\u202e\U0001f600" + "长" * 3000


def test_hostile_values_survive_as_plain_text(samples, tmp_path):
    doc = docx.Document(str(samples / GX_PASS))
    done = False
    for table in doc.tables:
        for row in table.rows:
            cells = row.cells
            if cells[0].text.strip().startswith("上年度主营业务收入") and not done:
                target = cells[1]
                target.paragraphs[0].runs[0].text = HOSTILE
                for r in target.paragraphs[0].runs[1:]:
                    r.text = ""
                done = True
    assert done
    src = tmp_path / "hostile.docx"
    doc.save(src)
    nul = Finding("TEST-NUL", "warning", "form", "值含控制字符\x00\x1b结束", field="/lead/name")
    out, findings = write_annotated(src, tmp_path, [nul])
    comments = {c.text for c in docx.Document(str(out)).comments}
    hostile = [c for c in comments if "<w:t>x</w:t>]]>&amp;" in c]
    assert hostile, comments
    assert all(len(line) <= 1500 for c in comments for line in c.splitlines())
    assert any("值含控制字符结束" in c for c in comments)
    again = check_file(out)
    assert [f.code for f in again.findings] == [f.code for f in findings if f.code != "TEST-NUL"]
    assert xml_safe("a\x00b\ufffe") == "ab"


def test_comment_lines_name_severity_requirement_and_clause():
    lines = comment_lines(Finding("LZ-REVENUE", "warning", "lz-1.2.1", "收入偏低", expected=">= 50000"))
    assert lines[0] == "【警告】收入偏低"
    assert lines[1] == "要求：>= 50000"
    assert lines[2].startswith("依据：《通知》第一条第（二）项第1目")
    assert "LZ-REVENUE" in lines[2] and "lz-1.2.1" in lines[2]
    assert lines[3].startswith("条款原文：")


def _pdf_comment_texts(pdf: Path) -> str:
    """Page text (comments in the margin, LibreOffice >= 7.6) and comment annotations (older)."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            out.append(page.extract_text() or "")
            for annot in resolve1(page.page_obj.annots) or []:
                contents = resolve1(annot).get("Contents")
                if contents:
                    out.append(decode_text(contents) if isinstance(contents, bytes) else str(contents))
    return "\n".join(out)


@pytest.mark.libreoffice
def test_libreoffice_opens_the_copy_and_exports_every_comment(samples, tmp_path):
    from lo import convert

    out, findings = write_annotated(samples / YOUNG_UNREADABLE, tmp_path)
    margin = (
        'pdf:writer_pdf_Export:{"ExportNotesInMargin":{"type":"boolean","value":"true"},'
        '"ExportNotes":{"type":"boolean","value":"true"}}'
    )
    pdf = convert(out, "pdf", tmp_path / "pdf", filter_name=margin)
    text = _pdf_comment_texts(pdf)
    for f in findings:
        assert f.message[:30] in text, f.message
    assert "广西壮族自治区创新联合体认定申请表" in text


ictk = partial(run_ictk, timeout=120)


def test_check_annotate_on_the_command_line(samples, tmp_path):
    out = tmp_path / "批注.docx"
    proc = ictk("check", str(samples / YOUNG_UNREADABLE), "--annotate", str(out), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert "已生成带批注的副本（7条检查发现）" in proc.stderr
    assert len(docx.Document(str(out)).comments) == 7
    again = ictk("check", str(samples / YOUNG_UNREADABLE), "--annotate", str(out))
    assert again.returncode == 2 and "已存在" in again.stderr
    pdf = ictk(
        "check", str(samples / "filled/pdf/gx-pass-spaced.pdf"), "--annotate", str(tmp_path / "x.docx")
    )
    assert pdf.returncode == 2 and "只能给 Word（.docx）申报表加批注" in pdf.stderr
    assert pdf.stdout == "" and not (tmp_path / "x.docx").exists()
    own = tmp_path / "own.docx"
    own.write_bytes((samples / YOUNG_UNREADABLE).read_bytes())
    same = ictk("check", str(own), "--annotate", str(own), "--force")
    assert same.returncode == 2 and "不能覆盖原文件" in same.stderr
    assert own.read_bytes() == (samples / YOUNG_UNREADABLE).read_bytes()


FILLED = sorted((Path(__file__).resolve().parent.parent / "samples/filled").glob("*/*.docx"))


@pytest.mark.parametrize("src", FILLED, ids=[f"{p.parent.name}/{p.name}" for p in FILLED])
def test_every_filled_sample_round_trips_with_each_finding_on_its_value(tmp_path, src):
    out, findings = write_annotated(src, tmp_path)
    assert len(docx.Document(str(out)).comments) == len(findings) > 0
    assert [f.to_json() for f in check_file(out).findings] == [f.to_json() for f in findings]
    places = anchored(out)
    assert not any(body.startswith("以下") for body in places)  # every finding found its cell


def _set_cell(doc, old: str, new: str) -> None:
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text.strip() == old:
                    runs = [r for p in cell.paragraphs for r in p.runs]
                    runs[0].text = new
                    for r in runs[1:]:
                        r.text = ""
                    return
    raise AssertionError(old)


def test_findings_on_member_rows_sit_in_their_row(samples, tmp_path):
    doc = docx.Document(str(samples / "filled/clean/lz-pass.docx"))
    _set_cell(doc, "91450200131860916Y", "91450200131860916X")  # second member: wrong check character
    src = tmp_path / "members.docx"
    doc.save(src)
    out, findings = write_annotated(src, tmp_path)
    uscc = [f for f in findings if f.field == "/members/1/uscc"]
    assert uscc, [(f.code, f.field) for f in findings]
    places = anchored(out)
    where = next(w for body, w in places.items() if uscc[0].message in body)
    assert where == ("91450200131860916X", "柳州五菱柳机动力有限公司")


def test_a_file_that_already_has_comments_keeps_them(samples, tmp_path):
    first, findings = write_annotated(samples / YOUNG_UNREADABLE, tmp_path)
    second = tmp_path / "twice.docx"
    second.write_bytes(annotate(first, findings))
    doc = docx.Document(str(second))
    ids = [c.comment_id for c in doc.comments]
    assert len(ids) == len(set(ids)) == 2 * len(findings)
    starts = [s.get(qn("w:id")) for s in doc.element.body.iter(qn("w:commentRangeStart"))]
    assert sorted(int(s) for s in starts) == sorted(ids)
    assert [f.to_json() for f in check_file(second).findings] == [f.to_json() for f in findings]
