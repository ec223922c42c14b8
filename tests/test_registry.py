"""The registry of recognised consortia: created on first use, filled from records and tables,
due dates on chosen days, migrated from older layouts, and never touching a file it refuses."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from ictk_cli import ictk as run_ictk  # tests/ictk_cli.py

from toolkit.batch.registry import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Consortium,
    Grade,
    Member,
    Registry,
    read_table,
)
from toolkit.errors import InputError, RegistryError

ROOT = Path(__file__).resolve().parent.parent
INTAKE = ROOT / "samples" / "intake"


ictk = partial(run_ictk, cwd=ROOT)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def version_of(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


def test_created_on_first_use_in_a_new_folder(tmp_path):
    path = tmp_path / "new" / "folder" / "registry.db"
    with Registry(path) as reg:
        assert reg.consortia() == []
    assert path.is_file() and version_of(path) == SCHEMA_VERSION


def test_add_a_record_and_list_it(tmp_path):
    db = tmp_path / "r.db"
    proc = ictk(
        "registry",
        "add",
        "samples/records/lz-pass.json",
        "--recognized-on",
        "2024年6月30日",
        "--registry",
        str(db),
    )
    assert proc.returncode == 0, proc.stderr
    assert "柳州市新能源汽车智能底盘创新联合体" in proc.stdout
    with Registry(db) as reg:
        (c,) = reg.consortia()
    assert (c.recognized_on, c.level, c.lead_uscc) == ("2024-06-30", "市级", "9145020052601815XM")
    assert [m.uscc for m in c.members][:2] == ["91450200908301663M", "91450200131860916Y"]
    assert len(c.members) == 9
    # the same name again is refused (exit 2, one line), the registry unchanged
    again = ictk("registry", "add", "samples/records/lz-pass.json", "--registry", str(db))
    assert again.returncode == 2 and "同名" in again.stderr and "Traceback" not in again.stderr
    listed = ictk("registry", "list", "--format", "json", "--registry", str(db))
    assert '"name": "柳州市新能源汽车智能底盘创新联合体"' in listed.stdout


def test_add_a_filled_form(tmp_path):
    db = tmp_path / "r.db"
    form = INTAKE / "folder" / "自治区" / "南铝高端材料-认定申请表.docx"
    proc = ictk("registry", "add", str(form), "--level", "自治区级", "--registry", str(db))
    assert proc.returncode == 0, proc.stderr
    with Registry(db) as reg:
        (c,) = reg.consortia()
    assert c.name == "广西高端铝合金材料创新联合体" and c.level == "自治区级"
    assert c.recognized_on == date.today().isoformat()


def test_import_the_sample_csv_and_round_trip_through_xlsx_and_csv(tmp_path):
    db = tmp_path / "r.db"
    proc = ictk("registry", "import", str(INTAKE / "registry.csv"), "--registry", str(db))
    assert proc.returncode == 0 and "已导入 4 个" in proc.stdout, proc.stderr
    with Registry(db) as reg:
        items = {c.name: c for c in reg.consortia()}
    battery = items["广西新能源电池材料创新联合体"]
    assert battery.recognized_on == "2021-06-30" and battery.level == "自治区级"
    assert [(m.name, m.org_type) for m in battery.members] == [
        ("广西大学", "高等学校"),
        ("广西新能源电池研究院", "科研院所"),
    ]
    assert [(g.year, g.grade) for g in battery.grades] == [(2023, "合格")]

    for suffix in ("xlsx", "csv"):
        out = tmp_path / f"export.{suffix}"
        assert ictk("registry", "export", "-o", str(out), "--registry", str(db)).returncode == 0
        copy_db = tmp_path / f"copy-{suffix}.db"
        assert ictk("registry", "import", str(out), "--registry", str(copy_db)).returncode == 0
        with Registry(db) as a, Registry(copy_db) as b:
            assert [c.to_json() for c in a.consortia()] == [c.to_json() for c in b.consortia()]
    header = read_table(tmp_path / "export.xlsx")[0].keys()
    assert list(header)[:3] == ["创新联合体名称", "级别", "认定日期"]


def test_a_bad_row_imports_nothing(tmp_path):
    db = tmp_path / "r.db"
    bad = tmp_path / "bad.csv"
    text = (INTAKE / "registry.csv").read_text(encoding="utf-8-sig")
    bad.write_text(text.replace("2023-05-20", "2023-13-45"), encoding="utf-8")
    with Registry(db) as reg:
        with pytest.raises(InputError, match="日期无法识别"):
            reg.import_rows(read_table(bad))
        assert reg.consortia() == []


def make(name: str, recognized: str, grades: list[Grade] = ()) -> Consortium:
    return Consortium(
        name=name,
        lead_name=f"{name}牵头",
        lead_uscc="",
        recognized_on=recognized,
        grades=list(grades),
        members=[Member("甲", "91450200908301663M")],
    )


def test_due_on_chosen_days(tmp_path):
    with Registry(tmp_path / "r.db") as reg:
        reg.add(make("甲联合体", "2020-05-01"))
        reg.add(make("乙联合体", "2022-03-01"))
        reg.add(make("丙联合体", "2019-01-01", [Grade(2022, "整改", "2022-12-15")]))
        reg.add(make("丁联合体", "2018-01-01", [Grade(2021, "撤销", "2021-12-01")]))
        reg.add(make("戊联合体", "2025-01-01"))
        due = {(i.consortium, i.kind): i for i in reg.due(date(2024, 6, 1))}
        assert {k for k in due if k[1] == "年度报告"} == {
            ("甲联合体", "年度报告"),
            ("乙联合体", "年度报告"),
            ("丙联合体", "年度报告"),
        }
        assert (
            due[("甲联合体", "年度报告")].due == "2024-12-31"
            and due[("甲联合体", "年度报告")].clause == "gx-12"
        )
        # 甲: recognised 4 years ago, never evaluated; 乙: only 2 years; 丙: evaluated in 2022
        assert due[("甲联合体", "三年评估")].due == "2023-05-01" and due[("甲联合体", "三年评估")].overdue
        assert ("乙联合体", "三年评估") not in due and ("丙联合体", "三年评估") not in due
        # 丙 was graded 整改 (published 2022-12-15): re-inspection one year later, now overdue
        assert due[("丙联合体", "整改复核")].due == "2023-12-15" and due[("丙联合体", "整改复核")].overdue
        # 丁 is revoked, 戊 not yet recognised on that day
        assert not any(k[0] in ("丁联合体", "戊联合体") for k in due)

        early = {(i.consortium, i.kind) for i in reg.due(date(2023, 4, 30))}
        assert ("甲联合体", "三年评估") not in early  # not yet 3 years
        assert ("丙联合体", "整改复核") in early  # due, not yet overdue
        reg.grade("丙联合体", 2023, "合格", "2023-12-20")  # the re-inspection passed
        later = {(i.consortium, i.kind) for i in reg.due(date(2024, 6, 1))}
        assert ("丙联合体", "整改复核") not in later


def test_due_and_grade_from_the_command_line(tmp_path):
    db = str(tmp_path / "r.db")
    assert ictk("registry", "import", str(INTAKE / "registry.csv"), "--registry", db).returncode == 0
    graded = ictk(
        "registry",
        "grade",
        "广西先进轨道交通装备创新联合体",
        "--year",
        "2024",
        "--grade",
        "整改",
        "--published-on",
        "2024-11-30",
        "--registry",
        db,
    )
    assert graded.returncode == 0, graded.stderr
    due = ictk("registry", "due", "--on", "2025-01-15", "--registry", db)
    assert "2025-11-30  整改复核" in due.stdout
    assert "2024-06-30  三年评估【已逾期】  广西新能源电池材料创新联合体" not in due.stdout  # graded 2023
    assert "2025-06-30" not in due.stdout
    assert "2025-12-31  年度报告" in due.stdout
    bad = ictk("registry", "grade", "不存在的联合体", "--year", "2024", "--grade", "合格", "--registry", db)
    assert bad.returncode == 2 and "没有这个创新联合体" in bad.stderr


def _v1(path: Path, stamp: bool = True) -> None:
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[1])
    con.execute(
        "INSERT INTO consortia (name, lead_name, lead_uscc, recognized_on) VALUES (?, ?, ?, ?)",
        ("柳州市旧联合体创新联合体", "旧牵头单位", "9145020052601815XM", "2020-01-01"),
    )
    con.execute(
        "INSERT INTO members (consortium_id, name, uscc, org_type) VALUES (1, '广西大学', "
        "'12450100895559795Y', '高等学校')"
    )
    if stamp:
        con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()


@pytest.mark.parametrize("stamp", [True, False], ids=["version-1", "unversioned-0"])
def test_migration_keeps_the_data(tmp_path, stamp):
    path = tmp_path / "old.db"
    _v1(path, stamp)
    assert version_of(path) == (1 if stamp else 0)
    with Registry(path) as reg:
        (c,) = reg.consortia()
        assert c.name == "柳州市旧联合体创新联合体" and c.members[0].uscc == "12450100895559795Y"
        reg.grade(c.id, 2023, "良好", "2023-12-01")  # the v2 table exists
        assert reg.find("柳州市旧联合体创新联合体").latest_grade.grade == "良好"
    assert version_of(path) == SCHEMA_VERSION


def test_an_empty_file_is_a_new_registry(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with Registry(path) as reg:
        assert reg.consortia() == []
    assert version_of(path) == SCHEMA_VERSION


def refused(path: Path, match: str) -> None:
    before = digest(path)
    with pytest.raises(RegistryError, match=match):
        Registry(path)
    assert digest(path) == before
    proc = ictk("registry", "list", "--registry", str(path))
    assert proc.returncode == 2 and proc.stderr.startswith("错误：") and "Traceback" not in proc.stderr
    assert "未作改动" in proc.stderr
    assert digest(path) == before


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite " * 500)
    refused(path, "已损坏")


def test_a_damaged_database_is_refused_untouched(tmp_path):
    path = tmp_path / "damaged.db"
    with Registry(path) as reg:
        reg.add_many(make(f"第{i}联合体", "2022-01-01") for i in range(300))
    data = bytearray(path.read_bytes())
    assert len(data) > 8192
    data[4096:8192] = b"\xff" * 4096  # a page in the middle overwritten
    path.write_bytes(bytes(data))
    refused(path, "已损坏")


def test_a_registry_from_a_newer_ictk_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.db"
    with Registry(path) as reg:
        reg.add(make("甲联合体", "2020-05-01"))
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    refused(path, "较新版本")


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE orders (id INTEGER)")
    con.commit()
    con.close()
    refused(path, "不是 ictk 名录")


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    with Registry(tmp_path / "r.db") as reg:
        with pytest.raises(InputError):
            reg.add_many(
                [make("甲联合体", "2020-05-01"), make("乙联合体", "2020-05-01", [Grade(2021, "很好")])]
            )
        assert reg.consortia() == []


def test_the_duties_are_read_from_the_profile_with_their_clauses():
    from toolkit.batch.registry import registry_terms
    from toolkit.rules.engine import clause_text

    terms = registry_terms()
    report = terms["annual_report"]
    assert (report["month"], report["day"], report["clause"]) == (12, 31, "gx-12")
    assert "每年12月31日前" in clause_text("gx-12")
    assert terms["evaluation"] == {"clause": "gx-14", "every_years": 3}
    assert terms["rectification"] == {"clause": "gx-14", "years": 1}
    assert registry_terms("gx-recognition") == terms
    # the 2024 Liuzhou notice sets no duties for a 市级 consortium: none, not the measures'
    assert registry_terms("lz-preapply-2024") is None
    assert registry_terms("lz-2024") is None


def test_a_liuzhou_consortium_is_due_by_its_own_edition(tmp_path):
    """A 市级 consortium recognised on the Liuzhou form is not given the Guangxi annual report
    (gx-12) or 3-year evaluation (gx-14): the notice sets none, and the list says so."""
    city = Consortium(
        name="柳州市汽车轻量化创新联合体",
        lead_name="柳州某汽车公司",
        lead_uscc="",
        recognized_on="2020-05-01",
        level="市级",
        form="lz-preapply-2024",
    )
    region = make("广西甲创新联合体", "2020-05-01")
    with Registry(tmp_path / "r.db") as reg:
        reg.add(city)
        reg.add(region)
        due = reg.due(date(2024, 6, 1))
    mine = [i for i in due if i.consortium == city.name]
    assert {i.kind for i in mine} == {"年度报告", "三年评估", "整改复核"}
    assert all(i.due == "" and i.clause == "" and not i.overdue for i in mine)
    assert all(i.note.startswith("柳州市通知未规定市级创新联合体") for i in mine)
    theirs = {i.kind: i for i in due if i.consortium == region.name}
    assert theirs["年度报告"].clause == "gx-12" and theirs["三年评估"].clause == "gx-14"


def test_next_years_terms_change_the_due_dates_without_code(tmp_path, monkeypatch):
    import copy

    from toolkit import profile  # where every reader of a profile loads it

    real = profile.load_profile

    def amended(form_id):
        p = real(form_id)
        if form_id in ("gx-recognition", "gx-2023"):
            p = copy.deepcopy(p)
            p["registry"]["annual_report"].update(month=3, day=31)
            p["registry"]["evaluation"]["every_years"] = 5
            p["registry"]["rectification"]["years"] = 2
        return p

    monkeypatch.setattr(profile, "load_profile", amended)
    with Registry(tmp_path / "r.db") as reg:
        reg.add(make("甲联合体", "2020-05-01"))
        reg.add(make("丙联合体", "2019-01-01", [Grade(2022, "整改", "2022-12-15")]))
        due = {(i.consortium, i.kind): i for i in reg.due(date(2025, 6, 1))}
    assert due[("甲联合体", "年度报告")].due == "2025-03-31"
    assert "3月31日前" in due[("甲联合体", "年度报告")].note
    assert due[("甲联合体", "三年评估")].due == "2025-05-01"  # 5 years, not 3
    assert "已满5年" in due[("甲联合体", "三年评估")].note
    assert due[("丙联合体", "整改复核")].due == "2024-12-15"  # two years after 2022-12-15
    assert "整改期2年" in due[("丙联合体", "整改复核")].note
    assert ("丙联合体", "三年评估") not in due  # evaluated 2022, next in 2027


def test_import_a_bureaus_own_list_with_a_title_row_and_its_own_headers(tmp_path):
    """A list as a bureau keeps it: a title above the header, 序号, short headers, real date cells."""
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2023年柳州市市级创新联合体名单"])
    ws.append([])
    ws.append(
        [
            "序号",
            "联合体名称",
            "牵头单位",
            "统一社会信用代码",
            "认定时间",
            "级别",
            "成员单位",
            "成员单位信用代码",
            "评估结果",
        ]
    )
    ws.append(
        [
            1,
            "柳州市工程机械创新联合体",
            "柳州某机械公司",
            "91450200MA5L000001",
            datetime(2023, 5, 20),
            "市级",
            "广西科技大学",
            "12450000498599037U",
            "2024年良好",
        ]
    )
    ws.append([None, None, None, None, None, None, "柳州某研究院", "12450200MA5L00002X", None])
    ws.append(
        [
            2,
            "柳州市螺蛳粉产业创新联合体",
            "柳州某食品公司",
            "91450200MA5L000003",
            "2023年6月1日",
            "市级",
            None,
            None,
            None,
        ]
    )
    wb.save(tmp_path / "名单.xlsx")

    db = tmp_path / "r.db"
    proc = ictk("registry", "import", str(tmp_path / "名单.xlsx"), "--registry", str(db))
    assert proc.returncode == 0 and "已导入 2 个" in proc.stdout, proc.stdout + proc.stderr
    with Registry(db) as reg:
        items = {c.name: c for c in reg.consortia()}
    machinery = items["柳州市工程机械创新联合体"]
    assert (machinery.lead_name, machinery.lead_uscc, machinery.recognized_on, machinery.level) == (
        "柳州某机械公司",
        "91450200MA5L000001",
        "2023-05-20",
        "市级",
    )
    assert [m.uscc for m in machinery.members] == ["12450000498599037U", "12450200MA5L00002X"]
    assert [(g.year, g.grade) for g in machinery.grades] == [(2024, "良好")]
    assert items["柳州市螺蛳粉产业创新联合体"].recognized_on == "2023-06-01"


def test_a_list_without_the_needed_columns_is_refused_with_their_names(tmp_path):
    (tmp_path / "x.csv").write_text("序号,名字\n1,某联合体\n", encoding="utf-8")
    proc = ictk("registry", "import", str(tmp_path / "x.csv"), "--registry", str(tmp_path / "r.db"))
    assert proc.returncode == 2
    assert "缺少列：创新联合体名称、牵头单位统一社会信用代码" in proc.stderr
