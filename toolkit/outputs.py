"""Writing output files safely: atomically, and never over an existing file without ``force``.

A write that fails (disk full, file-size limit, read-only folder) raises :class:`OutputError`
with the reason in Chinese, removes its temporary file and leaves an existing file as it was.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import OutputError

_OS_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "目录不存在或不能在其中建立文件",
    errno.EROFS: "文件系统只读",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件超出允许的大小（磁盘或配额已满）",
    errno.EIO: "磁盘读写错误",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOTDIR: "路径中有一段不是目录",
}


def os_reason(exc: OSError) -> str:
    """A Chinese reason for an OS error."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def check_target(path: str | os.PathLike[str], force: bool = False) -> Path:
    """Fail early, before any work, when ``path`` cannot be written."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"输出路径是一个目录：{target}")
    if target.exists() and not force:
        raise OutputError(f"输出文件已存在：{target}（如需覆盖请加 --force）")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"输出目录不存在：{folder}")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"输出目录不可写：{folder}")
    return target


def check_folder(path: str | os.PathLike[str]) -> Path:
    """Fail early, before any work, when the output folder ``path`` cannot be made or written
    (nothing is created yet)."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"输出路径不是目录：{folder}")
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not os.access(probe, os.W_OK):
        raise OutputError(f"输出目录不可写：{probe if probe == folder else folder}")
    return folder


def ensure_folder(path: str | os.PathLike[str]) -> Path:
    """Make the output folder ``path`` (and its parents) or say in Chinese why it cannot be."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"输出路径不是目录：{folder}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法建立输出目录 {folder}：{os_reason(exc)}") from None
    if not os.access(folder, os.W_OK):
        raise OutputError(f"输出目录不可写：{folder}")
    return folder


def write_bytes(path: str | os.PathLike[str], data: bytes, force: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    A reader never sees a half-written file, and an existing file is kept unless ``force``.
    """
    target = check_target(path, force)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        # mkstemp makes the file 0600; the file written is the user's, read as their umask allows
        # (colleagues on a shared drive open the reports).
        if hasattr(os, "fchmod"):  # POSIX
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, target)
        else:
            # link() fails if the target appeared meanwhile: no silent replacement.
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise OutputError(f"输出文件已存在：{target}（如需覆盖请加 --force）") from None
            except OSError:
                if target.exists():
                    raise OutputError(f"输出文件已存在：{target}（如需覆盖请加 --force）") from None
                os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{os_reason(exc)}") from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _umask() -> int:
    mask = os.umask(0o077)  # reading the umask means setting it; put it back at once
    os.umask(mask)
    return mask


def write_text(path: str | os.PathLike[str], text: str, force: bool = False) -> Path:
    return write_bytes(path, text.encode("utf-8"), force)
