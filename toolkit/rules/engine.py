"""The rules engine: the rule table, and the checks that implement it.

Every rule is one entry of the table ``toolkit/rules/rules.yaml`` (as ruff's codes table): its
stable code, the editions it applies to, its clause, severity and the Chinese title, message and
explanation as templates filled from the edition's profile. The check is one function marked
with the code::

    @implements("LZ-RD-STAFF")
    def rd_staff(ctx):
        staff = ctx.number("lead.rd_staff")
        if staff is not None and staff < ctx.profile["rd_staff_min"]:
            yield ctx.finding("LZ-RD-STAFF", "/lead/rd_staff", value=staff)

The message template of the table entry is filled with ``{label}``, ``{value}``, ``{expected}``,
what the check passes, and every key of the profile (``{rd_staff_min}``), so a title and a
message can never disagree with the threshold the check uses. Rule modules are found by
importing every module of the ``toolkit.rules`` package. A check that raises is reported as its
own rule failing (its code, clause and severity), the other rules' findings kept.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..editions import Edition, edition_for, editions, get_edition
from ..errors import InputError
from ..findings import Finding
from ..forms import FormDef
from ..record import get_path

SEVERITIES = ("error", "warning", "info")
SCOPES = ("application", "batch", "reading", "schema")
TABLE_FILE = Path(__file__).with_name("rules.yaml")


@dataclass(frozen=True)
class RuleInfo:
    """One entry of the rule table. ``editions``: policies (``lz``), edition ids (``lz-2024``),
    form ids or ``*``. ``title``, ``why`` and ``message`` are templates (see the module doc)."""

    code: str
    clause: str
    severity: str
    editions: tuple[str, ...]
    title: str  # Chinese one-liner
    why: str = ""  # Chinese explanation
    scope: str = "application"
    message: str = ""
    # further named templates a check puts into its message (``notes: {doubted: …}``)
    notes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def applies(self, edition: Edition) -> bool:
        return bool({"*", edition.id, edition.policy, edition.form} & set(self.editions))

    @property
    def forms(self) -> tuple[str, ...]:
        """The form ids of the editions this rule applies to."""
        return tuple(sorted({e.form for e in editions().values() if self.applies(e)}))


RuleFn = Callable[["Context"], Iterable[Finding]]

_TABLE: list[RuleInfo] = []
_IMPL: dict[str, list[tuple[tuple[str, ...] | None, RuleFn]]] = {}
_LOADED = False


def _add(info: RuleInfo) -> RuleInfo:
    if info.severity not in SEVERITIES:
        raise ValueError(f"{info.code}: severity {info.severity!r} not in {SEVERITIES}")
    if info.scope not in SCOPES:
        raise ValueError(f"{info.code}: scope {info.scope!r} not in {SCOPES}")
    for other in _TABLE:
        if other.code == info.code and set(other.editions) & set(info.editions):
            raise ValueError(
                f"rule {info.code} declared twice for {set(other.editions) & set(info.editions)}"
            )
    _TABLE.append(info)
    return info


def _load_table() -> None:
    from ..resources import load_yaml

    for entry in load_yaml(TABLE_FILE) or []:
        unknown = set(entry) - {
            "code",
            "editions",
            "clause",
            "severity",
            "scope",
            "title",
            "message",
            "why",
            "notes",
        }
        if unknown:
            raise ValueError(f"rules.yaml: {entry.get('code')}: unknown keys {sorted(unknown)}")
        _add(
            RuleInfo(
                code=entry["code"],
                clause=str(entry["clause"]),
                severity=entry["severity"],
                editions=tuple(entry["editions"]),
                title=entry["title"],
                why=entry.get("why", ""),
                scope=entry.get("scope", "application"),
                message=entry.get("message", ""),
                notes={str(k): str(v) for k, v in (entry.get("notes") or {}).items()},
            )
        )


def implements(code: str, editions: Iterable[str] | None = None) -> Callable[[RuleFn], RuleFn]:
    """Mark ``fn(ctx) -> Iterable[Finding]`` as the check of table entry ``code`` (of every
    entry of that code, or of those for ``editions``)."""

    def decorate(fn: RuleFn) -> RuleFn:
        _IMPL.setdefault(code, []).append((tuple(editions) if editions else None, fn))
        return fn

    return decorate


def register(info: RuleInfo, fn: RuleFn | None = None, message: str = "") -> RuleInfo:
    """Add an entry to the table from Python (prefer ``rules.yaml``), with its check if any."""
    if message and not info.message:
        info = RuleInfo(
            info.code, info.clause, info.severity, info.editions, info.title, info.why, info.scope, message
        )
    _add(info)
    if fn is not None:
        implements(info.code, info.editions)(fn)
    return info


def rule(
    code: str,
    clause: str,
    severity: str,
    editions: Iterable[str],
    title: str,
    why: str = "",
    message: str = "",
) -> Callable[[RuleFn], RuleFn]:
    """Decorator: a table entry declared in Python with its check (prefer ``rules.yaml``)."""

    def decorate(fn: RuleFn) -> RuleFn:
        register(
            RuleInfo(code, clause, severity, tuple(editions), title, why or (fn.__doc__ or "").strip()),
            fn,
            message,
        )
        return fn

    return decorate


def load_rules() -> None:
    """Read the table, then import every module of ``toolkit.rules`` once so each marks its checks."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    _load_table()
    from .. import rules as package

    for mod in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{mod.name}")
    declared = {i.code for i in _TABLE}
    missing = sorted(set(_IMPL) - declared)
    if missing:
        raise ValueError(f"checks of codes not in rules.yaml: {missing}")


