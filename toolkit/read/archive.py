"""A .zip holding one application's files (its editable copy, its stamped PDF or page images).

Nothing is trusted: an archive with more than :data:`MAX_MEMBERS` entries, more than
:data:`MAX_TOTAL_BYTES` unpacked, a member packed more than :data:`MAX_RATIO` times, an absolute
path, a ``..`` in a path, a symbolic link, an encrypted member or an archive inside the archive
is refused with a Chinese line. Members are read one at a time into a private temporary folder,
under a name of our own choosing, and never more bytes than the archive declares.

Names packed on Chinese Windows (GBK, without the UTF-8 flag) are decoded as such.

An archive gives :func:`entries`: each file to check in it (a form file; the page images, all
together, as one scan). ``ictk parse`` / ``ictk check`` read its editable copy (else its stamped
one); ``ictk batch`` checks every entry and keeps them together as one application.
"""

from __future__ import annotations

import re
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import UnreadableError
from . import Layout
from .formats import ARCHIVE, EDITABLE, RECORD, STAMPED, format_for_suffix

MAX_MEMBERS = 64
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # a member over 1 MB packed more than this: a zip bomb
_IMAGES = {"jpg", "png", "tif", "bmp"}


@dataclass(frozen=True)
class Entry:
    name: str  # what the batch calls it inside the archive (the first image for a scan in images)
    members: tuple[str, ...]  # archive member names (raw, as in the zip)
    kind: str
    role: str


def _display(info: zipfile.ZipInfo) -> str:
    """The member's name as its packer meant it (GBK names from Chinese Windows decoded)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name.replace("\\", "/")


def _natural(name: str) -> list[object]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name.lower())]


def _ignored(name: str) -> bool:
    parts = PurePosixPath(name).parts
    base = parts[-1] if parts else ""
    return (
        not base
        or parts[0] == "__MACOSX"
        or any(p.startswith(".") for p in parts)
        or base.startswith(("~$", ".~lock", "~WRL"))
        or base.endswith(("~", ".tmp", ".TMP"))
        or base == "Thumbs.db"
    )


def _checked_infos(zf: zipfile.ZipFile, label: str) -> list[tuple[zipfile.ZipInfo, str]]:
    """(member, decoded name) of every file in the archive, after every limit is checked."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnreadableError(
            f"压缩包内有 {len(infos)} 个文件，超过 {MAX_MEMBERS} 个，不像是一份申报材料：{label}"
        )
    total = 0
    out = []
    for info in infos:
        name = _display(info)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UnreadableError(f"压缩包内含符号链接（{name}），已拒绝读取：{label}")
        path = PurePosixPath(name)
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in path.parts or "\x00" in name:
            raise UnreadableError(f"压缩包内的文件路径不安全（{name}），已拒绝读取：{label}")
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise UnreadableError(f"压缩包已加密（需要密码），请解压后检查：{label}")
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise UnreadableError(
                f"压缩包解压后过大（超过 {MAX_TOTAL_BYTES // (1024 * 1024)} MB），已拒绝读取：{label}"
            )
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise UnreadableError(f"压缩包内容异常庞大（疑似压缩炸弹），已拒绝读取：{label}")
        out.append((info, name))
    return out


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise UnreadableError(f"压缩包已损坏，无法读取：{path.name}（{type(exc).__name__}）") from None


def entries(path: str | Path) -> list[Entry]:
    """The files to check in the archive at ``path``: each form file, and its page images (in
    natural order: 第2页 before 第10页) as one scan. Raises when a limit is broken."""
    p = Path(path)
    with _open(p) as zf:
        infos = _checked_infos(zf, p.name)
    out: list[Entry] = []
    images: list[tuple[str, str]] = []
    for info, name in infos:
        if _ignored(name):
            continue
        fmt = format_for_suffix(PurePosixPath(name).suffix)
        if fmt is None or fmt.role == RECORD:
            continue  # attachments (.xlsx, .txt ...) are not forms
        if fmt.role == ARCHIVE:
            raise UnreadableError(f"压缩包内又有压缩包（{name}），请解压后分别检查：{p.name}")
        if fmt.kind in _IMAGES:
            images.append((name, info.filename))
        else:
            out.append(Entry(name, (info.filename,), fmt.kind, fmt.role))
    if images:
        images.sort(key=lambda item: _natural(item[0]))
        kind = format_for_suffix(PurePosixPath(images[0][0]).suffix).kind  # type: ignore[union-attr]
        out.append(Entry(images[0][0], tuple(raw for _, raw in images), kind, STAMPED))
    out.sort(key=lambda e: _natural(e.name))
    return out


def one_application(path: str | Path) -> list[Entry]:
    """The entries of an archive that holds one application: at most one editable copy and at
    most one stamped copy (a PDF, or page images), and at least one of them."""
    p = Path(path)
    found = entries(p)
    if not found:
        raise UnreadableError(f"压缩包中没有申报表（Word、PDF 或扫描图片）：{p.name}")
    for role, what in ((EDITABLE, "可编辑版（Word/WPS 等）"), (STAMPED, "盖章扫描版（PDF 或图片）")):
        same = [e.name for e in found if e.role == role]
        if len(same) > 1:
            raise UnreadableError(
                f"压缩包中有 {len(same)} 份{what}申报表（{'、'.join(same)}），"
                f"一个压缩包只能装一份申报的材料，请解压后分别检查：{p.name}"
            )
    return found


def extract_entry(path: str | Path, entry: Entry, folder: str | Path) -> Path:
    """Write ``entry`` into ``folder`` (a private temporary folder) and return the file to read:
    the member itself under its base name, or, for page images, one PDF of them."""
    p, out = Path(path), Path(folder)
    with _open(p) as zf:
        allowed = {info.filename: info for info, _ in _checked_infos(zf, p.name)}
        written = []
        for i, raw in enumerate(entry.members):
            info = allowed.get(raw)
            if info is None:  # pragma: no cover - entries() came from the same archive
                raise UnreadableError(f"压缩包内找不到文件：{raw}")
            base = PurePosixPath(_display(info)).name
            target = out / (base if len(entry.members) == 1 else f"{i:03d}{PurePosixPath(base).suffix}")
            _copy(zf, info, target, p.name)
            written.append(target)
    if len(entry.members) == 1 and entry.kind not in _IMAGES:
        return written[0]
    from .image_reader import images_to_pdf

    pdf = out / f"{PurePosixPath(entry.name).stem}.pdf"
    images_to_pdf(written, pdf)
    return pdf


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, label: str) -> None:
    left = info.file_size
    try:
        with zf.open(info) as src, target.open("xb") as dst:
            while True:
                chunk = src.read(min(1 << 20, left + 1))
                if not chunk:
                    break
                left -= len(chunk)
                if left < 0:
                    raise UnreadableError(f"压缩包内容与其声明的大小不符，已拒绝读取：{label}")
                dst.write(chunk)
    except UnreadableError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise UnreadableError(f"压缩包已损坏，无法读取：{label}（{type(exc).__name__}）") from None


def read_archive(path: str | Path) -> Layout:
    """The layout of the application's editable copy in the archive (its stamped copy when it
    has none)."""
    from .api import read_layout

    p = Path(path)
    found = one_application(p)
    entry = next((e for e in found if e.role == EDITABLE), found[0])
    with tempfile.TemporaryDirectory(prefix="ictk-zip-") as work:
        layout = read_layout(extract_entry(p, entry, work))
    layout.source = f"{p}/{entry.name}"
    return layout
