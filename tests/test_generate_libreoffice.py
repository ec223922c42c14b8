"""Generated documents open in LibreOffice and print their content: one conversion per kind."""

from __future__ import annotations

import copy
import subprocess

import pytest
from lo import convert

from toolkit.generate.agreement import render_agreement
from toolkit.generate.opinion import render_opinion
from toolkit.generate.supplement import render_supplement
from toolkit.record import load_record

pytestmark = pytest.mark.libreoffice
HOSTILE = "A&B<公司>\"'"


@pytest.fixture(scope="session")
def pdf_texts(samples, tmp_path_factory):
    lz = load_record(samples / "records/lz-pass.json")
    gx = copy.deepcopy(load_record(samples / "records/gx-pass.json"))
    gx["members"][0]["name"] = HOSTILE + "大学"
    amended = load_record(samples / "generated/lz-pass.amended.json")
    from toolkit.findings import Finding

    finding = Finding("GX-REVENUE", "warning", "gx-5.2.1", "牵头单位上年度主营业务收入低于原则上10亿元的要求")
    docs = {
        "agreement": render_agreement(gx, dispute="arbitration"),
        "supplement": render_supplement(amended, lz, agreement_date="2024-05-20"),
        "opinion": render_opinion(gx, [finding], "gx-city", date="2024-12-25"),
    }
    folder = tmp_path_factory.mktemp("lo")
    out = {}
    lines = {}
    for kind, data in docs.items():
        src = folder / f"{kind}.docx"
        src.write_bytes(data)
        pdf = convert(src, "pdf", folder)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        out[kind] = "".join(text.split())  # line breaks fall anywhere in CJK text
        lines[kind] = ["".join(line.split()) for line in text.splitlines()]
    out["opinion-lines"] = lines["opinion"]
    return out, gx, amended


def test_agreement_pdf_carries_every_party_and_the_hostile_name(pdf_texts):
    texts, gx, _ = pdf_texts
    for unit in [gx["lead"], *gx["members"]]:
        assert "".join(unit["name"].split()) in texts["agreement"]
        assert unit["uscc"] in texts["agreement"]
    assert "南宁仲裁委员会" in texts["agreement"]
    assert "—1—" in texts["agreement"]  # page number footer


def test_supplement_pdf_lists_the_new_and_leaving_members(pdf_texts):
    texts, _, amended = pdf_texts
    for unit in [amended["lead"], *amended["members"]]:
        assert unit["name"] in texts["supplement"]
    assert (
        "广西方盛实业股份有限公司（统一社会信用代码：9145020075749118XH）退出创新联合体"
        in texts["supplement"]
    )


def test_opinion_pdf_has_the_finding_body_and_date(pdf_texts):
    texts, _, _ = pdf_texts
    assert "牵头单位上年度主营业务收入低于原则上10亿元的要求" in texts["opinion"]
    assert (
        "依据：《管理办法》第五条第（二）项第1目" in texts["opinion"] and "条款编号" not in texts["opinion"]
    )
    assert "南宁市科学技术局2024年12月25日" in texts["opinion"]
    # the date stands on one line under the body's name (GB/T 9704 §7.3.5.3), not wrapped
    assert "2024年12月25日" in texts["opinion-lines"]
