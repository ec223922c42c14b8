"""The scan simulator of the OCR bench (bench/scansim.py): it makes image-only PDFs at the dpi
asked, with the pages of its source, seals where asked, the same scan for the same seed, and it
changes the Word document (wrapped title, members continued on the next page) with the expected
record to match. No OCR here: the simulator is checked on its own."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import scansim  # noqa: E402

SRC = ROOT / "samples" / "filled" / "pdf" / "lz-pass.pdf"  # 3 pages, printed by LibreOffice


def _images(pdf: Path) -> list:
    """The scanned image of each page, decoded, with the page's size in points."""
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for page in doc:
            (obj,) = [o for o in page.get_objects() if isinstance(o, pdfium.PdfImage)]
            image = obj.get_bitmap().to_pil()
            out.append((np.asarray(image.convert("RGB")), page.get_size()))
        return out
    finally:
        doc.close()


def _red_share(rgb, centre, radius) -> float:
    """Share of the pixels of a seal's ring band (0.8-1.0 of its radius) that are red."""
    import numpy as np

    h, w = rgb.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    d = np.hypot(xx - centre[0], yy - centre[1])
    band = (d > 0.88 * radius) & (d < 1.02 * radius)
    r, g, b = (rgb[..., i].astype(int) for i in range(3))
    red = (r - g > 60) & (r - b > 50)
    return float(red[band].mean())


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    out = tmp_path_factory.mktemp("scansim") / "scan.pdf"
    params = scansim.ScanParams(dpi=150, seals=("title", "table"), seal_strength=1.0, skew=1.0, seed=5)
    return scansim.simulate(SRC, params, out)


def test_the_scan_has_the_pages_of_its_source_at_the_dpi_asked(scan):
    import pypdfium2 as pdfium

    pages = _images(scan.out)
    assert len(pages) == scan.pages == len(pdfium.PdfDocument(str(SRC))) == 3
    for rgb, (width_pt, height_pt) in pages:
        h, w = rgb.shape[:2]
        # A4 at 150 dpi, and the PDF page says so: pixels / (points / 72) == 150
        assert (abs(w - 1240) <= 2, abs(h - 1754) <= 2) == (True, True)
        assert abs(w / (width_pt / 72) - 150) < 1 and abs(h / (height_pt / 72) - 150) < 1


def test_seals_are_stamped_where_asked_and_nowhere_else(scan):
    pages = _images(scan.out)
    assert [s["place"] for s in scan.seals] == ["title", "table"]
    title, table = scan.seals
    assert title["page"] == 1 and title["centre"][1] < 400  # at the top of the first page
    assert table["page"] == 2  # lz-pass's members are on page 2
    for seal in scan.seals:
        rgb = pages[seal["page"] - 1][0]
        assert _red_share(rgb, seal["centre"], seal["radius"]) > 0.2, seal
        # and not elsewhere on the same page: the same band a seal's width away is not red
        away = [seal["centre"][0], seal["centre"][1] + 3 * seal["radius"]]
        assert _red_share(rgb, away, seal["radius"]) < 0.01
    # the third page has no seal: nothing red on it
    rgb = pages[2][0]
    red = (rgb[..., 0].astype(int) - rgb[..., 1] > 60) & (rgb[..., 0].astype(int) - rgb[..., 2] > 50)
    assert red.mean() < 0.0005


def test_the_same_seed_makes_the_same_scan_and_another_seed_another(tmp_path, scan):
    params = scan.params
    again = scansim.simulate(SRC, params, tmp_path / "again.pdf")
    other = scansim.simulate(SRC, dataclasses.replace(params, seed=6), tmp_path / "other.pdf")
    import numpy as np

    first, second, third = _images(scan.out), _images(again.out), _images(other.out)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(first, second, strict=True))
    assert again.seals == scan.seals and again.angles == scan.angles
    assert not np.array_equal(first[0][0], third[0][0])
    assert other.seals != scan.seals


def test_a_grey_scan_keeps_the_seal_but_loses_its_colour(tmp_path):
    info = scansim.simulate(
        SRC, scansim.ScanParams(dpi=150, mode="grey", seals=("date",), seal_strength=1.0), tmp_path / "g.pdf"
    )
    (seal,) = info.seals
    rgb = _images(info.out)[seal["page"] - 1][0]
    assert _red_share(rgb, seal["centre"], seal["radius"]) == 0.0
    # the ring is still there, as grey ink darker than the paper around it
    import numpy as np

    h, w = rgb.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    d = np.hypot(xx - seal["centre"][0], yy - seal["centre"][1])
    ring = rgb[..., 0][(d > 0.93 * seal["radius"]) & (d < 1.0 * seal["radius"])].mean()
    outside = rgb[..., 0][(d > 1.1 * seal["radius"]) & (d < 1.2 * seal["radius"])].mean()
    assert ring < outside - 25


