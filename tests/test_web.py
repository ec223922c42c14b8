"""The self-check web page, server side: an applicant uploads a form and gets the findings and
the downloads; every bad upload gets a Chinese page; nothing of an upload stays behind."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient

from toolkit.check import check_file
from toolkit.web.app import create_app, display_name, download_stem
from toolkit.web.work import Limits

WEAK = "filled/unreadable/gx-young-unreadable.docx"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Limits(max_bytes=2 * 1024 * 1024, max_pages=3, seconds=60), jobs=2)) as c:
        yield c


def upload(client, path: Path | None = None, data: bytes | None = None, name: str | None = None, form=""):
    body = data if data is not None else path.read_bytes()
    return client.post("/check", files={"file": (name or path.name, body)}, data={"form": form})


def reason(resp) -> str:
    m = re.search(r'id="reason">([^<]*)<', resp.text)
    assert m, resp.text[:500]
    return m.group(1)


def downloads(html: str) -> dict[str, tuple[str, bytes]]:
    out = {}
    for m in re.finditer(r'id="dl-(\w+)" href="data:([^;]+);base64,([^"]+)" download="([^"]+)"', html):
        out[m.group(1)] = (m.group(4), base64.b64decode(m.group(3)))
    return out


def test_the_findings_of_a_check_are_on_the_page_by_section(client, samples):
    src = samples / WEAK
    resp = upload(client, src)
    assert resp.status_code == 200
    report = check_file(src)
    html = resp.text
    assert re.search(r'id="verdict-label">不通过<', html)
    assert f'id="n-error">{sum(f.severity == "error" for f in report.findings)}<' in html
    items = re.findall(r'<li class="finding s-(\w+)" data-code="([^"]+)">', html)
    assert items == [(f.severity, f.code) for f in report.findings]
    from html import unescape

    text = unescape(html)
    for f in report.findings:
        assert f.message in text
    sections = re.findall(r"<h3>([^<]+)</h3>", html)
    assert sections == [
        "一、创新联合体基本情况",
        "二、牵头单位基本情况",
        "三、牵头单位研发能力",
        "五、组织架构与运行制度",
        "七、审核推荐意见",
    ]
    # the clause quoted on hover (title) and on click (details)
    assert "年主营业务收入原则上应达到10亿元以上" in text.split("GX-REVENUE", 1)[1].split("</li>", 1)[0]


def test_the_three_downloads(client, samples):
    src = samples / WEAK
    found = downloads(upload(client, src, name="北部湾<申报表>.docx").text)
    assert set(found) == {"annotated", "report", "notice"}
    name, annotated = found["annotated"]
    assert name == "北部湾_申报表-批注.docx"
    report = check_file(src)
    comments = list(docx.Document(io.BytesIO(annotated)).comments)
    assert len(comments) == len(report.findings)
    name, data = found["report"]
    assert name.endswith("-检查报告.json")
    as_json = json.loads(data)
    assert as_json["file"] == "北部湾<申报表>.docx"
    assert as_json["findings"] == json.loads(json.dumps(report.to_json()["findings"], default=str))
    notice = docx.Document(io.BytesIO(found["notice"][1]))
    assert notice.paragraphs[0].text == "关于补正“北部湾海洋生物医药创新联合体”申报材料的通知"


def test_a_pdf_is_checked_without_an_annotated_copy(client, samples):
    resp = upload(client, samples / "filled/pdf/lz-pass.pdf")
    assert resp.status_code == 200, resp.text[:300]
    assert re.search(r'id="verdict-label">通过<', resp.text)
    assert set(downloads(resp.text)) == {"report"}
    assert "带批注的副本只能由 Word（.docx）文件生成" in resp.text


SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/static/style.css", "/nowhere"])
def test_security_headers_everywhere(client, path):
    resp = client.get(path)
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    for key, value in SECURITY.items():
        assert resp.headers[key] == value


def test_pages_have_no_inline_script_and_nothing_from_elsewhere(client, samples):
    pages = [
        client.get("/").text,
        upload(client, samples / WEAK).text,
        upload(client, data=b"x", name="a.txt").text,
    ]
    for html in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"\son[a-z]+\s*=", html)
        assert not re.search(r"\sstyle\s*=", html)
        for url in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert url.startswith(("/", "data:")), url
    for asset in ("/static/app.js", "/static/style.css", "/static/icon.svg"):
        body = client.get(asset).text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "http://" not in body and "https://" not in body


def _docx_without_title(samples, tmp_path, name: str = "gx-pass", title: str = "认定申请表") -> Path:
    """A filled form cut down until nothing tells its form: no title, one row of its first
    table (a form is otherwise recognised by its labels, title or not)."""
    doc = docx.Document(str(samples / f"filled/clean/{name}.docx"))
    for p in doc.paragraphs:
        if title in p.text:
            p._p.getparent().remove(p._p)
    first, *rest = doc.tables
    for t in rest:
        t._tbl.getparent().remove(t._tbl)
    for r in first.rows[1:]:
        r._tr.getparent().remove(r._tr)
    out = tmp_path / "no-title.docx"
    doc.save(out)
    return out


def test_the_form_is_asked_for_when_the_form_cannot_be_told(client, samples, tmp_path):
    src = _docx_without_title(samples, tmp_path)
    resp = upload(client, src)
    assert resp.status_code == 422
    assert "无法确定表单类型" in resp.text and 'class="row ask"' in resp.text
    assert '<option value="gx-recognition">' in resp.text
    chosen = upload(client, src, form="gx-recognition")
    assert chosen.status_code == 200
    assert re.search(r'id="verdict-label">不通过', chosen.text)  # checked as that form: fields missing
    assert "广西壮族自治区创新联合体认定申请表" in chosen.text


BAD = [
    (b"", "a.docx", 400, "上传的文件是空的"),
    (b"hello", "a.txt", 400, "不支持的文件类型"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc", 400, "另存为未加密的 .docx"),
    (b"PK\x03\x04garbage", "broken.docx", 422, "broken.docx"),
    (b"%PDF-1.4 broken", "broken.pdf", 400, "PDF 文件已损坏或已加密"),
    (b"\xff\xd8\xff\xe0" + b"0" * 100, "scan.jpg", 400, "图片文件，请把扫描的各页合成一个 PDF"),
]


@pytest.mark.parametrize(("data", "name", "status", "says"), BAD, ids=[b[1] for b in BAD])
def test_every_bad_upload_gets_a_chinese_page(client, data, name, status, says):
    resp = upload(client, data=data, name=name)
    assert resp.status_code == status
    assert says in reason(resp) and CJK.search(reason(resp))
    assert "Traceback" not in resp.text


def test_limits_of_size_and_pages(client, samples):
    big = upload(client, data=b"PK\x03\x04" + b"0" * (3 * 1024 * 1024), name="big.docx")
    assert big.status_code == 413 and "超过 2 MB 的上限" in reason(big)
    pages = upload(client, samples / "filled/pdf/gx-hospital-official.pdf")
    assert pages.status_code == 413 and "超过 3 页的上限" in reason(pages)

    def chunked():  # no Content-Length: the size is counted as the body arrives
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.docx"\r\n\r\nPK\x03\x04'
        for _ in range(48):
            yield b"0" * 65536
        yield b"\r\n--b--\r\n"

    streamed = client.post(
        "/check", content=chunked(), headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert streamed.status_code == 413 and "超过 2 MB 的上限" in reason(streamed)
    nofile = client.post("/check", data={"form": ""})
    assert nofile.status_code == 400 and "没有收到文件" in nofile.text
    badform = upload(client, samples / WEAK, form="../../etc/passwd")
    assert badform.status_code == 400 and "请从列表中选择表单类型" in reason(badform)
    assert client.get("/check").status_code == 405


def private_tmp(monkeypatch, tmp_path) -> Path:
    """The server's temporary folders go to a folder of this test's own, so that other tests
    running beside it (other xdist workers share /tmp) cannot make ours look left behind."""
    own = tmp_path / "tmp"
    own.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own))
    return own


def test_no_user_path_reaches_the_disk_and_nothing_stays(client, samples, monkeypatch, tmp_path):
    tmp = private_tmp(monkeypatch, tmp_path)
    evil = "../../../../../tmp/ictk-pwned-<script>.docx"
    resp = upload(client, samples / WEAK, name=evil)
    assert resp.status_code == 200
    assert not Path("/tmp/ictk-pwned-<script>.docx").exists()
    assert not list(tmp.iterdir())  # nothing of this upload stays
    assert "<script>" not in resp.text and "ictk-pwned-&lt;script&gt;.docx" in resp.text
    assert display_name(evil) == "ictk-pwned-<script>.docx"
    assert download_stem(display_name(evil)) == "ictk-pwned-_script"


def test_a_check_over_its_time_is_stopped_and_the_next_one_works(samples, monkeypatch, tmp_path):
    tmp = private_tmp(monkeypatch, tmp_path)
    with TestClient(create_app(Limits(seconds=0.01), jobs=1)) as c:
        slow = upload(c, samples / WEAK)
        assert slow.status_code == 503 and "秒内没有检查完" in reason(slow)
        assert not list(tmp.iterdir())  # the killed worker's upload is gone too
    with TestClient(create_app(Limits(seconds=60), jobs=1)) as c:
        assert upload(c, samples / WEAK).status_code == 200


def test_parse_imports_no_web_machinery(samples):
    code = (
        "import sys\n"
        "from toolkit.cli import main\n"
        f"sys.argv = ['ictk', 'parse', {str(samples / WEAK)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in ('starlette', 'uvicorn', 'multipart', 'python_multipart', 'anyio', 'toolkit.web')"
        " if m in sys.modules]\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "LOADED []" in out.stdout, out.stdout[-300:] + out.stderr[-300:]


def test_serve_on_a_taken_port_is_one_chinese_line():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "toolkit", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip() == f"错误：无法在 127.0.0.1:{port} 上启动网页（已被占用），请用 --port 换一个端口"
    )
