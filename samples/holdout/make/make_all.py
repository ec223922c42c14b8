"""Build the hold-out set: ``python samples/holdout/make/make_all.py`` from the repository root.

Writes ``samples/holdout/forms/<name>.docx|.pdf`` and ``<name>.expected.json`` beside each.
Needs ``ictk forms blank`` (the official blank) and LibreOffice (through tests/lo.py).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import cases  # noqa: E402
import fill_blank  # noqa: E402
import records  # noqa: E402
from fill_blank import Style  # noqa: E402

OUT = ROOT / "samples" / "holdout" / "forms"

# One applicant's habits per passing application.
PASS_STYLES = {
    "lz-pass": Style(tick="☑", amount="comma", date="cn", percent="sign"),
    "lz-bearing": Style(tick="■", amount="yi", date="cn", percent="bare", staff_unit=True),
    "lz-software": Style(tick="delete", amount="wan", date="dot", percent="sign"),
    "lz-medical": Style(tick="√", amount="plain", date="slash", percent="bare"),
    "gx-pass": Style(tick="☑", amount="yi", date="cn", percent="sign"),
    "gx-battery": Style(tick="■", amount="comma", date="iso", percent="sign", platform_words=True),
    "gx-sugar": Style(tick="delete", amount="comma", date="cn", percent="bare", platform_words=True),
    "gx-young": Style(tick="✓", amount="wan", date="dot", percent="sign", staff_unit=True),
}
# Filled, then hand-edited (edit_blank.py).
EDITED = {
    "lz-edited-software": ("lz-software", Style(tick="☑", amount="comma", date="cn")),
    "gx-edited-young": ("gx-young", Style(tick="■", amount="comma", date="iso", percent="sign")),
}
VIOLATION_STYLES = [
    Style(tick="☑", amount="comma", date="cn"),
    Style(tick="■", amount="plain", date="cn", percent="bare"),
    Style(tick="☑", amount="yi", date="dot"),
]
# Violations also printed to PDF by LibreOffice.
PDF_CASES = ["lz-v-revenue-mfg", "lz-v-members", "gx-v-consortia", "gx-v-governance", "gx-v-rd"]
# Passing filled blanks printed to PDF.
PDF_PASSING = ["lz-pass", "gx-battery", "gx-edited-young"]


def write_expected(name: str, expected: dict) -> None:
    text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    (OUT / f"{name}.expected.json").write_text(text, encoding="utf-8")


def passing_expected(record: dict, about: str) -> dict:
    return {"about": about, "record": record, "findings": [], "verdict": "pass"}


def to_pdf(src: Path, name: str, work: Path) -> None:
    from lo import convert

    staged = work / f"{name}.docx"
    staged.write_bytes(src.read_bytes())
    pdf = convert(staged, "pdf", work)
    (OUT / f"{name}.pdf").write_bytes(pdf.read_bytes())


def make_edited(name: str, base: str, style: Style, work: Path) -> None:
    import edit_blank

    record = records.clone(base)
    fill_blank.fill(record, OUT / f"{name}.docx", style, work)
    edit_blank.edit(OUT / f"{name}.docx", record)
    write_expected(name, passing_expected(record, "official blank filled, then labels and rows hand-edited"))


def main() -> None:
    import html_form
    import raw_docx

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="holdout-") as tmp:
        work = Path(tmp)
        for name, style in PASS_STYLES.items():
            record = records.clone(name)
            fill_blank.fill(record, OUT / f"{name}.docx", style, work)
            write_expected(name, passing_expected(record, "official blank filled in Word, passes"))
        for name, (base, style) in EDITED.items():
            make_edited(name, base, style, work)
        for i, case in enumerate(cases.CASES):
            expected = cases.build(case)
            style = VIOLATION_STYLES[i % len(VIOLATION_STYLES)]
            fill_blank.fill(expected["record"], OUT / f"{case.name}.docx", style, work)
            write_expected(case.name, expected)
        for name in PDF_CASES + PDF_PASSING:
            to_pdf(OUT / f"{name}.docx", f"{name}-lo", work)
            src = json.loads((OUT / f"{name}.expected.json").read_text("utf-8"))
            src["about"] = f"{name}.docx printed to PDF by LibreOffice"
            write_expected(f"{name}-lo", src)
        for name, about in html_form.make(OUT, work).items():
            write_expected(name, {**about})
        for name, about in raw_docx.make(OUT, work).items():
            write_expected(name, {**about})


if __name__ == "__main__":
    main()
