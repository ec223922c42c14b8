"""The rules engine: every condition of the policy texts is one registered function.

A rule is a function ``fn(ctx) -> Iterable[Finding]`` registered with its stable code, the
clause it comes from (``spec/CLAUSES.md``), a severity derived from the clause's strength, the
forms it applies to and a Chinese title and explanation::

    @rule("LZ-RD-STAFF", "lz-1.2.2", "warning", LZ, "专职研发人员原则上不少于20人")
    def rd_staff(ctx):
        ...
        yield ctx.finding("LZ-RD-STAFF", "/lead/rd_staff", value=staff, expected=">= 20",
                          message="{label}为{value}人，低于原则上{minimum}人的要求", minimum=20)

Rule modules are found by importing every module of the ``toolkit.rules`` package, so adding a
rule is adding one function in one module. Thresholds come from the form's profile
(``forms/<form-id>.profile.yaml``), never from Python.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..findings import Finding
from ..forms import FormDef
from ..record import get_path

SEVERITIES = ("error", "warning", "info")
SCOPES = ("application", "batch")


@dataclass(frozen=True)
class RuleInfo:
    code: str
    clause: str
    severity: str
    forms: tuple[str, ...]
    title: str  # Chinese one-liner
    why: str = ""  # Chinese explanation
    scope: str = "application"  # "application" or "batch"


RuleFn = Callable[["Context"], Iterable[Finding]]

# (code, forms) -> (info, fn). One code may be registered once per form (SEAL-MISSING names
# lz-2.2 for the Liuzhou form and gx-6.1 for the Guangxi one).
_REGISTRY: dict[tuple[str, tuple[str, ...]], tuple[RuleInfo, RuleFn | None]] = {}
_MESSAGES: dict[tuple[str, tuple[str, ...]], str] = {}
_LOADED = False


def register(info: RuleInfo, fn: RuleFn | None = None, message: str = "") -> RuleInfo:
    """Register a rule (``fn`` may be None for rules run elsewhere, e.g. batch rules)."""
    if info.severity not in SEVERITIES:
        raise ValueError(f"{info.code}: severity {info.severity!r} not in {SEVERITIES}")
    if info.scope not in SCOPES:
        raise ValueError(f"{info.code}: scope {info.scope!r} not in {SCOPES}")
    key = (info.code, tuple(info.forms))
    for code, forms in list(_REGISTRY):
        if code == info.code and (code, forms) != key and set(forms) & set(info.forms):
            raise ValueError(f"rule {info.code} registered twice for {set(forms) & set(info.forms)}")
    _REGISTRY[key] = (info, fn)
    if message:
        _MESSAGES[key] = message
    return info


def rule(
    code: str,
    clause: str,
    severity: str,
    forms: Iterable[str],
    title: str,
    why: str = "",
    message: str = "",
) -> Callable[[RuleFn], RuleFn]:
    """Decorator registering ``fn(ctx) -> Iterable[Finding]`` as an application rule.

    ``message`` is the default Chinese template of :meth:`Context.finding`.
    """

    def decorate(fn: RuleFn) -> RuleFn:
        register(
            RuleInfo(code, clause, severity, tuple(forms), title, why or (fn.__doc__ or "").strip()),
            fn,
            message,
        )
        return fn

    return decorate


def load_rules() -> None:
    """Import every module of the ``toolkit.rules`` package once, so each registers its rules."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from .. import rules as package

    for mod in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{mod.name}")


def all_rules(form_id: str | None = None, scope: str | None = None) -> list[RuleInfo]:
    """Every registered rule, sorted by clause then code; optionally for one form or scope."""
    load_rules()
    infos = [
        info
        for info, _ in _REGISTRY.values()
        if (form_id is None or form_id in info.forms) and (scope is None or info.scope == scope)
    ]
    return sorted(infos, key=lambda i: (_clause_key(i.clause), i.code, i.forms))


