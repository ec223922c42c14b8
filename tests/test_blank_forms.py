"""A clerk generates the blank forms and publishes them: Word opens them, LibreOffice prints them,
and every label of the definition is on the page in the fonts an official form uses."""

from __future__ import annotations

import json
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from toolkit import officedoc as od
from toolkit.blank import blank_record, option_line, printed_label, prune, write_blank
from toolkit.forms import load_form
from toolkit.schema import validator

FORMS = ["lz-preapply-2024", "gx-recognition"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def labels(form_id: str) -> list[str]:
    """Every label a reader of the blank form must find: fields, table columns, table names."""
    form = load_form(form_id)
    out = [printed_label(f) for f in form.fields]
    for table in form.tables:
        out += [table.label, *(printed_label(c) for c in table.columns)]
    return out


@pytest.fixture(scope="session")
def blank_docx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("blank")
    return {form_id: write_blank(form_id, folder / f"{form_id}.docx") for form_id in FORMS}


@pytest.fixture(scope="session")
def blank_pdf_text(blank_docx, tmp_path_factory):
    """Each blank form converted once by LibreOffice; its page text and every table cell's text."""
    import pdfplumber
    from lo import convert

    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for form_id, docx in blank_docx.items():
        pdf = convert(docx, "pdf", folder)
        with pdfplumber.open(pdf) as doc:
            pages = [(p.width, p.height) for p in doc.pages]
            text = "".join(p.extract_text() or "" for p in doc.pages)
            cells = [
                squeeze(c or "") for p in doc.pages for t in p.extract_tables() for row in t for c in row
            ]
        out[form_id] = {"pages": pages, "text": squeeze(text), "cells": cells}
    return out


def all_texts(doc) -> list[str]:
    """Text of every paragraph of the body, table cells included (merged cells once)."""
    return [el.xpath("string(.)") for el in doc.element.body.iter(qn("w:p"))]


def rows_of(table):
    """A table as rows of (text, gridSpan, tcPr) per real cell (python-docx repeats merged cells)."""
    out = []
    for tr in table._tbl.tr_lst:
        out.append([(tc.xpath("string(.)"), tc.grid_span, tc.tcPr) for tc in tr.tc_lst])
    return out


@pytest.mark.parametrize("form_id", FORMS)
def test_every_label_and_the_title_are_in_the_word_file_as_single_runs(blank_docx, form_id):
    doc = Document(blank_docx[form_id])
    form = load_form(form_id)
    runs = {r.xpath("string(.)") for r in doc.element.body.iter(qn("w:r"))}
    texts = all_texts(doc)
    assert texts[0] == form.title
    for label in labels(form_id) + [s.title for s in form.sections] + list(form.signatures):
        assert label in texts, label
        assert label in runs, f"{label} is split over several runs"


@pytest.mark.parametrize("form_id", FORMS)
def test_title_sections_and_page_follow_the_official_layout(blank_docx, form_id):
    doc = Document(blank_docx[form_id])
    form = load_form(form_id)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4 portrait
    assert round(section.top_margin.mm, 1) == od.FORM.top_mm
    assert round(section.left_margin.mm, 1) == od.FORM.left_mm
    title = doc.paragraphs[0]
    assert title.alignment == 1  # centred
    (run,) = title.runs
    assert run.font.size == Pt(22) and run.font.bold is True
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == od.XIAOBIAOSONG
    headings = [p for p in doc.paragraphs if p.text in {s.title for s in form.sections}]
    assert [p.text for p in headings] == [s.title for s in form.sections]
    assert [s.title[0] for s in form.sections] == list("一二三四五六七")
    for p in headings:
        assert p.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == od.HEITI
    footer = section.footer._element
    assert " PAGE " in [t.text for t in footer.iter(qn("w:instrText"))]


@pytest.mark.parametrize("form_id", FORMS)
def test_every_run_and_style_carries_east_asian_fonts_and_no_theme_font(blank_docx, form_id):
    doc = Document(blank_docx[form_id])
    parts = [doc.element, doc.sections[0].footer._element]
    runs = [r for part in parts for r in part.iter(qn("w:r"))]
    assert len(runs) > 60
    chinese_fonts = {od.FANGSONG, od.HEITI, od.XIAOBIAOSONG, od.SONGTI, od.KAITI}
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None, r.xpath("string(.)")
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(qn(f"w:{slot}")) in chinese_fonts, (slot, r.xpath("string(.)"))
    styles = doc.styles.element
    for style in styles.iter(qn("w:style")):
        if style.get(qn("w:type")) == "numbering":
            continue
        fonts = style.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(qn("w:eastAsia")) in chinese_fonts, style.get(qn("w:styleId"))
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert default.get(qn("w:eastAsia")) == od.FANGSONG
    for part in [*parts, styles]:
        for fonts in part.iter(qn("w:rFonts")):
            assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")]


def _find_row(doc, label):
    for table in doc.tables:
        for row in rows_of(table):
            for i, (text, _, _) in enumerate(row):
                if text == label:
                    return table, row, i
    raise AssertionError(f"no cell holds {label}")


@pytest.mark.parametrize("form_id", FORMS)
def test_fields_sit_in_label_value_rows_with_boxes_for_options(blank_docx, form_id):
    doc = Document(blank_docx[form_id])
    form = load_form(form_id)
    for f in form.fields:
        table, row, i = _find_row(doc, printed_label(f))
        tc_pr = row[i][2]
        assert tc_pr.find(qn("w:shd")).get(qn("w:fill")) == "EDEDED", f.id  # label cells shaded
        spans = sum(span for _, span, _ in row)
        assert spans == 4, f.id
        if f.type == "longtext":
            # the label spans the row; the value is the tall cell below it, spanning the row too
            assert row[i][1] == 4
            trs = table._tbl.tr_lst
            idx = [r.xpath("string(.)") for r in trs].index(printed_label(f))
            below = trs[idx + 1]
            assert [tc.grid_span for tc in below.tc_lst] == [4] and below.xpath("string(.)") == ""
            assert below.trPr.trHeight_val >= Mm(30)
        else:
            assert row[i + 1][0] == option_line(f), f.id
    industry = [f for f in form.fields if f.id == "lead.org_type"][0]
    assert option_line(industry) == "☐企业 ☐高等学校 ☐科研院所 ☐医院 ☐其他机构"
    if form_id == "lz-preapply-2024":
        _, row, i = _find_row(doc, "所属行业")
        assert row[i + 1][0] == "☐制造业 ☐科技与信息服务业 ☐其他"
    _, row, i = _find_row(doc, "是否已牵头组建其他创新联合体")
    assert row[i + 1][0] == "☐是 ☐否"
    # half fields share a four-column row
    _, row, _ = _find_row(doc, "联系人")
    assert [t for t, _, _ in row] == ["法定代表人", "", "联系人", ""]


@pytest.mark.parametrize("form_id", FORMS)
def test_member_and_platform_tables_have_a_repeated_header_and_empty_rows(blank_docx, form_id):
    doc = Document(blank_docx[form_id])
    form = load_form(form_id)
    texts = all_texts(doc)
    for t in form.tables:
        heads = [c.label for c in t.columns]
        (table,) = [tb for tb in doc.tables if [c[0] for c in rows_of(tb)[0]] == heads]
        rows = rows_of(table)
        assert len(rows) == 1 + t.blank_rows
        assert all(text == "" for row in rows[1:] for text, _, _ in row)
        header = table._tbl.tr_lst[0]
        assert header.find(f"{W}trPr/{W}tblHeader") is not None
        assert table._tbl.tr_lst[1].find(f"{W}trPr/{W}tblHeader") is None
        # the table's name before it and its note under it
        body = list(doc.element.body)
        pos = body.index(table._tbl)
        assert body[pos - 1].xpath("string(.)") == t.label
        assert body[pos + 1].xpath("string(.)") == f"注：{t.note}"
        assert f"注：{t.note}" in texts
    assert load_form(form_id).table("members").blank_rows >= 8


@pytest.mark.parametrize("form_id", FORMS)
def test_the_form_ends_with_the_signature_and_stamp_block(blank_docx, form_id):
    doc = Document(blank_docx[form_id])
    last = doc.tables[-1]
    (row,) = rows_of(last)
    assert [squeeze(text) for text, _, _ in row] == ["填报单位（盖章）年月日", "推荐单位（盖章）年月日"]
    assert last.rows[0].height >= Mm(40)


@pytest.mark.libreoffice
@pytest.mark.parametrize("form_id", FORMS)
def test_libreoffice_prints_every_label_on_a4(blank_pdf_text, form_id):
    pdf = blank_pdf_text[form_id]
    assert pdf["pages"] and all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in pdf["pages"])
    assert load_form(form_id).title in pdf["text"]
    missing = [
        label
        for label in labels(form_id)
        if squeeze(label) not in pdf["cells"] and squeeze(label) not in pdf["text"]
    ]
    assert missing == []
    for signature in load_form(form_id).signatures:
        assert signature in pdf["text"]
    assert "☐制造业☐科技与信息服务业☐其他" in pdf["text"] or form_id == "gx-recognition"
    assert "☐是☐否" in pdf["text"]


