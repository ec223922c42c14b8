"""The self-check page in a real browser (Debian's chromium driven by Playwright): an applicant
uploads a form by the file input or by drag and drop, reads the findings, opens a clause, and
downloads the annotated copy, which python-docx opens with one comment per finding.

Needs ``apt-get install chromium`` (the README's commands); Playwright's own browser downloads are
never used.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import docx
import pytest

pytest.importorskip("starlette")
sync_api = pytest.importorskip("playwright.sync_api")

from toolkit.check import check_file  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WEAK = "filled/unreadable/gx-young-unreadable.docx"
SCREENSHOT = Path(__file__).resolve().parent.parent / "samples" / "web" / "result.png"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"ictk serve did not start: {proc.stderr.read().decode()[-500:]}")
        time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():  # a missing browser is a failed install step, not a skipped test
        pytest.fail("chromium is not installed: apt-get install -y chromium (make system-deps)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        accept_downloads=True, locale="zh-CN", viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    # No CSP violation, no script error (an error page's own status is not one).
    assert [e for e in errors if "Failed to load resource" not in e] == []


def test_upload_read_findings_open_a_clause_and_download_the_annotated_copy(server, page, samples, tmp_path):
    src = samples / WEAK
    report = check_file(src)
    page.goto(server + "/")
    assert page.title().startswith("上传申报表")
    page.set_input_files("#file", str(src))
    assert "已选择：gx-young-unreadable.docx" in page.inner_text("#chosen")
    page.click("#go")
    page.wait_for_selector("#verdict")
    assert page.inner_text("#verdict-label") == "不通过"
    assert page.inner_text("#n-error") == str(sum(f.severity == "error" for f in report.findings))
    shown = page.locator(".finding .message").all_inner_texts()
    assert shown == [f.message for f in report.findings]
    sections = page.locator(".findings h3").all_inner_texts()
    assert sections[0] == "一、创新联合体基本情况" and "五、组织架构与运行制度" in sections

    revenue = page.locator('.finding[data-code="GX-REVENUE"]')
    quote = revenue.locator("blockquote")
    assert not quote.is_visible()
    assert "10亿元以上" in revenue.locator("details").get_attribute("title")  # on hover
    revenue.locator("summary").click()  # on click
    assert quote.is_visible() and "年主营业务收入原则上应达到10亿元以上" in quote.inner_text()

    SCREENSHOT.parent.mkdir(exist_ok=True)
    shot = tmp_path / "result.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    if os.environ.get("ICTK_UPDATE_SAMPLES") or not SCREENSHOT.exists():
        shutil.copyfile(shot, SCREENSHOT)

    with page.expect_download() as info:
        page.click("#dl-annotated")
    download = info.value
    assert download.suggested_filename == "gx-young-unreadable-批注.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    comments = list(docx.Document(str(saved)).comments)
    assert len(comments) == len(report.findings)
    assert any("主营业务收入为6800万元" in c.text for c in comments)
    assert [f.to_json() for f in check_file(saved).findings] == [f.to_json() for f in report.findings]

    with page.expect_download() as info:
        page.click("#dl-notice")
    notice = tmp_path / "notice.docx"
    info.value.save_as(notice)
    assert docx.Document(str(notice)).paragraphs[0].text.startswith("关于补正“北部湾海洋生物医药创新联合体”")


def test_drag_and_drop_submits_the_form(server, page, samples):
    src = samples / "filled/clean/lz-agri.docx"
    page.goto(server + "/")
    payload = base64.b64encode(src.read_bytes()).decode()
    page.evaluate(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name));
            const drop = document.getElementById("drop");
            drop.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
            drop.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        [src.name, payload],
    )
    page.wait_for_selector("#verdict")
    assert page.inner_text("#verdict-label") == "通过（有警告）"
    codes = [
        page.locator(".finding").nth(i).get_attribute("data-code")
        for i in range(page.locator(".finding").count())
    ]
    assert codes == [f.code for f in check_file(src).findings]


def test_a_form_that_cannot_be_told_asks_which_form_it_is(server, page, samples, tmp_path):
    from test_web import _docx_without_title

    src = _docx_without_title(samples, tmp_path, "lz-pass", "申报表")
    page.goto(server + "/")
    page.set_input_files("#file", str(src))
    page.click("#go")
    page.wait_for_selector("#problem")
    assert page.inner_text("#problem h1") == "无法确定表单类型"
    page.select_option("#form", "lz-preapply-2024")
    page.set_input_files("#file", str(src))
    page.click("#go")
    page.wait_for_selector("#verdict")
    assert page.inner_text("#verdict-label") == "不通过"  # checked as the chosen form: fields missing
    assert "柳州市市级创新联合体预申报表" in page.inner_text("body")


def test_a_bad_upload_is_explained(server, page, tmp_path):
    bad = tmp_path / "照片.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 2000)
    page.goto(server + "/")
    page.set_input_files("#file", str(bad))
    page.click("#go")
    page.wait_for_selector("#problem")
    assert "请把扫描的各页合成一个 PDF" in page.inner_text("#reason")
    assert page.locator("#file").count() == 1  # the page offers another upload
