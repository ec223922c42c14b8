"""The hostile-input corpus: files built to break a reader (bombs, entities, broken and huge
files, hostile values), all made from the shipped samples by this script. The small cases are
kept in tests/hostile/corpus (about 2 MB, checked against this script by the test); the two big
ones (a 10 MB ZIP of 100 000 entries, a 100 MB JSON) are made when the tests run.

    python tests/hostile/make_corpus.py DIR      # write every case into DIR
    python tests/hostile/make_corpus.py --kept tests/hostile/corpus   # the cases kept in the repository

``CASES`` maps a file name to (builder, what is expected): ``refused`` (one Chinese line, exit
status 2) or ``read`` (a correct report). The secrets list holds text that must never appear in
any output (the content of entities and of files they point at).
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DOCX = ROOT / "samples" / "filled" / "clean" / "lz-pass.docx"
SAMPLE_RECORD = ROOT / "samples" / "records" / "lz-pass.json"
SAMPLE_PDF = ROOT / "samples" / "filled" / "pdf" / "lz-pass.pdf"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FIXED = (2024, 1, 1, 0, 0, 0)  # zip timestamps: the corpus is the same on every run

# Text that must never reach an output: what an entity expands to, what /etc/passwd holds.
SECRETS = ("LOLLOLLOL", "root:x:0:0", "XXE-SECRET-7f3a")

# Hostile values put into a real form's cells.
TEMPLATE_INJECTION = "{{ 7*7 }}{% for x in range(3) %}循环{% endfor %}"
SCRIPT = "<script>alert('ictk')</script>"
FORMULA = '=HYPERLINK("http://evil.example/","点击")'
CONTROL = "控制\x01字符\x07\x1b[31m"
RTL = "科技\u202egpj.exe有限公司"
LONG = "长" * 100_000


def _sample_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(SAMPLE_DOCX) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(parts: dict[str, bytes], level: int = 6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in parts.items():
            zf.writestr(zipfile.ZipInfo(name, FIXED), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _docx_with(document: bytes, **extra: bytes) -> bytes:
    parts = _sample_parts()
    parts["word/document.xml"] = document
    parts.update(extra)
    return _zip(parts)


def _sample_xml() -> str:
    return _sample_parts()["word/document.xml"].decode("utf-8")


def _record() -> dict:
    return json.loads(SAMPLE_RECORD.read_text(encoding="utf-8"))


def _replace_values(pairs: dict[str, str]) -> bytes:
    """The sample form with the text of some cells replaced (raw XML on the right side)."""
    xml = _sample_xml()
    for old, new in pairs.items():
        assert xml.count(old) >= 1, old
        xml = xml.replace(old, new, 1)
    return xml.encode("utf-8")


def _entity_docx(doctype: str, use: str) -> bytes:
    xml = _sample_xml()
    decl_end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    xml = xml[:decl_end] + doctype + xml[decl_end:]
    name = _record()["consortium"]["name"]
    return xml.replace(name, use, 1).encode("utf-8")


# -- Word --------------------------------------------------------------------------------------


def zero_bytes() -> bytes:
    return b""


def truncated_docx() -> bytes:
    data = SAMPLE_DOCX.read_bytes()
    return data[: len(data) // 2]


def pdf_renamed_docx() -> bytes:
    return SAMPLE_PDF.read_bytes()


def text_renamed_pdf() -> bytes:
    return "柳州市市级创新联合体预申报表\n牵头单位名称：某公司\n".encode()


def bomb_one_entry() -> bytes:
    """document.xml of 300 MB of spaces, about 300 KB compressed."""
    body = b" " * (300 * 1024 * 1024)
    head = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
    return _docx_with(head + body + b"</w:t></w:r></w:p></w:body></w:document>")


def bomb_many_entries() -> bytes:
    """100 000 tiny entries beside a real form."""
    parts = _sample_parts()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(zipfile.ZipInfo(name, FIXED), data)
        for i in range(100_000):
            zf.writestr(zipfile.ZipInfo(f"x/{i}", FIXED), b"")
    return buf.getvalue()


def billion_laughs() -> bytes:
    ents = '<!ENTITY lol "LOLLOLLOL">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    return _docx_with(_entity_docx(f"<!DOCTYPE w:document [{ents}]>", "&lol9;"))


def xxe_file() -> bytes:
    doctype = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return _docx_with(_entity_docx(doctype, "&xxe;"))


def xxe_internal() -> bytes:
    doctype = '<!DOCTYPE w:document [<!ENTITY sec "XXE-SECRET-7f3a">]>'
    return _docx_with(_entity_docx(doctype, "&sec;"))


def xxe_in_styles() -> bytes:
    """The entity in a part the reader need not open (styles.xml)."""
    parts = _sample_parts()
    styles = parts["word/styles.xml"].decode("utf-8")
    at = styles.index("?>") + 2
    doctype = '<!DOCTYPE w:styles [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    parts["word/styles.xml"] = (
        (styles[:at] + doctype + styles[at:]).replace("</w:styles>", "&xxe;</w:styles>").encode()
    )
    return _zip(parts)


def external_relationships() -> bytes:
    parts = _sample_parts()
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdEvil1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
        ' Target="http://evil.example/track.png" TargetMode="External"/>'
        '<Relationship Id="rIdEvil2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"'
        ' Target="file:///etc/passwd" TargetMode="External"/></Relationships>',
    )
    parts["word/_rels/document.xml.rels"] = rels.encode()
    return _zip(parts)


def _table(rows: list[str]) -> str:
    return f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>{''.join(rows)}</w:tbl>"


def _row(text: str) -> str:
    return f"<w:tr><w:tc><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:tc></w:tr>"


def rows_5000() -> bytes:
    """The sample form followed by a 5000-row table."""
    table = _table([_row(f"第{i}行 成员单位{i}") for i in range(5000)])
    xml = _sample_xml().replace("<w:sectPr", table + "<w:p/><w:sectPr", 1)
    return _docx_with(xml.encode())


def nested_50() -> bytes:
    inner = "<w:p><w:r><w:t>最深处</w:t></w:r></w:p>"
    for _ in range(50):
        inner = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    xml = _sample_xml().replace("<w:sectPr", inner + "<w:p/><w:sectPr", 1)
    return _docx_with(xml.encode())


def nested_5000() -> bytes:
    inner = "<w:p><w:r><w:t>最深处</w:t></w:r></w:p>"
    for _ in range(5000):
        inner = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    return _docx_with(f'<w:document xmlns:w="{W}"><w:body>{inner}</w:body></w:document>'.encode())


def encrypted_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE compound file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8 + b"\x3e\0\x03\0\xfe\xff" + b"\0" * 4074


def hostile_values_docx() -> bytes:
    r = _record()
    return _docx_with(
        _replace_values(
            {
                r["consortium"]["name"]: escape("柳州市" + TEMPLATE_INJECTION + SCRIPT + "创新联合体"),
                r["consortium"]["tech_field"]: escape(FORMULA),
                r["lead"]["address"]: escape(RTL + "\t制表符"),
                r["lead"]["outreach"]: LONG,
            }
        )
    )


# -- PDF ---------------------------------------------------------------------------------------


def _pdf(pages: list[bytes], extra_objects: list[bytes] = (), trailer_extra: bytes = b"") -> bytes:
    """A minimal PDF: one content stream per page, Helvetica."""
    objs: list[bytes] = []
    n = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, content in enumerate(pages):
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
            f" /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objs.extend(extra_objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R " % (len(objs) + 1) + trailer_extra + b">>\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def pages_500() -> bytes:
    return _pdf([b"BT /F1 12 Tf 72 770 Td (Page %d) Tj ET" % i for i in range(500)])


def points_20000() -> bytes:
    """One page drawn with 20 000 points: a thicket of short ruling lines."""
    ops = [b"0.2 w"]
    for i in range(20_000):
        x, y = 40 + (i * 7) % 515, 40 + (i * 13) % 760
        ops.append(b"%d %d m %d %d l" % (x, y, x + 3, y + (i % 3)))
    ops.append(b"S")
    return _pdf([b"\n".join(ops)])


def garbage_text_layer() -> bytes:
    """A text layer of symbols only: taken for a font with a broken mapping, so the page is OCR'd."""
    lines = [b"BT /F1 10 Tf 40 %d Td (%s) Tj ET" % (800 - 14 * i, b"x#@!~%&?" * 8) for i in range(8)]
    return _pdf([b"\n".join(lines)])


