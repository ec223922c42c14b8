from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/lo.py and other test helpers
# Tests that run `ictk` find the one installed beside this Python (.venv/bin), activated or not.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"

# Scan readings (toolkit.ocr.cache) are kept for this test run only, in one folder that every
# xdist worker and every `ictk` the tests start share: a scan the tests read several times (the
# intake folder's, by each batch test) is read by OCR once per run, never from a user's cache
# nor from an earlier run. The process that starts the run makes the folder (the workers inherit
# its environment) and removes it at the end. Tests of the cache and of the wheel set their own.
_OWN_CACHE = "ICTK_TEST_CACHE" not in os.environ
if _OWN_CACHE:
    os.environ["ICTK_TEST_CACHE"] = tempfile.mkdtemp(prefix="ictk-test-cache-")
CACHE = Path(os.environ["ICTK_TEST_CACHE"])
os.environ["ICTK_CACHE_DIR"] = str(CACHE)
# Under xdist every core already has a worker: each worker's OCR on one thread, as `ictk batch`
# runs its workers' (test_ocr.py checks that more threads read the same).
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["ICTK_OCR_THREADS"] = "1"


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _OWN_CACHE:
        shutil.rmtree(CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# Under `make test` (pytest -n auto --dist loadgroup) the tests that share an expensive fixture
# (a batch over the intake folder with its scans, LibreOffice conversions, OCR of the scans) go
# to one worker, so that the fixture is computed once, not once per worker.
_SHARED = {
    ("test_batch.py", "result"),
    ("test_batch_workers.py", "serial"),
    ("test_blank_forms.py", "blank_pdf_text"),
    ("test_generate_libreoffice.py", "pdf_texts"),
    ("test_ocr.py", "parsed"),
    ("test_reports.py", "out"),
    ("test_samples_integrity.py", "controls_printed"),
}


# The two web modules each start a server with its own pool of worker processes (and the browser
# tests a Chromium): on one xdist worker the pools run one after the other, not side by side.
_ONE_WORKER = {"test_web.py": "web", "test_web_browser.py": "web"}


# tryfirst: xdist's own hook (registered after this file) turns the marks into the node ids'
# "@group" suffix that loadgroup schedules by; marks added after it would be ignored.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in _ONE_WORKER:
            item.add_marker(pytest.mark.xdist_group(_ONE_WORKER[item.path.name]))
        for module, fixture in _SHARED:
            if item.path.name == module and fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(f"{module[:-3]}-{fixture}"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under --dist loadgroup, a grouped test whose node id lacks xdist's "@group" suffix fails:
    a pytest or xdist release changed node ids, and the shared fixtures above would be computed
    on every worker (and the web tests run beside each other) without a word."""
    if item.config.getoption("loadgroup", False) and item.get_closest_marker("xdist_group"):
        if "@" not in item.nodeid:
            pytest.fail("pytest-xdist 未按 xdist_group 分组（node id 没有 @ 后缀）：请检查 pytest/xdist 版本")
