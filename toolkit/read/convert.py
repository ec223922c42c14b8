"""Old Word (.doc), WPS (.wps) and RTF files: converted to .docx by LibreOffice in headless
mode, then read by the Word reader.

Each conversion runs ``soffice`` with a user profile of its own (``-env:UserInstallation``), so
that several conversions at once (batch workers) never share one: two soffice processes on one
profile block each other, and a user's own LibreOffice is never touched. Profiles are kept in
``<tmp>/ictk-lo-<uid>/<n>`` and reused, each held under a file lock while in use. A conversion
that takes longer than :data:`TIMEOUT` seconds is killed with its process group.

Every profile is prepared by :func:`prepare_profile` before soffice starts in it: LibreOffice runs
its graphics render self-tests (about 1.5 s of drawing 64 MB bitmaps, two thirds of a
conversion) at every start in a profile that has not recorded the version last set up, and a
headless conversion never records it (only a window does). The profile records it up front.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import UnreadableError
from . import Layout
from .formats import format_for_suffix

TIMEOUT = 60.0  # seconds one conversion may take
MAX_PROFILES = 16  # profiles kept for reuse; more conversions at once get a throwaway one
_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)


def soffice() -> str | None:
    """The LibreOffice executable (``ICTK_SOFFICE`` overrides), or None when not installed."""
    override = os.environ.get("ICTK_SOFFICE")
    if override is not None:
        return override if override and Path(override).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((c for c in _CANDIDATES if Path(c).is_file()), None)


def read_converted(path: str | Path, timeout: float = TIMEOUT) -> Layout:
    """The layout of a .doc / .wps / .rtf file, through a LibreOffice conversion to .docx."""
    from .docx_reader import read_docx

    p = Path(path)
    fmt = format_for_suffix(p.suffix)
    kind = fmt.kind if fmt is not None and fmt.needs == "libreoffice" else "doc"
    label = fmt.name if fmt is not None and fmt.needs == "libreoffice" else "旧版 Word 文档"
    exe = soffice()
    if exe is None:
        raise UnreadableError(
            f"{label}需要 LibreOffice 转换后才能读取，本机未安装 LibreOffice（soffice）；"
            f"请安装 LibreOffice，或在 Word/WPS 中另存为 .docx 后再检查：{p.name}"
        )
    with tempfile.TemporaryDirectory(prefix="ictk-convert-") as work:
        src = Path(work) / f"input{p.suffix.lower() or '.doc'}"
        shutil.copyfile(p, src)
        out = _convert(exe, src, Path(work) / "out", timeout, label, p.name)
        layout = read_docx(out)
    layout.source = str(p)
    layout.kind = kind  # type: ignore[assignment]
    return layout


def _convert(exe: str, src: Path, outdir: Path, timeout: float, label: str, name: str) -> Path:
    with _profile() as profile:
        cmd = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(src),
        ]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: a timeout kills all of it
        )
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise UnreadableError(
                f"{label}用 LibreOffice 转换超过 {timeout:g} 秒仍未完成，已停止；文件可能已损坏：{name}"
            ) from None
    out = outdir / f"{src.stem}.docx"
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise UnreadableError(f"{label}无法由 LibreOffice 转换，文件可能已损坏或已加密：{name}")
    return out


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # pragma: no cover - it ended meanwhile
        pass
    proc.communicate()


# ``ooSetupLastVersion`` newer than the running LibreOffice: "not upgraded", so no render tests
# (LibreOffice compares major * 10 + minor; 99.9 is above every release). Nothing else a
# conversion does reads it.
_LAST_VERSION = (
    '<item oor:path="/org.openoffice.Setup/Product">'
    '<prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>99.9</value></prop></item>'
)
_REGISTRY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    f"{_LAST_VERSION}\n</oor:items>\n"
)


def prepare_profile(profile: Path) -> None:
    """Make ``profile`` (a LibreOffice ``UserInstallation`` directory, new or used before) one
    that starts without the graphics render self-tests. Best effort: a profile that cannot be
    written still converts, only slower."""
    user = profile / "user"
    registry = user / "registrymodifications.xcu"
    try:
        try:
            text = registry.read_text(encoding="utf-8")
        except FileNotFoundError:
            user.mkdir(mode=0o700, parents=True, exist_ok=True)
            text = _REGISTRY
        else:
            if "ooSetupLastVersion" in text or "</oor:items>" not in text:
                return
            text = text.replace("</oor:items>", f"{_LAST_VERSION}\n</oor:items>", 1)
        partial = user / "registrymodifications.xcu.ictk"
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, registry)  # a conversion killed meanwhile leaves the old file whole
    except (OSError, UnicodeError):
        pass


@contextmanager
def _profile():
    """A LibreOffice user profile directory no other conversion is using now."""
    base = _profile_base()
    if base is not None:
        import fcntl

        for n in range(MAX_PROFILES):
            lock_path = base / f"{n}.lock"
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            try:
                profile = base / str(n)
                prepare_profile(profile)
                yield profile
                return
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
    with tempfile.TemporaryDirectory(prefix="ictk-lo-") as fresh:
        prepare_profile(Path(fresh))
        yield Path(fresh)


def _profile_base() -> Path | None:
    """``<tmp>/ictk-lo-<uid>``, private to this user; None when it cannot be made safely (then
    each conversion gets a throwaway profile)."""
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: no flock either
        return None
    base = Path(tempfile.gettempdir()) / f"ictk-lo-{os.getuid()}"
    try:
        base.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(base)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None  # someone else's, a symlink, or readable by others: not ours to use
    return base
