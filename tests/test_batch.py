"""A clerk checks the sample intake folder: every file read or reported, Word and PDF paired by
content, every cross-application finding on every application involved."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from ictk_cli import ictk as run_ictk  # tests/ictk_cli.py

from toolkit.batch.model import FileResult
from toolkit.batch.pairing import group_files
from toolkit.batch.registry import Registry, read_table
from toolkit.batch.run import assemble, registry_findings, run_batch
from toolkit.record import dumps, load_record

ROOT = Path(__file__).resolve().parent.parent
INTAKE = ROOT / "samples" / "intake"
FOLDER = INTAKE / "folder"


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((INTAKE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reg") / "registry.db"
    with Registry(path) as reg:
        assert reg.import_rows(read_table(INTAKE / "registry.csv")) == 4
    return path


@pytest.fixture(scope="module")
def result(registry: Path):
    return run_batch(FOLDER, registry=registry, jobs=2)


def app_of(result, file: str):
    matches = [a for a in result.applications if file in a.file_names]
    assert len(matches) == 1, f"{file} should be in exactly one application"
    return matches[0]


def test_every_application_is_there_once_and_pairs_are_by_content(result, expected):
    groups = sorted(sorted(a.file_names) for a in result.applications if a.readable)
    assert groups == sorted(sorted(g) for g in expected["applications"])
    # scan-0001.pdf shares no name with its Word file: paired by lead USCC and consortium name
    pair = app_of(result, "扫描件/scan-0001.pdf")
    assert pair.file_names == ["柳南区/智驰底盘-预申报表.docx", "扫描件/scan-0001.pdf"]
    assert pair.record["consortium"]["name"] == "柳州市新能源汽车智能底盘创新联合体"


def test_bad_files_are_reported_and_the_others_checked(result, expected):
    unreadable = sorted(f for a in result.applications if a.verdict == "unreadable" for f in a.file_names)
    assert unreadable == sorted(expected["unreadable"])
    damaged = app_of(result, "城中区/损坏文件.docx")
    assert "损坏" in damaged.error
    assert result.skipped == expected["skipped"]  # the meeting notice and Word's lock file among them
    assert result.notes["会议通知.docx"].startswith("文中没有《")
    assert "锁文件" in result.notes["柳南区/~$驰底盘-预申报表.docx"]
    every_file = [f.file for f in result.files]
    assert not any("~$" in f or "会议通知" in f for f in every_file)  # neither is an application
    for app in result.applications:
        if app.readable:
            assert app.verdict in ("pass", "warn", "fail")
            assert all(f.record["form"] == app.form for f in app.files)
    assert len(result.files) == sum(len(a.files) for a in result.applications) == 11


def test_every_cross_application_finding_on_every_application_involved(result, expected):
    for file, code, field, words in expected["findings"]:
        app = app_of(result, file)
        hits = [f for f in app.batch_findings if f.code == code and (field is None or f.field == field)]
        assert hits, f"{code} missing on {file}: {[f.code for f in app.batch_findings]}"
        assert any(all(w in f.message for w in words) for f in hits), [f.message for f in hits]
    for file, code in expected["absent"]:
        assert code not in {f.code for f in app_of(result, file).batch_findings}


def test_findings_carry_clause_and_severity_from_clauses_md(result):
    seen = {(f.code, f.clause, f.severity) for a in result.applications for f in a.batch_findings}
    assert ("LZ-BATCH-PAIR", "lz-2.2", "error") in seen
    assert ("LZ-BATCH-MISMATCH", "lz-2.2", "error") in seen
    assert ("LZ-BATCH-LEAD", "lz-1.2.5", "warning") in seen
    assert ("LZ-BATCH-UNIT", "lz-3.3", "warning") in seen
    assert ("LZ-BATCH-NAME", "lz-3.1", "error") in seen
    assert ("GX-BATCH-MEMBER", "gx-5.3.5", "warning") in seen


def test_the_mismatch_names_both_values(result):
    tech = load_record(ROOT / "samples" / "filled" / "lz-tech.record.json")
    app = app_of(result, "城中区/云智工业软件.pdf")
    (diff,) = [f for f in app.batch_findings if f.code == "LZ-BATCH-MISMATCH"]
    word = tech["lead"]["revenue"]
    assert f"为“{word}”" in diff.message and f"为“{word + 1000}”" in diff.message


def test_university_in_three_applications_is_within_its_limit(result):
    # 广西科技大学 is a member of three Liuzhou applications: universities may be in 3 (lz-3.3)
    uni = "12450200390996033U"
    assert sum(1 for a in result.applications if uni in dumps(a.record)) == 3
    assert not any(uni in f.message for a in result.applications for f in a.batch_findings)


def test_without_registry_only_batch_findings(expected):
    result = run_batch(FOLDER, jobs=1)
    codes = {f.code for a in result.applications for f in a.batch_findings}
    assert "LZ-BATCH-NAME" not in codes  # the near name is in the registry only
    assert "GX-BATCH-MEMBER" not in codes  # three of the four consortia are in the registry
    assert {"LZ-BATCH-LEAD", "LZ-BATCH-UNIT", "LZ-BATCH-PAIR", "LZ-BATCH-MISMATCH"} <= codes
    # a Guangxi form without its scan: a hint (the measures set no electronic copies), not an error
    (hint,) = [
        f for f in app_of(result, "自治区/蓝湾海洋生物.docx").batch_findings if f.code == "GX-BATCH-PAIR"
    ]
    assert (hint.severity, hint.clause) == ("info", "gx-6.1")
    assert hint.message == (
        "本申请只收到Word 版（自治区/蓝湾海洋生物.docx），未收到扫描版 PDF；请核对是否已收到盖章的纸质件"
    )
    assert "GX-BATCH-PAIR" not in {
        f.code for f in app_of(result, "自治区/南铝高端材料-认定申请表.pdf").batch_findings
    }


def test_a_misread_name_in_the_pdf_still_pairs_and_is_reported():
    rec = load_record(ROOT / "samples" / "records" / "lz-pass.json")
    pdf = copy.deepcopy(rec)
    pdf["consortium"]["name"] = "柳州市新能源汽车智能底盘创新联合休"  # OCR: 体 -> 休
    files = [
        FileResult("a/word.docx", "docx", rec["form"], "pass", rec),
        FileResult("b/scan.pdf", "pdf", rec["form"], "pass", pdf),
    ]
    (app,) = group_files(files)
    result = assemble(".", app.files)
    (app,) = result.applications
    (diff,) = [f for f in app.batch_findings if f.code == "LZ-BATCH-MISMATCH"]
    assert diff.field == "/consortium/name" and "创新联合休" in diff.message


def test_two_consortia_of_one_lead_are_not_paired():
    rec = load_record(ROOT / "samples" / "records" / "lz-pass.json")
    other = copy.deepcopy(rec)
    other["consortium"]["name"] = "柳州市工程机械智能制造创新联合体"
    files = [
        FileResult("word.docx", "docx", rec["form"], "pass", rec),
        FileResult("other.pdf", "pdf", rec["form"], "pass", other),
    ]
    result = assemble(".", files)
    assert sorted(a.file_names for a in result.applications) == [["other.pdf"], ["word.docx"]]
    assert all("LZ-BATCH-LEAD" in {f.code for f in a.batch_findings} for a in result.applications)


def test_one_application_against_the_registry(registry):
    agri = load_record(ROOT / "samples" / "filled" / "lz-agri.record.json")
    codes = {f.code: f for f in registry_findings(agri, registry)}
    assert "柳州市螺蛳粉食品加工与质量安全产业创新联合体" in codes["LZ-BATCH-NAME"].message


def test_cross_rules_are_listed_by_the_rules_engine():
    from toolkit.rules.engine import all_rules

    batch = {(r.code, r.clause) for r in all_rules(scope="batch")}
    assert {
        ("LZ-BATCH-PAIR", "lz-2.2"),
        ("LZ-BATCH-LEAD", "lz-1.2.5"),
        ("GX-BATCH-LEAD", "gx-5.2.5"),
        ("LZ-BATCH-UNIT", "lz-3.3"),
        ("GX-BATCH-MEMBER", "gx-5.3.5"),
        ("LZ-BATCH-NAME", "lz-3.1"),
    } <= batch


ictk = partial(run_ictk, cwd=ROOT)


def test_cli_summary_json_and_exit_status(tmp_path, registry):
    out = tmp_path / "batch.json"
    proc = ictk("batch", str(FOLDER), "--registry", str(registry), "--json", str(out), "--jobs", "2")
    assert proc.returncode == 2, proc.stderr  # a damaged file (and applications with errors)
    assert "归并为 7 份申报" in proc.stdout and "LZ-BATCH-NAME" in proc.stdout
    assert "\x1b[" not in proc.stdout + proc.stderr  # no progress bar when piped
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["reports"]) == 11
    assert {r["verdict"] for r in data["reports"]} <= {"pass", "warn", "fail", "unreadable"}
    for report in data["reports"]:
        assert set(report) >= {"file", "form", "verdict", "record", "findings"}
    names = {b["code"] for b in data["batch_findings"]}
    assert "GX-BATCH-MEMBER" in names
    assert all(b["application"].startswith("申报") for b in data["batch_findings"])
    # the same output again without --force is refused before any work, exit 2, one line
    again = ictk("batch", str(FOLDER), "--json", str(out))
    assert again.returncode == 2 and "已存在" in again.stderr and "Traceback" not in again.stderr


def test_cli_bad_call(tmp_path):
    proc = ictk("batch", str(tmp_path / "nowhere"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_a_folder_of_good_forms_exits_0(tmp_path):
    (tmp_path / "a.json").write_text(
        (ROOT / "samples" / "records" / "gx-pass.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    Registry(tmp_path / "empty.db").close()  # an empty registry, not the user's default one
    proc = ictk("batch", str(tmp_path), "--registry", str(tmp_path / "empty.db"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "归并为 1 份申报" in proc.stdout


def test_two_copies_of_one_application_and_files_that_are_not_forms(tmp_path):
    import shutil

    from docx import Document

    zhichi = FOLDER / "柳南区" / "智驰底盘-预申报表.docx"
    shutil.copyfile(zhichi, tmp_path / "智驰底盘.docx")
    (tmp_path / "重发").mkdir()
    shutil.copyfile(zhichi, tmp_path / "重发" / "智驰底盘-副本.docx")
    yunzhi = FOLDER / "城中区" / "云智工业软件.docx"
    shutil.copyfile(yunzhi, tmp_path / "云智.docx")
    shutil.copyfile(FOLDER / "城中区" / "云智工业软件.pdf", tmp_path / "云智.pdf")
    doc = Document(yunzhi)  # a second, corrected Word file: the revenue of the stamped scan
    (cell,) = [c for t in doc.tables for r in t.rows for c in r.cells if c.text == "10350"][:1]
    cell.paragraphs[0].runs[0].text = "11350"
    doc.save(tmp_path / "云智（修改稿）.docx")
    (tmp_path / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    (tmp_path / "第1页.jpg").write_bytes(b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 100)
    (tmp_path / "说明.txt").write_text("收件说明", encoding="utf-8")

    result = run_batch(tmp_path, jobs=2)

    assert result.skipped == ["说明.txt"]
    zc = app_of(result, "智驰底盘.docx")
    assert zc.file_names == ["智驰底盘.docx", "重发/智驰底盘-副本.docx"]
    (dup,) = [f for f in zc.batch_findings if f.code == "LZ-BATCH-DUPLICATE"]
    assert (dup.severity, dup.clause) == ("warning", "lz-2.2")
    assert dup.message == (
        "同一申报收到 2 份 Word 版：智驰底盘.docx、重发/智驰底盘-副本.docx，内容相同；请确认以哪一份为准"
    )
    assert "LZ-BATCH-PAIR" in {f.code for f in zc.batch_findings}  # and still no PDF

    yz = app_of(result, "云智.pdf")
    assert yz.file_names == ["云智.docx", "云智（修改稿）.docx", "云智.pdf"]
    (dup,) = [f for f in yz.batch_findings if f.code == "LZ-BATCH-DUPLICATE"]
    assert dup.message == (
        "同一申报收到 2 份 Word 版：云智.docx、云智（修改稿）.docx，内容不同（“上年度主营业务收入（万元）”）；"
        "请确认以哪一份为准（与 PDF 版比对的是 云智（修改稿）.docx）"
    )
    # the scan is of the corrected version: compared with it, the two agree
    assert not {"LZ-BATCH-PAIR", "LZ-BATCH-MISMATCH"} & {f.code for f in yz.batch_findings}

    old, jpg = app_of(result, "旧版.doc"), app_of(result, "第1页.jpg")
    assert old.verdict == jpg.verdict == "unreadable"
    # read when they are what they say (tests/test_read_formats*.py); these two are broken
    assert old.error == "旧版.doc：旧版 Word 文件（.doc）已损坏或已加密，无法读取"
    assert jpg.error == "第1页.jpg：图片文件已损坏，无法读取"


@pytest.mark.parametrize(
    ("registered", "how"),
    [
        ("柳州市 新能源汽车智能底盘 创新联合体", "名称相同"),  # spaces do not make a new name
        ("柳州新能源汽车智能底盘创新联合体", "名称核心“新能源汽车智能底盘”相同"),  # nor a city written short
        ("柳州市新能源汽车智能底盘技术创新联合体", "相似度 90%"),
        ("柳州市新能源汽车创新联合体", "名称核心“新能源汽车”包含在“新能源汽车智能底盘”中"),
        ("柳州市智能底盘创新联合体", None),  # 4 of 9 characters: another field
        ("柳州市智能网联汽车创新联合体", None),
    ],
)
def test_names_that_repeat_or_resemble_a_registered_one(registered, how):
    from toolkit.batch.registry import Consortium

    record = load_record(ROOT / "samples" / "records" / "lz-pass.json")
    assert record["consortium"]["name"] == "柳州市新能源汽车智能底盘创新联合体"
    existing = Consortium(name=registered, lead_name="某公司", lead_uscc="91450200MA5L000001", id=7)
    names = [f for f in registry_findings(record, [existing]) if f.code == "LZ-BATCH-NAME"]
    if how is None:
        assert names == []
    else:
        (finding,) = names
        assert finding.severity == "error" and finding.clause == "lz-3.1"
        assert f"名录中的“{registered}”（编号 7）" in finding.message and how in finding.message


def test_a_progress_bar_on_a_terminal(tmp_path):
    """On a terminal the clerk sees the files counted as they finish; the table still goes to stdout."""
    import os
    import pty

    for name in ("智驰-轻量化材料.docx", "智驰底盘-预申报表.docx"):
        (tmp_path / name).write_bytes((FOLDER / "柳南区" / name).read_bytes())
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    Registry(tmp_path / "r.db").close()
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "batch", str(tmp_path), "--registry", str(tmp_path / "r.db")],
        stdout=subprocess.PIPE,
        stderr=follower,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: all read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    screen = shown.decode("utf-8", "replace")
    assert proc.returncode in (0, 1)
    assert "检查中" in screen and "2/2" in screen  # the bar, counted to the end
    assert "归并为 2 份申报" in proc.stdout.decode("utf-8")  # the table and summary, not on the bar's stream
