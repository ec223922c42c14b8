"""Make the scanned samples in ``samples/scans/``: filled forms printed, stamped and scanned.

Each scan starts from a PDF of a filled form, is rendered at 150 dpi, rotated by 0.5-2 degrees,
blurred, given noise and a little contrast loss, stamped with a red round seal (or not), and
wrapped back into an image-only PDF with img2pdf. The expected record (the source's) is written
beside each scan as ``<name>.json``, and ``manifest.json`` says what was done to each.

Sources: the clean Word style (``samples/filled/clean``, with the Word file beside the scan for
``ictk compare``), then other producers and layouts (:data:`STYLES`): LibreOffice prints of the
official, spaced-label and HTML-table styles (``samples/filled/pdf``) and the hold-out's
independently made PDFs (``samples/holdout/forms/*-pdf.pdf``: LibreOffice HTML, raw
WordprocessingML). Seals go over the signature block, partly over a table, on the first page, or
are faint; one of them has none.

    python samples/make/make_scans.py            # (re)make every scan
    python samples/make/make_scans.py NAME ...   # (re)make only these (manifest kept for the rest)
"""

from __future__ import annotations

import copy
import io
import json
import math
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from toolkit.forms import Field, FormDef, load_form  # noqa: E402
from toolkit.record import dumps, get_path, load_record, set_path, to_jsonable  # noqa: E402

SCANS = ROOT / "samples" / "scans"
DPI = 150


# -- filled Word forms from records ------------------------------------------------------------


def _value_text(f: Field, value: Any) -> str:
    if value is None:
        return ""
    if f.type == "choice":
        return " ".join(("☑" if o == value else "☐") + o for o in f.options)
    if f.type == "yesno":
        return f"{'☑' if value else '☐'}是  {'☐' if value else '☑'}否"
    if f.type == "date":
        y, m, d = str(value).split("-")
        return f"{y}年{int(m)}月{int(d)}日"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def fill_docx(record: dict[str, Any], form: FormDef, out: Path) -> Path:
    """A filled Word form laid out as FORMS.md describes: label cell, value cell to its right."""
    from docx.shared import Pt

    from toolkit.officedoc import FORM, HEITI, SIZE, SONGTI, new_document, paragraph, style_run

    doc = new_document(FORM)
    paragraph(doc, form.title, font=HEITI, size=SIZE["二号"], align="center")
    for section in form.sections:
        paragraph(doc, section.title, font=HEITI, size=SIZE["四号"])
        fields = [f for f in section.fields if f.in_record]
        if fields:
            table = doc.add_table(rows=0, cols=4)
            table.style = "Table Grid"
            i = 0
            while i < len(fields):
                f = fields[i]
                row = table.add_row().cells
                nxt = fields[i + 1] if i + 1 < len(fields) else None
                if f.half and nxt is not None and nxt.half:
                    pairs = [(row[0], f.label), (row[1], _value_text(f, get_path(record, f.id)))]
                    pairs += [(row[2], nxt.label), (row[3], _value_text(nxt, get_path(record, nxt.id)))]
                    i += 2
                else:
                    value = row[1].merge(row[3])
                    pairs = [(row[0], f.label), (value, _value_text(f, get_path(record, f.id)))]
                    i += 1
                for cell, text in pairs:
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(text)
                    style_run(run, SONGTI, SIZE["五号"])
        for t in section.tables:
            paragraph(doc, t.label, font=HEITI, size=SIZE["小四"])
            rows = get_path(record, t.id) or []
            table = doc.add_table(rows=1 + len(rows), cols=len(t.columns))
            table.style = "Table Grid"
            for j, col in enumerate(t.columns):
                table.rows[0].cells[j].text = col.label
            for r, entry in enumerate(rows, start=1):
                for j, col in enumerate(t.columns):
                    text = str(r) if col.id == "index" else _value_text_plain(entry.get(col.id))
                    table.rows[r].cells[j].text = text
            for row in table.rows:
                for cell in row.cells:
                    for run in cell.paragraphs[0].runs:
                        style_run(run, SONGTI, SIZE["五号"])
                        run.font.size = Pt(9)
    paragraph(doc, "")
    for sig in form.signatures:
        paragraph(doc, f"{sig}：", size=SIZE["小四"])
        paragraph(doc, "年    月    日", size=SIZE["小四"], align="right")
    doc.save(out)
    return out


def _value_text_plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


SOURCES = ("lz-pass", "gx-pass")  # a handful of scans: one filled form of each kind

