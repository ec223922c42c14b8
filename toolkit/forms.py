"""The form definitions in ``forms/``: one YAML file per form, the single source of truth.

>>> form = load_form("lz-preapply-2024")
>>> form.field("lead.revenue").label
'上年度主营业务收入（万元）'
>>> form.field("lead.revenue").unit
'万元'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import UnknownFormError
from .resources import data_dirs, load_yaml
from .text import squeeze

FIELD_TYPES = frozenset(
    "text longtext amount integer number percent date choice yesno uscc phone email".split()
)


@dataclass(frozen=True)
class Rule:
    """A constraint written in the definition: the clause it comes from and its Chinese message."""

    clause: str
    message: str


@dataclass(frozen=True)
class Field:
    id: str  # record path, e.g. "lead.revenue"; for a table column, the key inside a row
    label: str
    type: str
    variants: tuple[str, ...] = ()
    unit: str | None = None
    options: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    required: Rule | None = None
    pattern: tuple[str, Rule] | None = None
    half: bool = False
    in_record: bool = True

    @property
    def labels(self) -> tuple[str, ...]:
        """The printed label first, then every variant."""
        return (self.label, *self.variants)

    @property
    def pointer(self) -> str:
        """JSON pointer of a top-level field: ``lead.revenue`` -> ``/lead/revenue``."""
        return "/" + self.id.replace(".", "/")

    def canonical_option(self, text: str) -> str | None:
        """Map a written option onto the canonical one, or None."""
        text = text.strip()
        if text in self.options:
            return text
        return self.aliases.get(text)


@dataclass(frozen=True)
class Table:
    id: str  # "members" or "lead.platforms"
    label: str
    columns: tuple[Field, ...]
    note: str = ""
    blank_rows: int = 5

    @property
    def pointer(self) -> str:
        return "/" + self.id.replace(".", "/")

    def column(self, key: str) -> Field:
        for col in self.columns:
            if col.id == key:
                return col
        raise KeyError(key)


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class FormDef:
    id: str
    policy: str  # "lz" or "gx"
    title: str
    title_variants: tuple[str, ...]
    sections: tuple[Section, ...]
    signatures: tuple[str, ...]
    raw: dict[str, Any] = field(hash=False, compare=False, repr=False)

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(t for s in self.sections for t in s.tables)

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def table(self, table_id: str) -> Table:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def label_of(self, pointer: str) -> str:
        """The Chinese label for a JSON pointer into a record of this form.

        >>> load_form("gx-recognition").label_of("/members/2/uscc")
        '成员单位第3行“统一社会信用代码”'
        """
        parts = [p for p in pointer.strip("/").split("/") if p]
        for t in self.tables:
            tparts = t.id.split(".")
            if parts[: len(tparts)] == tparts:
                rest = parts[len(tparts) :]
                if not rest:
                    return t.label
                if len(rest) == 1:
                    return f"{t.label}第{int(rest[0]) + 1}行"
                col = t.column(rest[1]).label if rest[1] in {c.id for c in t.columns} else rest[1]
                return f"{t.label}第{int(rest[0]) + 1}行“{col}”"
        try:
            return self.field(".".join(parts)).label
        except KeyError:
            return pointer


def _rule(value: Any) -> Rule | None:
    if not value:
        return None
    clause, message = value
    return Rule(str(clause), str(message))


def _field(spec: dict[str, Any]) -> Field:
    ftype = spec["type"]
    if ftype not in FIELD_TYPES:
        raise ValueError(f"unknown field type {ftype!r} for {spec['id']}")
    pattern = None
    if spec.get("pattern"):
        regex, clause, message = spec["pattern"]
        re.compile(regex)
        pattern = (regex, Rule(clause, message))
    return Field(
        id=spec["id"],
        label=spec["label"],
        type=ftype,
        variants=tuple(spec.get("variants", ())),
        unit=spec.get("unit"),
        options=tuple(spec.get("options", ())),
        aliases=dict(spec.get("aliases", {})),
        required=_rule(spec.get("required")),
        pattern=pattern,
        half=bool(spec.get("half", False)),
        in_record=bool(spec.get("record", True)),
    )


def _table(spec: dict[str, Any]) -> Table:
    return Table(
        id=spec["id"],
        label=spec["label"],
        columns=tuple(_field(c) for c in spec["columns"]),
        note=spec.get("note", ""),
        blank_rows=int(spec.get("blank_rows", 5)),
    )


DATA_SUFFIXES = (".profile", ".clauses")  # forms/ also holds the editions' profiles and clauses


def _form_files() -> dict[str, Path]:
    files: dict[str, Path] = {}
    for folder in data_dirs("forms"):
        for p in folder.glob("*.yaml"):
            if not p.stem.endswith(DATA_SUFFIXES):
                files.setdefault(p.stem, p)
    return files


def form_ids() -> list[str]:
    """Every form id with a definition, sorted."""
    return sorted(_form_files())


@cache
def load_form(form_id: str) -> FormDef:
    path = _form_files().get(form_id)
    if path is None:
        known = "、".join(form_ids())
        raise UnknownFormError(f"未知的表单：{form_id}（可用：{known}）")
    raw = load_yaml(path)
    missing = [k for k in ("id", "policy", "title") if not isinstance(raw, dict) or k not in raw]
    if missing:
        raise UnknownFormError(
            f"{path.name} 不是表单定义：缺少 {'、'.join(missing)}（版本的条款文件请命名为 *.clauses.yaml）"
        )
    return FormDef(
        id=raw["id"],
        policy=raw["policy"],
        title=raw["title"],
        title_variants=tuple(raw.get("title_variants", (raw["title"],))),
        sections=tuple(
            Section(
                title=s["title"],
                fields=tuple(_field(f) for f in s.get("fields", ())),
                tables=tuple(_table(t) for t in s.get("tables", ())),
            )
            for s in raw["sections"]
        ),
        signatures=tuple(raw.get("signatures", ())),
        raw=raw,
    )


MIN_LABELS = 5  # labels found before a text is taken for a form without its title
MIN_SHARE = 0.6  # ... and the share of the form's labels they are


_LABELS: dict[str, tuple[FormDef, set[str]]] = {}  # form id -> (the definition, its labels)


def _labels(form: FormDef) -> set[str]:
    known = _LABELS.get(form.id)
    if known is not None and known[0] is form:  # made once per definition loaded (read only)
        return known[1]
    labels = {squeeze(f.label) for f in form.fields}
    labels |= {squeeze(c.label) for t in form.tables for c in t.columns} | {
        squeeze(t.label) for t in form.tables
    }
    labels = {label.rstrip("：:") for label in labels if len(label) >= 3}
    _LABELS[form.id] = (form, labels)
    return labels


def form_scores(text: str) -> list[tuple[float, int, bool, str]]:
    """``(share of labels found, labels found, title found, form id)`` of every form, best first."""
    squeezed = squeeze(text)
    scores = []
    for form_id in form_ids():
        form = load_form(form_id)
        labels = _labels(form)
        found = sum(1 for label in labels if label in squeezed)
        title = any(squeeze(t) in squeezed for t in form.title_variants)
        scores.append((found / len(labels) if labels else 0.0, found, title, form_id))
    return sorted(scores, key=lambda s: (s[0], s[2], s[1]), reverse=True)


def detect_form(text: str) -> str | None:
    """The form ``text`` is a filled copy of, from the labels found in it (a scan's title may be
    wrapped or half under a red seal, and two years of one form share a title): the form with
    the greatest share of its labels present; the title alone decides only when the text has
    too few labels (the first lines of a document).

    >>> detect_form("柳 州 市 市 级 创 新 联 合 体 预 申 报 表")
    'lz-preapply-2024'
    """
    scores = form_scores(text)
    labelled = [s for s in scores if s[1] >= MIN_LABELS and s[0] >= MIN_SHARE]
    if labelled:
        return labelled[0][3]
    titled = [s for s in scores if s[2]]
    if not titled:
        return None
    squeezed = squeeze(text)

    def longest(s: tuple[float, int, bool, str]) -> int:
        return max(len(squeeze(t)) for t in load_form(s[3]).title_variants if squeeze(t) in squeezed)

    # the longest title found (a variant may contain another form's shorter title); two forms
    # with the same title and too few labels to tell them apart: undecided (None)
    best = max(longest(s) for s in titled)
    candidates = [s for s in titled if longest(s) == best]
    return candidates[0][3] if len(candidates) == 1 else None
