"""The hold-out set: applications as users bring them, through the real ``ictk`` command.

Each ``samples/holdout/forms/<name>.expected.json`` sits beside ``<name>.docx`` or ``<name>.pdf``
(filled official blanks, LibreOffice HTML forms, hand-written WordprocessingML, LibreOffice PDFs;
made by ``samples/holdout/make/make_all.py``). It holds the canonical record the file must parse
to, the findings a check must report (clause, severity and JSON pointer, taken from
spec/CLAUSES.md and spec/REPORT.md) and the verdict.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

FORMS = Path(__file__).resolve().parents[1] / "samples" / "holdout" / "forms"
CASES = sorted(p.name.removesuffix(".expected.json") for p in FORMS.glob("*.expected.json"))
SEVERE = {"error", "warning"}


def source(name: str) -> Path:
    found = [p for p in (FORMS / f"{name}.docx", FORMS / f"{name}.pdf") if p.exists()]
    assert len(found) == 1, f"{name}: expected exactly one .docx or .pdf beside the expected JSON"
    return found[0]


def expected(name: str) -> dict:
    return json.loads((FORMS / f"{name}.expected.json").read_text("utf-8"), parse_float=Decimal)


@cache
def ictk(command: str, name: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        ["ictk", command, str(source(name)), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


def flatten(node, prefix: str = "") -> dict[str, object]:
    """JSON pointers to leaf values; numbers as Decimal so 86500 == 86500.0."""
    if isinstance(node, dict):
        out: dict[str, object] = {}
        for k, v in node.items():
            out.update(flatten(v, f"{prefix}/{k}"))
        return out
    if isinstance(node, list):
        out = {}
        for i, v in enumerate(node):
            out.update(flatten(v, f"{prefix}/{i}"))
        return out
    if isinstance(node, (int, float, Decimal)) and not isinstance(node, bool):
        return {prefix: Decimal(str(node))}
    return {prefix: node}


def differences(want: dict, got: dict) -> list[str]:
    w, g = flatten(want), flatten(got)
    lines = []
    for key in sorted(set(w) | set(g)):
        if key not in g:
            lines.append(f"{key}: missing, expected {w[key]!r}")
        elif key not in w:
            lines.append(f"{key}: unexpected {g[key]!r}")
        elif w[key] != g[key] or type(w[key]) is not type(g[key]):
            lines.append(f"{key}: expected {w[key]!r}, got {g[key]!r}")
    return lines


def fields_of(f: dict) -> list[str]:
    return f.get("field_any") or [f["field"]]


def matches(want: dict, got: dict) -> bool:
    return (
        got.get("clause") == want["clause"]
        and got.get("severity") == want["severity"]
        and got.get("field") in fields_of(want)
    )


@pytest.mark.parametrize("name", CASES)
def test_parse_gives_the_expected_record(name: str) -> None:
    status, out, err = ictk("parse", name)
    assert status == 0, f"ictk parse exited {status}: {err.strip()}"
    got = json.loads(out, parse_float=Decimal)
    diff = differences(expected(name)["record"], got)
    assert not diff, f"{len(diff)} field(s) differ:\n" + "\n".join(diff)


@pytest.mark.parametrize("name", CASES)
def test_check_reports_exactly_the_violated_condition(name: str) -> None:
    want = expected(name)
    status, out, err = ictk("check", name)
    assert status in (0, 1), f"ictk check exited {status}: {err.strip()}"
    report = json.loads(out, parse_float=Decimal)
    findings = report.get("findings", [])
    shown = "\n".join(
        f"  {f.get('severity')} {f.get('clause')} {f.get('field')} {f.get('message')}" for f in findings
    )
    problems = []
    for w in want["findings"]:
        if not any(matches(w, f) for f in findings):
            problems.append(f"missing {w['severity']} {w['clause']} at {' or '.join(fields_of(w))}")
    for f in findings:
        if f.get("severity") not in SEVERE:
            continue
        # the same violation reported again on another of its fields is not a false finding
        if not any(
            f.get("clause") == w["clause"]
            and f.get("severity") == w["severity"]
            and f.get("field") in fields_of(w)
            for w in want["findings"]
        ):
            problems.append(
                f"unexpected {f.get('severity')} {f.get('clause')} at {f.get('field')}: {f.get('message')}"
            )
    if report.get("verdict") != want["verdict"]:
        problems.append(f"verdict {report.get('verdict')!r}, expected {want['verdict']!r}")
    want_status = 1 if want["verdict"] == "fail" else 0
    if status != want_status:
        problems.append(f"exit status {status}, expected {want_status}")
    assert not problems, "\n".join(problems) + "\nfindings reported:\n" + shown