def check_of(info: RuleInfo) -> RuleFn | None:
    """The function implementing table entry ``info``, if any."""
    for eds, fn in _IMPL.get(info.code, []):
        if eds is None or set(eds) & set(info.editions):
            return fn
    return None


def _matches(info: RuleInfo, name: str | None) -> bool:
    """Whether ``info`` applies to ``name``: an edition id, a form id or a policy."""
    if name is None:
        return True
    if name in editions():
        return info.applies(get_edition(name))
    return name in info.editions or any(
        info.applies(e) for e in editions().values() if name in (e.form, e.policy)
    )


def all_rules(form_id: str | None = None, scope: str | None = None) -> list[RuleInfo]:
    """Every rule of the table, sorted by clause then code; optionally for one form, edition or
    policy (``form_id``) or one scope."""
    load_rules()
    infos = [i for i in _TABLE if _matches(i, form_id) and (scope is None or i.scope == scope)]
    return sorted(infos, key=lambda i: (_clause_key(i.clause), i.code, i.editions))


def default_edition(info: RuleInfo) -> Edition | None:
    """The newest edition a rule applies to (whose numbers its title shows by default)."""
    pool = sorted((e for e in editions().values() if info.applies(e)), key=lambda e: (-e.year, e.id))
    return pool[0] if pool else None


def title_of(info: RuleInfo, edition: Edition | None = None) -> str:
    """The rule's title with the numbers of ``edition`` (default: the newest it applies to)."""
    edition = edition or default_edition(info)
    return fill(info.title, edition)


def rule_titles() -> dict[str, str]:
    """The Chinese title of every rule code (the first entry's, where a code has one per policy).

    >>> rule_titles()["LZ-BATCH-PAIR"]
    '预申报表应同时报送 Word 版和盖章扫描版 PDF'
    """
    titles: dict[str, str] = {}
    for info in all_rules():
        titles.setdefault(info.code, title_of(info))
    return titles


def get_rule(code: str, form_id: str | None = None) -> RuleInfo:
    """The rule ``code`` (for ``form_id``, an edition or form, when a code has one entry per policy)."""
    matches = [i for i in all_rules(form_id) if i.code == code.strip().upper()]
    if not matches:
        raise InputError(f"没有这条规则：{code}（用 ictk rules 查看全部规则）")
    return matches[0]


def get_rules(code: str) -> list[RuleInfo]:
    """Every entry of ``code`` (one per policy)."""
    matches = [i for i in all_rules() if i.code == code.strip().upper()]
    if not matches:
        raise InputError(f"没有这条规则：{code}（用 ictk rules 查看全部规则）")
    return matches


