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
from .model import Application, BatchResult, FileResult
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

    apps = group_files(results)
    run_cross_rules(apps, consortia or [])
    return BatchResult(root=root, applications=apps, files=results, skipped=skipped or [], registry=registry)


def registry_findings(record: dict[str, Any], registry: str | os.PathLike[str] | list[Any]) -> list[Finding]:
    """The cross rules that one application can break on its own against the registry (a lead
    already leading a consortium, a member in too many, a name too close to a registered one),
    for ``ictk check --registry``."""
    from ..findings import verdict
    from ..rules.cross import lead_rules, name_rules, unit_rules

    consortia = registry if isinstance(registry, list) else load_registry(registry)
    one = FileResult(file="", kind="json", form=record.get("form"), verdict="pass", record=record)
    one.verdict = verdict([])
    app = Application(id="申报01", files=[one])
    lead_rules([app], consortia)
    unit_rules([app], consortia)
    name_rules([app], consortia)
    return app.batch_findings


def write_opinions(
    result: BatchResult, folder: str | os.PathLike[str], stage: str | None = None, force: bool = False
) -> list[Path]:
    """A draft review opinion (.docx) per readable application, through
    ``toolkit.generate.render_opinion``; stage from the form unless given."""
    from ..generate import render_opinion
    from ..outputs import ensure_folder, write_bytes

    out = ensure_folder(folder)
    written = []
    for app in result.applications:
        if not app.readable:
            continue
        app_stage = stage or ("lz-bureau" if app.policy == "lz" else "gx-dept")
        data = render_opinion(app.record, app.findings, app_stage)
        name = _safe(app.record.get("consortium", {}).get("name") or app.id)
        written.append(write_bytes(out / f"{app.id}-{name}-审核意见.docx", data, force))
    return written


def _safe(name: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' or c.isspace() else c for c in str(name))[:60]
