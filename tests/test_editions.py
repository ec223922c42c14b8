"""Policy editions as data: next year's notice is one profile, one clause file and the notice
text, in a folder of its own; the rule table's titles and messages carry the edition's numbers;
a broken profile is a clear Chinese error; a crashing rule is reported as that rule failing."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import editions
from toolkit.check import check_file, check_record
from toolkit.errors import IctkError
from toolkit.record import dumps, load_record
from toolkit.rules import engine
from toolkit.rules.engine import all_rules, explain, get_rule, rule_titles
from toolkit.rules.profile import ProfileError, load_profile

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "samples" / "rules"
CASES = json.loads((RULES_DIR / "cases.json").read_text(encoding="utf-8"))

# The 2025 notice, as a maintainer would write it: every number changed.
NEW_NUMBERS = {
    "deadline": ('deadline: "2024-04-15"', 'deadline: "2025-03-31"'),
    "manufacturing": ("制造业: 50000", "制造业: 60000"),
    "tech": ("科技与信息服务业: 10000", "科技与信息服务业: 12000"),
    "staff": ("rd_staff_min: 20 ", "rd_staff_min: 25 "),
    "ratio": ("rd_ratio_min: 3 ", "rd_ratio_min: 4 "),
    "members": ("members_min: 8 ", "members_min: 9 "),
    "executive": ("executive_staff_min: 1 ", "executive_staff_min: 2 "),
}


def ictk(*args, env=None):
    import os

    return subprocess.run(
        [sys.executable, "-m", "toolkit", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def lz2025(tmp_path, monkeypatch):
    """A throwaway edition lz-2025 in a folder of its own: one profile, one clause file, the
    notice text. Nothing in toolkit/ changes."""
    forms = tmp_path / "forms"
    forms.mkdir()
    profile = (ROOT / "forms" / "lz-preapply-2024.profile.yaml").read_text(encoding="utf-8")
    profile = profile.replace("edition: lz-2024", "edition: lz-2025").replace("year: 2024", "year: 2025")
    profile = profile.replace('period: ["2024-01-01", "2024-12-31"]', 'period: ["2025-01-01", "2025-12-31"]')
    profile = profile.replace("notice: lz-2024-notice.txt", "notice: lz-2025-notice.txt")
    profile = profile.replace("clauses: lz-2024.clauses.yaml", "clauses: lz-2025.clauses.yaml")
    for old, new in NEW_NUMBERS.values():
        assert old in profile, old
        profile = profile.replace(old, new)
    (forms / "lz-2025.profile.yaml").write_text(profile, encoding="utf-8")
    clauses = (ROOT / "forms" / "lz-2024.clauses.yaml").read_text(encoding="utf-8")
    clauses = clauses.replace("edition: lz-2024", "edition: lz-2025").replace("2024年", "2025年")
    (forms / "lz-2025.clauses.yaml").write_text(clauses, encoding="utf-8")
    notice = (ROOT / "docs" / "policy" / "lz-2024-notice.txt").read_text(encoding="utf-8")
    (forms / "lz-2025-notice.txt").write_text(notice.replace("2024", "2025"), encoding="utf-8")
    monkeypatch.setenv("ICTK_DATA_DIR", str(tmp_path))
    return tmp_path


def next_year(record: dict) -> dict:
    """The same application filed a year later."""
    record = copy.deepcopy(record)
    for path in (("signoff", "date"), ("plan", "start"), ("plan", "end")):
        node = record.get(path[0]) or {}
        value = node.get(path[1])
        if isinstance(value, str) and re.match(r"\d{4}-", value):
            node[path[1]] = str(int(value[:4]) + 1) + value[4:]
    return record


def test_the_new_edition_is_found_in_its_own_folder(lz2025):
    e = editions.get_edition("lz-2025")
    assert (e.form, e.year, e.policy) == ("lz-preapply-2024", 2025, "lz")
    assert e.profile_path.parent == lz2025 / "forms"
    assert "2025年柳州市创新联合体" in e.notice
    assert load_profile("lz-2025")["rd_staff_min"] == 25
    # the shipped edition is untouched
    assert load_profile("lz-2024")["rd_staff_min"] == 20


def test_a_form_filed_in_2025_is_checked_by_the_2025_numbers(lz2025):
    record = next_year(load_record(ROOT / "samples" / "records" / "lz-pass.json"))
    lead = record["lead"]
    lead["revenue"], lead["industry"] = 55000, "制造业"  # above 5亿 (2024), below 6亿 (2025)
    lead["rd_staff"] = 22  # above 20, below 25
    lead["rd_expense_3y"], lead["sales_3y"] = 350, 10000  # 3.5%: above 3, below 4
    lead["rd_ratio"] = 3.5
    record["members"] = record["members"][:8]  # 8: enough in 2024, not in 2025
    record["governance"]["executive_staff"] = 1  # 1: enough in 2024, not in 2025
    record["signoff"]["date"] = "2025-04-10"  # after 2025-03-31
    assert editions.edition_for(record).id == "lz-2025"

    found = {f.code: f for f in check_record(record)}
    assert {"LZ-REVENUE", "LZ-RD-STAFF", "LZ-RD-RATIO", "LZ-MEMBERS", "LZ-BODIES", "LZ-DEADLINE"} <= set(
        found
    )
    assert all(f.edition == "lz-2025" for f in found.values() if f.code.startswith("LZ-"))
    assert "6亿元（60000万元）" in found["LZ-REVENUE"].message
    assert "原则上25人" in found["LZ-RD-STAFF"].message
    assert "原则上4%" in found["LZ-RD-RATIO"].message
    assert "少于原则上9个" in found["LZ-MEMBERS"].message
    assert "2025年3月31日" in found["LZ-DEADLINE"].message
    # the same application checked by the 2024 notice breaks none of these thresholds
    old = {f.code for f in check_record(record, edition="lz-2024")}
    assert not {"LZ-REVENUE", "LZ-RD-STAFF", "LZ-RD-RATIO", "LZ-MEMBERS", "LZ-BODIES"} & old


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["form"] == "lz-preapply-2024"], ids=lambda c: c["file"]
)
def test_every_rule_fires_in_the_new_edition(lz2025, case):
    """Every Liuzhou case of samples/rules/, filed a year later, raises its rule under lz-2025."""
    record = next_year(load_record(RULES_DIR / case["file"]))
    found = {(f.code, f.field) for f in check_record(record, edition="lz-2025")}
    for e in case["expect"]:
        assert (e["code"], e["field"]) in found, (case["file"], e["code"])


def _consortium(record: dict):
    from toolkit.batch.registry import Consortium

    return Consortium(
        name=record["consortium"]["name"], lead_name="某公司", lead_uscc="91450200MA5L009999", id=9
    )


def _cross_edition(folder: Path) -> None:
    """lz-2025 with a new name prefix and a lower limit for universities and hospitals."""
    path = folder / "forms" / "lz-2025.profile.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("name_prefix: 柳州市", "name_prefix: 广西柳州市"),
        ("name_prefixes: [柳州市, 柳州, 广西壮族自治区, 广西]", "name_prefixes: [广西柳州市]"),
        ("max_consortia_university_hospital: 3 ", "max_consortia_university_hospital: 2 "),
        ("university_hospital_name: 高校、医院", "university_hospital_name: 高等院校和医院"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_the_cross_rules_read_prefixes_and_limits_from_the_edition(lz2025):
    """A changed name prefix, unit-type wording and limit in lz-2025 reach the batch rules'
    and the name rule's messages; the same applications filed in 2024 keep the 2024 ones."""
    from toolkit.rules.cross import Single, name_rules, unit_rules

    _cross_edition(lz2025)
    base = next_year(load_record(ROOT / "samples" / "records" / "lz-pass.json"))
    university = {"name": "广西某大学", "uscc": "12450000498598830J", "org_type": "高等学校"}

    def apps(year_offset: int) -> list[Single]:
        out = []
        for i, core in enumerate(("工业互联网", "工业互联网平台", "智能网联汽车")):
            r = copy.deepcopy(base)
            r["consortium"]["name"] = f"广西柳州市{core}创新联合体"
            r["lead"]["uscc"] = f"91450200MA5L00000{i}"
            r["members"] = [dict(university), *r["members"][1:]]
            if year_offset:
                r["signoff"]["date"] = "2024-04-10"
            out.append(Single(r))
        return out

    new = apps(0)
    assert {editions.edition_for(a.record).id for a in new} == {"lz-2025"}
    unit_rules(new, [])
    name_rules(new, [])

    def of_university(apps: list[Single]) -> list:
        return [
            f
            for a in apps
            for f in a.batch_findings
            if f.code == "LZ-BATCH-UNIT" and university["uscc"] in f.message
        ]

    units = of_university(new)
    assert len(units) == 3 and all(f.edition == "lz-2025" for f in units)
    assert "共参与 3 个创新联合体，超过高等院校和医院原则上最多 2 个的限制" in units[0].message
    names = [f.message for f in new[0].batch_findings if f.code == "LZ-BATCH-NAME"]
    assert names and "名称核心“工业互联网”包含在“工业互联网平台”中" in names[0]
    title = explain(get_rule("LZ-BATCH-UNIT", "lz-2025"), editions.get_edition("lz-2025"))["title"]
    assert "高等院校和医院最多2个" in title

    old = apps(1)
    assert {editions.edition_for(a.record).id for a in old} == {"lz-2024"}
    unit_rules(old, [])
    name_rules(old, [])
    assert not of_university(old)  # 3 <= 3
    names = [f.message for f in old[0].batch_findings if f.code == "LZ-BATCH-NAME"]
    # 2024 strips only 广西: the cores keep 柳州市 and are compared whole
    assert names and "相似度 89%" in names[0] and "名称核心" not in names[0]

    # an edition that ignores a batch rule does not get its findings
    from toolkit.rules.cross import registry_findings

    path = lz2025 / "forms" / "lz-2025.profile.yaml"
    registered = Single(copy.deepcopy(new[1].record))
    codes = {f.code for f in registry_findings(new[0].record, [_consortium(registered.record)])}
    assert "LZ-BATCH-NAME" in codes
    path.write_text(path.read_text(encoding="utf-8") + "ignore: [LZ-BATCH-NAME]\n", encoding="utf-8")
    editions._editions.cache_clear()
    codes = {f.code for f in registry_findings(new[0].record, [_consortium(registered.record)])}
    assert "LZ-BATCH-NAME" not in codes

    # the Liuzhou name rule: the new prefix in the check and its message
    record = copy.deepcopy(base)  # named 柳州市…创新联合体: right in 2024, not in 2025
    found = {f.code: f for f in check_record(record)}
    assert "“广西柳州市+核心技术领域+创新联合体”" in found["LZ-NAME"].message
    assert "LZ-NAME" not in {f.code for f in check_record(record, edition="lz-2024")}


