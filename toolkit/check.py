"""Checking one application: schema + rules + parser problems -> findings -> verdict.

>>> from toolkit.record import load_record
>>> report = check_file("samples/records/lz-pass.json")
>>> report.verdict, [f.code for f in report.findings]
('pass', ['LZ-STRATEGIC'])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import IctkError, InputError, UnknownFormError
from .findings import SEVERITY_ORDER, Finding, verdict
from .forms import FormDef, form_ids, load_form

UNREADABLE = "unreadable"


@dataclass
class CheckReport:
    """What checking one file gave: the spec/REPORT.md object. ``ictk check`` prints it and
    ``ictk batch`` keeps one per file (``toolkit.batch.model.FileResult`` is this type)."""

    file: str  # as given; in a batch, the path relative to the intake folder
    kind: str | None = None  # the kind in toolkit/read/formats.py: docx, odt, doc, pdf, jpg ... json
    form: str | None = None
    verdict: str = UNREADABLE  # pass | warn | fail | unreadable
    record: dict[str, Any] | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    seals: list[dict[str, Any]] | None = None  # red seals found on a scan; None when not a scan
    edition: str | None = None  # the policy edition the record was checked by (lz-2024)

    @property
    def readable(self) -> bool:
        return self.verdict != UNREADABLE and self.record is not None

    @property
    def role(self) -> str | None:
        """``editable`` (Word, WPS, .odt ...), ``stamped`` (PDF, scan images), ``record`` (.json)."""
        from .read.formats import role_of

        return role_of(self.kind) if self.kind else None

    def to_json(self) -> dict[str, Any]:
        """The ``ictk check --format json`` object of spec/REPORT.md (plus ``edition``)."""
        from .record import to_jsonable

        data: dict[str, Any] = {"file": self.file, "form": self.form}
        if self.edition is not None:
            data["edition"] = self.edition
        data |= {
            "verdict": self.verdict,
            "record": to_jsonable(self.record) if self.record is not None else None,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.error is not None:
            data["error"] = self.error
        if self.kind is not None:
            data["kind"] = self.kind
        if self.seals is not None:
            data["seals"] = to_jsonable(self.seals)
        return data

    to_report = to_json  # the name the batch used

    @property
    def exit_code(self) -> int:
        """0 no error, 1 an error (or a warning under ``strict``), 2 unreadable."""
        return {"fail": 1, UNREADABLE: 2}.get(self.verdict, 0)


def check_record(
    record: dict[str, Any],
    problems: Iterable[Finding] = (),
    parse: Any = None,
    registry: Any = None,
    edition: str | None = None,
) -> list[Finding]:
    """Findings of one record: schema, every application rule of its edition, the parser's
    problems; with ``registry`` (a list of ``toolkit.batch.registry.Consortium``), the cross
    rules one application can break alone against the consortia already recognised.

    ``edition``: the policy edition (``lz-2024``) to check by; by default the one of the
    record's form whose period holds its 填报日期 (``toolkit.editions.edition_for``).
    Sorted by section and field of the form; a field reported by several sources appears once.
    """
    from .editions import edition_for
    from .profile import load_profile
    from .rules.engine import Context, run_rules
    from .rules.schema_rules import schema_findings

    form_id = record.get("form") if isinstance(record, dict) else None
    if not isinstance(form_id, str) or form_id not in form_ids():
        raise UnknownFormError(f"记录中的表单编号无效：{form_id!r}（可用：{'、'.join(form_ids())}）")
    form = load_form(form_id)
    chosen = edition_for(record, edition)
    if chosen.form != form_id:
        raise InputError(f"政策版本 {chosen.id} 用的是表单 {chosen.form}，不是记录中的 {form_id}")
    ctx = Context(
        record=record, form=form, profile=load_profile(chosen), parse=parse, registry=registry, edition=chosen
    )
    schema = schema_findings(record, form)
    rules = run_rules(ctx)  # a check that raises is reported as its own rule failing
    if registry is not None:
        from .rules.cross import registry_findings

        rules = [*rules, *registry_findings(record, registry)]
    return order(dedupe([*problems], rules, schema), form)


def dedupe(problems: list[Finding], rules: list[Finding], schema: list[Finding]) -> list[Finding]:
    """Report each gap once. A parser problem on a field hides the schema's findings there (the
    value is missing because it could not be read); a rule finding on a field hides the schema's
    findings there with the same clause or the ``form`` clause (the rule says it more precisely)."""
    problem_fields = {f.field for f in problems if f.field}
    rule_keys = {(f.field, f.clause) for f in rules if f.field}
    rule_keys |= {(f.field, "form") for f in rules if f.field}  # the rule says it more precisely
    kept_schema = [
        f for f in schema if f.field not in problem_fields and (f.field, f.clause) not in rule_keys
    ]
    # One schema finding per field (a missing date fails pattern and format alike).
    seen_schema: set[str | None] = set()
    unique_schema = []
    for f in kept_schema:
        if f.field in seen_schema and f.field is not None:
            continue
        seen_schema.add(f.field)
        unique_schema.append(f)
    out: list[Finding] = []
    seen: set[tuple[Any, ...]] = set()
    for f in [*problems, *rules, *unique_schema]:
        key = (f.code, f.field, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def field_position(form: FormDef, pointer: str | None) -> tuple[int, int, int, int]:
    """(section, field, row, column) of a pointer in the printed form; unknown and whole-form last."""
    if not pointer:
        return (len(form.sections), 0, 0, 0)
    parts = [p for p in pointer.strip("/").split("/") if p]
    for s_idx, section in enumerate(form.sections):
        for f_idx, f in enumerate(section.fields):
            if parts == f.id.split("."):
                return (s_idx, f_idx, 0, 0)
        for t_idx, table in enumerate(section.tables):
            tparts = table.id.split(".")
            if parts[: len(tparts)] == tparts:
                rest = parts[len(tparts) :]
                row = int(rest[0]) + 1 if rest and rest[0].isdigit() else 0
                cols = [c.id for c in table.columns]
                col = cols.index(rest[1]) + 1 if len(rest) > 1 and rest[1] in cols else 0
                return (s_idx, len(section.fields) + t_idx, row, col)
    group = parts[0] if parts else ""
    for s_idx, section in enumerate(form.sections):
        if any(f.id.split(".")[0] == group for f in section.fields):
            return (s_idx, 999, 0, 0)
    return (len(form.sections), 0, 0, 0)


def section_title(form: FormDef, pointer: str | None) -> str:
    idx = field_position(form, pointer)[0]
    return form.sections[idx].title if idx < len(form.sections) else "整体"


def order(findings: list[Finding], form: FormDef) -> list[Finding]:
    return sorted(findings, key=lambda f: (field_position(form, f.field), SEVERITY_ORDER[f.severity], f.code))


def check_file(
    path: str | Path,
    form_id: str | None = None,
    registry: Any = None,
    strict: bool = False,
) -> CheckReport:
    """Read ``path`` (a form file, or a record ``.json``) and check it. ``form_id``: a form id
    or an edition id (``lz-2025``: that edition's form, checked by that edition). Never raises
    for a bad file: the report's verdict is then ``unreadable`` with a Chinese ``error``."""
    from .editions import resolve
    from .profile import ProfileError

    name = str(path)
    form_id, edition = resolve(form_id)
    try:
        record, problems, parse = _read(Path(path), form_id)
        findings = check_record(record, problems, parse=parse, registry=registry, edition=edition)
    except ProfileError:
        raise  # the configuration is broken, not the file: no file can be checked (exit 2)
    except IctkError as exc:
        return CheckReport(name, form=form_id, error=str(exc))
    except Exception as exc:  # one bad file never stops a batch
        return CheckReport(name, form=form_id, error=f"无法读取该文件：{type(exc).__name__}: {exc}")
    from .editions import edition_for

    return CheckReport(
        name,
        kind=parse.kind,
        form=record["form"],
        verdict=verdict(findings, strict),
        record=record,
        findings=findings,
        seals=parse.seals if parse.kind == "scan" else None,
        edition=edition_for(record, edition).id,
    )


def _read(path: Path, form_id: str | None) -> tuple[dict[str, Any], list[Finding], Any]:
    from .read.api import read_application

    if not path.is_file():
        raise InputError(f"文件不存在：{path}")
    result = read_application(path, form_id)
    record = result.record
    if not isinstance(record.get("form"), str):
        record = {"form": result.form, **record}
    return record, list(result.problems), result