def rule_titles() -> dict[str, str]:
    """The Chinese title of every rule code (the first registered, where a code has one per form).

    >>> rule_titles()["LZ-BATCH-PAIR"]
    '预申报表应同时报送 Word 版和盖章扫描版 PDF'
    """
    titles: dict[str, str] = {}
    for info in all_rules():
        titles.setdefault(info.code, info.title)
    return titles


def get_rule(code: str, form_id: str | None = None) -> RuleInfo:
    """The rule ``code`` (for ``form_id`` when a code has one entry per form)."""
    matches = [i for i in all_rules(form_id) if i.code == code.strip().upper()]
    if not matches:
        raise InputError(f"没有这条规则：{code}（用 ictk rules 查看全部规则）")
    return matches[0]


def get_rules(code: str) -> list[RuleInfo]:
    """Every entry of ``code`` (one per form group)."""
    matches = [i for i in all_rules() if i.code == code.strip().upper()]
    if not matches:
        raise InputError(f"没有这条规则：{code}（用 ictk rules 查看全部规则）")
    return matches


def _clause_key(clause: str) -> tuple[Any, ...]:
    doc, _, path = clause.partition("-")
    nums = tuple(int(p) if p.isdigit() else 0 for p in path.split(".")) if path else ()
    return (doc != "form", doc, nums)


@dataclass
class Context:
    """What a rule sees: the record, its form definition and profile, and the parse result."""

    record: dict[str, Any]
    form: FormDef
    profile: dict[str, Any]
    parse: Any = None  # ParseResult | None
    registry: Any = None  # passed through for registry-aware rules
    _info: dict[str, tuple[RuleInfo, str]] = field(default_factory=dict, repr=False)

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
    def info(self, code: str) -> tuple[RuleInfo, str]:
        if code not in self._info:
            load_rules()
            for (c, forms), (info, _) in _REGISTRY.items():
                if c == code and self.form.id in forms:
                    self._info[code] = (info, _MESSAGES.get((c, forms), ""))
                    break
            else:
                raise KeyError(f"rule {code} is not registered for {self.form.id}")
        return self._info[code]

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
        noise), ``{expected}`` and any keyword given; Decimals in ``fmt`` are formatted too.
        """
        info, template = self.info(code)
        template = message or template or "{label}不符合要求"
        args = {k: fmt_value(v) for k, v in fmt.items()}
        args.setdefault("label", self.label(field))
        args.setdefault("value", fmt_value(value))
        args.setdefault("expected", expected or "")
        return Finding(
            code=info.code,
            severity=severity or info.severity,  # type: ignore[arg-type]
            clause=info.clause,
            message=template.format(**args),
            field=field,
            value=value,
            expected=expected,
        )


def run_rules(ctx: Context) -> list[Finding]:
    """Every application rule of ``ctx.form`` applied to ``ctx.record``."""
    load_rules()
    findings: list[Finding] = []
    for (_, forms), (info, fn) in sorted(_REGISTRY.items(), key=lambda kv: kv[0]):
        if fn is None or info.scope != "application" or ctx.form.id not in forms:
            continue
        findings.extend(fn(ctx))
    return findings


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


@cache
def _clauses() -> dict[str, str]:
    from ..resources import load_yaml

    path = Path(__file__).with_name("clauses.yaml")
    return load_yaml(path) or {}


def clause_text(clause: str) -> str | None:
    """The clause's sentence(s) quoted from the policy text (``toolkit/rules/clauses.yaml``)."""
    return _clauses().get(clause)


def explain(info: RuleInfo) -> dict[str, Any]:
    """A rule as data for ``ictk rules``: the listed fields plus the quoted clause."""
    return {
        "code": info.code,
        "clause": info.clause,
        "severity": info.severity,
        "forms": list(info.forms),
        "title": info.title,
        "why": info.why,
        "scope": info.scope,
        "quote": clause_text(info.clause),
    }