def test_titles_and_why_carry_the_editions_numbers(lz2025):
    new, old = editions.get_edition("lz-2025"), editions.get_edition("lz-2024")
    staff = get_rule("LZ-RD-STAFF", "lz-2025")
    assert explain(staff, new)["title"] == "牵头单位专职研发人员原则上25人以上"
    assert explain(staff, old)["title"] == "牵头单位专职研发人员原则上20人以上"
    assert "2025年3月31日" in explain(get_rule("LZ-DEADLINE"), new)["title"]
    assert "6亿元" in explain(get_rule("LZ-REVENUE"), new)["title"]
    # the newest edition's numbers by default (ictk rules without --form)
    assert rule_titles()["LZ-MEMBERS"] == "联合申报的成员单位原则上不少于9个"
    # from the command line, as a maintainer tries it
    out = ictk("rules", "LZ-RD-STAFF", "--form", "lz-2025", env={"ICTK_DATA_DIR": str(lz2025)})
    assert out.returncode == 0, out.stderr
    assert "25人" in out.stdout and "20人" not in out.stdout


def test_check_with_form_names_the_edition(lz2025, tmp_path):
    record = next_year(load_record(ROOT / "samples" / "records" / "lz-pass.json"))
    record["lead"]["rd_staff"] = 22
    path = tmp_path / "r.json"
    path.write_text(dumps(record), encoding="utf-8")
    report = check_file(path, form_id="lz-2025")
    assert report.edition == "lz-2025" and report.to_json()["edition"] == "lz-2025"
    assert "LZ-RD-STAFF" in {f.code for f in report.findings}
    # asked for 2024 explicitly, the same file passes the staff threshold
    assert "LZ-RD-STAFF" not in {f.code for f in check_file(path, form_id="lz-2024").findings}


