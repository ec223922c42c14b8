"""Grouping the files of a batch into applications, by content.

A Word file and the scanned PDF of the same application carry the same lead unit (统一社会信用代码)
and the same consortium name, whatever the files are called. Files agreeing on both are one
application. A Word file and a PDF left alone after that are still paired when they agree on one
of the two and look alike on the rest (a misread digit, a renamed file): the disagreement is then
reported field by field instead of two half applications.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .model import Application, FileResult, norm_uscc, squeeze


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
    for f in files:
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
    order = {"docx": 0, "pdf": 1, "json": 2}
    groups = [sorted(g, key=lambda f: (order.get(f.kind, 9), f.file)) for g in groups if g]
    # Applications first, in the order of their Word file's path; unreadable files at the end.
    groups.sort(key=lambda g: (not g[0].readable, g[0].file))
    return [Application(id=f"申报{i:02d}", files=g) for i, g in enumerate(groups, 1)]


def _pair_leftovers(groups: list[list[FileResult]]) -> None:
    """Join a lone Word file and a lone PDF that agree on the lead or the name (in place)."""

    def lone(kind: str) -> list[list[FileResult]]:
        return [g for g in groups if len(g) == 1 and g[0].readable and g[0].kind == kind]

    for word in lone("docx"):
        w = word[0]
        wu, wn = _key(w)
        candidates = []
        for pdf in lone("pdf"):
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
