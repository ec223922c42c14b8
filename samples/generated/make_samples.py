"""Regenerate the sample documents of samples/generated/ and a PNG of each first page.

    python samples/generated/make_samples.py

Needs LibreOffice (tests/lo.py, a private profile per call) and pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from lo import convert  # noqa: E402

from toolkit.check import check_record  # noqa: E402
from toolkit.generate.agreement import render_agreement  # noqa: E402
from toolkit.generate.opinion import render_opinion  # noqa: E402
from toolkit.generate.supplement import render_supplement  # noqa: E402
from toolkit.record import load_record  # noqa: E402

DATE = "2024-04-05"


def documents() -> dict[str, bytes]:
    lz = load_record(ROOT / "samples/records/lz-pass.json")
    gx = load_record(ROOT / "samples/records/gx-pass.json")
    young = load_record(ROOT / "samples/filled/gx-young.record.json")
    amended = load_record(HERE / "lz-pass.amended.json")
    docs = {
        "agreement-lz.docx": render_agreement(lz),
        "agreement-gx.docx": render_agreement(gx, dispute="arbitration"),
        "supplement-lz.docx": render_supplement(amended, lz, agreement_date="2024-05-20"),
        "opinion-lz-county.docx": render_opinion(lz, check_record(lz), "lz-county", date=DATE),
        "opinion-lz-bureau.docx": render_opinion(lz, check_record(lz), "lz-bureau", date=DATE),
        "opinion-gx-city.docx": render_opinion(young, check_record(young), "gx-city", date=DATE),
        "opinion-gx-dept.docx": render_opinion(gx, check_record(gx), "gx-dept", date=DATE),
        "opinion-gx-expert.docx": render_opinion(young, check_record(young), "gx-expert", date=DATE),
    }
    return docs


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in documents().items():
            docx = HERE / name
            docx.write_bytes(data)
            pdf = convert(docx, "pdf", tmp)
            png = HERE / docx.with_suffix("").name
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", "1", str(pdf), str(png)], check=True)
            print(docx.name, png.with_suffix(".png").name)


if __name__ == "__main__":
    main()