def test_no_threshold_is_written_in_the_rule_table():
    """Titles and messages name thresholds only through the profile."""
    import yaml

    entries = yaml.safe_load((ROOT / "toolkit" / "rules" / "rules.yaml").read_text(encoding="utf-8"))
    table = "\n".join(e.get(k, "") for e in entries for k in ("title", "message", "why"))
    for literal in (
        "5亿",
        "10亿",
        "1亿元",
        "20人",
        "30人",
        "3%",
        "3000万元",
        "2024年4月15日",
        "8个",
        "10000万元",
        "柳州市",
        "高校、医院",
    ):
        assert literal not in table, literal
    common = (ROOT / "toolkit" / "generate" / "common.py").read_text(encoding="utf-8")
    assert "2024年柳州市" not in common


# -- the rule table -----------------------------------------------------------------------------
def test_every_code_a_report_can_carry_is_in_the_table():
    """Every code string the toolkit emits is declared, and ``ictk rules CODE`` explains each."""
    declared = {i.code for i in all_rules()}
    emitted: set[str] = set()
    for path in (ROOT / "toolkit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        emitted |= set(re.findall(r'"((?:PARSE|OCR|SEAL|FORM|SCHEMA|LZ|GX|RULE)-[A-Z0-9-]+)"', text))
    from toolkit.rules.schema_rules import KEYWORDS

    emitted |= {f"SCHEMA-{k.upper()}" for k in KEYWORDS} | {"SCHEMA-OTHER"}  # built from the keyword
    assert "RULE-ERROR" not in emitted  # a crash is reported under the crashing rule's own code
    assert emitted - declared == set()
    for code in sorted(declared):
        for info in engine.get_rules(code):
            data = explain(info)
            assert data["title"] and data["why"] and "{" not in data["title"] + data["why"], code
            assert data["clause"] == "form" or data["quote"], code


def test_ictk_rules_explains_every_code():
    from click.testing import CliRunner

    from toolkit.cli import cli

    listing = json.loads(ictk("rules", "--format", "json").stdout)
    codes = sorted({r["code"] for r in listing})
    assert len(codes) >= 60 and codes == sorted({i.code for i in all_rules()})
    runner = CliRunner()
    for code in codes:
        out = runner.invoke(cli, ["rules", code, "--format", "json"])
        assert out.exit_code == 0, (code, out.output)
        data = json.loads(out.output)
        entries = data if isinstance(data, list) else [data]
        assert all(e["code"] == code and e["editions"] and "{" not in e["title"] for e in entries), code
        text = runner.invoke(cli, ["rules", code])
        assert text.exit_code == 0 and code in text.output, code


# -- profiles are validated when loaded --------------------------------------------------------
def broken_edition(tmp_path, monkeypatch, edit) -> Path:
    forms = tmp_path / "forms"
    forms.mkdir(exist_ok=True)
    text = (ROOT / "forms" / "lz-preapply-2024.profile.yaml").read_text(encoding="utf-8")
    text = text.replace("edition: lz-2024", "edition: lz-2099").replace(
        "clauses: lz-2024.clauses.yaml", "clauses: lz-2099.clauses.yaml"
    )
    (forms / "lz-2099.profile.yaml").write_text(edit(text), encoding="utf-8")
    (forms / "lz-2099.clauses.yaml").write_text(
        (ROOT / "forms" / "lz-2024.clauses.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setenv("ICTK_DATA_DIR", str(tmp_path))
    return forms / "lz-2099.profile.yaml"


def test_a_misspelt_key_names_the_file_and_the_key(tmp_path, monkeypatch):
    broken_edition(tmp_path, monkeypatch, lambda t: t.replace("rd_staff_min:", "rd_staf_min:"))
    with pytest.raises(
        ProfileError,
        match=r"lz-2099\.profile\.yaml 中键“rd_staf_min”不是可用的配置项（是否应为“rd_staff_min”？）",
    ):
        load_profile("lz-2099")


def test_a_missing_key_names_the_file_and_the_key(tmp_path, monkeypatch):
    broken_edition(tmp_path, monkeypatch, lambda t: re.sub(r"(?m)^members_min:.*\n", "", t))
    with pytest.raises(ProfileError, match=r"lz-2099\.profile\.yaml 中键“members_min”缺少"):
        load_profile("lz-2099")


def test_a_wrong_type_names_the_file_and_the_key(tmp_path, monkeypatch):
    broken_edition(tmp_path, monkeypatch, lambda t: t.replace("name_similarity: 85", "name_similarity: 很像"))
    with pytest.raises(ProfileError, match=r"键“batch\.name_similarity”应为数字"):
        load_profile("lz-2099")


def test_a_broken_profile_is_exit_2_not_a_warning(tmp_path, monkeypatch, samples):
    broken_edition(tmp_path, monkeypatch, lambda t: t.replace("rd_staff_min:", "rd_staf_min:"))
    out = ictk(
        "check",
        samples / "records" / "lz-pass.json",
        "--form",
        "lz-2099",
        env={"ICTK_DATA_DIR": str(tmp_path)},
    )
    assert out.returncode == 2, out.stdout
    assert "rd_staf_min" in out.stdout + out.stderr
    assert "Traceback" not in out.stderr


def test_every_shipped_profile_is_valid():
    for e in editions.editions().values():
        assert load_profile(e.id)


# -- a crashing rule -----------------------------------------------------------------------------
def test_a_crashing_rule_is_reported_as_itself(monkeypatch, samples):
    record = load_record(samples / "records" / "lz-pass.json")
    record["lead"]["rd_staff"] = 5  # LZ-RD-STAFF would warn
    record["members"] = record["members"][:3]  # LZ-MEMBERS would warn

    def broken(ctx):
        raise ZeroDivisionError("division by zero")
        yield  # pragma: no cover

    info = next(i for i in engine._TABLE if i.code == "LZ-PLATFORM")
    monkeypatch.setitem(engine._IMPL, "LZ-PLATFORM", [(None, broken)])
    findings = check_record(record)
    crash = [f for f in findings if f.code == "LZ-PLATFORM"]
    assert len(crash) == 1
    assert crash[0].severity == info.severity == "error" and crash[0].clause == "lz-1.2.2"
    assert "执行出错" in crash[0].message and "ZeroDivisionError" in crash[0].message
    # the other rules' findings are kept, and the verdict is no better than the crash allows
    assert {"LZ-RD-STAFF", "LZ-MEMBERS"} <= {f.code for f in findings}
    from toolkit.findings import verdict

    assert verdict(findings) == "fail"


def test_an_unknown_edition_is_a_chinese_error():
    with pytest.raises(IctkError, match="未知的政策版本"):
        editions.get_edition("lz-1999")


# -- which form, which edition ------------------------------------------------------------------
def layout_text(path: Path, drop_title: bool) -> str:
    from toolkit.read import Grid
    from toolkit.read.docx_reader import read_docx

    layout = read_docx(path)
    parts = []
    for block in layout.blocks:
        if isinstance(block, Grid):
            parts += [c.text for row in block.rows for c in row]
        elif not (drop_title and re.search("申报表|申请表", block.replace(" ", ""))):
            parts.append(block)
    return "\n".join(parts)


@pytest.mark.parametrize(
    "name, form", [("lz-pass.docx", "lz-preapply-2024"), ("gx-pass.docx", "gx-recognition")]
)
def test_a_form_is_known_by_its_labels_without_its_title(samples, name, form):
    """A scan's title may be wrapped or half under a red seal: the labels decide."""
    from toolkit.forms import detect_form, form_scores

    text = layout_text(samples / "filled" / "clean" / name, drop_title=True)
    assert not any(s[2] for s in form_scores(text))  # no title left
    assert detect_form(text) == form


def test_two_forms_with_one_title_are_told_apart_by_their_labels(tmp_path, monkeypatch, samples):
    """Next year's form keeps the title and adds a field: the labels found choose the form."""
    import yaml

    from toolkit.forms import detect_form

    forms = tmp_path / "forms"
    forms.mkdir()
    raw = yaml.safe_load((ROOT / "forms" / "lz-preapply-2024.yaml").read_text(encoding="utf-8"))
    raw["id"] = "lz-preapply-2026"
    raw["sections"][0]["fields"].append(
        {"id": "consortium.carbon_plan", "label": "碳达峰行动方案", "type": "text"}
    )
    (forms / "lz-preapply-2026.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("ICTK_DATA_DIR", str(tmp_path))

    text_2024 = layout_text(samples / "filled" / "clean" / "lz-pass.docx", drop_title=False)
    assert detect_form(text_2024) == "lz-preapply-2024"
    assert detect_form(text_2024 + "\n碳达峰行动方案\n（略）") == "lz-preapply-2026"
    # the title alone no longer decides between them
    assert detect_form("柳州市市级创新联合体预申报表") is None


def test_two_years_of_one_form_are_told_apart_by_the_filing_date(lz2025):
    record = load_record(ROOT / "samples" / "records" / "lz-pass.json")
    assert editions.edition_for(record).id == "lz-2024"
    assert editions.edition_for(next_year(record)).id == "lz-2025"
    record["signoff"]["date"] = "2030-01-01"  # after every period: the newest edition
    assert editions.edition_for(record).id == "lz-2025"


def test_a_profile_without_its_edition_head_is_refused(tmp_path, monkeypatch):
    """A copied profile that forgot to say which edition it is, is not silently skipped."""
    broken_edition(tmp_path, monkeypatch, lambda t: t.replace("edition: lz-2099\n", ""))
    with pytest.raises(IctkError, match=r"配置文件 lz-2099\.profile\.yaml 缺少键“edition”"):
        editions.editions()


def test_a_broken_profile_stops_a_batch_before_any_file(tmp_path, monkeypatch, samples):
    broken_edition(tmp_path, monkeypatch, lambda t: t.replace("members_min: 8", "members_min: 八"))
    out = ictk("batch", samples / "records", "-j", "1", env={"ICTK_DATA_DIR": str(tmp_path)})
    assert out.returncode == 2, out.stdout[-500:]
    assert "lz-2099.profile.yaml 中键“members_min”应为整数" in out.stderr
    assert "Traceback" not in out.stderr