def test_black_and_white_pages_are_two_levels_and_specks_are_counted(tmp_path):
    import numpy as np

    clean = scansim.simulate(SRC, scansim.ScanParams(dpi=150, mode="bw", max_pages=1), tmp_path / "c.pdf")
    dusty = scansim.simulate(
        SRC, scansim.ScanParams(dpi=150, mode="bw", specks=1 / 200, max_pages=1), tmp_path / "d.pdf"
    )
    a, b = _images(clean.out)[0][0], _images(dusty.out)[0][0]
    assert set(np.unique(a)) <= {0, 255}
    added = int((b[..., 0] < 128).sum() - (a[..., 0] < 128).sum())
    pixels = a.shape[0] * a.shape[1]
    # about one speck per 200 pixels (some fall on ink, some are lighter than the threshold)
    assert pixels / 200 * 0.4 < added < pixels / 200 * 2.5


def test_a_phone_photo_shows_the_desk_around_an_unevenly_lit_page(tmp_path):
    info = scansim.simulate(
        SRC, scansim.ScanParams(dpi=150, phone=True, max_pages=1, seed=3), tmp_path / "p.pdf"
    )
    rgb = _images(info.out)[0][0].astype(float)
    (w, h) = info.size[0]
    assert w > 1240 and h > 1754  # the frame is larger than the page
    corner = rgb[:10, :10].mean()
    middle = rgb[h // 2 - 50 : h // 2 + 50, w // 2 - 50 : w // 2 + 50].mean()
    assert corner < middle - 40  # the desk is darker than the paper
    left, right = (
        rgb[h // 3 : 2 * h // 3, w // 6 : w // 4].mean(),
        rgb[h // 3 : 2 * h // 3, -w // 4 : -w // 6].mean(),
    )
    top, bottom = (
        rgb[h // 6 : h // 4, w // 3 : 2 * w // 3].mean(),
        rgb[-h // 4 : -h // 6, w // 3 : 2 * w // 3].mean(),
    )
    assert max(abs(left - right), abs(top - bottom)) > 5  # light falls unevenly


def test_harsh_scan_helper_makes_a_stamped_signed_scan(tmp_path):
    info = scansim.harsh_scan(SRC, tmp_path / "h.pdf", seed=1)
    assert info.out.is_file() and info.pages == 3 and info.dpi == 150
    assert {s["place"] for s in info.seals} == {"title", "table"}
    assert info.signature and info.signature["page"] == 2  # over lz-pass's 填报日期, on page 2
    assert abs(info.angles[0]) == 2.0


def test_drawn_parameters_stay_in_their_condition_and_follow_the_seed():
    for seed in range(6):
        p = scansim.draw("specks", seed)
        assert 1 / 400 <= p.specks <= 1 / 200 and p.dpi in (150, 200)
        assert scansim.draw("specks", seed) == p
        assert 50 <= scansim.draw("jpeg", seed).jpeg <= 60
        assert 2.0 <= abs(scansim.draw("skew", seed).skew) <= 3.0
        assert scansim.draw("150-bw", seed).mode == "bw"
    assert len({scansim.draw("harsh", s) for s in range(6)}) == 6
    with pytest.raises(ValueError):
        scansim.draw("no-such-condition", 0)
    with pytest.raises(ValueError):
        scansim.ScanParams(seals=("roof",))


@pytest.mark.libreoffice
def test_a_word_source_gets_a_wrapped_title_and_members_on_two_pages(tmp_path):
    """The members added to the Word file are in the returned record, with valid codes, their rows
    run onto a second page of the print, and the print reads (text layer) into that record."""
    from stdnum.cn import uscc

    docx = ROOT / "samples" / "filled" / "clean" / "gx-young.docx"  # 3 members
    params = scansim.ScanParams(dpi=150, wrap_title=True, continued=True, seed=4)
    info = scansim.simulate(docx, params, tmp_path / "w.pdf")
    original = scansim.expected_record(docx)
    members = info.record["members"]
    assert len(members) >= 9 and members[: len(original["members"])] == original["members"]
    assert all(uscc.is_valid(m["uscc"]) for m in members[len(original["members"]) :])
    assert any(n.startswith("members:") for n in info.notes)
    assert any(n.startswith("title:") for n in info.notes)
    pdf, record, _ = scansim.prepare_source(docx, params, original)
    pages = scansim._member_pages(pdf, record)
    assert len(pages) == len(members) and len(set(pages)) == 2
    # the print (before scanning) holds exactly the returned record: its text layer reads into it
    from toolkit.compare import compare_records
    from toolkit.read.api import parse_file

    printed = parse_file(pdf)
    assert printed.kind == "pdf"
    assert compare_records(record, printed.record, record["form"]) == []
