"""What a newcomer meets on the command line (issue 16): options checked before any work, click's
own mistakes in one Chinese line, a batch summary that counts applications only, help texts in
one voice, and files a colleague on the shared drive can open."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import partial
from pathlib import Path

import pytest
from ictk_cli import ictk as run_ictk
from ictk_cli import one_chinese_line  # tests/ictk_cli.py

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
INTAKE = SAMPLES / "intake" / "folder"
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b(Usage|Try|Error|Missing|No such|Did you mean|is not|Choose from)\b")


ictk = partial(run_ictk, cwd=ROOT, timeout=300)


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The single Chinese ``错误：`` line of a refused call (exit status 2)."""
    line = one_chinese_line(proc)
    assert line.startswith("错误：") and not ENGLISH.search(line), line
    return line


# --- click's own mistakes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check"], ["缺少参数", "文件", "ictk check --help"]),
        (["batch"], ["缺少参数", "目录"]),
        (["check", "x.docx", "--nosuch"], ["没有这个选项", "--nosuch"]),
        (["check", "x.docx", "--forma", "json"], ["没有这个选项", "--forma", "--format"]),
        (["nosuch"], ["没有这个命令", "nosuch"]),
        (["check", "x.docx", "--format", "xml"], ["--format", "xml", "text", "json"]),
        (["rules", "--form"], ["--form", "需要一个值"]),
        (["check", "a.docx", "b.docx"], ["多余的参数", "b.docx"]),
    ],
)
def test_click_mistakes_are_one_chinese_line_and_exit_2(args, words):
    line = one_line(ictk(*args))
    for word in words:
        assert word in line, line


def test_a_group_called_alone_shows_its_commands():
    proc = ictk("generate")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("用法：") and "agreement" in proc.stdout and "opinion" in proc.stdout


# --- batch: options first, a stage per form --------------------------------------------------------


def _records_folder(tmp_path: Path) -> Path:
    """An intake folder of one Liuzhou and one Guangxi application (records: quick to check)."""
    folder = tmp_path / "收件"
    folder.mkdir()
    for name in ("lz-pass", "gx-pass"):
        shutil.copyfile(SAMPLES / "records" / f"{name}.json", folder / f"{name}.json")
    return folder


def test_batch_refuses_an_unknown_stage_before_checking_anything(tmp_path):
    folder = _records_folder(tmp_path)
    opinions = tmp_path / "意见"
    proc = ictk(
        "batch",
        str(folder),
        "--opinions",
        str(opinions),
        "--stage",
        "foo",
        "--json",
        str(tmp_path / "r.json"),
    )
    line = one_line(proc)
    assert "foo" in line and "lz-county" in line and "gx-city" in line
    assert proc.stdout == ""  # nothing was checked
    assert not opinions.exists() and not (tmp_path / "r.json").exists()


def test_batch_refuses_a_stage_given_to_the_wrong_form(tmp_path):
    folder = _records_folder(tmp_path)
    line = one_line(
        ictk("batch", str(folder), "--opinions", str(tmp_path / "意见"), "--stage", "gx=lz-county")
    )
    assert "lz-county" in line and "gx" in line
    assert not (tmp_path / "意见").exists()


def _titles(folder: Path) -> dict[str, str]:
    from docx import Document

    return {p.name.split("-")[0]: Document(p).paragraphs[0].text for p in sorted(folder.glob("*.docx"))}


