"""``ictk templates check``: find what breaks a template before a clerk renders 200 documents with it.

- a tag split across runs (Word does this when a tag is typed in pieces or partly reformatted):
  a ``{{``/``{%``/``{#`` whose closing sits in another run, an opener broken over two runs,
  a tag never closed in its paragraph, text that looks like a broken tag (``{ {``);
- Jinja syntax errors;
- variables the stage's context does not provide, and a trial render with a sample application
  (which also catches a misspelt attribute such as ``lead.nmae``).

Messages are Chinese; an empty list means the template is fine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, TemplateError
from .common import catalog, templates_dir

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_BROKEN = re.compile(r"\{\s+[{%#]|[}%#]\s+\}")


@dataclass(frozen=True)
class Problem:
    part: str
    paragraph: int | None  # 1-based paragraph number in the part
    message: str

    def __str__(self) -> str:
        where = f"第{self.paragraph}段" if self.paragraph else ""
        part = "" if self.part == "word/document.xml" else f"{_PART_NAMES.get(self.part, self.part)}"
        prefix = f"{part}{where}：" if (part or where) else ""
        return prefix + self.message


_PART_NAMES = {"word/footer1.xml": "页脚", "word/footer2.xml": "偶数页页脚", "word/header1.xml": "页眉"}


def split_tag_problems(part: str, xml: bytes) -> list[Problem]:
    """Tags of ``xml`` that do not sit whole inside one run."""
    from lxml import etree

    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        return [Problem(part, None, f"XML 无法解析：{exc}")]
    problems: list[Problem] = []
    for n, p in enumerate(root.iter(f"{_W}p"), 1):
        runs: list[str] = []
        for r in p.iter(f"{_W}r"):
            runs.append("".join(t.text or "" for t in r.iter(f"{_W}t")))
        full = "".join(runs)
        if "{" not in full and "}" not in full:
            continue
        owner: list[int] = []  # run index of each character
        for i, t in enumerate(runs):
            owner.extend([i] * len(t))
        pos, consumed = 0, set()
        while True:
            m = re.search(r"\{[{%#]", full[pos:])
            if not m:
                break
            start = pos + m.start()
            closer = _OPENERS[full[start : start + 2]]
            end = full.find(closer, start + 2)
            if end < 0:
                problems.append(Problem(part, n, f"标签未闭合：“{full[start : start + 40]}”"))
                break
            tag = full[start : end + 2]
            consumed.update(range(end, end + 2))
            if len({owner[i] for i in range(start, end + 2)}) > 1:
                problems.append(
                    Problem(
                        part,
                        n,
                        f"标签被拆分到多个文字块（run）中：“{tag}”。请删除后整段重新输入，或用“清除格式”后再保存",
                    )
                )
            pos = end + 2
        for m in re.finditer(r"%\}|\}\}|#\}", full):
            if m.start() not in consumed and m.start() + 1 not in consumed:
                problems.append(
                    Problem(
                        part, n, f"多余的标签结束符“{m.group()}”：{full[max(0, m.start() - 20) : m.end()]}"
                    )
                )
        for m in _BROKEN.finditer(full):
            problems.append(Problem(part, n, f"疑似损坏的标签：“{m.group()}”（花括号与 % 之间不能有空格）"))
    return problems


def kind_of(path: Path) -> str | None:
    """``agreement``, ``supplement``, a stage id, or None when the file cannot be placed: by the
    file's name, else by its text (a template exported with ``ictk templates export`` and saved
    under any name, edited or not, still shares most paragraphs with the one it came from)."""
    cat = catalog()
    for key, entry in {**cat["templates"], **cat["stages"]}.items():
        if path.name == entry["file"]:
            return key
    stem = path.stem.lower()
    for key in sorted({**cat["templates"], **cat["stages"]}, key=len, reverse=True):
        if key in stem:
            return key
    return kind_by_text(path)


def kind_by_text(path: Path, least: float = 0.5) -> str | None:
    """The shipped template whose paragraphs ``path`` shares most (Jaccard), if at least ``least``
    and more than any other."""
    cat = catalog()
    mine = _paragraphs(path)
    if not mine:
        return None
    scores = {}
    for key, entry in {**cat["templates"], **cat["stages"]}.items():
        theirs = _paragraphs(templates_dir() / entry["file"])
        scores[key] = len(mine & theirs) / len(mine | theirs)
    best, second = sorted(scores, key=scores.__getitem__, reverse=True)[:2]
    return best if scores[best] >= least and scores[best] > scores[second] else None


def _paragraphs(path: Path) -> set[str]:
    """The distinct non-empty paragraph texts of a .docx body (empty when it cannot be read)."""
    import zipfile

    from lxml import etree

    try:
        with zipfile.ZipFile(path) as zf:
            root = etree.fromstring(zf.read("word/document.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return set()
    texts = ("".join(t.text or "" for t in p.iter(f"{_W}t")).strip() for p in root.iter(f"{_W}p"))
    return {t for t in texts if t}


def sample_records() -> dict[str, dict[str, Any]]:
    """A small but complete application of each form, for trial renders."""
    members = [
        {
            "name": "示例大学",
            "uscc": "12450000000000000X",
            "org_type": "高等学校",
            "layer": "核心层",
            "location": "柳州市",
        },
        {"name": "示例研究院", "uscc": "12450000000000001X", "org_type": "科研院所", "layer": "紧密合作层"},
        {"name": "示例检测中心", "org_type": "检验检测机构"},
    ]
    base = {
        "consortium": {
            "name": "柳州市示例技术创新联合体",
            "tech_field": "示例技术",
            "industry_direction": "示例产业",
        },
        "lead": {
            "name": "示例科技股份有限公司",
            "uscc": "91450200000000000X",
            "location": "柳州市柳南区",
            "address": "柳州市柳南区示例路1号",
            "legal_representative": "张三",
            "revenue": 60000,
            "rd_staff": 40,
            "rd_expense_3y": 9000,
            "outreach": "开展技术服务",
            "platforms": [{"name": "示例重点实验室", "level": "市级", "type": "重点实验室"}],
        },
        "members": members,
        "governance": {
            "decision_body": "理事会",
            "advisory_body": "专家委员会",
            "executive_body": "秘书处",
            "executive_staff": 5,
            "funds_policy": "经费管理办法",
            "benefit_policy": "按贡献分享",
            "openness_policy": "动态进出",
        },
        "plan": {
            "goals": "目标",
            "tasks": "任务",
            "outcomes": "成效",
            "start": "2024-06-01",
            "end": "2027-05-31",
        },
        "signoff": {"date": "2024-04-10", "recommender": "柳南区科学技术局"},
    }
    from ..editions import editions

    return {e.form: {"form": e.form, **base} for e in editions().values()}


def sample_forms(kind: str) -> list[str]:
    """The forms a template of ``kind`` serves (its ``forms:`` in templates.yaml) that have an
    edition: a trial render is made with a sample record of each."""
    cat = catalog()
    entry = {**cat["templates"], **cat["stages"]}.get(kind) or {}
    known = sample_records()
    return [f for f in entry.get("forms") or [] if f in known] or sorted(known)


def sample_context(kind: str, form: str | None = None) -> dict[str, Any]:
    """The context ``kind`` renders with, built from :func:`sample_records` (the record of
    ``form``; default: the last of the forms the template serves)."""
    import copy

    from ..findings import Finding

    record = sample_records()[form or sample_forms(kind)[-1]]
    if kind == "agreement":
        from .agreement import agreement_context

        return agreement_context(record)
    if kind == "supplement":
        from .supplement import compute_changes, supplement_context

        old = record
        new = copy.deepcopy(old)
        new["members"] = new["members"][1:] + [
            {"name": "新成员公司", "uscc": "91450200000000009X", "layer": "一般协作层"}
        ]
        return supplement_context(new, compute_changes(old, new), old, agreement_date="2024-05-01")
    if kind == "notice":
        from .notice import notice_context

        return notice_context(
            record,
            [
                Finding("SAMPLE-E", "error", "form", "示例错误", field="/lead/uscc"),
                Finding("SAMPLE-W", "warning", "gx-5.2.1", "示例警告", field="/lead/revenue"),
            ],
            date="2024-04-05",
            contact="张三，0771-0000000",
        )
    from .opinion import opinion_context

    findings = [
        Finding("SAMPLE-E", "error", "form", "示例错误"),
        Finding("SAMPLE-W", "warning", "lz-1.2.1", "示例警告"),
        Finding("SAMPLE-I", "info", "gx-8", "示例提示"),
    ]
    return opinion_context(record, findings, kind, date="2024-04-05")


def lint_template(path: str | Path, kind: str | None = None) -> list[Problem]:
    """Every problem of the template at ``path``; ``kind`` (``agreement``, ``supplement`` or a
    stage id) enables the variable checks and is guessed from the file name when not given."""
    from jinja2 import meta

    from .engine import compile_template, environment, read_parts

    p = Path(path)
    if not p.is_file():
        raise InputError(f"模板文件不存在：{p}")
    entries = read_parts(p)
    problems: list[Problem] = []
    for info, data in entries:
        if re.match(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$", info.filename):
            problems += split_tag_problems(info.filename, data)
    try:
        compiled = compile_template(p)
    except TemplateError as exc:
        problems.append(Problem("", None, str(exc)))
        return problems
    kind = kind or kind_of(p)
    if kind is None:
        problems.append(Problem("", None, "无法判断模板类型，未检查变量（请用 --kind 指定）"))
        return problems
    contexts = [sample_context(kind, form) for form in sample_forms(kind)]
    ctx_names = set().union(*contexts)
    env = environment()
    for part, src in compiled.sources.items():
        unknown = meta.find_undeclared_variables(env.parse(src)) - ctx_names
        for name in sorted(unknown):
            problems.append(
                Problem(
                    part, None, f"未知变量：{name}（{kind} 模板可用的变量：{'、'.join(sorted(ctx_names))}）"
                )
            )
    if not any("未知变量" in pr.message for pr in problems):
        for form, context in zip(sample_forms(kind), contexts, strict=True):
            try:
                compiled.render(context)
            except TemplateError as exc:
                problems.append(Problem("", None, f"试渲染失败（{form}）：{exc}"))
                break
    return problems


def shipped_templates() -> list[Path]:
    cat = catalog()
    return [templates_dir() / e["file"] for e in {**cat["templates"], **cat["stages"]}.values()]
