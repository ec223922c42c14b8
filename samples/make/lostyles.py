"""Samples produced by LibreOffice: HTML tables opened in Writer and saved as .docx, the same via
.odt, and PDFs printed from Word samples. Every call runs LibreOffice with a private profile
(``tests/lo.py``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from lo import convert

# Without quotes: tests/lo.py passes arguments without a shell, and LibreOffice does not strip them.
DOCX_FILTER = "docx:MS Word 2007 XML"


def html_to_docx(src: Path, outdir: Path, timeout: int = 180) -> Path:
    """HTML opened as a Writer text document (not Writer/Web, which cannot save .docx) and saved
    as Word 2007 XML."""
    return convert(src, "docx", outdir, DOCX_FILTER, timeout, infilter="HTML (StarWriter)")


def html_via_odt_to_docx(src: Path, outdir: Path) -> Path:
    """HTML -> .odt (Writer/Web's ODF text export) -> .docx, as a form kept in LibreOffice's own
    format and sent on as Word."""
    with tempfile.TemporaryDirectory(prefix="ictk-odt-") as tmp:
        odt = convert(src, "odt", tmp, "odt:writerweb8_writer")
        return convert(odt, "docx", outdir, DOCX_FILTER)


def print_pdf(src: Path, dest: Path) -> Path:
    """Print ``src`` to PDF with LibreOffice and move it to ``dest``."""
    with tempfile.TemporaryDirectory(prefix="ictk-pdf-") as tmp:
        pdf = convert(src, "pdf", tmp)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), dest)
    return dest


def pdf_text(path: Path) -> str:
    """Text of a PDF through poppler, for checking a print right after making it."""
    proc = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return proc.stdout
