"""A clerk compares the Word file with the stamped scan: every differing field is listed."""

from __future__ import annotations

import copy
import json
import subprocess
from decimal import Decimal

from click.testing import CliRunner

from toolkit.compare import compare_records, format_text
from toolkit.record import load_record


def test_identical_records_have_no_difference(samples):
    rec = load_record(samples / "records" / "lz-pass.json")
    assert compare_records(rec, copy.deepcopy(rec), rec["form"]) == []


def test_changed_amount_and_member_are_reported_with_labels(samples):
    a = load_record(samples / "records" / "lz-pass.json")
    b = copy.deepcopy(a)
    b["lead"]["revenue"] = Decimal("68500")
    b["members"][3]["uscc"] = "12450200082462814X"
    del b["members"][-1]
    diffs = compare_records(a, b, a["form"])
    got = {(d.pointer, d.label) for d in diffs}
    assert got == {
        ("/lead/revenue", "上年度主营业务收入（万元）"),
        ("/members/3/uscc", "成员单位第4行“统一社会信用代码”"),
        ("/members/8", "成员单位第9行"),
    }
    rev = next(d for d in diffs if d.pointer == "/lead/revenue")
    assert (rev.a, rev.b) == (86500, Decimal("68500"))
    text = format_text(diffs, "A.docx", "B.pdf")
    assert "上年度主营业务收入（万元）" in text and "86500" in text and "68500" in text


def test_numbers_compare_by_value_not_spelling(samples):
    a = load_record(samples / "records" / "gx-pass.json")
    b = copy.deepcopy(a)
    b["lead"]["rd_ratio"] = float(a["lead"]["rd_ratio"])  # 3.33 (float) vs Decimal('3.33')
    b["lead"]["name"] = f"  {a['lead']['name']} "
    assert compare_records(a, b, a["form"]) == []
    b["lead"]["legal_person"] = not a["lead"]["legal_person"]
    assert [d.pointer for d in compare_records(a, b, a["form"])] == ["/lead/legal_person"]


def test_compare_command_exit_status(samples, tmp_path):
    from toolkit.cli import cli

    docx = samples / "scans" / "lz-pass.docx"
    result = CliRunner().invoke(cli, ["compare", str(docx), str(docx), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["differences"] == []
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf at all")
    proc = subprocess.run(["ictk", "compare", str(docx), str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("错误：") and "Traceback" not in proc.stderr
