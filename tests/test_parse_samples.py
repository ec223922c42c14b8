"""Every filled sample in samples/filled/ (and the parser's own fixtures in samples/parse-cases/)
reads into exactly its expected record; unreadable values are reported with their pointers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from toolkit.read.api import parse_file
from toolkit.record import loads, to_jsonable

ROOT = Path(__file__).resolve().parent.parent
FILLED = ROOT / "samples" / "filled"
CASES = ROOT / "samples" / "parse-cases"


def _expected_for(path: Path, what: str) -> Path | None:
    """``<name>.<ext>.<what>.json`` (specific to one file kind) or ``<name>.<what>.json``."""
    for candidate in (path.with_name(f"{path.name}.{what}.json"), path.with_name(f"{path.stem}.{what}.json")):
        if candidate.exists():
            return candidate
    return None


def _samples(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".docx", ".pdf"))
    return [p for p in files if _expected_for(p, "expected")]


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """JSON pointer -> leaf value."""
    if isinstance(obj, dict):
        out: dict[str, Any] = {}
        for key, value in obj.items():
            out.update(flatten(value, f"{prefix}/{key}"))
        return out
    if isinstance(obj, list):
        out = {}
        for i, value in enumerate(obj):
            out.update(flatten(value, f"{prefix}/{i}"))
        return out
    return {prefix: to_jsonable(obj)}


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    g, w = flatten(got), flatten(want)
    return [
        f"{k}: read {g.get(k, '(absent)')!r}, expected {w.get(k, '(absent)')!r}"
        for k in sorted(set(g) | set(w))
        if g.get(k) != w.get(k)
    ]


SAMPLES = _samples(FILLED) + _samples(CASES)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT / "samples")))
def test_sample_reads_into_its_expected_record(path: Path) -> None:
    expected = loads(_expected_for(path, "expected").read_text(encoding="utf-8"))
    result = parse_file(path)
    diffs = differences(result.record, expected)
    assert not diffs, f"{path.name}: {len(diffs)} fields differ:\n" + "\n".join(diffs)
    problems_file = _expected_for(path, "problems")
    reported = sorted(p.field for p in result.problems)
    if problems_file:
        assert reported == sorted(json.loads(problems_file.read_text(encoding="utf-8")))
        for p in result.problems:
            assert p.code == "PARSE-VALUE" and p.severity == "error" and p.clause == "form"
            assert p.value and p.value in p.message  # the text as written, quoted to the user
    else:
        assert reported == [], [p.message for p in result.problems]


def test_there_are_samples_of_every_kind() -> None:
    assert any(p.suffix == ".docx" for p in SAMPLES) and any(p.suffix == ".pdf" for p in SAMPLES)


def _pairs() -> list[tuple[Path, Path]]:
    """A PDF and a Word file of the same name (any folder) whose expected records are equal."""
    docx = {p.stem: p for p in SAMPLES if p.suffix == ".docx"}
    out = []
    for pdf in (p for p in SAMPLES if p.suffix == ".pdf"):
        word = docx.get(pdf.stem)
        if word is None:
            continue
        if _expected_for(pdf, "expected") == _expected_for(word, "expected") or loads(
            _expected_for(pdf, "expected").read_text(encoding="utf-8")
        ) == loads(_expected_for(word, "expected").read_text(encoding="utf-8")):
            out.append((word, pdf))
    return out


@pytest.mark.parametrize("word,pdf", _pairs(), ids=lambda p: p.name)
def test_word_and_pdf_of_the_same_form_give_the_same_record(word: Path, pdf: Path) -> None:
    a, b = parse_file(word), parse_file(pdf)
    assert a.kind == "docx" and b.kind == "pdf"
    diffs = differences(b.record, a.record)
    assert not diffs, "\n".join(diffs)


def test_word_and_pdf_pairs_exist() -> None:
    assert len(_pairs()) >= 2
