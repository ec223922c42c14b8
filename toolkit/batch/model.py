"""The data of a batch: one result per file, files grouped into applications, the whole batch.

Everything here is plain data (picklable, JSON-able through ``to_json``): the terminal summary,
the JSON, the xlsx and the HTML report are views of the same :class:`BatchResult`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..check import CheckReport
from ..findings import SEVERITY_ORDER, Finding, verdict
from ..record import get_path
from ..text import squeeze
from ..uscc import compact

KIND_LABEL: dict[str, str] = {"docx": "Word 版", "pdf": "PDF 版", "json": "记录文件"}
ROLE_ORDER = {"editable": 0, "record": 1, "stamped": 2}  # which file stands for an application
VERDICT_LABEL: dict[str, str] = {
    "pass": "通过",
    "warn": "有警告",
    "fail": "不通过",
    "unreadable": "无法读取",
}


def norm_uscc(text: Any) -> str:
    """A USCC as compared across files and the registry (``toolkit.uscc.compact``)."""
    return compact(str(text or ""))


# One report type for a file: what ``ictk check`` prints and what a batch keeps per file
# (``kind`` is then docx, pdf or json, the file's own kind).
FileResult = CheckReport


@dataclass
class Application:
    """One application: a Word file and its scanned PDF (or what of the pair arrived), or one
    unreadable file, which stays in the report as its own entry so that nothing is lost."""

    id: str
    files: list[FileResult]
    batch_findings: list[Finding] = field(default_factory=list)

    @cached_property
    def primary(self) -> FileResult:
        """The file whose record stands for the application: the editable copy first (exact
        text), then a JSON record, then the stamped copy (PDF, scan). Computed once: the files of
        an application are fixed when it is made (the cross rules ask for it tens of thousands of
        times in a batch)."""
        readable = [f for f in self.files if f.readable]
        pool = readable or self.files
        return sorted(pool, key=lambda f: (ROLE_ORDER.get(f.role or "", 9), f.file))[0]

    @property
    def readable(self) -> bool:
        return any(f.readable for f in self.files)

    @property
    def form(self) -> str | None:
        return self.primary.form

    @property
    def policy(self) -> str | None:
        """The policy (lz, gx) of the application's edition."""
        from ..editions import editions_of

        found = editions_of(self.form) if self.form else []
        return found[0].policy if found else None

    @property
    def record(self) -> dict[str, Any]:
        return self.primary.record or {}

    @cached_property
    def name(self) -> str:
        return squeeze(get_path(self.record, "consortium.name", ""))

    @property
    def lead_name(self) -> str:
        return str(get_path(self.record, "lead.name", "") or "")

    @cached_property
    def lead_uscc(self) -> str:
        return norm_uscc(get_path(self.record, "lead.uscc", ""))

    @property
    def file_names(self) -> list[str]:
        return [f.file for f in self.files]

    @property
    def error(self) -> str | None:
        if self.readable:
            return None
        return "；".join(f"{f.file}：{_without_name(f.error, f.file)}" for f in self.files if f.error) or None

    @property
    def file_findings(self) -> list[Finding]:
        """The checks of each file, the primary's first; a finding another file of the pair
        repeats (same code and field) is shown once."""
        seen: set[tuple[str, str | None, str]] = set()
        out: list[Finding] = []
        for f in [self.primary, *[x for x in self.files if x is not self.primary]]:
            for finding in f.findings:
                key = (finding.code, finding.field, finding.severity)
                if key not in seen:
                    seen.add(key)
                    out.append(finding)
        return out

    @property
    def findings(self) -> list[Finding]:
        return sorted(
            [*self.file_findings, *self.batch_findings], key=lambda f: SEVERITY_ORDER.get(f.severity, 9)
        )

    @property
    def verdict(self) -> str:
        if not self.readable:
            return "unreadable"
        return verdict(self.findings)

    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in ("error", "warning", "info")}

    def label(self) -> str:
        """How a message names this application to a clerk: its consortium name and files."""
        files = "、".join(self.file_names)
        name = get_path(self.record, "consortium.name") if self.readable else None
        return f"“{name}”（{files}）" if name else f"（{files}）"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "files": self.file_names,
            "form": self.form,
            "consortium": get_path(self.record, "consortium.name"),
            "lead": {"name": self.lead_name or None, "uscc": self.lead_uscc or None},
            "verdict": self.verdict,
            "counts": self.counts(),
            "findings": [f.to_json() for f in self.findings],
            "batch_findings": [f.to_json() for f in self.batch_findings],
        }
        if self.error:
            data["error"] = self.error
        return data


