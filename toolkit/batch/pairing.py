"""Grouping the files of a batch into applications, by content and by role.

An application has an editable copy (Word, WPS, .odt, .doc, .rtf) and a stamped copy (a PDF, or
a scan as page images): what pairs them is their role, not their suffix. The two copies of the
same application carry the same lead unit (统一社会信用代码) and the same consortium name,
whatever the files are called. Files agreeing on both are one application. An editable copy and
a stamped copy left alone after that are still paired when they agree on one of the two and
look alike on the rest (a misread digit, a renamed file): the disagreement is then reported
field by field instead of two half applications.

The files of one .zip (``x.zip/...``) holding at most one copy of each role are one application
as the applicant packed them, whatever they say.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .model import ROLE_ORDER, Application, FileResult, norm_uscc, squeeze

EDITABLE, STAMPED = "editable", "stamped"


def _key(f: FileResult) -> tuple[str, str]:
    rec = f.record or {}
    return (
        norm_uscc((rec.get("lead") or {}).get("uscc")),
        squeeze((rec.get("consortium") or {}).get("name")),
    )


def _stem(name: str) -> str:
    return squeeze(PurePosixPath(name).stem).lower()


def _similar(a: str, b: str, threshold: float = 80) -> bool:
    from rapidfuzz import fuzz

    return bool(a and b) and fuzz.ratio(a, b) >= threshold


def group_files(files: list[FileResult]) -> list[Application]:
    """Applications by the path of their first file, unreadable files (each alone) last."""
    groups: list[list[FileResult]] = []
    by_key: dict[tuple[str, str], list[FileResult]] = {}
    packed = _packed(files)
    for f in files:
        if id(f) in packed:
            group = packed[id(f)]
            if group[0] is f:
                groups.append(list(group))
            continue
        if not f.readable:
            groups.append([f])
            continue
        key = _key(f)
        if not any(key):
            groups.append([f])  # nothing to pair on
            continue
        if key not in by_key:
            by_key[key] = []
            groups.append(by_key[key])
        by_key[key].append(f)

    _pair_leftovers(groups)
    order = {**ROLE_ORDER, STAMPED: 1, "record": 2}
    groups = [sorted(g, key=lambda f: (order.get(f.role or "", 9), f.file)) for g in groups if g]
    # Applications first, in the order of their Word file's path; unreadable files at the end.
    groups.sort(key=lambda g: (not g[0].readable, g[0].file))
    return [Application(id=f"申报{i:02d}", files=g) for i, g in enumerate(groups, 1)]


def archive_of(rel: str) -> str | None:
    """The .zip a batch file came out of (``a/x.zip`` for ``a/x.zip/form.docx``), or None."""
    parts = rel.split("/")
    for i, part in enumerate(parts[:-1]):
        if part.lower().endswith(".zip"):
            return "/".join(parts[: i + 1])
    return None


def _packed(files: list[FileResult]) -> dict[int, list[FileResult]]:
    """The files of each archive that holds one application (at most one readable copy of each
    role, of one form), as groups keyed by ``id`` of each file."""
    by_archive: dict[str, list[FileResult]] = {}
    for f in files:
        archive = archive_of(f.file)
        if archive is not None:
            by_archive.setdefault(archive, []).append(f)
    out: dict[int, list[FileResult]] = {}
    for group in by_archive.values():
        readable = [f for f in group if f.readable]
        roles = [f.role for f in readable]
        forms = {f.form for f in readable}
        if len(group) < 2 or len(roles) != len(set(roles)) or len(forms) > 1:
            continue
        for f in group:
            out[id(f)] = group
    return out


def _pair_leftovers(groups: list[list[FileResult]]) -> None:
    """Join a lone editable copy and a lone stamped copy that agree on the lead or the name (in
    place)."""

    def lone(role: str) -> list[list[FileResult]]:
        return [g for g in groups if len(g) == 1 and g[0].readable and g[0].role == role]

    for word in lone(EDITABLE):
        w = word[0]
        wu, wn = _key(w)
        candidates = []
        for pdf in lone(STAMPED):
            if not pdf:
                continue
            p = pdf[0]
            if p.form != w.form:
                continue
            pu, pn = _key(p)
            same_stem = _stem(w.file) == _stem(p.file)
            if (wu and wu == pu and (_similar(wn, pn) or same_stem)) or (
                wn and wn == pn and (_similar(wu, pu) or same_stem)
            ):
                candidates.append(pdf)
        if len(candidates) == 1:
            word.extend(candidates[0])
            candidates[0].clear()