def _clause_key(clause: str) -> tuple[Any, ...]:
    doc, _, path = clause.partition("-")
    nums = tuple(int(p) if p.isdigit() else 0 for p in path.split(".")) if path else ()
    return (doc != "form", doc, nums)


# -- templates filled from the profile ------------------------------------------------------------
class _Args(dict):  # type: ignore[type-arg]
    """Format arguments that name a missing key instead of raising a bare KeyError."""

    def __missing__(self, key: str) -> str:
        raise KeyError(f"template names {{{key}}}, which neither the profile nor the check provides")


def fill(template: str, edition: Edition | None, **args: Any) -> str:
    """``template`` filled from the profile of ``edition`` (numbers as the texts write them) and
    ``args``."""
    from .profile import display

    values: dict[str, Any] = {}
    if edition is not None:
        values.update(display(edition))
    values.update(args)
    return template.format_map(_Args(values))


@dataclass
class Context:
    """What a rule sees: the record, its form definition and profile, and the parse result."""

    record: dict[str, Any]
    form: FormDef
    profile: dict[str, Any]
    parse: Any = None  # ParseResult | None
    registry: Any = None  # passed through for registry-aware rules
    edition: Edition | None = None  # None: chosen from the record (toolkit.editions.edition_for)
    _info: dict[str, RuleInfo] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.edition is None:
            self.edition = edition_for(self.record)

    # -- reading the record -------------------------------------------------------------
    def get(self, path: str, default: Any = None) -> Any:
        return get_path(self.record, path, default)

    def text(self, path: str) -> str | None:
        """A non-blank string at ``path``, stripped; None otherwise."""
        value = self.get(path)
        if isinstance(value, str) and value.strip():
            return value.strip()
        return None

    def number(self, path: str) -> Decimal | None:
        """A number at ``path`` as Decimal; None when absent or not a number (the schema says so)."""
        return as_decimal(self.get(path))

    def flag(self, path: str) -> bool | None:
        value = self.get(path)
        return value if isinstance(value, bool) else None

    def rows(self, path: str) -> list[tuple[int, dict[str, Any]]]:
        """``(index, row)`` of a table, skipping anything that is not a row object."""
        value = self.get(path)
        if not isinstance(value, list):
            return []
        return [(i, row) for i, row in enumerate(value) if isinstance(row, dict)]

    def label(self, pointer: str | None) -> str:
        """The field's Chinese label (``成员单位第3行“统一社会信用代码”``)."""
        if not pointer:
            return "申报表"
        return self.form.label_of(pointer)

    # -- building findings ----------------------------------------------------------------
    def info(self, code: str) -> RuleInfo:
        if code not in self._info:
            load_rules()
            for info in _TABLE:
                if info.code == code and info.applies(self.edition):
                    self._info[code] = info
                    break
            else:
                raise KeyError(f"rule {code} is not in rules.yaml for {self.edition.id}")
        return self._info[code]

    def clause(self, info: RuleInfo) -> str:
        return self.edition.clause_of.get(info.code, info.clause)

    def finding(
        self,
        code: str,
        field: str | None = None,
        value: Any = None,
        expected: str | None = None,
        message: str | None = None,
        severity: str | None = None,
        **fmt: Any,
    ) -> Finding:
        """A finding of rule ``code``: its clause and severity, the message template filled in.

        The template may use ``{label}`` (the field's label), ``{value}`` (formatted without float
        noise), ``{expected}``, any keyword given and any key of the profile; Decimals in ``fmt``
        are formatted too.
        """
        info = self.info(code)
        template = message or info.message or "{label}不符合要求"
        args = {k: fmt_value(v) for k, v in fmt.items()}
        args.setdefault("label", self.label(field))
        args.setdefault("value", fmt_value(value))
        args.setdefault("expected", expected or "")
        return Finding(
            code=info.code,
            severity=severity or info.severity,  # type: ignore[arg-type]
            clause=self.clause(info),
            message=fill(template, self.edition, **args),
            field=field,
            value=value,
            expected=expected,
            edition=self.edition.id,
        )


