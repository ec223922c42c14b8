"""Samples of every format ictk reads besides .docx and ruled PDFs, each made by a producer other
than python-docx from the existing samples:

- LibreOffice saves the clean Word samples as .odt, .doc (Word 97) and .rtf; ``lz-tech.wps`` is
  LibreOffice's Word 97 file named .wps (LibreOffice cannot write WPS Office's own format; WPS
  Office writes its .wps as Word 97 binaries too);
- ``*-borderless.pdf``: a clean sample with every table border removed and one platform name
  lengthened until it wraps onto a second line, printed to PDF by LibreOffice (a table without
  ruling lines, as a unit's own template may have);
- page images rendered by ``pdftoppm`` from the simulated scans in ``samples/scans``: two JPEG
  pages (colour, with the seal), a two-page greyscale TIFF (eight grey levels, deflated);
- ``lz-pass-application.zip``: the .odt and the text PDF of one application, with GBK-encoded
  Chinese names (as Windows' own zip tool writes them).

Each sample's ``.expected.json`` is the record of the Word file it was made from (the
borderless ones with their longer platform name).

    python samples/formats/make_formats.py
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent
sys.path.insert(0, str(SAMPLES.parent / "tests"))

from lo import convert  # noqa: E402

CLEAN = SAMPLES / "filled" / "clean"
SCANS = SAMPLES / "scans"

CONVERTED = [  # (source in filled/clean, target suffix, LibreOffice filter, sample name)
    ("gx-pass", "odt", "odt", "gx-pass.odt"),
    ("lz-agri", "odt", "odt", "lz-agri.odt"),
    ("lz-pass", "doc", "doc:MS Word 97", "lz-pass.doc"),
    ("gx-young", "rtf", "rtf:Rich Text Format", "gx-young.rtf"),
    ("lz-tech", "doc", "doc:MS Word 97", "lz-tech.wps"),
]
# (sample, source, platform name there, longer name that wraps in its column, cells emptied)
BORDERLESS = [
    (
        "gx-pass-borderless",
        "gx-pass",
        "国家铝合金压力加工工程技术研究中心",
        "国家铝合金压力加工与先进轻量化结构材料工程技术研究中心（南宁分中心）",
        [],
    ),
    (
        "lz-pass-borderless",
        "lz-pass",
        "广西新能源汽车底盘工程技术研究中心",
        "广西新能源汽车底盘与智能线控转向系统集成工程技术研究中心（柳州基地）",
        [],
    ),
    # the second platform without level and type: a line with most cells empty under a full
    # row, read as the rest of that row (never a new platform), with a PARSE-WRAP warning
    ("gx-pass-borderless-short", "gx-pass", "", "", ["省部级", "重点实验室"]),
]


def _expected(source: str) -> dict:
    return json.loads((CLEAN / f"{source}.expected.json").read_text(encoding="utf-8"))


def _write_expected(name: str, record: dict) -> None:
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    (HERE / f"{Path(name).stem}.expected.json").write_text(text, encoding="utf-8")


def converted(work: Path) -> None:
    for source, suffix, filt, name in CONVERTED:
        out = convert(CLEAN / f"{source}.docx", suffix, work / name, filter_name=filt)
        shutil.copyfile(out, HERE / name)
        _write_expected(name, _expected(source))


def borderless(work: Path) -> None:
    for sample, source, old, new, emptied in BORDERLESS:
        with zipfile.ZipFile(CLEAN / f"{source}.docx") as zf:
            items = [(info, zf.read(info)) for info in zf.infolist()]
        xml = next(data for info, data in items if info.filename == "word/document.xml").decode("utf-8")
        assert old in xml, old
        xml = re.sub(r"<w:tblBorders>.*?</w:tblBorders>", "", xml, flags=re.S)
        xml = re.sub(r"<w:tcBorders>.*?</w:tcBorders>", "", xml, flags=re.S)
        nil = "".join(
            f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        xml = xml.replace("<w:tblPr>", f"<w:tblPr><w:tblBorders>{nil}</w:tblBorders>")
        if old:
            xml = xml.replace(old, new)
        for text in emptied:
            assert xml.count(f"<w:t>{text}</w:t>") == 1, text
            xml = xml.replace(f"<w:t>{text}</w:t>", "<w:t></w:t>")
        docx = work / f"{sample}.docx"
        with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in items:
                out.writestr(info, xml.encode("utf-8") if info.filename == "word/document.xml" else data)
        pdf = convert(docx, "pdf", work / "pdf")
        shutil.copyfile(pdf, HERE / pdf.name)
        record = _expected(source)
        platforms = record["lead"]["platforms"]
        for platform in platforms:
            if old and platform["name"] == old:
                platform["name"] = new
        if emptied:  # the short row is the rest of the row above it
            platforms[0]["name"] += platforms.pop(1)["name"]
        _write_expected(pdf.name, record)


def images(work: Path) -> None:
    from PIL import Image

    subprocess.run(
        [
            "pdftoppm",
            "-jpeg",
            "-jpegopt",
            "quality=60",
            "-r",
            "150",
            str(SCANS / "gx-pass-scan.pdf"),
            str(work / "p"),
        ],
        check=True,
    )
    for n in (1, 2):
        shutil.copyfile(work / f"p-{n}.jpg", HERE / f"gx-pass-scan-{n}.jpg")
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "200", str(SCANS / "gx-young-scan-grey.pdf"), str(work / "g")], check=True
    )
    # eight grey levels, deflated: a black-and-white threshold loses the faint ruling lines the
    # scan reader finds the member table by
    pages = [
        Image.open(work / f"g-{n}.pgm").point(lambda v: (v // 32) * 32 + 16 if v < 224 else 255)
        for n in (1, 2)
    ]
    pages[0].save(
        HERE / "gx-young-grey.tif",
        save_all=True,
        append_images=pages[1:],
        compression="tiff_adobe_deflate",
        dpi=(200, 200),
    )


class _GbkInfo(zipfile.ZipInfo):
    """A member whose name is stored in GBK without the UTF-8 flag (Windows' own zip tool)."""

    def _encodeFilenameFlags(self):  # zipfile's own method name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def archive(work: Path) -> None:
    target = HERE / "lz-pass-application.zip"
    odt = convert(CLEAN / "lz-pass.docx", "odt", work / "zip", filter_name="odt")
    members = [
        ("柳州申报/预申报表.odt", odt),
        ("柳州申报/预申报表（盖章）.pdf", SAMPLES / "filled" / "pdf" / "lz-pass.pdf"),
    ]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, src in members:
            info = _GbkInfo(name, date_time=(2024, 10, 15, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, src.read_bytes())
    _write_expected(target.name, _expected("lz-pass"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        converted(work)
        borderless(work)
        images(work)
        archive(work)


if __name__ == "__main__":
    main()
