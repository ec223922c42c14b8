"""Rebuild every filled-form sample in ``samples/filled/`` with its expected record.

    python samples/make/make_filled.py            # everything (LibreOffice steps included)
    python samples/make/make_filled.py clean edited   # only some styles

Each sample ``samples/filled/<style>/<name>.<ext>`` has ``<name>.expected.json`` beside it: the
canonical record (spec/FORMS.md) of the data written into it. Expected records are derived from
the records in ``records.py`` by removing what a sample deletes or makes unreadable, never by
parsing a sample. python-docx output is byte-for-byte reproducible; LibreOffice output carries
its own timestamps.
"""

from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # tests/lo.py: LibreOffice with a private profile per call

from formbuild import Plan, build_blocks  # noqa: E402
from layout import render_docx  # noqa: E402
from records import WRITTEN, all_records  # noqa: E402

from toolkit.forms import load_form  # noqa: E402
from toolkit.record import dumps  # noqa: E402

OUT = ROOT / "samples" / "filled"
STYLES = ("clean", "edited", "controls", "libreoffice", "pdf", "unreadable", "official")


def delete_path(record: dict, pointer: str) -> None:
    parts = pointer.strip("/").split("/")
    node = record
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        del node[int(parts[-1])]
    else:
        node.pop(parts[-1], None)


def write_sample_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(data) + "\n", encoding="utf-8")


def expected_for(record: dict, drop: set[str] = frozenset(), unreadable: list[str] = ()) -> dict:
    """The record a parser must return: deleted rows and unreadable values are absent."""
    expected = copy.deepcopy(record)
    for field_id in drop:
        delete_path(expected, "/" + field_id.replace(".", "/"))
    for pointer in unreadable:
        delete_path(expected, pointer)
    return expected


def docx_sample(
    style: str, name: str, record: dict, plan: Plan, plain: bool = False, unreadable: list[str] = ()
) -> Path:
    form = load_form(record["form"])
    path = OUT / style / f"{name}.docx"
    render_docx(build_blocks(form, record, plan), path, plain=plain)
    write_sample_json(path.with_name(f"{name}.expected.json"), expected_for(record, plan.drop, unreadable))
    if unreadable:
        write_sample_json(path.with_name(f"{name}.problems.json"), list(unreadable))
    return path


# ---------------------------------------------------------------- clean


def build_clean(records: dict[str, dict]) -> list[Path]:
    """python-docx, labels exactly as the definition prints them, ☑/☐ ticks, ISO dates."""
    out = []
    for name, record in records.items():
        layout = "two" if name in ("lz-agri", "gx-hospital") else "four"
        plan = Plan(name=name, layout=layout, written=WRITTEN.get(name, {}))
        out.append(docx_sample("clean", name, record, plan))
    return out


def write_records(records: dict[str, dict]) -> None:
    for name, record in records.items():
        write_sample_json(OUT / f"{name}.record.json", record)


BUILDERS = {"clean": build_clean}


def main(argv: list[str]) -> int:
    wanted = argv or list(STYLES)
    unknown = [s for s in wanted if s not in STYLES]
    if unknown:
        print(f"unknown style: {', '.join(unknown)}; choose from {', '.join(STYLES)}", file=sys.stderr)
        return 2
    records = all_records()
    write_records(records)
    for style in STYLES:
        if style not in wanted or style not in BUILDERS:
            continue
        shutil.rmtree(OUT / style, ignore_errors=True)
        made = BUILDERS[style](records)
        print(f"{style}: {len(made)} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
