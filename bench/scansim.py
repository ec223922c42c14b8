"""A scan simulator: filled forms printed, stamped, signed and scanned (or photographed) under
parameters drawn from ranges, for the OCR bench and tests. Separate from the reader on purpose:
nothing here imports ``toolkit.ocr`` and nothing here knows how the reader works.

What it does, in order (every step optional and parameterised by :class:`ScanParams`):

1. the document (a Word source only): the title wrapped onto two lines (a line break or a
   larger font), rows added to the members table until it runs onto the next page; the
   expected record is changed to match (new members get valid GB 32100 codes);
2. printing: LibreOffice turns the Word file into a PDF (cached by content), or a PDF is taken as
   printed; each page rendered at the scan's dpi;
3. ink on the paper: round red seals over the title, the lead's name, the date, the members
   table or the signature line (found through the PDF's text layer); a handwritten-looking
   signature over the date;
4. the scanner: skew, contrast loss, blur, sensor noise, dust specks (dark dots, a given
   number per pixel), colour / greyscale / black-and-white (the red seal becomes grey or black),
   JPEG at a given quality (black-and-white pages are stored as 1-bit images, as scanners do);
   or a phone photo instead: perspective, uneven light, a soft shadow, a colour cast, the desk
   around the page;
5. an image-only PDF (img2pdf) at the scan's dpi.

    python bench/scansim.py SRC.docx|SRC.pdf OUT.pdf [--condition harsh] [--seed 3] [--dpi 150] ...

:func:`simulate` returns a :class:`ScanInfo` (pages, angles, seals placed in page pixels, the
expected record after the document changes). :data:`CONDITIONS` names the bench's conditions as
ranges of parameters; :func:`draw` draws one :class:`ScanParams` from a condition with a seed.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

MODES = ("colour", "grey", "bw")
SEAL_PLACES = ("title", "lead", "date", "table", "signature")
MM = 72 / 25.4  # PDF points per millimetre


@dataclass(frozen=True)
class ScanParams:
    """One scan. Lengths in pixels are at 150 dpi and scaled to ``dpi``."""

    dpi: int = 200
    mode: str = "colour"  # colour | grey | bw
    specks: float = 0.0  # dark dust specks per pixel: 1/400 is one speck per 400 pixels
    blur: float = 0.5  # Gaussian sigma (px at 150 dpi)
    noise: float = 4.0  # sensor noise, standard deviation in grey levels
    contrast: float = 0.92  # share of the ink's darkness kept (1: black stays black)
    jpeg: int = 85  # JPEG quality of colour and grey pages
    skew: float = 0.0  # degrees, first page; later pages up to the same size, either way
    bw_threshold: int = 165  # black-and-white: darker than this becomes black
    phone: bool = False  # a phone photo: perspective, uneven light, shadow, desk around the page
    seals: tuple[str, ...] = ()  # where round seals go: title | lead | date | table | signature
    seal_strength: float = 0.85  # ink cover of a seal (1: full; 0.5: faint)
    signature: bool = False  # a handwritten signature across the date
    wrap_title: bool = False  # Word source only: the title on two lines
    continued: bool = False  # Word source only: members added until the table runs onto the next page
    max_pages: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        bad = [s for s in self.seals if s not in SEAL_PLACES]
        if bad:
            raise ValueError(f"seal places must be among {SEAL_PLACES}, not {bad}")

    def short(self) -> str:
        """A one-line description for logs."""
        parts = [f"{self.dpi}dpi", self.mode, f"skew {self.skew:+.1f}°", f"blur {self.blur:.1f}"]
        parts += [f"jpeg {self.jpeg}"] if self.mode != "bw" else []
        if self.specks:
            parts.append(f"specks 1/{round(1 / self.specks)}")
        parts += ["phone"] * self.phone + ["signature"] * self.signature
        parts += ["wrapped title"] * self.wrap_title + ["continued table"] * self.continued
        if self.seals:
            parts.append("seals " + "+".join(self.seals))
        return ", ".join(parts)


@dataclass
class ScanInfo:
    """What :func:`simulate` did: enough for a test to check the scan and for a bench to score it."""

    out: Path
    pages: int
    dpi: int
    size: list[tuple[int, int]]  # (width, height) of each page image in pixels
    angles: list[float]
    # page (1-based), centre (in the scanned image) and on_paper (before skew or perspective) in
    # pixels, radius in pixels, place
    seals: list[dict[str, Any]]
    signature: dict[str, Any] | None  # page, box (in the image) and on_paper: x0, y0, x1, y1
    record: dict[str, Any] | None  # the expected record of what is on the paper
    params: ScanParams
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "pages": self.pages,
            "dpi": self.dpi,
            "size": self.size,
            "angles": self.angles,
            "seals": self.seals,
            "signature": self.signature,
            "params": dataclasses.asdict(self.params),
            "notes": self.notes,
        }


# -- conditions: ranges of parameters ---------------------------------------------------------


@dataclass(frozen=True)
class U:
    """A uniform range: integers when both ends are integers."""

    low: float
    high: float


def _pick(rng: Any, spec: Any) -> Any:
    """A value drawn from ``spec``: a :class:`U` range, or one of a tuple's items (an item that
    is a :class:`U` is drawn from in turn)."""
    if isinstance(spec, tuple):
        spec = spec[int(rng.integers(len(spec)))]
    if isinstance(spec, U):
        if isinstance(spec.low, int) and isinstance(spec.high, int):
            return int(rng.integers(spec.low, spec.high + 1))
        return float(rng.uniform(spec.low, spec.high))
    return spec


# the nuisance every scan has, drawn from ranges wider than any one tuned value
BASE: dict[str, Any] = {
    "dpi": (150, 200, 300),
    "mode": ("colour",),
    "specks": U(0.0, 1 / 1500),
    "blur": U(0.2, 1.0),
    "noise": U(2.0, 8.0),
    "contrast": U(0.8, 0.98),
    "jpeg": U(70, 95),
    "skew": U(-1.5, 1.5),
    "bw_threshold": U(125, 175),
    "seals": ((), ("signature",), ("date",), ("table",)),
    "seal_strength": U(0.55, 1.0),
}

# name -> (what the condition is, overrides of BASE): a U is a uniform range, a tuple a choice
CONDITIONS: dict[str, tuple[str, dict[str, Any]]] = {
    f"{dpi}-{mode}": (f"{dpi} dpi，{label}", {"dpi": dpi, "mode": mode})
    for dpi in (150, 200, 300)
    for mode, label in (("colour", "彩色"), ("grey", "灰度"), ("bw", "黑白"))
}
CONDITIONS.update(
    {
        "specks": ("污点：每 200–400 像素一个", {"dpi": (150, 200), "specks": U(1 / 400, 1 / 200)}),
        "blur": ("模糊", {"dpi": (150, 200), "blur": U(1.0, 1.8)}),
        "jpeg": ("JPEG 质量 50–60", {"dpi": (150, 200), "jpeg": U(50, 60), "mode": ("colour", "grey")}),
        "skew": ("倾斜 2–3°", {"dpi": (150, 200), "skew": (U(-3.0, -2.0), U(2.0, 3.0))}),
        "seals": (
            "印章盖在标题、牵头单位名称、日期和成员表上（灰度扫描为灰色印章）",
            {"seals": (("title", "lead", "date", "table"),), "mode": ("colour", "grey")},
        ),
        "title-wrap": ("标题折成两行，印章压在标题末尾", {"wrap_title": True, "seals": (("title",),)}),
        "continued": ("成员表跨页续表（≥9 个成员，有成员行在下一页）", {"continued": True}),
        "signature": ("手写签名压在日期上", {"signature": True, "seals": ((), ("date",))}),
        "phone": ("手机拍照：透视、光照不匀、阴影", {"phone": True, "dpi": (150, 200), "skew": 0.0}),
        "harsh": (
            "问题单中的独立扫描：150 dpi、污点、模糊、JPEG、倾斜、标题折行、印章、续表、签名",
            {
                "dpi": 150,
                "specks": U(1 / 500, 1 / 300),
                "blur": U(0.6, 1.2),
                "jpeg": U(70, 90),
                "skew": (U(-2.0, -0.5), U(0.5, 2.0)),
                "wrap_title": True,
                "continued": True,
                "signature": (True, False),
                "seals": (("title", "table"), ("title", "date"), ("title", "lead", "table")),
            },
        ),
    }
)

# the conditions that change the Word document itself (a .docx source is needed)
NEEDS_WORD = {"title-wrap", "continued", "harsh"}


def draw(condition: str, seed: int) -> ScanParams:
    """The parameters of one scan under ``condition``, drawn with ``seed`` (same seed, same scan)."""
    import numpy as np

    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; known: {', '.join(CONDITIONS)}")
    spec = {**BASE, **CONDITIONS[condition][1]}
    digest = int(hashlib.sha256(f"{condition}/{seed}".encode()).hexdigest()[:12], 16)
    rng = np.random.default_rng(digest)
    values = {k: _pick(rng, v) for k, v in spec.items()}
    values["seals"] = tuple(values["seals"])
    values["specks"] = round(values["specks"], 6)
    return ScanParams(**values, seed=digest % 2**31)


# -- the document: Word edits, printing -------------------------------------------------------


def _cache_dir() -> Path:
    base = os.environ.get("ICTK_SCANSIM_CACHE") or Path(tempfile.gettempdir()) / "ictk-scansim-cache"
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _content_key(data: bytes) -> str:
    """A hash of what a .docx holds (its parts), not of the zip's timestamps."""
    import zipfile

    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in sorted(zf.namelist()):
                digest.update(name.encode() + b"\0" + zf.read(name))
    except zipfile.BadZipFile:
        digest.update(data)
    return digest.hexdigest()[:24]


