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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for module, fixture in _SHARED:
            if item.path.name == module and fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(f"{module[:-3]}-{fixture}"))
