"""The Word reader reads ``word/document.xml`` however it is written: with another namespace
prefix, with Word's namespace as the default one, in UTF-16, with a comment where Word puts a
cell's properties. Its shortcuts (elements looked for only when the bytes name them, cell
paths written out rather than asked of libxml2) must give what the plain walk gives."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from toolkit.read import Grid
from toolkit.read.api import parse_file
from toolkit.read.docx_reader import read_docx
from toolkit.record import loads

ROOT = Path(__file__).resolve().parent.parent
W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SAMPLES = [
    "filled/controls/lz-tech-sdt.docx",  # content-control checkboxes
    "filled/controls/gx-pass-formcheckbox.docx",  # legacy FORMCHECKBOX fields
    "filled/edited/gx-hospital-merged.docx",  # merged cells
    "parse-cases/checkbox-state.docx",
]


def _prefix(data: bytes) -> bytes:
    data = data.replace(b"xmlns:w=", b"xmlns:ns0=").replace(b"<w:", b"<ns0:").replace(b"</w:", b"</ns0:")
    return re.sub(rb"(\s)w:(\w+=)", rb"\1ns0:\2", data)


def _default_namespace(data: bytes) -> bytes:
    data = data.replace(b"<w:", b"<").replace(b"</w:", b"</")
    return data.replace(b"xmlns:w=", b'xmlns="' + W + b'" xmlns:w=', 1)


def _utf16(data: bytes) -> bytes:
    text = data.decode("utf-8")
    text = re.sub(r"encoding=(['\"])UTF-8\1", "encoding='UTF-16'", text, count=1, flags=re.I)
    return text.encode("utf-16")


def _comment_first(data: bytes) -> bytes:
    return data.replace(b"<w:tc><w:tcPr>", b"<w:tc><!-- a note --><w:tcPr>")


WRITINGS: dict[str, Callable[[bytes], bytes]] = {
    "prefix": _prefix,
    "default-namespace": _default_namespace,
    "utf-16": _utf16,
    "comment-first": _comment_first,
}


def _rewritten(src: Path, dst: Path, how: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, how(data) if info.filename == "word/document.xml" else data)
    return dst


def _texts(path: Path) -> list[object]:
    return [
        b if isinstance(b, str) else [[(c.text, c.col, c.span, c.continued) for c in row] for row in b.rows]
        for b in read_docx(path).blocks
    ]


@pytest.mark.parametrize("how", sorted(WRITINGS))
@pytest.mark.parametrize("sample", SAMPLES)
def test_the_same_document_written_otherwise_reads_the_same(tmp_path: Path, sample: str, how: str) -> None:
    src = ROOT / "samples" / sample
    written = _rewritten(src, tmp_path / f"{how}.docx", WRITINGS[how])
    with zipfile.ZipFile(written) as zf:
        assert zf.read("word/document.xml") != zipfile.ZipFile(src).read("word/document.xml")
    assert _texts(written) == _texts(src)
    expected = src.with_name(f"{src.stem}.expected.json")
    assert parse_file(written).record == loads(expected.read_text(encoding="utf-8"))


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_cell_ref_is_the_libxml2_path_of_its_cell(tmp_path: Path, sample: str) -> None:
    """Comments are anchored by ``Cell.ref``: it must be what ``getpath`` says, in Word's usual
    writing (written out) and with a default namespace (asked of libxml2)."""
    src = ROOT / "samples" / sample
    for path in (src, _rewritten(src, tmp_path / "default.docx", _default_namespace)):
        with zipfile.ZipFile(path) as zf:
            root = etree.fromstring(zf.read("word/document.xml"))
        tree = root.getroottree()
        cells = [c for b in read_docx(path).blocks if isinstance(b, Grid) for row in b.rows for c in row]
        assert len(cells) >= 4
        for cell in cells:
            (tc,) = tree.xpath(cell.ref, namespaces={"w": W.decode()})
            assert tc.tag == f"{{{W.decode()}}}tc" and tree.getpath(tc) == cell.ref