def encrypted_pdf() -> bytes:
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44"
        b" /O <" + b"7a" * 32 + b"> /U <" + b"3c" * 32 + b"> >>"
    )
    pdf = _pdf(
        [b"BT /F1 12 Tf 72 770 Td (secret) Tj ET"],
        [encrypt],
        b"/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ",
    )
    return pdf


def truncated_pdf() -> bytes:
    return SAMPLE_PDF.read_bytes()[:1500]


# -- JSON --------------------------------------------------------------------------------------


def json_invalid() -> bytes:
    return b'{"form": "lz-preapply-2024", "consortium": {"name": "x",'


def json_wrong_types() -> bytes:
    r = _record()
    r["consortium"] = "不是对象"
    r["members"] = {"name": 5}
    r["lead"]["revenue"] = ["很多"]
    r["lead"]["rd_staff"] = {"n": 1}
    return json.dumps(r, ensure_ascii=False).encode()


def json_list() -> bytes:
    return b"[1, 2, 3]"


def json_deep() -> bytes:
    return b'{"form": "lz-preapply-2024", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def json_not_utf8() -> bytes:
    return json.dumps(_record(), ensure_ascii=False).encode("gb18030")


def json_huge() -> bytes:
    r = _record()
    r["padding"] = "填" * (35 * 1024 * 1024)  # over 100 MB as UTF-8
    return json.dumps(r, ensure_ascii=False).encode()