# scans of other producers and layouts: (scan name, source PDF, how it is stamped and scanned)
STYLES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("lz-pass-official-scan", "samples/filled/pdf/lz-pass-official.pdf", {"seal": "table"}),
    ("gx-pass-spaced-scan", "samples/filled/pdf/gx-pass-spaced.pdf", {"seal": "first-page"}),
    ("lz-tech-html-scan", "samples/filled/pdf/lz-tech-html.pdf", {"seal": "signature", "faint": True}),
    ("gx-raw-young-scan-noseal", "samples/holdout/forms/gx-raw-young-pdf.pdf", {"seal": None}),
    (
        "lz-raw-medical-scan",
        "samples/holdout/forms/lz-raw-medical-pdf.pdf",
        {"seal": "signature", "blur": 0.9, "noise": 9.0},
    ),
    ("gx-html-battery-scan", "samples/holdout/forms/gx-html-battery-pdf.pdf", {"seal": "table"}),
    # held to the same standard, made after the reader was tuned on the ones above: the edited
    # (merged cells) form, a violation case, and the spaced-label style of the other form
    (
        "gx-edited-young-scan",
        "samples/holdout/forms/gx-edited-young-lo.pdf",
        {"seal": "signature", "noise": 8.0},
    ),
    ("lz-v-members-scan", "samples/holdout/forms/lz-v-members-lo.pdf", {"seal": "table", "blur": 0.8}),
    ("lz-pass-spaced-scan", "samples/filled/pdf/lz-pass-spaced.pdf", {"seal": "first-page", "faint": True}),
    # a greyscale scanner: the seal is there, its colour is not
    ("gx-young-scan-grey", "samples/filled/pdf/gx-young.pdf", {"seal": "signature", "grey": True}),
)


def expected_of(pdf: Path) -> dict[str, Any]:
    """The record a source PDF holds: ``<stem>.expected.json`` beside it (hold-out files wrap it
    as ``{"record": …}``)."""
    from toolkit.record import loads

    data = loads(pdf.with_name(f"{pdf.stem}.expected.json").read_text(encoding="utf-8"))
    return data["record"] if "record" in data and "form" not in data else data


def _expected(folder: Path, stem: str) -> Path | None:
    for cand in (
        folder / f"{stem}.expected.json",
        folder / f"{stem}.json",
        folder.parent / f"{stem}.record.json",
    ):
        if cand.is_file():
            return cand
    return None


def source_forms(work: Path) -> list[tuple[str, Path, Path, dict[str, Any]]]:
    """(name, Word file, LibreOffice PDF, expected record) for every source form.

    Preference: the filled samples' PDFs (``samples/filled/pdf``), else their Word files
    (``samples/filled/clean``) converted here, else Word files filled here from ``samples/records``.
    """
    import lo

    filled = ROOT / "samples" / "filled"
    found = []
    for stem in SOURCES:
        docx = filled / "clean" / f"{stem}.docx"
        pdf = filled / "pdf" / f"{stem}.pdf"
        expected = _expected(pdf.parent, stem) or _expected(docx.parent, stem)
        if docx.is_file() and expected:
            if not pdf.is_file():
                pdf = lo.convert(docx, "pdf", work)
            found.append((stem, docx, pdf, load_record(expected)))
            continue
        rec_path = ROOT / "samples" / "records" / f"{stem}.json"
        record = load_record(rec_path)
        docx = fill_docx(record, load_form(record["form"]), work / f"{stem}.docx")
        found.append((stem, docx, lo.convert(docx, "pdf", work), record))
    return found


def alter_docx(docx: Path, old: str, new: str, out: Path) -> Path:
    """A copy of a Word form with the first cell reading ``old`` changed to ``new``."""
    from docx import Document

    doc = Document(str(docx))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text.strip() == old:
                    runs = [r for p in cell.paragraphs for r in p.runs]
                    runs[0].text = runs[0].text.replace(old, new)
                    for r in runs[1:]:
                        r.text = ""
                    doc.save(str(out))
                    return out
    raise ValueError(f"no cell reads {old!r} in {docx}")


# -- printing and scanning ----------------------------------------------------------------------


def render(pdf: Path, dpi: int = DPI) -> list[Any]:
    """Each page of ``pdf`` as an RGB numpy array."""
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")) for page in doc]
    finally:
        doc.close()


