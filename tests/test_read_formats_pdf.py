"""Text PDFs whose tables have no ruling lines (made by LibreOffice from a unit's own template):
a platform name that wraps onto a second line stays one platform, and a line that is only
probably the rest of the row above is read so, with a PARSE-WRAP warning on its field."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.read import Grid
from toolkit.read.api import parse_file
from toolkit.read.pdf_reader import read_pdf
from toolkit.record import loads

FORMATS_DIR = Path(__file__).resolve().parent.parent / "samples" / "formats"


def expected(path: Path) -> dict:
    return loads((path.parent / f"{path.stem}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["gx-pass-borderless.pdf", "lz-pass-borderless.pdf"])
def test_borderless_pdf_reads_into_the_record_of_its_word_file(name: str) -> None:
    path = FORMATS_DIR / name
    result = parse_file(path)
    assert result.kind == "pdf" and result.problems == []
    assert result.record == expected(path)


def test_a_platform_name_wrapping_onto_a_second_line_is_one_platform() -> None:
    platforms = parse_file(FORMATS_DIR / "gx-pass-borderless.pdf").record["lead"]["platforms"]
    assert platforms == [
        {
            "name": "国家铝合金压力加工与先进轻量化结构材料工程技术研究中心（南宁分中心）",
            "level": "国家级",
            "type": "工程（技术）研究中心",
        },
        {"name": "广西高端铝合金材料重点实验室", "level": "省部级", "type": "重点实验室"},
    ]


def test_a_line_with_most_cells_empty_is_the_rest_of_the_row_with_a_warning() -> None:
    result = parse_file(FORMATS_DIR / "gx-pass-borderless-short.pdf")
    platforms = result.record["lead"]["platforms"]
    assert len(platforms) == 1  # never a platform without a level, silently
    assert platforms[0]["name"] == "国家铝合金压力加工工程技术研究中心广西高端铝合金材料重点实验室"
    (doubt,) = result.problems
    assert (doubt.code, doubt.severity, doubt.field) == ("PARSE-WRAP", "warning", "/lead/platforms/0/name")
    assert "“广西高端铝合金材料重点实验室”单独成行，已按上一行的续行读取" in doubt.message


def test_a_header_wrapping_over_the_page_break_keeps_the_member_table_whole() -> None:
    layout = read_pdf(FORMATS_DIR / "lz-pass-borderless.pdf")
    members = next(b for b in layout.blocks if isinstance(b, Grid) and b.rows[0][1].text == "单位名称")
    assert members.rows[0][-1].text == "已参与创新联合体数"
    names = [m["name"] for m in expected(FORMATS_DIR / "lz-pass-borderless.pdf")["members"]]
    assert [row[1].text for row in members.rows[1:]] == names  # header on page 1, members on page 2
    assert "数" not in [b for b in layout.blocks if isinstance(b, str)]


def test_a_doubtful_join_that_gives_no_value_is_still_reported() -> None:
    """A lone line joined to a cell that gives no value (no label, no field) is not silent
    either: the doubt is reported without a field."""
    from toolkit.read import Cell, Layout
    from toolkit.read.extract import extract

    doubt = "第1页表格中“见附件”单独成行，已按上一行的续行读取"
    grid = Grid(
        rows=[
            [Cell("牵头单位名称", col=0), Cell("柳州智驰底盘科技股份有限公司", col=1)],
            [Cell("（另附页）\n见附件", col=0, doubt=doubt), Cell("", col=1)],
        ],
        borderless=True,
    )
    result = extract(Layout(source="x.pdf", kind="pdf", blocks=["柳州市市级创新联合体预申报表", grid]))
    assert result.record["lead"]["name"] == "柳州智驰底盘科技股份有限公司"
    (finding,) = result.problems
    assert (finding.code, finding.severity, finding.field) == ("PARSE-WRAP", "warning", None)
    assert doubt in finding.message and finding.value == "（另附页）见附件"