def json_hostile_values() -> bytes:
    r = _record()
    r["consortium"]["name"] = "柳州市" + TEMPLATE_INJECTION + SCRIPT + "创新联合体"
    r["consortium"]["tech_field"] = FORMULA
    r["lead"]["address"] = RTL + CONTROL
    r["lead"]["outreach"] = LONG
    r["members"][0]["name"] = "\u202e" + SCRIPT + "\x00"
    return json.dumps(r, ensure_ascii=False).encode()


# name -> (builder, expected outcome, big: made at test time rather than kept in the repository)
CASES: dict[str, tuple[Callable[[], bytes], str, bool]] = {
    "zero.docx": (zero_bytes, "refused", False),
    "zero.pdf": (zero_bytes, "refused", False),
    "zero.json": (zero_bytes, "refused", False),
    "truncated.docx": (truncated_docx, "refused", False),
    "truncated.pdf": (truncated_pdf, "refused", False),
    "pdf-renamed.docx": (pdf_renamed_docx, "read", False),
    "text-renamed.pdf": (text_renamed_pdf, "refused", False),
    "bomb-one-entry.docx": (bomb_one_entry, "refused", False),
    "bomb-100k-entries.docx": (bomb_many_entries, "refused", True),
    "billion-laughs.docx": (billion_laughs, "refused", False),
    "xxe-file.docx": (xxe_file, "refused", False),
    "xxe-internal.docx": (xxe_internal, "refused", False),
    "xxe-in-styles.docx": (xxe_in_styles, "read", False),
    "external-relationships.docx": (external_relationships, "read", False),
    "rows-5000.docx": (rows_5000, "read", False),
    "nested-50.docx": (nested_50, "read", False),
    "nested-5000.docx": (nested_5000, "refused", False),
    "encrypted.docx": (encrypted_docx, "refused", False),
    "hostile-values.docx": (hostile_values_docx, "read", False),
    "pages-500.pdf": (pages_500, "refused", False),
    "points-20000.pdf": (points_20000, "refused", False),
    "garbage-text.pdf": (garbage_text_layer, "refused", False),
    "encrypted.pdf": (encrypted_pdf, "refused", False),
    "invalid.json": (json_invalid, "refused", False),
    "wrong-types.json": (json_wrong_types, "refused", False),
    "list.json": (json_list, "refused", False),
    "deep-100k.json": (json_deep, "refused", False),
    "not-utf8.json": (json_not_utf8, "refused", False),
    "huge-100mb.json": (json_huge, "refused", True),
    "hostile-values.json": (json_hostile_values, "read", False),
}


def write(folder: Path, big: bool = True, small: bool = True) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (build, _, is_big) in CASES.items():
        if (is_big and big) or (not is_big and small):
            path = folder / name
            path.write_bytes(build())
            out.append(path)
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--kept"]
    if len(args) != 1:
        sys.exit(__doc__)
    for p in write(Path(args[0]), big="--kept" not in sys.argv):
        print(f"{p.stat().st_size:>12}  {p.name}")