def run_rules(ctx: Context) -> list[Finding]:
    """Every application rule of ``ctx.edition`` applied to ``ctx.record``. A check that raises
    is reported as its rule failing: its code, clause and severity, so the verdict is never
    better than the rule could have made it; the other rules' findings are kept."""
    load_rules()
    findings: list[Finding] = []
    for info in _TABLE:
        if info.scope != "application" or not info.applies(ctx.edition) or not ctx.edition.selects(info.code):
            continue
        fn = check_of(info)
        if fn is None:
            continue
        try:
            findings.extend(list(fn(ctx)))
        except Exception as exc:  # one broken check must not hide the others
            if os.environ.get("ICTK_DEBUG"):
                traceback.print_exc()
            findings.append(crash_finding(ctx, info, exc))
    return findings


def crash_finding(ctx: Context, info: RuleInfo, exc: BaseException) -> Finding:
    return Finding(
        code=info.code,
        severity=info.severity,  # type: ignore[arg-type]
        clause=ctx.clause(info),
        message=f"规则 {info.code}（{title_of(info, ctx.edition)}）执行出错，无法判断本项是否符合要求，"
        f"请人工核对（{type(exc).__name__}: {exc}）",
        edition=ctx.edition.id,
    )


# -- formatting ---------------------------------------------------------------------------------
def as_decimal(value: Any) -> Decimal | None:
    """``Decimal`` of a JSON number (bools and strings are not numbers here)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # A float from a hand-made record: keep what was meant (0.1 + 0.2 is 0.3), not binary noise.
        return (
            Decimal(repr(round(value, 8))).normalize()
            if value == value and abs(value) != float("inf")
            else None
        )
    return None


def fmt_number(value: Decimal | int | float) -> str:
    """A number without exponent, trailing zeros or float noise.

    >>> fmt_number(Decimal("32000")), fmt_number(Decimal("5.20")), fmt_number(0.1 + 0.2)
    ('32000', '5.2', '0.3')
    >>> fmt_number(Decimal("1E+4"))
    '10000'
    """
    d = as_decimal(value)
    if d is None:
        return str(value)
    return format(d.normalize(), "f")


def fmt_value(value: Any) -> str:
    if value is None:
        return "（未填写）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (Decimal, int, float)):
        return fmt_number(value)
    return str(value)


def fmt_wan(amount: Decimal | int) -> str:
    """An amount in 万元 the way the texts write thresholds.

    >>> fmt_wan(Decimal(50000)), fmt_wan(100000), fmt_wan(3000), fmt_wan(Decimal("12345.5"))
    ('5亿元（50000万元）', '10亿元（100000万元）', '3000万元', '12345.5万元')
    """
    d = Decimal(amount)
    if d >= 10000 and d % 10000 == 0:
        return f"{fmt_number(d / 10000)}亿元（{fmt_number(d)}万元）"
    return f"{fmt_number(d)}万元"


def ratio_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` in percent, exactly as Decimal; None when ``whole`` is not positive."""
    if whole is None or part is None or whole <= 0:
        return None
    try:
        return part * 100 / whole
    except InvalidOperation:  # pragma: no cover - guarded above
        return None


def clause_text(clause: str, edition: str | None = None) -> str | None:
    """The clause's sentence(s) quoted from the policy text (the edition's clause file; of the
    newest edition quoting it when ``edition`` is not given)."""
    from ..editions import find_clause

    found = find_clause(clause, edition or clause.split("-", 1)[0])
    return found[1].quote if found else None


def explain(info: RuleInfo, edition: Edition | None = None) -> dict[str, Any]:
    """A rule as data for ``ictk rules``: the listed fields, filled with the numbers of
    ``edition`` (default: the newest it applies to), plus the quoted clause and its words."""
    edition = edition or default_edition(info)
    clause = edition.clause_of.get(info.code, info.clause) if edition else info.clause
    return {
        "code": info.code,
        "clause": clause,
        "severity": info.severity,
        "forms": list(info.forms),
        "editions": sorted(e.id for e in editions().values() if info.applies(e) and e.selects(info.code))
        or sorted(e.id for e in editions().values() if info.applies(e)),
        "edition": edition.id if edition else None,
        "title": fill(info.title, edition),
        "why": fill(info.why, edition),
        "scope": info.scope,
        "quote": edition.quote(clause) if edition else None,
        "cite": edition.cite(clause) if edition else None,
    }
