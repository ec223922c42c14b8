"""The filled-form samples every parser test relies on are themselves right.

A clerk's parser is only as trustworthy as the files it is measured on: every sample in
``samples/filled/<style>/`` has its expected record beside it, every expected record is a canonical
record of its form (field ids, types, options, valid USCCs) holding nothing its source record does
not say, every Word file opens and every PDF carries a text layer with the applicant's name, and
the producers and hand-made variations the parsing issue lists are all there, for both forms.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from toolkit.forms import Field, FormDef, form_ids, load_form
from toolkit.record import get_path, load_record

FILLED = Path(__file__).resolve().parent.parent / "samples" / "filled"
STYLES = ("clean", "edited", "controls", "libreoffice", "pdf", "unreadable")
SAMPLES = sorted(p for p in FILLED.glob("*/*") if p.suffix in (".docx", ".pdf"))
EXPECTED = sorted(FILLED.glob("*/*.expected.json"))
RECORDS = {p.name.removesuffix(".record.json"): p for p in FILLED.glob("*.record.json")}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _expected_of(sample: Path) -> Path:
    return sample.with_name(f"{sample.stem}.expected.json")


def _source_record(sample_name: str) -> Path:
    """The record a sample was filled from: the longest record name its name starts with."""
    names = [n for n in RECORDS if sample_name == n or sample_name.startswith(n + "-")]
    assert names, f"no samples/filled/<name>.record.json for sample {sample_name}"
    return RECORDS[max(names, key=len)]


def _docx_text(path: Path) -> str:
    """Every w:t of the body, content controls and nested tables included, spaces removed."""
    from docx import Document

    body = Document(str(path)).element.body
    return re.sub(r"\s+", "", "".join(t.text or "" for t in body.iter(f"{W}t")))


# ---------------------------------------------------------------- standards, re-implemented here

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_valid(code: str) -> bool:
    """GB 32100-2015: authority (1-9, A-Y), entity type, 6-digit division, 9-character
    organisation code whose last character is its GB 11714 check digit, and a check character."""
    if not re.fullmatch(r"[1-9A-Y][0-9A-Y]\d{6}[0-9A-HJ-NP-RT-UW-Y]{9}[0-9A-HJ-NP-RT-UW-Y]", code):
        return False
    total = sum(
        _USCC_ALPHABET.index(c) * w for c, w in zip(code, (pow(3, i, 31) for i in range(17)), strict=False)
    )
    if _USCC_ALPHABET[(31 - total % 31) % 31] != code[17]:
        return False
    org = code[8:17]
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in org[:8]]
    rest = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return org[8] == {10: "X", 11: "0"}.get(rest, str(rest))


def test_uscc_check_agrees_with_python_stdnum():
    from stdnum.cn import uscc

    for code in ("91450200908301663M", "9145020052601815XM", "124502007865797545", "52450100842684656W"):
        assert uscc_valid(code) and uscc.is_valid(code)
    assert not uscc_valid("91450200908301663N")  # wrong check character
    bad_org = "914502009083016" + "53"  # organisation check digit 6 -> 5
    assert not uscc_valid(bad_org + uscc.calc_check_digit(bad_org))
    assert uscc_valid("A14501004980277443")  # authority A, which python-stdnum rejects


# ---------------------------------------------------------------- canonical records


def _value_problems(f: Field, value: Any, where: str) -> list[str]:
    number = (int, float, Decimal)
    ok = {
        "text": isinstance(value, str) and value == value.strip() and value != "",
        "longtext": isinstance(value, str) and value == value.strip() and value != "",
        "amount": isinstance(value, number) and not isinstance(value, bool) and value >= 0,
        "number": isinstance(value, number) and not isinstance(value, bool) and value >= 0,
        "percent": isinstance(value, number) and not isinstance(value, bool) and 0 <= value <= 100,
        "integer": isinstance(value, int) and not isinstance(value, bool) and value >= 0,
        "yesno": isinstance(value, bool),
        "choice": value in f.options,
        "uscc": isinstance(value, str) and uscc_valid(value),
        "phone": isinstance(value, str) and re.fullmatch(r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}", value) is not None,
        "email": isinstance(value, str) and re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", value) is not None,
    }
    if f.type == "date":
        good = isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
        try:
            good = good and dt.date.fromisoformat(value).isoformat() == value
        except ValueError:
            good = False
        ok["date"] = good
    return [] if ok[f.type] else [f"{where}: {value!r} is not a canonical {f.type}"]


def record_problems(record: dict[str, Any], form: FormDef) -> list[str]:
    """Everything in ``record`` that the definition does not allow, as readable lines."""
    problems = [] if record.get("form") == form.id else [f"/form: {record.get('form')!r}"]
    known = {f.id: f for f in form.fields}
    tables = {t.id: t for t in form.tables}

    def walk(node: Any, path: str) -> None:
        if path in known:
            problems.extend(_value_problems(known[path], node, path))
        elif path in tables:
            columns = {c.id: c for c in tables[path].columns if c.in_record}
            if not isinstance(node, list) or not node:
                problems.append(f"{path}: a table must be a non-empty list")
                return
            for n, row in enumerate(node):
                if not row or set(row) - set(columns):
                    problems.append(f"{path}[{n}]: columns {sorted(set(row) - set(columns))} or empty row")
                for key, value in row.items():
                    if key in columns:
                        problems.extend(_value_problems(columns[key], value, f"{path}[{n}].{key}"))
        elif isinstance(node, dict) and node:
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        else:
            problems.append(f"{path}: not a field of {form.id}")

    walk({k: v for k, v in record.items() if k != "form"}, "")
    return problems


def test_a_wrong_record_is_caught():
    form = load_form("lz-preapply-2024")
    record = load_record(RECORDS["lz-pass"])
    record["lead"]["revenue"] = "86500"
    record["lead"]["industry"] = "自治区级"
    record["plan"]["start"] = "2024-02-30"
    record["lead"]["nickname"] = "x"
    record["members"][0]["uscc"] = "91450200908301663N"
    found = record_problems(record, form)
    assert len(found) == 5, found


@pytest.mark.parametrize("path", [*RECORDS.values(), *EXPECTED], ids=_id)
def test_expected_record_is_canonical(path: Path):
    record = load_record(path)
    form = load_form(record["form"])
    assert record_problems(record, form) == []
    try:
        from toolkit.schema import validator
    except ImportError:  # the schema module is another engineer's; the check above stands alone
        return
    errors = [e for e in validator(form.id).iter_errors(record) if e.validator != "required"]
    assert [e.message for e in errors] == []


def _leaves(node: Any, path: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        return {k: v for key, val in node.items() for k, v in _leaves(val, f"{path}/{key}").items()}
    if isinstance(node, list):
        return {k: v for n, val in enumerate(node) for k, v in _leaves(val, f"{path}/{n}").items()}
    return {path: node}


@pytest.mark.parametrize("path", EXPECTED, ids=_id)
def test_expected_record_says_nothing_its_source_does_not(path: Path):
    """An expected record is its source record with fields removed, never changed or added."""
    sample = path.name.removesuffix(".expected.json")
    source = load_record(_source_record(sample))
    expected = load_record(path)
    source_leaves = _leaves(source)
    for pointer, value in _leaves(expected).items():
        assert pointer in source_leaves, f"{pointer} is not in the source record"
        assert source_leaves[pointer] == value, pointer
    assert len(expected.get("members", [])) == len(source.get("members", []))


# ---------------------------------------------------------------- the files themselves


def test_the_set_is_small_and_complete():
    assert 30 <= len(SAMPLES) <= 50, len(SAMPLES)
    for sample in SAMPLES:
        assert _expected_of(sample).is_file(), f"{_id(sample)} has no expected record"
    for expected in EXPECTED:
        stem = expected.name.removesuffix(".expected.json")
        assert any(expected.with_name(stem + ext).is_file() for ext in (".docx", ".pdf")), expected


def _styles_by_form() -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {f: set() for f in form_ids()}
    for sample in SAMPLES:
        form = json.loads(_expected_of(sample).read_text(encoding="utf-8"))["form"]
        seen[form].add(sample.parent.name)
    return seen


def test_every_style_is_there_for_both_forms():
    wanted = set(STYLES)
    if (FILLED.parent.parent / "toolkit" / "blank.py").is_file():
        wanted.add("official")
    for form, styles in _styles_by_form().items():
        assert wanted <= styles, f"{form} lacks {sorted(wanted - styles)}"


def _app(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("docProps/app.xml").decode("utf-8")


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_producers_are_who_the_style_says():
    for sample in SAMPLES:
        if sample.suffix != ".docx":
            continue
        made_by_lo = "LibreOffice" in _app(sample)
        assert made_by_lo == (sample.parent.name == "libreoffice"), _id(sample)


def test_each_form_has_pdfs_printed_from_clean_edited_and_libreoffice_files():
    import pdfplumber

    for form in form_ids():
        sources = set()
        for pdf in (FILLED / "pdf").glob("*.pdf"):
            if json.loads(_expected_of(pdf).read_text(encoding="utf-8"))["form"] != form:
                continue
            with pdfplumber.open(pdf) as doc:
                assert "LibreOffice" in (doc.metadata.get("Producer") or ""), pdf.name
            sources |= {
                d for d in ("clean", "edited", "libreoffice") if (FILLED / d / f"{pdf.stem}.docx").is_file()
            }
        assert sources == {"clean", "edited", "libreoffice"}, form


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s.suffix == ".docx"], ids=_id)
def test_word_file_opens_and_names_the_lead(sample: Path):
    expected = load_record(_expected_of(sample))
    text = _docx_text(sample)
    assert expected["lead"]["name"] in text
    assert load_form(expected["form"]).title in text


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s.suffix == ".pdf"], ids=_id)
def test_pdf_has_a_text_layer_with_the_lead(sample: Path):
    import pdfplumber

    expected = load_record(_expected_of(sample))
    with pdfplumber.open(sample) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    text = re.sub(r"\s+", "", text)
    assert expected["lead"]["name"] in text
    assert load_form(expected["form"]).title in text


@pytest.mark.parametrize("problems", sorted(FILLED.glob("*/*.problems.json")), ids=_id)
def test_unreadable_values_are_left_out_and_named(problems: Path):
    """Each pointer names a field of the form that the applicant did fill (so the source record
    has it) and that the expected record leaves out."""
    stem = problems.name.removesuffix(".problems.json")
    pointers = json.loads(problems.read_text(encoding="utf-8"))
    expected = load_record(problems.with_name(f"{stem}.expected.json"))
    source = load_record(_source_record(stem))
    form = load_form(expected["form"])
    assert pointers and len(set(pointers)) == len(pointers)
    for pointer in pointers:
        assert form.label_of(pointer) != pointer, f"{pointer} is not a field of {form.id}"
        assert get_path(source, pointer) is not None
        assert get_path(expected, pointer) is None


def test_unreadable_style_holds_each_kind_of_unreadable_value():
    text = "".join(_docx_text(p) for p in (FILLED / "unreadable").glob("*.docx"))
    for written in ("约五亿", "2024年13月5日", "☑是☑否", "☑企业☑高等学校"):
        assert written in text, written


def test_edited_files_carry_the_hand_edits_the_parser_must_survive():
    docs = sorted((FILLED / "edited").glob("*.docx"))
    text = "".join(_docx_text(p) for p in docs)
    xml = "".join(_xml(p) for p in docs)
    for glyph in "☒■√✓●":
        assert glyph in text, glyph
    for written in (
        "亿元",
        "万元",
        "0000元",
        "人民币",
        "１",
        "年4月10日",
        "2024.7.1",
        "/05/01",
        "备注",
        "(万元)",
        "联系人：",
        "%",
        "拟组建创新联合体名称",
    ):
        assert written in text, written
    assert "牵 头 单 位 名 称" in "".join(_raw_texts(docs))
    assert "\u3000" in "".join(_raw_texts(docs))
    assert re.search(r"<w:tc>(?:(?!</w:tc>).)*<w:tbl>", xml, re.S), "no table nested in a cell"
    assert '<w:vMerge w:val="restart"/>' in xml and "<w:gridSpan" in xml


def _raw_texts(docs: list[Path]) -> list[str]:
    from docx import Document

    return [t.text or "" for p in docs for t in Document(str(p)).element.body.iter(f"{W}t")]


def test_controls_hold_checkboxes_text_controls_a_placeholder_and_legacy_fields():
    for form in form_ids():
        xml = [
            _xml(p)
            for p in (FILLED / "controls").glob("*.docx")
            if json.loads(_expected_of(p).read_text(encoding="utf-8"))["form"] == form
        ]
        joined = "".join(xml)
        assert '<w14:checked w14:val="1"/>' in joined and '<w14:checked w14:val="0"/>' in joined
        assert "☒" in joined and "☐" in joined
        assert "FORMCHECKBOX" in joined and "<w:checkBox>" in joined
        assert "<w:checked/>" in joined or '<w:default w:val="1"/>' in joined
        assert "<w:text/>" in joined
        assert all("<w:showingPlcHdr/>" in x for x in xml)


@pytest.fixture(scope="session")
def controls_printed(tmp_path_factory) -> dict[str, str]:
    from lo import convert

    out = tmp_path_factory.mktemp("controls-pdf")
    texts = {}
    for docx in sorted((FILLED / "controls").glob("*.docx")):
        pdf = convert(docx, "pdf", out)
        import pdfplumber

        with pdfplumber.open(pdf) as doc:
            texts[docx.name] = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in doc.pages))
    return texts


@pytest.mark.libreoffice
def test_libreoffice_opens_the_hand_built_controls(controls_printed: dict[str, str]):
    assert len(controls_printed) >= 4
    for name, text in controls_printed.items():
        expected = load_record(FILLED / "controls" / name.replace(".docx", ".expected.json"))
        assert expected["lead"]["name"] in text, name
        assert expected["consortium"]["name"] in text, name
