"""`ictk templates check` finds what Word does to tags, before a clerk renders with the template."""

from __future__ import annotations

import os
import subprocess
import time

from docx import Document

from toolkit import officedoc as od
from toolkit.generate.engine import load_template
from toolkit.generate.lint import lint_template, shipped_templates


def _with_paragraph(src, dst, runs):
    doc = Document(src)
    p = doc.add_paragraph()
    for text in runs:
        od.style_run(p.add_run(text))
    doc.save(dst)
    return dst


def test_shipped_templates_are_clean_and_every_tag_is_a_whole_run():
    paths = shipped_templates()
    assert len(paths) == 8  # agreement, supplement, notice, five opinions
    for path in paths:
        assert lint_template(path) == [], path.name


def test_a_tag_split_across_runs_is_caught(root, tmp_path):
    broken = _with_paragraph(
        root / "templates/opinion-lz-county.docx",
        tmp_path / "opinion-lz-county.docx",
        ["申报单位：", "{{ app.", "lead }}", "，", "{", "{ body }}"],
    )
    problems = [str(p) for p in lint_template(broken)]
    assert any("标签被拆分" in p and "{{ app.lead }}" in p for p in problems)
    assert any("标签被拆分" in p and "{{ body }}" in p for p in problems)
    done = subprocess.run(["ictk", "templates", "check", str(broken)], capture_output=True, text=True)
    assert done.returncode == 1 and "标签被拆分" in done.stdout


def test_unknown_variables_syntax_errors_and_unclosed_tags(root, tmp_path):
    unknown = _with_paragraph(
        root / "templates/agreement.docx", tmp_path / "agreement.docx", ["{{ secret_fee }}"]
    )
    assert any("未知变量：secret_fee" in str(p) for p in lint_template(unknown))
    attr = _with_paragraph(root / "templates/agreement.docx", tmp_path / "a2.docx", ["{{ lead.nmae }}"])
    assert any("试渲染失败" in str(p) and "nmae" in str(p) for p in lint_template(attr, "agreement"))
    syntax = _with_paragraph(
        root / "templates/supplement.docx", tmp_path / "supplement.docx", ["{% if removed %}"]
    )
    assert any("语法错误" in str(p) for p in lint_template(syntax))
    unclosed = _with_paragraph(root / "templates/supplement.docx", tmp_path / "s3.docx", ["{{ title "])
    assert any("未闭合" in str(p) for p in lint_template(unclosed, "supplement"))


def test_cli_lints_all_shipped_templates_by_default():
    done = subprocess.run(["ictk", "templates", "check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("未发现问题") == 8


def test_templates_compile_once_and_again_when_the_file_changes(root, tmp_path):
    copy = tmp_path / "agreement.docx"
    copy.write_bytes((root / "templates/agreement.docx").read_bytes())
    first = load_template(copy)
    assert load_template(copy) is first
    later = time.time() + 5
    os.utime(copy, (later, later))
    assert load_template(copy) is not first


def test_export_gives_an_editable_copy(tmp_path):
    out = tmp_path / "mine.docx"
    done = subprocess.run(
        ["ictk", "templates", "export", "gx-city", "-o", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0 and lint_template(out, "gx-city") == []
