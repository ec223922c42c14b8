from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/lo.py and other test helpers
# Tests that run `ictk` find the one installed beside this Python (.venv/bin), activated or not.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


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


# The web tests count the server's temporary upload folders in the system temp folder: the
# browser tests' server makes such folders too, so the two modules run on one worker.
_ONE_WORKER = {"test_web.py": "web", "test_web_browser.py": "web"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in _ONE_WORKER:
            item.add_marker(pytest.mark.xdist_group(_ONE_WORKER[item.path.name]))
        for module, fixture in _SHARED:
            if item.path.name == module and fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(f"{module[:-3]}-{fixture}"))
