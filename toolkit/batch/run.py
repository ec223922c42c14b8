"""``run_batch``: every form of an intake folder checked, paired into applications, and the
cross-application rules applied across the batch and the registry."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..findings import Finding
from .collect import TIMEOUT, Progress, check_files, find_forms
from .model import Application, BatchResult, FileResult
from .pairing import group_files


def load_registry(path: str | os.PathLike[str] | None) -> list[Any]:
    """The recognised consortia of the registry at ``path`` (none when ``path`` is None)."""
    if path is None:
        return []
    from .registry import Registry

    with Registry(path) as reg:
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
    return assemble(
        str(root), results, consortia, skipped=others, registry=str(registry) if registry else None
    )


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
    from .collect import is_lock_file

    if is_lock_file(Path(name).name):
        return "Word 或 WPS 打开文档时留下的临时锁文件，不是申报材料，已跳过"
    return "不是 .docx、.pdf 或 .json 文件，未检查"


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


DEFAULT_STAGE = {"lz": "lz-bureau", "gx": "gx-dept"}  # by policy, when --stage names none


def opinion_stages(text: str | None = None) -> dict[str, str]:
    """The review stage of each form's opinions, from ``ictk batch --stage``: a stage applies to
    the forms it serves (``lz-county``); several are separated by commas (``lz-county,gx-city``)
    and may name the policy or form they are for (``lz=lz-county,gx=gx-city``). A form left
    out gets its policy's default (:data:`DEFAULT_STAGE`).

    >>> stages = opinion_stages("lz-county")
    >>> stages["lz-preapply-2024"], stages["gx-recognition"]
    ('lz-county', 'gx-dept')
    """
    from ..errors import InputError
    from ..forms import form_ids, load_form
    from ..generate.common import catalog

    stages = catalog()["stages"]
    policy = {f: load_form(f).policy for f in form_ids()}
    chosen = {f: DEFAULT_STAGE[p] for f, p in policy.items() if p in DEFAULT_STAGE}
    given: dict[str, str] = {}
    for item in (text or "").split(","):
        key, _, stage = (part.strip() for part in item.rpartition("="))
        if not stage:
            continue
        if stage not in stages:
            raise InputError(
                f"未知的审核环节：{stage}（可选：{'、'.join(stages)}；不同表单的环节用逗号分开，"
                "如 lz-county,gx-city）"
            )
        serves = list(stages[stage]["forms"])
        forms = [f for f in policy if key in (f, policy[f])] if key else serves
        if key and not forms:
            raise InputError(
                f"--stage 中的“{key}”既不是政策（{'、'.join(sorted(set(policy.values())))}）也不是表单编号"
            )
        wrong = [f for f in forms if f not in serves]
        if wrong:
            raise InputError(f"审核环节 {stage}（{stages[stage]['name']}）不适用于表单 {'、'.join(wrong)}")
        for f in forms:
            if given.get(f, stage) != stage:
                raise InputError(f"表单 {f} 指定了两个审核环节：{given[f]}、{stage}")
            given[f] = stage
    return {**chosen, **given}


def write_opinions(
    result: BatchResult,
    folder: str | os.PathLike[str],
    stage: str | dict[str, str] | None = None,
    force: bool = False,
) -> list[Path]:
    """A draft review opinion (.docx) per readable application, through
    ``toolkit.generate.render_opinion``; ``stage``: the ``--stage`` text or
    :func:`opinion_stages` of it (each form its policy's default when None)."""
    from ..errors import OutputError
    from ..generate import render_opinion
    from ..outputs import write_bytes

    stages = stage if isinstance(stage, dict) else opinion_stages(stage)
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise OutputError(f"审核意见输出路径不是目录：{out}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for app in result.applications:
        if not app.readable:
            continue
        app_stage = stages.get(app.form or "") or DEFAULT_STAGE.get(app.policy or "", "gx-dept")
        data = render_opinion(app.record, app.findings, app_stage)
        name = _safe(app.record.get("consortium", {}).get("name") or app.id)
        written.append(write_bytes(out / f"{app.id}-{name}-审核意见.docx", data, force))
    return written


def _safe(name: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' or c.isspace() else c for c in str(name))[:60]