def stamp_seal(
    img: Any,
    centre: tuple[int, int],
    radius: int,
    text: str,
    rng: Any,
    strength: tuple[float, float] = (0.75, 1.0),
) -> Any:
    """Stamp a red round seal: a ring, text along its upper arc, a star in the middle.

    ``strength``: the range of ink cover (1 = full red); a faint seal is about (0.45, 0.7)."""
    from PIL import Image, ImageDraw, ImageFont

    size = radius * 2 + 8
    seal = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(seal)
    c = size / 2
    width = max(3, radius // 14)
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=width)
    # five-pointed star
    r_out, r_in = radius * 0.3, radius * 0.12
    pts = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    draw.polygon(pts, fill=255)
    font = ImageFont.truetype(_cjk_font(), max(10, int(radius * 0.22)))
    n = len(text)
    span = math.radians(220)
    for k, ch in enumerate(text):
        a = -math.pi / 2 - span / 2 + span * (k + 0.5) / n
        rr = radius * 0.74
        glyph = Image.new("L", (int(radius * 0.3), int(radius * 0.3)), 0)
        ImageDraw.Draw(glyph).text((0, 0), ch, fill=255, font=font)
        glyph = glyph.rotate(-math.degrees(a) - 90, expand=True)
        x = int(c + rr * math.cos(a) - glyph.width / 2)
        y = int(c + rr * math.sin(a) - glyph.height / 2)
        seal.paste(255, (x, y), glyph)
    # ink is uneven: thin out a little of it
    import numpy as np

    mask = np.asarray(seal, dtype=np.float32) / 255 * rng.uniform(*strength, (size, size))
    out = img.astype(np.float32)
    x0, y0 = centre[0] - size // 2, centre[1] - size // 2
    region = out[max(0, y0) : y0 + size, max(0, x0) : x0 + size]
    m = mask[max(0, -y0) :, max(0, -x0) :][: region.shape[0], : region.shape[1], None]
    red = np.array([215, 35, 40], dtype=np.float32)
    # ink multiplies with the paper: black text under the seal stays dark
    region[:] = region * (1 - m) + np.minimum(region, red) * m
    return out.clip(0, 255).astype(np.uint8)


def _cjk_font() -> str:
    for cand in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    ):
        if Path(cand).is_file():
            return cand
    import subprocess

    return subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh"], capture_output=True, text=True).stdout


def scan_page(img: Any, angle: float, rng: Any, blur: float = 0.6, noise: float = 6.0) -> Any:
    """Rotate (paper fed askew), blur, add sensor noise and lose a little contrast."""
    import cv2
    import numpy as np

    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    out = cv2.GaussianBlur(out, (0, 0), blur)
    out = out.astype(np.float32) * 0.9 + 20  # contrast loss: black becomes grey, paper not quite white
    out += rng.normal(0, noise, out.shape)
    return out.clip(0, 255).astype(np.uint8)


def signature_spot(img: Any, signatures: tuple[str, ...], radius: int) -> tuple[int, int]:
    """Where the lead's seal goes: over the first signature line (the filled forms end with one
    line per signature), a little below it so the table above stays mostly clear."""
    import numpy as np

    gray = img.mean(axis=2)
    h, w = gray.shape
    rows = np.where((gray < 128).sum(axis=1) > 3)[0]
    lines = np.split(rows, np.where(np.diff(rows) > 3)[0] + 1) if len(rows) else []
    y = int(lines[-len(signatures)].mean()) if len(lines) >= len(signatures) else int(h * 0.6)
    return int(w * 0.45), min(h - radius - 10, y + int(0.6 * radius))


def table_edge_spot(img: Any, radius: int) -> tuple[int, int] | None:
    """A seal partly over a table: centred on the bottom rule of the page's lowest table."""
    import numpy as np

    gray = img.mean(axis=2)
    h, w = gray.shape
    rules = np.where((gray < 200).sum(axis=1) > 0.5 * w)[0]
    if not len(rules):
        return None
    return int(w * 0.62), int(min(h - radius - 10, max(radius + 10, rules.max())))


def to_pdf(pages: list[Any], out: Path, grey: bool = False) -> Path:
    import img2pdf
    from PIL import Image

    blobs = []
    for page in pages:
        buf = io.BytesIO()
        image = Image.fromarray(page)
        (image.convert("L") if grey else image).save(buf, format="JPEG", quality=85, dpi=(DPI, DPI))
        blobs.append(buf.getvalue())
    layout = img2pdf.get_fixed_dpi_layout_fun((DPI, DPI))
    out.write_bytes(img2pdf.convert(blobs, layout_fun=layout))
    return out


