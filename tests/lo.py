"""LibreOffice in headless mode, for tests and sample making.

Each call uses its own user profile: two soffice processes sharing one profile block each other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.read.convert import prepare_profile


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise RuntimeError("LibreOffice (soffice) is not installed: run `make install`")
    return exe


def convert(
    src: str | Path,
    to: str,
    outdir: str | Path,
    filter_name: str | None = None,
    timeout: int = 180,
    infilter: str | None = None,
) -> Path:
    """Convert ``src`` with LibreOffice to format ``to`` (``pdf``, ``docx``, ``odt``) into ``outdir``.

    ``filter_name`` picks an export filter, e.g. ``"docx:MS Word 2007 XML"`` (no shell: no quotes);
    ``infilter`` an import filter, e.g. ``"HTML (StarWriter)"`` to open HTML as a Writer document.
    Returns the path of the converted file; raises on failure.
    """
    src, outdir = Path(src), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ictk-lo-") as profile:
        prepare_profile(Path(profile))  # no graphics self-tests at start: about 1.5 s a call
        cmd = [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            filter_name or to,
            "--outdir",
            str(outdir),
            str(src),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    out = outdir / f"{src.stem}.{to}"
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"soffice failed on {src}: {proc.stdout} {proc.stderr}")
    return out
