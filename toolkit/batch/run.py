"""``run_batch``: every form of an intake folder checked, paired into applications, and the
cross-application rules applied across the batch and the registry."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..findings import Finding
from .collect import TIMEOUT, Progress, check_files, find_forms
from .model import BatchResult, FileResult
from .pairing import group_files


def load_registry(path: str | os.PathLike[str] | None) -> list[Any]:
    """The recognised consortia of the registry at ``path`` (none when ``path`` is None). A
    registry that does not exist is an error: checking creates none."""
    if path is None:
        return []
    from .registry import Registry

    with Registry(path, create=False) as reg:
        return reg.consortia()


def run_batch(
    root: str | os.PathLike[str],
    registry: str | os.PathLike[str] | None = None,
    form_id: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
    timeout: float | None = TIMEOUT,
) -> BatchResult:
    """Check the intake folder ``root``.

    ``registry``: path of the registry database (the cross rules also compare against it);
    ``jobs``: worker processes (default: the machine's cores); ``progress(done, total, file)``
    is called as files finish; ``exclude``: files under ``root`` not to read (the reports);
    ``timeout``: seconds one file may take (None: no limit).
    """
    consortia = load_registry(registry)  # a bad registry fails before any work
    from ..editions import edition_ids
    from ..profile import load_profile

    for edition in edition_ids():  # and so does a broken profile (exit 2, naming file and key)
        load_profile(edition)
    files, others = find_forms(root, exclude)
    results = check_files(root, files, form_id=form_id, jobs=jobs, progress=progress, timeout=timeout)
    for r in results:  # from here on names are shown, not opened
        r.file, r.error = shown_name(r.file), shown_name(r.error)
    return assemble(
        str(root),
        results,
        consortia,
        skipped=[shown_name(o) for o in others],
        registry=str(registry) if registry else None,
    )


def shown_name(text: str | None) -> str | None:
    r"""A file name as it can be printed and written to the reports: the bytes of a name that is
    not UTF-8 (a folder unpacked from a Chinese Windows zip) read as GB18030, else replaced.

    >>> shown_name("收件/gbk-\udcd6\udcd0\udcce\udcc4.docx")
    '收件/gbk-中文.docx'
    >>> shown_name("\udcff\udcfe.docx")
    '\ufffd\ufffd.docx'
    """
    if not text:
        return text
    return _UNDECODED.sub(_gb18030, text)


_UNDECODED = re.compile("[\udc80-\udcff]+")  # the bytes os.fsdecode could not read as UTF-8


def _gb18030(m: re.Match[str]) -> str:
    raw = m[0].encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return "\ufffd" * len(raw)


def assemble(
    root: str,
    results: list[FileResult],
    consortia: list[Any] | None = None,
    skipped: list[str] | None = None,
    registry: str | None = None,
) -> BatchResult:
    """Pair the files' results into applications and run the cross-application rules."""
    from ..rules.cross import run_cross_rules

    notes = {name: skip_reason(name) for name in skipped or []}
    forms = []
    for r in results:  # a Word file that is no form (a meeting notice) is no application either
        if r.error and r.error.startswith(NOT_A_FORM):
            notes[r.file] = r.error.removeprefix(NOT_A_FORM).lstrip("：")
        else:
            forms.append(r)
    apps = group_files(forms)
    run_cross_rules(apps, consortia or [])
    return BatchResult(
        root=root, applications=apps, files=forms, skipped=sorted(notes), registry=registry, notes=notes
    )


NOT_A_FORM = "不是申报表"  # how the reader's message for a document without a form's title begins


def skip_reason(name: str) -> str:
    """Why a file of the intake folder was not checked, in the clerk's words."""
    from ..read.formats import read_suffixes
    from .collect import is_lock_file

    if is_lock_file(Path(name).name):
        return "Word 或 WPS 打开文档时留下的临时锁文件，不是申报材料，已跳过"
    return f"不是 ictk 读取的文件类型（{'、'.join(read_suffixes())}），未检查"


def registry_findings(record: dict[str, Any], registry: str | os.PathLike[str] | list[Any]) -> list[Finding]:
    """``toolkit.rules.cross.registry_findings`` with the registry given as a path or a list."""
    from ..rules.cross import registry_findings as findings

    return findings(record, registry if isinstance(registry, list) else load_registry(registry))