def print_pdf(docx: Path) -> Path:
    """The Word file printed to PDF by LibreOffice, cached by the file's content."""
    data = docx.read_bytes()
    key = _content_key(data)
    cached = _cache_dir() / f"{key}.pdf"
    if cached.is_file():
        return cached
    sys.path.insert(0, str(ROOT / "tests"))
    import lo  # tests/lo.py: LibreOffice headless with its own profile

    with tempfile.TemporaryDirectory(prefix="ictk-scansim-") as tmp:
        src = Path(tmp) / "form.docx"
        src.write_bytes(data)
        pdf = lo.convert(src, "pdf", tmp)
        part = cached.with_suffix(".part")
        shutil.copyfile(pdf, part)
        part.replace(cached)
    return cached


def expected_record(src: Path) -> dict[str, Any] | None:
    """The record a sample holds: ``<stem>.expected.json`` (hold-out files wrap it in ``record``),
    ``<stem>.json`` or ``../<stem>.record.json`` beside it; None if there is none."""
    from toolkit.record import loads

    for cand in (
        src.with_name(f"{src.stem}.expected.json"),
        src.with_name(f"{src.stem}.json"),
        src.parent.parent / f"{src.stem}.record.json",
    ):
        if cand.is_file():
            data = loads(cand.read_text(encoding="utf-8"))
            return data["record"] if "record" in data and "form" not in data else data
    return None


