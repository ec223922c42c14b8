"""A clerk receives .odt, .doc, .wps, .rtf and .zip files: each is read through the one format
table into the same record as the Word file it was made from, and the batch pairs an
application's editable copy with its stamped copy by role, whatever their suffixes."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from toolkit.errors import UnreadableError
from toolkit.read.api import parse_file, resolve_format
from toolkit.read.formats import FORMATS, kind_of_name, role_of
from toolkit.record import loads

ROOT = Path(__file__).resolve().parent.parent
FORMATS_DIR = ROOT / "samples" / "formats"
HAS_LO = shutil.which("soffice") is not None
needs_lo = pytest.mark.skipif(not HAS_LO, reason="LibreOffice (soffice) is not installed")


def expected(path: Path) -> dict:
    return loads((path.parent / f"{path.stem}.expected.json").read_text(encoding="utf-8"))


def test_one_table_names_each_format_once_with_its_reader_and_role() -> None:
    seen: set[str] = set()
    for fmt in FORMATS:
        assert not seen & set(fmt.suffixes), fmt
        seen |= set(fmt.suffixes)
        assert fmt.reader or fmt.advice or fmt.role == "record", fmt
        if fmt.reader:
            assert callable(fmt.load())
    assert {role_of(k) for k in ("docx", "odt", "doc", "wps", "rtf")} == {"editable"}
    assert {role_of(k) for k in ("pdf", "jpg", "png", "tif")} == {"stamped"}
    assert kind_of_name("申报/x.zip/预申报表.ODT") == "odt" and kind_of_name("p.jpeg") == "jpg"


@pytest.mark.parametrize("name", ["gx-pass.odt", "lz-agri.odt"])
def test_odt_is_read_directly_from_its_content_xml(name: str) -> None:
    path = FORMATS_DIR / name
    result = parse_file(path)
    assert result.kind == "odt" and result.problems == []
    assert result.record == expected(path)


def test_odt_reads_checkboxes_merged_cells_and_member_rows() -> None:
    record = parse_file(FORMATS_DIR / "gx-pass.odt").record
    assert record["lead"]["org_type"] == "企业" and record["lead"]["legal_person"] is True
    assert record["consortium"]["special_case"] is False
    assert [m["name"] for m in record["members"]][:2] == ["广西大学", "广西有色金属集团有限公司"]
    assert record["lead"]["platforms"][1] == {
        "name": "广西高端铝合金材料重点实验室",
        "level": "省部级",
        "type": "重点实验室",
    }


@needs_lo
@pytest.mark.parametrize(
    "name,kind", [("lz-pass.doc", "doc"), ("gx-young.rtf", "rtf"), ("lz-tech.wps", "wps")]
)
def test_old_word_wps_and_rtf_are_converted_by_libreoffice(name: str, kind: str) -> None:
    path = FORMATS_DIR / name
    result = parse_file(path)
    assert result.kind == kind and result.problems == []
    assert result.record == expected(path)


def test_without_libreoffice_a_doc_gets_one_chinese_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTK_SOFFICE", "")
    with pytest.raises(
        UnreadableError,
        match=r"^旧版 Word 文档需要 LibreOffice 转换后才能读取.*另存为 \.docx.*：lz-pass\.doc$",
    ):
        parse_file(FORMATS_DIR / "lz-pass.doc")


def test_a_hanging_conversion_is_stopped_at_its_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.read import convert

    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {tmp_path}/pid\nexec sleep 60\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("ICTK_SOFFICE", str(fake))
    start = time.monotonic()
    with pytest.raises(UnreadableError, match="用 LibreOffice 转换超过 1 秒仍未完成，已停止"):
        convert.read_converted(FORMATS_DIR / "lz-pass.doc", timeout=1)
    assert time.monotonic() - start < 10
    pid = int((tmp_path / "pid").read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


@needs_lo
def test_conversions_at_once_each_use_a_profile_of_their_own(tmp_path: Path) -> None:
    results: dict[int, object] = {}

    def read(i: int) -> None:
        try:
            results[i] = parse_file(FORMATS_DIR / ("lz-pass.doc" if i % 2 else "gx-young.rtf")).record
        except Exception as exc:  # reported below
            results[i] = exc

    threads = [threading.Thread(target=read, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results[1] == expected(FORMATS_DIR / "lz-pass.doc")
    assert results[0] == results[2] == expected(FORMATS_DIR / "gx-young.rtf")


@needs_lo
def test_conversions_in_processes_at_once_each_lock_a_profile_and_skip_the_render_tests(
    tmp_path: Path,
) -> None:
    """Batch workers are processes: three at once in one new profile folder each lock a profile
    of their own (0, 1, 2), all read the record, and no profile ran LibreOffice's graphics
    render self-tests (it writes GraphicsRenderTests.log when it does: 1.5 s of each start)."""
    import subprocess

    code = (
        "import sys\n"
        "from toolkit.read import convert\n"
        "from toolkit.record import dumps\n"
        "from toolkit.read.api import parse_file\n"
        "used = []\n"
        "real = convert.prepare_profile\n"
        "convert.prepare_profile = lambda p: (used.append(p.name), real(p))\n"
        "r = parse_file(sys.argv[1])\n"
        "print(dumps({'profile': used, 'record': r.record}, indent=None))\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    docs = [FORMATS_DIR / n for n in ("lz-pass.doc", "gx-young.rtf", "lz-pass.doc")]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(d)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        for d in docs
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    runs = [loads(out.decode()) for out, _ in outs]
    for doc, run, (_, err) in zip(docs, runs, outs, strict=True):
        assert run["record"] == expected(doc), err.decode()
    assert sorted(p for run in runs for p in run["profile"]) == ["0", "1", "2"]
    base = tmp_path / f"ictk-lo-{os.getuid()}"
    for n in "012":
        user = base / n / "user"
        assert "ooSetupLastVersion" in (user / "registrymodifications.xcu").read_text(encoding="utf-8")
        assert (user / "config").is_dir()  # LibreOffice made the rest of the profile itself
        assert not (user / "GraphicsRenderTests.log").exists()


def test_a_used_profile_is_prepared_keeping_what_libreoffice_wrote(tmp_path: Path) -> None:
    from toolkit.read.convert import prepare_profile

    user = tmp_path / "p" / "user"
    user.mkdir(parents=True)
    written = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry">\n'
        '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse">'
        "<value>zh-CN</value></prop></item>\n</oor:items>\n"
    )
    (user / "registrymodifications.xcu").write_text(written, encoding="utf-8")
    prepare_profile(tmp_path / "p")
    prepared = (user / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert "<value>zh-CN</value>" in prepared and prepared.count("ooSetupLastVersion") == 1
    assert prepared.endswith("</oor:items>\n") and sorted(os.listdir(user)) == ["registrymodifications.xcu"]
    prepare_profile(tmp_path / "p")  # once only
    assert (user / "registrymodifications.xcu").read_text(encoding="utf-8") == prepared
    prepare_profile(tmp_path / "new")
    assert "ooSetupLastVersion" in (tmp_path / "new" / "user" / "registrymodifications.xcu").read_text()


def test_a_docx_sent_as_doc_is_read_as_the_docx_it_is(tmp_path: Path) -> None:
    renamed = tmp_path / "申报表.doc"
    shutil.copyfile(ROOT / "samples" / "filled" / "clean" / "lz-pass.docx", renamed)
    assert resolve_format(renamed).kind == "docx"
    assert parse_file(renamed).record == loads(
        (ROOT / "samples" / "filled" / "clean" / "lz-pass.expected.json").read_text(encoding="utf-8")
    )


# --- archives ----------------------------------------------------------------------------------


def test_zip_of_one_application_is_read_with_its_gbk_names() -> None:
    from toolkit.read.archive import entries

    path = FORMATS_DIR / "lz-pass-application.zip"
    found = entries(path)
    assert [(e.name, e.kind, e.role) for e in found] == [
        ("柳州申报/预申报表.odt", "odt", "editable"),
        ("柳州申报/预申报表（盖章）.pdf", "pdf", "stamped"),
    ]
    result = parse_file(path)
    assert result.kind == "odt" and result.record == expected(path)


def _zip(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize(
    "case,says",
    [
        ("traversal", r"^压缩包内的文件路径不安全（\.\./outside\.docx），已拒绝读取：bad\.zip$"),
        ("absolute", r"^压缩包内的文件路径不安全（/tmp/x\.docx），已拒绝读取：bad\.zip$"),
        ("symlink", r"^压缩包内含符号链接（link\.docx），已拒绝读取：bad\.zip$"),
        ("many", r"^压缩包内有 70 个文件，超过 64 个，不像是一份申报材料：bad\.zip$"),
        ("bomb", r"^压缩包内容异常庞大（疑似压缩炸弹），已拒绝读取：bad\.zip$"),
        ("nested", r"^压缩包内又有压缩包（inner\.zip），请解压后分别检查：bad\.zip$"),
        ("two", r"^压缩包中有 2 份可编辑版（Word/WPS 等）申报表（a\.docx、b\.odt）"),
        ("empty", r"^压缩包中没有申报表（Word、PDF 或扫描图片）：bad\.zip$"),
    ],
)
def test_unsafe_or_unclear_archives_are_refused(tmp_path: Path, case: str, says: str) -> None:
    docx = (ROOT / "samples" / "filled" / "clean" / "lz-pass.docx").read_bytes()
    path = tmp_path / "bad.zip"
    members = {
        "traversal": {"../outside.docx": docx},
        "absolute": {"/tmp/x.docx": docx},
        "symlink": {},
        "many": {f"f{i}.txt": b"x" for i in range(70)},
        "bomb": {"a.docx": b"\0" * (20 * 1024 * 1024)},
        "nested": {"inner.zip": b"PK\x05\x06" + b"\0" * 18},
        "two": {"a.docx": docx, "b.odt": (FORMATS_DIR / "gx-pass.odt").read_bytes()},
        "empty": {"说明.txt": "请查收".encode()},
    }[case]
    _zip(path, members, symlink="link.docx" if case == "symlink" else None)
    with pytest.raises(UnreadableError, match=says):
        parse_file(path)
    assert not (tmp_path / "outside.docx").exists()


# --- the batch -----------------------------------------------------------------------------------


@needs_lo
def test_batch_reads_every_format_and_pairs_by_role(tmp_path: Path) -> None:
    """An .odt with the borderless PDF of the same application, a .doc alone, and a zip with an
    .odt and a PDF: three applications, each pair editable + stamped."""
    from toolkit.batch.run import run_batch

    folder = tmp_path / "收件"
    folder.mkdir()
    shutil.copyfile(FORMATS_DIR / "gx-pass.odt", folder / "南铝申请表.odt")
    shutil.copyfile(FORMATS_DIR / "gx-pass-borderless.pdf", folder / "扫描件-1.pdf")
    shutil.copyfile(FORMATS_DIR / "lz-tech.wps", folder / "科技.wps")
    shutil.copyfile(FORMATS_DIR / "lz-pass-application.zip", folder / "智驰.zip")
    result = run_batch(folder, jobs=2, timeout=120)
    by_files = {tuple(a.file_names): a for a in result.applications}
    assert set(by_files) == {
        ("南铝申请表.odt", "扫描件-1.pdf"),
        ("科技.wps",),
        ("智驰.zip/柳州申报/预申报表.odt", "智驰.zip/柳州申报/预申报表（盖章）.pdf"),
    }
    kinds = {f.file: f.kind for f in result.files}
    assert kinds["科技.wps"] == "wps" and kinds["扫描件-1.pdf"] == "pdf"
    nanlv = by_files[("南铝申请表.odt", "扫描件-1.pdf")]
    assert nanlv.primary.file == "南铝申请表.odt"
    # the two copies are compared: the longer platform name in the PDF is reported on its field
    mismatch = [f for f in nanlv.batch_findings if f.code == "GX-BATCH-MISMATCH"]
    assert [f.field for f in mismatch] == ["/lead/platforms/0/name"]
    assert "国家铝合金压力加工与先进轻量化结构材料工程技术研究中心（南宁分中心）" in mismatch[0].message
    # the zip's two copies say the same: no pair finding, no mismatch
    zhichi = by_files[("智驰.zip/柳州申报/预申报表.odt", "智驰.zip/柳州申报/预申报表（盖章）.pdf")]
    assert not [f for f in zhichi.batch_findings if f.code.startswith("LZ-BATCH-")]
    assert zhichi.record["lead"]["name"] == "柳州智驰底盘科技股份有限公司"
    # the .wps alone: an 柳州 application needs both copies
    assert [f.code for f in by_files[("科技.wps",)].batch_findings if f.code == "LZ-BATCH-PAIR"] == [
        "LZ-BATCH-PAIR"
    ]


def test_reading_an_odt_loads_no_pdf_ocr_or_libreoffice_machinery() -> None:
    import subprocess

    code = (
        "import sys\n"
        "from toolkit.read.api import parse_file\n"
        f"parse_file({str(FORMATS_DIR / 'gx-pass.odt')!r})\n"
        "heavy = [m for m in ('pdfplumber', 'pypdfium2', 'cv2', 'PIL', 'toolkit.read.convert',"
        " 'toolkit.read.docx_reader') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert "HEAVY ['toolkit.read.docx_reader']" in proc.stdout, proc.stderr  # its checkbox glyphs


def test_page_images_become_pdf_pages_of_their_size_without_loss(tmp_path: Path) -> None:
    """A .png (and any image but a JPEG, which is embedded as it is) is put in the PDF the scan
    reader reads without losing a pixel; the page is as large as the image at its resolution."""
    pdfium = pytest.importorskip("pypdfium2")
    from PIL import Image

    from toolkit.read.image_reader import images_to_pdf

    png = tmp_path / "第1页.png"
    with Image.open(FORMATS_DIR / "gx-pass-scan-1.jpg") as img:
        pixels = img.convert("RGB")
    pixels.save(png, dpi=(150, 150))
    grey = tmp_path / "第2页.png"
    pixels.convert("L").save(grey)  # no resolution: taken for an A4 page's width
    out = tmp_path / "pages.pdf"
    images_to_pdf([png, grey], out)
    doc = pdfium.PdfDocument(str(out))
    try:
        assert len(doc) == 2
        w, h = doc[0].get_size()
        with Image.open(png) as saved:
            dpi = saved.info["dpi"]  # 150, as PNG stores it (dots per metre)
        assert w == pytest.approx(pixels.width / dpi[0] * 72, abs=0.02)
        assert h == pytest.approx(pixels.height / dpi[1] * 72, abs=0.02)
        assert doc[1].get_size()[0] == pytest.approx(595.28, abs=0.02)
        (image,) = list(doc[0].get_objects())
        assert image.get_bitmap().to_pil().convert("RGB").tobytes() == pixels.tobytes()
    finally:
        doc.close()