def make_scan(
    pdf: Path,
    out: Path,
    record: dict[str, Any],
    seed: int,
    seal: bool | str | None = True,
    max_pages: int | None = 4,
    faint: bool = False,
    blur: float = 0.6,
    noise: float = 6.0,
    grey: bool = False,
) -> dict[str, Any]:
    """Scan ``pdf`` to ``out``; returns what was done (angles, seal place) for the tests.

    ``seal``: True or ``"signature"`` (over the signature block of the last page), ``"table"``
    (partly over the last page's lowest table), ``"first-page"``, or None/False (no seal).
    ``grey``: scanned in greyscale (the seal's red lost)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pages = render(pdf)[:max_pages]
    form = load_form(record["form"])
    angles = [round(float(rng.choice([-1, 1]) * rng.uniform(0.5, 2.0)), 2) for _ in pages]
    seals = []
    if seal:
        page = 0 if seal == "first-page" else len(pages) - 1
        radius = int(DPI * 0.8)  # a 40 mm round seal: 0.8 inch in radius
        spot = None
        if seal == "table":  # the last page that has a table
            for k in range(len(pages) - 1, -1, -1):
                spot = table_edge_spot(pages[k], radius)
                if spot:
                    page = k
                    break
        elif seal == "first-page":
            h, w = pages[page].shape[:2]
            spot = (int(w * 0.66), int(h * 0.24))
        cx, cy = spot or signature_spot(pages[page], form.signatures, radius)
        strength = (0.45, 0.7) if faint else (0.75, 1.0)
        pages[page] = stamp_seal(pages[page], (cx, cy), radius, record["lead"]["name"], rng, strength)
        seals.append(
            {
                "page": page + 1,
                "centre": [cx, cy],
                "radius": radius,
                "place": "signature" if seal is True else seal,
            }
        )
        if faint:
            seals[-1]["faint"] = True
    scanned = [scan_page(p, a, rng, blur, noise) for p, a in zip(pages, angles, strict=True)]
    to_pdf(scanned, out, grey)
    info: dict[str, Any] = {"angles": angles, "seals": seals, "pages": len(pages)}
    if grey:
        info["grey"] = True
    return info


def main(only: list[str] | None = None) -> None:
    """Make every scan, or only the scans named in ``only`` (the others and their manifest entries
    stay as they are)."""
    import shutil

    import lo

    SCANS.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {}
    if only:
        manifest = json.loads((SCANS / "manifest.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="ictk-scans-") as tmp:
        work = Path(tmp)
        for k, (name, docx, pdf, record) in enumerate([] if only else source_forms(work)):
            shutil.copyfile(docx, SCANS / f"{name}.docx")  # the Word file each scan is compared with
            variants: list[tuple[str, bool, Any]] = [(f"{name}-scan", True, None)]
            if k == 0:
                variants.append((f"{name}-scan-noseal", False, None))
                variants.append((f"{name}-scan-altered", True, "lead.revenue"))
            for j, (scan_name, seal, alter) in enumerate(variants):
                src, rec = pdf, record
                if alter:
                    rec = copy.deepcopy(record)
                    old = get_path(record, alter)
                    new = old + 18000
                    set_path(rec, alter, new)
                    changed = alter_docx(
                        docx, _value_text_plain(old), _value_text_plain(new), work / f"{scan_name}.docx"
                    )
                    src = lo.convert(changed, "pdf", work)
                info = make_scan(src, SCANS / f"{scan_name}.pdf", rec, seed=100 * k + j, seal=seal)
                # the expected record is what the scanned paper says
                (SCANS / f"{scan_name}.json").write_text(dumps(rec) + "\n", encoding="utf-8")
                info["word"] = f"{name}.docx"
                if alter:
                    info["altered"] = {"field": alter, "word": old, "scan": new}
                manifest[scan_name] = info
                print(scan_name, info)
        for i, (scan_name, source, how) in enumerate(STYLES):
            if only and scan_name not in only:
                continue
            pdf = ROOT / source
            record = expected_of(pdf)
            opts = {k: v for k, v in how.items() if k != "seal"}
            info = make_scan(pdf, SCANS / f"{scan_name}.pdf", record, 500 + i, how["seal"], None, **opts)
            (SCANS / f"{scan_name}.json").write_text(dumps(record) + "\n", encoding="utf-8")
            info["source"] = source
            manifest[scan_name] = info
            print(scan_name, info)
    text = json.dumps(to_jsonable(manifest), ensure_ascii=False, indent=2) + "\n"
    (SCANS / "manifest.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:] or None)