def _set_cell_text(cell: Any, text: str) -> None:
    runs = [r for p in cell.paragraphs for r in p.runs]
    if runs:
        runs[0].text = text
        for r in runs[1:]:
            r.text = ""
    else:
        cell.paragraphs[0].add_run(text)


def wrap_title(doc: Any, rng: Any) -> str:
    """Put the document's title (its first non-empty paragraph) on two lines: a line break at a
    random place in its second half, or a font large enough to wrap. Returns how."""
    from docx.shared import Pt

    para = next(p for p in doc.paragraphs if p.text.strip())
    text = para.text.strip()
    if rng.random() < 0.5:
        cut = int(rng.integers(len(text) // 2, len(text) - 2))
        runs = para.runs
        runs[0].text = text[:cut]
        for r in runs[1:]:
            r.text = ""
        runs[0].add_break()
        runs[0].add_text(text[cut:])
        return f"line break after {text[:cut]}"
    for r in para.runs:
        r.font.size = Pt(float(rng.uniform(30, 36)))
    return "font large enough to wrap"


_NAME_PARTS = (
    ("柳州", "南宁", "桂林", "梧州", "北海", "钦州", "玉林", "百色", "贺州", "河池", "来宾", "崇左"),
    ("恒远", "华锐", "博纳", "通达", "金桂", "远航", "瑞丰", "宏图", "新材", "晨光", "鼎盛", "联创"),
    ("精密制造", "智能装备", "检测技术", "新材料", "电子科技", "生物科技", "软件", "环保科技"),
    ("有限公司", "股份有限公司", "有限责任公司"),
)


def new_uscc(rng: Any) -> str:
    """A valid unified social credit code (GB 32100-2015) of a company in Guangxi."""
    from stdnum.cn import uscc

    # the organisation code (GB 11714): 8 characters and its own check character, as every real
    # code has (a reader that checks it would flag a random one)
    org = "".join("0123456789ABCDEFGHJKLMNPQRTUWXY"[int(d)] for d in rng.integers(0, 31, 8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(org, weights, strict=True))
    org += {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    body = "9145" + "".join(str(int(d)) for d in rng.integers(0, 10, 4)) + org
    return body + uscc.calc_check_digit(body)


def add_members(doc: Any, record: dict[str, Any], count: int, rng: Any) -> int:
    """Append ``count`` member rows (copies of the last filled row with a new name and code) to
    the members table of ``doc`` and to ``record``. Returns how many were added."""
    table = next(
        (
            t
            for t in doc.tables
            if any("统一社会信用代码" in c.text for c in t.rows[0].cells)
            and any("层级" in c.text for c in t.rows[0].cells)
        ),
        None,
    )
    members = record.get("members")
    if table is None or not members:
        return 0
    header = [c.text.strip() for c in table.rows[0].cells]
    col = {
        "name": next((i for i, h in enumerate(header) if "名称" in h), None),
        "uscc": next((i for i, h in enumerate(header) if "信用代码" in h), None),
        "index": next((i for i, h in enumerate(header) if "序号" in h), None),
    }
    if col["name"] is None or col["uscc"] is None:
        return 0
    filled = [r for r in table.rows[1:] if r.cells[col["name"]].text.strip()]
    if not filled:
        return 0
    last = filled[-1]
    anchor = last._tr
    names = {m.get("name") for m in members}
    for _ in range(count):
        while True:
            name = "".join(p[int(rng.integers(len(p)))] for p in _NAME_PARTS)
            if name not in names:
                names.add(name)
                break
        code = new_uscc(rng)
        tr = copy.deepcopy(last._tr)
        anchor.addnext(tr)
        anchor = tr
        from docx.table import _Row

        row = _Row(tr, table)
        _set_cell_text(row.cells[col["name"]], name)
        _set_cell_text(row.cells[col["uscc"]], code)
        if col["index"] is not None:
            _set_cell_text(row.cells[col["index"]], str(len(members) + 1))
        entry = copy.deepcopy(members[-1])
        entry["name"], entry["uscc"] = name, code
        members.append(entry)
    return count


def prepare_source(
    src: Path, params: ScanParams, record: dict[str, Any] | None
) -> tuple[Path, dict[str, Any] | None, list[str]]:
    """The printed PDF to scan and the record it holds, after the document changes the
    parameters ask for."""
    import numpy as np

    notes: list[str] = []
    if src.suffix.lower() == ".pdf":
        if params.wrap_title or params.continued:
            raise ValueError("wrap_title and continued change the Word document: give a .docx source")
        return src, record, notes
    if src.suffix.lower() != ".docx":
        raise ValueError(f"source must be .docx or .pdf: {src}")
    if not (params.wrap_title or params.continued):
        return print_pdf(src), record, notes
    from docx import Document

    rng = np.random.default_rng(params.seed + 7)
    record = copy.deepcopy(record) if record is not None else None
    base = Document(str(src))
    if params.wrap_title:
        notes.append("title: " + wrap_title(base, rng))
    buf = io.BytesIO()
    base.save(buf)
    data = buf.getvalue()
    if not params.continued:
        return _print_bytes(data), record, notes
    if record is None:
        raise ValueError("continued needs the expected record (its members are added to)")
    # add members until one member's row is on a later page than the first member's
    start = max(0, 9 - len(record.get("members") or []))
    for extra in range(start, start + 24, 3):
        doc = Document(io.BytesIO(data))
        rec = copy.deepcopy(record)
        added = add_members(doc, rec, extra, np.random.default_rng(params.seed + 11))
        if extra and not added:
            break
        out = io.BytesIO()
        doc.save(out)
        pdf = _print_bytes(out.getvalue())
        pages = _member_pages(pdf, rec)
        if len(rec.get("members") or []) >= 9 and len(set(pages)) > 1:
            notes.append(f"members: {len(rec['members'])} ({extra} added), on pages {sorted(set(pages))}")
            return pdf, rec, notes
    raise ValueError(f"could not make the members table of {src.name} run onto the next page")


def _print_bytes(data: bytes) -> Path:
    with tempfile.TemporaryDirectory(prefix="ictk-scansim-") as tmp:
        path = Path(tmp) / "form.docx"
        path.write_bytes(data)
        return print_pdf(path)


def _member_pages(pdf: Path, record: dict[str, Any]) -> list[int]:
    """The page (1-based) each member's code is printed on."""
    pages = []
    for m in record.get("members") or []:
        hits = find_text(pdf, str(m.get("uscc") or ""))
        pages.append(hits[0][0] if hits else 0)
    return [p for p in pages if p]


# -- where things are on the printed page ------------------------------------------------------


def page_chars(pdf: Path) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Each page's characters with their boxes (left, top, right, bottom) in points from the top
    left corner; whitespace left out."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    out = []
    try:
        for page in doc:
            height = page.get_height()
            tp = page.get_textpage()
            chars = []
            for i in range(tp.count_chars()):
                ch = tp.get_text_range(i, 1)
                if not ch or ch.isspace():
                    continue
                left, bottom, right, top = tp.get_charbox(i)
                chars.append((ch, (left, height - top, right, height - bottom)))
            out.append(chars)
    finally:
        doc.close()
    return out


_CHARS_CACHE: dict[str, Any] = {}


def find_text(pdf: Path, needle: str) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Every place ``needle`` is printed (whitespace ignored): (page, box in points)."""
    needle = re.sub(r"\s", "", needle)
    if not needle:
        return []
    key = str(pdf)
    if key not in _CHARS_CACHE:
        _CHARS_CACHE.clear()
        _CHARS_CACHE[key] = page_chars(pdf)
    hits = []
    for number, chars in enumerate(_CHARS_CACHE[key], start=1):
        text = "".join(c for c, _ in chars)
        start = text.find(needle)
        while start >= 0:
            boxes = [b for _, b in chars[start : start + len(needle)]]
            hits.append(
                (
                    number,
                    (
                        min(b[0] for b in boxes),
                        min(b[1] for b in boxes),
                        max(b[2] for b in boxes),
                        max(b[3] for b in boxes),
                    ),
                )
            )
            start = text.find(needle, start + 1)
    return hits


def _date_texts(value: Any) -> list[str]:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if not m:
        return []
    y, mo, d = m.groups()
    return [
        f"{y}-{mo}-{d}",
        f"{y}年{int(mo)}月{int(d)}日",
        f"{y}年{mo}月{d}日",
        f"{y}.{int(mo)}.{int(d)}",
        f"{y}/{mo}/{d}",
        f"{y}/{int(mo)}/{int(d)}",
    ]


def target(
    pdf: Path, place: str, record: dict[str, Any] | None
) -> tuple[int, tuple[float, float, float, float]] | None:
    """Where a seal or signature ``place`` is on the printed form: (page, box in points)."""
    record = record or {}
    if place == "title":
        chars = page_chars(pdf)[0] if pdf.exists() else []
        text = "".join(c for c, _ in chars)
        end = text.find("一、")
        title = chars[: end if end > 0 else 12]
        if not title:
            return None
        last = title[-1][1]
        return 1, (last[0] - 20, last[1], last[2], last[3])  # the end of the title
    candidates: list[str] = []
    if place == "lead":
        candidates = [str((record.get("lead") or {}).get("name") or ""), "牵头单位名称"]
    elif place == "date":
        candidates = _date_texts((record.get("signoff") or {}).get("date")) + ["填报日期"]
    elif place == "table":
        members = record.get("members") or []
        candidates = [str(m.get("uscc") or "") for m in members[len(members) // 2 :]] + ["统一社会信用代码"]
    elif place == "signature":
        candidates = ["填报单位（盖章）", "盖章"]
    for cand in candidates:
        hits = find_text(pdf, cand)
        if hits:
            return hits[-1] if place == "signature" else hits[0]
    return None


# -- ink: seals and signatures -----------------------------------------------------------------


def _cjk_font() -> str:
    for cand in (
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    ):
        if Path(cand).is_file():
            return cand
    proc = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh"], capture_output=True, text=True)
    return proc.stdout.strip()


def _smooth_field(rng: Any, shape: tuple[int, int], scale: float, low: float, high: float) -> Any:
    """Low-frequency random values in [low, high] over ``shape``: uneven ink or light."""
    import cv2
    import numpy as np

    h, w = shape
    sh, sw = max(2, int(h / scale)), max(2, int(w / scale))
    small = rng.random((sh, sw)).astype(np.float32)
    big = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    big = (big - big.min()) / max(1e-6, float(big.max() - big.min()))
    return low + (high - low) * big


def seal_mask(radius: int, text: str, rng: Any) -> Any:
    """A round official seal as ink cover in [0, 1]: ring, the organisation's name along the upper
    arc, a star, sometimes a line of text below it; ink uneven."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    size = radius * 2 + 8
    seal = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(seal)
    c = size / 2
    width = max(2, int(radius * rng.uniform(0.05, 0.08)))
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=width)
    r_out, r_in = radius * 0.28, radius * 0.11
    turn = rng.uniform(-0.15, 0.15)
    pts = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        a = -math.pi / 2 + k * math.pi / 5 + turn
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    draw.polygon(pts, fill=255)
    text = text or "专用章"
    font = ImageFont.truetype(_cjk_font(), max(8, int(radius * 0.2)))
    n = len(text)
    span = math.radians(min(260, 22 * n + 40))
    for k, ch in enumerate(text):
        a = -math.pi / 2 - span / 2 + span * (k + 0.5) / n + turn
        rr = radius * 0.75
        g = int(radius * 0.3)
        glyph = Image.new("L", (g, g), 0)
        ImageDraw.Draw(glyph).text((0, 0), ch, fill=255, font=font)
        glyph = glyph.rotate(-math.degrees(a) - 90, expand=True)
        x = int(c + rr * math.cos(a) - glyph.width / 2)
        y = int(c + rr * math.sin(a) - glyph.height / 2)
        seal.paste(255, (x, y), glyph)
    if rng.random() < 0.5:
        small = ImageFont.truetype(_cjk_font(), max(8, int(radius * 0.16)))
        label = ("专用章", "公章", "业务专用章")[int(rng.integers(3))]
        tw = draw.textlength(label, font=small)
        draw.text((c - tw / 2, c + radius * 0.42), label, fill=255, font=small)
    mask = np.asarray(seal, dtype=np.float32) / 255
    uneven = _smooth_field(rng, mask.shape, radius / 3, 0.45, 1.0)
    grain = rng.uniform(0.75, 1.0, mask.shape).astype(np.float32)
    return mask * uneven * grain


def apply_ink(img: Any, mask: Any, origin: tuple[int, int], colour: tuple[int, int, int]) -> None:
    """Ink ``mask`` (cover in [0, 1]) onto ``img`` (float32 RGB) at ``origin`` (top-left): ink
    multiplies with the paper, so black text under it stays dark."""
    import numpy as np

    x0, y0 = origin
    h, w = img.shape[:2]
    mh, mw = mask.shape
    xa, ya, xb, yb = max(0, x0), max(0, y0), min(w, x0 + mw), min(h, y0 + mh)
    if xa >= xb or ya >= yb:
        return
    m = mask[ya - y0 : yb - y0, xa - x0 : xb - x0, None]
    region = img[ya:yb, xa:xb]
    ink = np.array(colour, dtype=np.float32)
    region[:] = region * (1 - m) + np.minimum(region, ink) * m


def signature_mask(width: int, height: int, rng: Any) -> Any:
    """A handwritten-looking signature: two or three quick cursive strokes with loops, as ink
    cover in [0, 1] of a ``width`` x ``height`` box."""
    import cv2
    import numpy as np

    mask = np.zeros((height, width), np.uint8)
    strokes = int(rng.integers(2, 4))
    x = width * rng.uniform(0.02, 0.1)
    for _ in range(strokes):
        length = width * rng.uniform(0.2, 0.4)
        t = np.linspace(0, 1, 240)
        loops = rng.uniform(2, 5)
        r = height * rng.uniform(0.12, 0.25)
        xs = x + length * t + r * np.cos(2 * math.pi * loops * t + rng.uniform(0, 6)) * 0.8
        ys = (
            height * 0.5
            + height
            * rng.uniform(0.1, 0.25)
            * np.sin(2 * math.pi * rng.uniform(0.5, 1.5) * t + rng.uniform(0, 6))
            + r * np.sin(2 * math.pi * loops * t + rng.uniform(0, 6))
            - height * 0.2 * t * rng.uniform(-1, 1)
        )
        pts = np.stack([xs, ys], axis=1).astype(np.int32)
        thick = max(1, int(height * rng.uniform(0.03, 0.06)))
        cv2.polylines(mask, [pts], False, 255, thick, lineType=cv2.LINE_AA)
        x += length * rng.uniform(0.8, 1.1)
    # a quick underline flourish
    if rng.random() < 0.6:
        y = int(height * rng.uniform(0.7, 0.85))
        cv2.line(
            mask,
            (int(width * 0.05), y),
            (int(width * rng.uniform(0.6, 0.95)), y - int(height * rng.uniform(0.0, 0.2))),
            255,
            max(1, int(height * 0.03)),
            lineType=cv2.LINE_AA,
        )
    return mask.astype(np.float32) / 255 * rng.uniform(0.8, 1.0)


# -- the scanner and the phone -----------------------------------------------------------------


def render(pdf: Path, dpi: float, max_pages: int | None = None) -> list[Any]:
    """Each page of ``pdf`` as an RGB uint8 array at ``dpi``."""
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = list(doc)[:max_pages] if max_pages else list(doc)
        return [np.asarray(p.render(scale=dpi / 72).to_pil().convert("RGB")) for p in pages]
    finally:
        doc.close()


def add_specks(img: Any, density: float, scale: float, rng: Any) -> None:
    """Dark dust specks, ``density`` per pixel: most one or two pixels, some a little larger."""
    import cv2
    import numpy as np

    h, w = img.shape[:2]
    n = int(density * h * w)
    if n <= 0:
        return
    ys = rng.integers(0, h, n)
    xs = rng.integers(0, w, n)
    size = rng.random(n)
    dark = rng.uniform(0, 110, n).astype(np.float32)
    cover = np.zeros((h, w), np.float32)
    cover[ys, xs] = 1.0
    big = size > 0.7
    if big.any():
        bigger = np.zeros((h, w), np.float32)
        bigger[ys[big], xs[big]] = 1.0
        k = max(2, round(2 * scale))
        bigger = cv2.dilate(bigger, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
        cover = np.maximum(cover, bigger)
    value = np.full((h, w), 255, np.float32)
    value[ys, xs] = dark
    if big.any():
        value = (
            cv2.erode(value, np.ones((3, 3), np.uint8))
            if scale > 1.4
            else np.minimum(value, 255 - 145 * cover)
        )
    spot = np.where(cover > 0, value, 255)[..., None]
    img[:] = np.minimum(img, spot)


def scanner(img: Any, p: ScanParams, angle: float, rng: Any) -> Any:
    """The flatbed: paper fed askew, contrast loss, blur, sensor noise, dust. Returns the scanned
    image and the 3x3 matrix taking a point of the paper to the image."""
    import cv2
    import numpy as np

    scale = p.dpi / 150
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    if angle:
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    img = img * p.contrast + 255 * (1 - p.contrast) * rng.uniform(0.7, 1.0)
    base = rng.uniform(236, 252)  # paper not quite white, a little warm or cool
    paper = np.array(
        [base + rng.uniform(-3, 3), base + rng.uniform(-3, 3), base - rng.uniform(0, 8)], np.float32
    )
    paper = paper.clip(0, 255)
    img = img * paper / 255
    if p.blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), p.blur * scale)
    img = img + rng.normal(0, p.noise, img.shape).astype(np.float32)
    add_specks(img, p.specks, scale, rng)
    return img, np.vstack([m, [0, 0, 1]])


def phone(img: Any, p: ScanParams, rng: Any) -> Any:
    """A phone photo of the page on a desk: perspective, uneven light, a soft shadow, colour cast.
    Returns the photo and the 3x3 matrix taking a point of the paper to the photo."""
    import cv2
    import numpy as np

    h, w = img.shape[:2]
    margin = rng.uniform(0.04, 0.1)
    W, H = int(w * (1 + 2 * margin)), int(h * (1 + 2 * margin))
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = rng.uniform(-0.045, 0.045, (4, 2)) * [w, h]
    dst = np.float32(
        [
            [W * margin, H * margin],
            [W * (1 - margin), H * margin],
            [W * (1 - margin), H * (1 - margin)],
            [W * margin, H * (1 - margin)],
        ]
    )
    dst = (dst + jitter).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    desk_colour = np.array([rng.uniform(60, 140), rng.uniform(50, 120), rng.uniform(40, 100)], np.float32)
    desk = np.ones((H, W, 3), np.float32) * desk_colour
    desk += _smooth_field(rng, (H, W), W / 6, -20, 20)[..., None]
    page = cv2.warpPerspective(img, m, (W, H), flags=cv2.INTER_LINEAR)
    cover = cv2.warpPerspective(np.ones((h, w), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
    out = page * cover + desk * (1 - cover)
    # light: a gradient from one side, a brighter middle
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    theta = rng.uniform(0, 2 * math.pi)
    grad = (xx / W - 0.5) * math.cos(theta) + (yy / H - 0.5) * math.sin(theta)
    light = 1 - rng.uniform(0.15, 0.35) * (grad + 0.5)
    vignette = 1 - rng.uniform(0.05, 0.18) * (((xx / W - 0.5) ** 2 + (yy / H - 0.5) ** 2) / 0.5)
    light = light * vignette
    # a soft shadow (the phone or a hand) over a corner or an edge of the page
    shadow = np.zeros((H, W), np.float32)
    cx, cy = rng.uniform(-0.1, 1.1) * W, rng.choice([rng.uniform(-0.1, 0.25), rng.uniform(0.75, 1.1)]) * H
    axes = (int(W * rng.uniform(0.25, 0.5)), int(H * rng.uniform(0.12, 0.25)))
    cv2.ellipse(shadow, (int(cx), int(cy)), axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), W * rng.uniform(0.02, 0.05))
    light = light * (1 - rng.uniform(0.3, 0.5) * shadow)
    cast = np.array([rng.uniform(0.95, 1.05), 1.0, rng.uniform(0.88, 1.0)], np.float32)
    out = out * light[..., None] * cast
    out = cv2.GaussianBlur(out, (0, 0), max(0.3, p.blur * p.dpi / 150))
    out = out + rng.normal(0, p.noise + 2, out.shape).astype(np.float32)
    add_specks(out, p.specks, p.dpi / 150, rng)
    return out, m


def encode(img: Any, p: ScanParams) -> bytes:
    """A page as the scanner stores it: JPEG (colour or grey) or a 1-bit image (black-and-white)."""
    import numpy as np
    from PIL import Image

    arr = np.clip(img, 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    if p.mode == "bw":
        grey = Image.fromarray(arr).convert("L")
        bw = grey.point(lambda v: 255 if v >= p.bw_threshold else 0).convert("1")
        bw.save(buf, format="PNG", dpi=(p.dpi, p.dpi))
    else:
        image = Image.fromarray(arr)
        if p.mode == "grey":
            image = image.convert("L")
        image.save(buf, format="JPEG", quality=int(p.jpeg), dpi=(p.dpi, p.dpi))
    return buf.getvalue()


def to_pdf(blobs: list[bytes], dpi: int, out: Path) -> None:
    import img2pdf

    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    try:
        data = img2pdf.convert(blobs, layout_fun=layout, nodate=True)
    except TypeError:  # an img2pdf without nodate
        data = img2pdf.convert(blobs, layout_fun=layout)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    part.write_bytes(data)
    part.replace(out)


# -- the whole scan ----------------------------------------------------------------------------


def simulate(
    src: str | Path, params: ScanParams, out_pdf: str | Path, record: dict[str, Any] | None = None
) -> ScanInfo:
    """Print (a Word source), stamp, sign and scan ``src`` into the image-only PDF ``out_pdf``.

    ``record``: what the form holds (the seals find the lead's name, the date and the members
    through it, and the members added for ``continued`` go into a copy of it); by default the
    sample's expected record beside ``src``, if any.
    """
    import numpy as np

    src, out_pdf = Path(src), Path(out_pdf)
    if record is None:
        record = expected_record(src)
    pdf, record, notes = prepare_source(src, params, record)
    rng = np.random.default_rng(params.seed)
    px = params.dpi / 72  # pixels per point
    pages = [p.astype(np.float32) for p in render(pdf, params.dpi, params.max_pages)]
    seals: list[dict[str, Any]] = []
    lead = str((record or {}).get("lead", {}).get("name") or "")
    for place in params.seals:
        where = target(pdf, place, record)
        if where is None or where[0] > len(pages):
            notes.append(f"seal {place}: not found on the page, left out")
            continue
        page, (x0, y0, x1, y1) = where
        radius = int(rng.uniform(19.5, 21.0) * MM * px)
        if place == "title":
            cx = x1 * px + rng.uniform(-0.3, 0.2) * radius
            cy = (y0 + y1) / 2 * px + rng.uniform(-0.2, 0.4) * radius
        else:
            cx = (x0 + x1) / 2 * px + rng.uniform(-0.35, 0.35) * radius
            cy = (y0 + y1) / 2 * px + rng.uniform(-0.3, 0.3) * radius
        h, w = pages[page - 1].shape[:2]
        cx = float(np.clip(cx, radius * 0.6, w - radius * 0.6))
        cy = float(np.clip(cy, radius * 0.6, h - radius * 0.6))
        text = lead if place != "date" or rng.random() < 0.5 else "科学技术局"
        mask = seal_mask(radius, text, rng) * params.seal_strength
        colour = (int(rng.uniform(190, 235)), int(rng.uniform(20, 60)), int(rng.uniform(30, 80)))
        size = mask.shape[0]
        apply_ink(pages[page - 1], mask, (int(cx - size / 2), int(cy - size / 2)), colour)
        on_paper = [round(cx), round(cy)]
        seals.append(
            {"page": page, "centre": on_paper, "on_paper": on_paper, "radius": radius, "place": place}
        )
    signature = None
    if params.signature:
        where = target(pdf, "date", record)
        if where is None or where[0] > len(pages):
            notes.append("signature: no date found, left out")
        else:
            page, (x0, y0, x1, y1) = where
            sw, sh = int(rng.uniform(30, 45) * MM * px), int(rng.uniform(9, 14) * MM * px)
            sx = int(x0 * px - rng.uniform(0.0, 0.3) * sw)
            sy = int((y0 + y1) / 2 * px - sh * rng.uniform(0.35, 0.65))
            ink = (int(rng.uniform(10, 40)), int(rng.uniform(15, 45)), int(rng.uniform(40, 110)))
            apply_ink(pages[page - 1], signature_mask(sw, sh, rng), (sx, sy), ink)
            box = [sx, sy, sx + sw, sy + sh]
            signature = {"page": page, "box": box, "on_paper": box}
    angles: list[float] = []
    blobs = []
    sizes = []
    for k, page_img in enumerate(pages):
        if params.phone:
            angle = 0.0
            img, matrix = phone(page_img, params, rng)
        else:
            angle = params.skew if k == 0 else float(rng.uniform(-1, 1) * abs(params.skew))
            img, matrix = scanner(page_img, params, angle, rng)
        # where the ink put on the paper ended up in the image
        for seal in seals:
            if seal["page"] == k + 1:
                seal["centre"] = _moved(matrix, seal["on_paper"])
        if signature and signature["page"] == k + 1:
            x0, y0, x1, y1 = signature["on_paper"]
            corners = [_moved(matrix, pt) for pt in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            signature["box"] = [min(xs), min(ys), max(xs), max(ys)]
        angles.append(round(angle, 3))
        blobs.append(encode(img, params))
        sizes.append((int(img.shape[1]), int(img.shape[0])))
    to_pdf(blobs, params.dpi, out_pdf)
    return ScanInfo(out_pdf, len(pages), params.dpi, sizes, angles, seals, signature, record, params, notes)


def _moved(matrix: Any, point: Any) -> list[int]:
    x, y, z = matrix @ [point[0], point[1], 1.0]
    return [round(float(x / z)), round(float(y / z))]


HARSH = ScanParams(
    dpi=150,
    mode="colour",
    specks=1 / 300,
    blur=1.0,
    noise=7.0,
    contrast=0.85,
    jpeg=60,
    skew=2.0,
    seals=("title", "table"),
    seal_strength=0.95,
    signature=True,
)


def harsh_scan(src: str | Path, out_pdf: str | Path, seed: int = 0, **changes: Any) -> ScanInfo:
    """One harsh scan, quickly (no LibreOffice for a PDF source): 150 dpi, a speck per 300 px,
    blur, JPEG 60, 2° skew, seals over the title and the members table, a signature over the
    date. ``changes`` override any :class:`ScanParams` field (e.g. ``mode="grey"``)."""
    return simulate(src, dataclasses.replace(HARSH, seed=seed, **changes), out_pdf)


# -- command line ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    import argparse

    sys.path.insert(0, str(ROOT))
    ap = argparse.ArgumentParser(description="Make a simulated scan of a filled form (.docx or .pdf).")
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--condition", choices=sorted(CONDITIONS), help="draw the parameters from this condition")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--list", action="store_true", help="list the conditions and exit")
    for f in dataclasses.fields(ScanParams):
        if f.name in ("seed", "seals", "max_pages"):
            continue
        kind = type(f.default)
        if kind is bool:
            ap.add_argument(f"--{f.name.replace('_', '-')}", action="store_true", default=None)
        else:
            ap.add_argument(f"--{f.name.replace('_', '-')}", type=kind, default=None)
    ap.add_argument("--seals", default=None, help=f"comma-separated places among {','.join(SEAL_PLACES)}")
    ap.add_argument("--max-pages", type=int, default=None)
    args = ap.parse_args(argv)
    params = draw(args.condition, args.seed) if args.condition else ScanParams(seed=args.seed)
    changes = {
        f.name: getattr(args, f.name)
        for f in dataclasses.fields(ScanParams)
        if f.name not in ("seed", "seals") and getattr(args, f.name, None) is not None
    }
    if args.seals is not None:
        changes["seals"] = tuple(s for s in args.seals.split(",") if s)
    params = dataclasses.replace(params, **changes)
    info = simulate(args.src, params, args.out)
    print(params.short())
    print(json.dumps(info.to_json(), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    if "--list" in sys.argv:
        for name, (about, _) in CONDITIONS.items():
            print(f"{name:12} {about}")
        raise SystemExit(0)
    raise SystemExit(main())
