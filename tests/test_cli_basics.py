"""The command line as a user meets it: Chinese help, one Chinese line and exit 2 on a mistake,
and never a half-written or silently replaced file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import partial

import pytest
from ictk_cli import ictk as run_ictk
from ictk_cli import one_chinese_line  # tests/ictk_cli.py

from toolkit.cli import COMMANDS, _available

CJK = re.compile(r"[\u4e00-\u9fff]")


ictk = partial(run_ictk, timeout=120)


def assert_one_chinese_error_line(proc: subprocess.CompletedProcess) -> str:
    line = one_chinese_line(proc)
    assert line.startswith("错误："), line
    return line


def test_main_help_is_chinese_and_lists_the_commands():
    proc = ictk("--help")
    assert proc.returncode == 0
    assert "用法" in proc.stdout and "创新联合体" in proc.stdout
    for name in ("forms", "schema"):
        assert name in proc.stdout
        assert COMMANDS[name][1] in proc.stdout


@pytest.mark.parametrize("name", [n for n in COMMANDS if _available(n)])
def test_every_command_has_chinese_help(name):
    proc = ictk(name, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("用法：") or proc.stdout.startswith("用法:"), proc.stdout[:80]
    first = proc.stdout.split("\n\n")[1]
    assert CJK.search(first), first


@pytest.mark.parametrize("sub", ["list", "blank"])
def test_forms_subcommands_have_chinese_help(sub):
    proc = ictk("forms", sub, "--help")
    assert proc.returncode == 0
    assert CJK.search(proc.stdout.split("\n\n")[1])


def test_blank_help_documents_the_json_shape():
    out = ictk("forms", "blank", "--help").stdout
    assert '"members": [{"name": null' in out and "null" in out and "--force" in out


def test_forms_list_names_both_forms_with_their_field_counts():
    proc = ictk("forms", "list")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["表单编号", "名称", "政策", "字段数"]
    assert lines[1].split() == ["gx-recognition", "广西壮族自治区创新联合体认定申请表", "gx", "50"]
    assert lines[2].split() == ["lz-preapply-2024", "柳州市市级创新联合体预申报表", "lz", "46"]
    rows = json.loads(ictk("forms", "list", "--format", "json").stdout)
    assert [(r["id"], r["policy"], r["fields"]) for r in rows] == [
        ("gx-recognition", "gx", 50),
        ("lz-preapply-2024", "lz", 46),
    ]


def test_an_unknown_form_is_one_chinese_line_and_no_file(tmp_path):
    proc = ictk("forms", "blank", "nosuch", "-o", "x.docx", cwd=tmp_path)
    line = assert_one_chinese_error_line(proc)
    assert "nosuch" in line and "lz-preapply-2024" in line
    assert list(tmp_path.iterdir()) == []
    assert_one_chinese_error_line(ictk("schema", "nosuch"))


def test_an_existing_output_is_kept_without_force_and_replaced_with_it(tmp_path):
    target = tmp_path / "表.docx"
    target.write_bytes(b"the clerk's own file")
    proc = ictk("forms", "blank", "lz-preapply-2024", "-o", str(target))
    assert "已存在" in assert_one_chinese_error_line(proc)
    assert target.read_bytes() == b"the clerk's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表.docx"]

    proc = ictk("forms", "blank", "lz-preapply-2024", "-o", str(target), "--force")
    assert proc.returncode == 0, proc.stderr
    from docx import Document

    assert Document(target).paragraphs[0].text == "柳州市市级创新联合体预申报表"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表.docx"]  # no temporary file left


def _unwritable_folder(tmp_path):
    """A folder this process really cannot create files in (root ignores permission bits)."""
    if os.geteuid() == 0:
        return "/proc"
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    return str(folder)


@pytest.mark.parametrize("args", [["forms", "blank", "gx-recognition"], ["schema", "gx-recognition"]])
def test_an_unwritable_or_missing_folder_writes_nothing(tmp_path, args):
    folder = _unwritable_folder(tmp_path)
    proc = ictk(*args, "-o", os.path.join(folder, "out.docx"))
    assert_one_chinese_error_line(proc)
    assert [name for name in os.listdir(folder) if "out.docx" in name] == []  # nor a temporary file
    proc = ictk(*args, "-o", str(tmp_path / "no" / "such" / "out.docx"))
    assert "不存在" in assert_one_chinese_error_line(proc)
    assert not (tmp_path / "no").exists()


def test_blank_json_and_schema_outputs(tmp_path):
    proc = ictk("forms", "blank", "gx-recognition", "--format", "json", "-o", str(tmp_path / "blank.json"))
    assert proc.returncode == 0, proc.stderr
    record = json.loads((tmp_path / "blank.json").read_text(encoding="utf-8"))
    assert record["form"] == "gx-recognition" and record["lead"]["revenue"] is None

    proc = ictk("schema", "lz-preapply-2024")
    assert proc.returncode == 0
    assert "柳州市市级创新联合体预申报表" in proc.stdout  # Chinese printed as is, not \\u escapes
    from toolkit.schema import load_schema

    assert json.loads(proc.stdout) == load_schema("lz-preapply-2024")
    out = tmp_path / "s.json"
    assert ictk("schema", "lz-preapply-2024", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8")) == load_schema("lz-preapply-2024")
    assert "已存在" in assert_one_chinese_error_line(ictk("schema", "gx-recognition", "-o", str(out)))
    assert json.loads(out.read_text(encoding="utf-8"))["x-form"] == "lz-preapply-2024"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--timeout", "abc"], "'abc' 不是有效的数值。"),
        (["--timeout", "-1"], "-1.0 不在允许的范围（x>=0）内。"),
        (["--jobs", "x"], "'x' 不是有效的整数。"),
    ],
)
def test_a_bad_option_value_is_explained_in_chinese(tmp_path, args, expected):
    proc = ictk("batch", str(tmp_path), *args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("错误：") and expected in line, proc.stderr


def test_defaults_in_help_are_chinese():
    proc = ictk("batch", "--help")
    assert "[默认：300; x>=0]" in proc.stdout
    assert "default" not in proc.stdout


@pytest.mark.parametrize("name", ["batch", "check", "generate"])
def test_chinese_help_fits_the_terminal_and_its_columns_line_up(name):
    from toolkit.helptext import display_width

    env = {**os.environ, "COLUMNS": "72", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", name, "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = proc.stdout.splitlines()
    assert all(display_width(line) <= 72 + 2 for line in lines), max(lines, key=display_width)
    assert "选项：" in lines
    # each option's help starts at the same column, counted in terminal columns
    starts = set()
    for line in lines[lines.index("选项：") + 1 :]:
        match = re.match(r"^(  -\S.*?\S)( {2,})(\S)", line)
        if match:
            starts.add(display_width(match.group(1) + match.group(2)))
    assert len(starts) == 1, starts
    assert " （" not in proc.stdout  # no space where a docstring's line was joined