@dataclass
class BatchResult:
    root: str
    applications: list[Application]
    files: list[FileResult]
    skipped: list[str] = field(default_factory=list)  # files in the folder that are not forms
    registry: str | None = None
    notes: dict[str, str] = field(default_factory=dict)  # skipped file -> why

    def summary(self) -> dict[str, Any]:
        verdicts = Counter(a.verdict for a in self.applications)
        errors_by_rule = Counter(
            f.code for a in self.applications for f in a.findings if f.severity == "error"
        )
        warnings_by_rule = Counter(
            f.code for a in self.applications for f in a.findings if f.severity == "warning"
        )
        return {
            "files": len(self.files),
            "skipped": len(self.skipped),
            "applications": len(self.applications),
            "unreadable_files": sum(1 for f in self.files if not f.readable),
            "verdicts": {v: verdicts.get(v, 0) for v in VERDICT_LABEL},
            "errors_by_rule": dict(errors_by_rule.most_common()),
            "warnings_by_rule": dict(warnings_by_rule.most_common()),
        }

    @property
    def has_errors(self) -> bool:
        return any(a.verdict in ("fail", "unreadable") for a in self.applications)

    def summary_text(self) -> str:
        """The Chinese summary printed at the end of ``ictk batch``."""
        s = self.summary()
        v = s["verdicts"]
        lines = [
            f"共检查 {s['files']} 个文件，归并为 {s['applications']} 份申报"
            + (f"；另有 {s['skipped']} 个文件不是申报表：" if self.skipped else "。"),
            *[f"  {name}：{self.notes.get(name) or '未检查'}" for name in self.skipped],
            "结论：" + "，".join(f"{VERDICT_LABEL[k]} {v[k]} 份" for k in VERDICT_LABEL),
        ]
        if s["unreadable_files"]:
            lines.append(f"无法读取的文件 {s['unreadable_files']} 个。")
        if s["errors_by_rule"]:
            lines.append(
                "错误（按规则）：" + "，".join(f"{code} {n} 处" for code, n in s["errors_by_rule"].items())
            )
        if s["warnings_by_rule"]:
            lines.append(
                "警告（按规则）：" + "，".join(f"{code} {n} 处" for code, n in s["warnings_by_rule"].items())
            )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """``ictk batch --json``: the summary, the applications, every file's REPORT.md object,
        and the batch findings, each naming its application."""
        return {
            "root": self.root,
            "registry": self.registry,
            "summary": self.summary(),
            "applications": [a.to_json() for a in self.applications],
            "reports": [f.to_report() for f in self.files],
            "batch_findings": [
                {"application": a.id, "files": a.file_names, **f.to_json()}
                for a in self.applications
                for f in a.batch_findings
            ],
            "skipped": self.skipped,
            "not_forms": [{"file": name, "reason": self.notes.get(name, "")} for name in self.skipped],
        }


def _without_name(error: str, file: str) -> str:
    """A reader's message without the file name it ends with, when the name is shown before it.

    >>> _without_name("文件是空的：empty.pdf", "a/empty.pdf")
    '文件是空的'
    >>> _without_name("PDF 文件已损坏，无法读取：cut.pdf（PdfminerException）", "cut.pdf")
    'PDF 文件已损坏，无法读取（PdfminerException）'
    """
    name = file.rsplit("/", 1)[-1]
    for tail in (f"：{name}", f"：{file}"):
        at = error.rfind(tail)
        if at >= 0 and (at + len(tail) == len(error) or error[at + len(tail)] == "（"):
            return error[:at] + error[at + len(tail) :]
    return error