@pytest.mark.parametrize("form_id", FORMS)
def test_blank_json_record_has_every_field_as_null(tmp_path, form_id):
    path = write_blank(form_id, tmp_path / "blank.json", "json")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record == blank_record(load_form(form_id))
    form = load_form(form_id)
    assert record["form"] == form_id
    for f in form.fields:
        group, key = f.id.split(".")
        assert key in record[group] and record[group][key] is None
    for t in form.tables:
        rows = record[t.id] if "." not in t.id else record["lead"]["platforms"]
        assert rows == [{c.id: None for c in t.columns if c.in_record}]
        assert "index" not in rows[0]


def test_a_filled_blank_record_pruned_is_a_valid_record(samples):
    """A program fills the blank JSON, prunes what it left empty, and the schema accepts it."""
    form = load_form("lz-preapply-2024")
    reference = json.loads((samples / "records" / "lz-pass.json").read_text(encoding="utf-8"))
    record = blank_record(form)
    for group in ("consortium", "lead", "governance", "plan", "signoff"):
        for key in record[group]:
            record[group][key] = reference[group].get(key)
    record["members"] = reference["members"] + [{c: None for c in record["members"][0]}]
    del reference["lead"]["email"]
    record["lead"]["email"] = None
    filled = prune(record)
    assert filled == reference
    assert list(validator("lz-preapply-2024").iter_errors(filled)) == []