@pytest.mark.parametrize("stage", ["lz-county,gx-city", "lz=lz-county,gx=gx-city"])
def test_a_mixed_folder_gets_each_forms_own_stage(tmp_path, stage):
    folder = _records_folder(tmp_path)
    opinions = tmp_path / "意见"
    proc = ictk(
        "batch", str(folder), "--opinions", str(opinions), "--stage", stage, "--jobs", "1", "--timeout", "0"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    titles = sorted(_titles(opinions).values())
    assert titles == ["柳州市市级创新联合体预申报推荐意见", "自治区创新联合体认定申请审核推荐意见"]


def test_a_stage_for_one_form_leaves_the_other_its_default(tmp_path):
    folder = _records_folder(tmp_path)
    opinions = tmp_path / "意见"
    proc = ictk(
        "batch",
        str(folder),
        "--opinions",
        str(opinions),
        "--stage",
        "lz-county",
        "--jobs",
        "1",
        "--timeout",
        "0",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    titles = sorted(_titles(opinions).values())
    assert titles == ["柳州市市级创新联合体预申报推荐意见", "自治区创新联合体认定申请形式审查意见"]


# --- batch summary ---------------------------------------------------------------------------------


def _mixed_intake(tmp_path: Path, broken: bool = True) -> Path:
    folder = tmp_path / "收件"
    folder.mkdir()
    shutil.copyfile(SAMPLES / "records" / "lz-pass.json", folder / "lz-pass.json")
    shutil.copyfile(INTAKE / "会议通知.docx", folder / "会议通知.docx")
    shutil.copyfile(INTAKE / "柳南区" / "~$驰底盘-预申报表.docx", folder / "~$驰底盘-预申报表.docx")
    if broken:
        shutil.copyfile(INTAKE / "城中区" / "损坏文件.docx", folder / "损坏文件.docx")
    return folder


def test_the_meeting_notice_is_no_application_and_the_lock_file_is_named(tmp_path):
    from toolkit.batch.run import run_batch

    result = run_batch(_mixed_intake(tmp_path), jobs=1, timeout=None)
    assert sorted(a.file_names[0] for a in result.applications) == ["lz-pass.json", "损坏文件.docx"]
    text = result.summary_text()
    assert "归并为 2 份申报" in text
    assert "会议通知.docx" in text and "不是申报表" in text
    assert "~$驰底盘-预申报表.docx" in text and "锁文件" in text
    data = result.to_json()
    assert data["summary"]["applications"] == 2
    reasons = {s["file"]: s["reason"] for s in data["not_forms"]}
    assert set(reasons) == {"会议通知.docx", "~$驰底盘-预申报表.docx"}


def test_batch_exits_2_for_an_unreadable_file_and_0_for_a_notice_beside_good_forms(tmp_path):
    proc = ictk("batch", str(_mixed_intake(tmp_path)), "--jobs", "1", "--timeout", "0")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "损坏文件.docx" in proc.stdout and "会议通知.docx" in proc.stdout
    quiet = tmp_path / "quiet"
    quiet.mkdir()
    proc = ictk("batch", str(_mixed_intake(quiet, broken=False)), "--jobs", "1", "--timeout", "0")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "归并为 1 份申报" in proc.stdout


def test_batch_help_and_readme_give_the_same_exit_status():
    help_text = ictk("batch", "--help").stdout
    assert re.search(r"2\s*有文件无法读取", help_text), help_text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`2` 文件无法读取或调用有误" in readme


# --- compare, templates check, parse ---------------------------------------------------------------


def test_compare_of_two_forms_names_no_form_the_user_did_not_give():
    clean = SAMPLES / "filled" / "clean"
    line = one_line(ictk("compare", str(clean / "lz-pass.docx"), str(clean / "gx-pass.docx")))
    assert "指定" not in line
    assert "不是同一种表单" in line and "lz-preapply-2024" in line and "gx-recognition" in line


def test_an_exported_template_is_checked_without_kind(tmp_path):
    target = tmp_path / "我的意见模板.docx"
    assert ictk("templates", "export", "gx-city", "-o", str(target)).returncode == 0
    proc = ictk("templates", "check", str(target))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "未发现问题" in proc.stdout and "--kind" not in proc.stdout + proc.stderr


def test_an_edited_exported_template_is_still_recognised(tmp_path):
    from docx import Document

    target = tmp_path / "补充协议（本单位修改）.docx"
    assert ictk("templates", "export", "supplement", "-o", str(target)).returncode == 0
    doc = Document(target)
    doc.add_paragraph("联系人：{{ contact_person }}")
    doc.save(target)
    proc = ictk("templates", "check", str(target))
    assert proc.returncode == 1
    assert "未知变量：contact_person" in proc.stdout and "supplement 模板" in proc.stdout


def test_parse_with_unreadable_fields_exits_1_and_says_so_once_per_line():
    proc = ictk("parse", str(SAMPLES / "parse-cases" / "bad-values.docx"))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 6
    assert all(line.count("无法识别") == 1 for line in lines), lines
    assert "“上年度主营业务收入（万元）”填写的“约五亿”无法识别：“约五亿”不是可以识别的金额" in lines


def test_parse_table_is_not_cut_to_80_columns_when_piped():
    proc = ictk("parse", str(SAMPLES / "parse-cases" / "labels.docx"), "--format", "text")
    assert proc.returncode == 0, proc.stderr
    assert "近三个会计年度研究开发费用总额（万元）" in proc.stdout
    assert "…" not in proc.stdout


# --- help texts in one voice -------------------------------------------------------------------------


def _all_help() -> dict[str, str]:
    from toolkit.cli import COMMANDS, _available

    commands = [[n] for n in COMMANDS if _available(n)]
    commands += [["generate", s] for s in ("agreement", "supplement", "opinion")]
    commands += [["forms", s] for s in ("list", "blank")]
    commands += [["templates", s] for s in ("list", "check", "export")]
    commands += [["registry", s] for s in ("add", "import", "list", "export", "grade", "due")]
    out = {}
    for args in commands:
        proc = ictk(*args, "--help")
        assert proc.returncode == 0, (args, proc.stderr)
        out[" ".join(args)] = proc.stdout
    return out


@pytest.fixture(scope="module")
def helps() -> dict[str, str]:
    return _all_help()


def test_rules_form_option_speaks_of_rules_not_documents(helps):
    assert "文档标题" not in helps["rules"]
    assert "只列出" in helps["rules"]


@pytest.mark.parametrize("sub", ["agreement", "supplement", "opinion"])
def test_generate_form_is_a_list_of_choices(helps, sub):
    assert "--form [gx-recognition|lz-preapply-2024|gx-2023|lz-2024]" in helps[f"generate {sub}"]


def test_every_human_readable_format_has_one_name(helps):
    formats = {name: re.search(r"--format \[([^\]]+)\]", text) for name, text in helps.items()}
    shown = {name: m.group(1) for name, m in formats.items() if m and name != "forms blank"}
    assert {"check", "parse", "rules", "compare", "registry list", "registry due"} <= set(shown)
    assert set(shown.values()) <= {"text|json", "json|text"}, shown


def test_one_word_for_review_opinions(helps):
    for name, text in helps.items():
        flat = text.replace("\n", "").replace(" ", "")
        assert "审查（推荐）意见" not in flat and not re.search(r"(?<!形式)审查意见", flat), name


def test_help_names_no_file_of_the_source_tree(helps):
    for name, text in helps.items():
        assert "forms/" not in text and ".profile.yaml" not in text, name


def test_written_files_are_announced_with_one_word(tmp_path):
    record = SAMPLES / "records" / "lz-pass.json"
    lines = []
    for args in (
        ["forms", "blank", "lz-preapply-2024", "-o", str(tmp_path / "空白.docx")],
        ["schema", "lz-preapply-2024", "-o", str(tmp_path / "s.json")],
        ["generate", "agreement", str(record), "-o", str(tmp_path / "协议.docx")],
        ["generate", "opinion", str(record), "--stage", "lz-county", "-o", str(tmp_path / "意见.docx")],
        [
            "registry",
            "--registry",
            str(tmp_path / "r.db"),
            "import",
            str(SAMPLES / "intake" / "registry.csv"),
        ],
        ["registry", "--registry", str(tmp_path / "r.db"), "export", "-o", str(tmp_path / "名录.xlsx")],
        [
            "batch",
            str(_records_folder(tmp_path)),
            "--json",
            str(tmp_path / "b.json"),
            "--xlsx",
            str(tmp_path / "b.xlsx"),
            "--jobs",
            "1",
            "--timeout",
            "0",
        ],
    ):
        proc = ictk(*args)
        assert proc.returncode == 0, (args, proc.stderr)
        lines += [
            line for line in (proc.stdout + proc.stderr).splitlines() if re.match("已(生成|写入|写出)", line)
        ]
    assert len(lines) == 7, lines
    assert all(line.startswith("已生成") for line in lines), lines
    assert "已生成县（区）科技主管部门推荐意见" in "\n".join(lines)


# --- files a colleague can open ----------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_follow_the_umask(tmp_path, umask, mode):
    from toolkit.outputs import write_bytes

    old = os.umask(umask)
    try:
        path = write_bytes(tmp_path / "报告.json", b"{}")
        replaced = write_bytes(tmp_path / "报告.json", b"[]", force=True)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode
    assert replaced.stat().st_mode & 0o777 == mode
