"""Cross-application rules: conditions no single form can show, checked across an intake batch
and the registry of recognised consortia.

Each rule is registered in the rules engine with ``scope="batch"`` (``ictk rules`` lists them)
and run by ``toolkit.batch`` through :func:`run_cross_rules`. A finding goes to every
application involved and names the others. Thresholds come from the ``batch`` section of the
edition's profile (``forms/<edition>.profile.yaml``); the messages are the ``message`` and
``notes`` templates of the rule table (``rules.yaml``), filled from the profile and what the
check passes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from ..editions import edition_for, editions_of
from ..errors import IctkError
from ..findings import Finding
from ..record import get_path
from ..text import squeeze
from ..uscc import compact
from .engine import RuleInfo, all_rules, fill


def policy_of(form_id: str | None) -> str | None:
    """The policy (lz, gx) of a form, by its editions."""
    found = editions_of(str(form_id)) if form_id else []
    return found[0].policy if found else None


def _rule_for(app: Any, *codes: str) -> str | None:
    """The first of ``codes`` whose table entry applies to ``app``'s edition (its ``editions``
    in rules.yaml), or None: which rule of a kind (LZ-… or GX-…) speaks for an application."""
    edition = _edition(app)
    if edition is None:
        return None
    for code in codes:
        if any(i.code == code and i.applies(edition) for i in all_rules(scope="batch")):
            return code
    return None


def info(code: str) -> RuleInfo:
    """The table entry of batch rule ``code`` (rules.yaml)."""
    for i in all_rules(scope="batch"):
        if i.code == code:
            return i
    raise KeyError(f"batch rule {code} is not in rules.yaml")


def _edition(app: Any) -> Any:
    """The edition ``app`` is checked by (its record's form and 填报日期), or None."""
    record = app.record if isinstance(app.record, dict) else {}
    if not record.get("form") and getattr(app, "form", None):
        record = {**record, "form": app.form}
    try:
        return edition_for(record)
    except IctkError:
        return None


def note(app: Any, code: str, which: str, /, **args: Any) -> str:
    """The ``notes`` template ``which`` of rule ``code``, filled (a part of a message)."""
    return fill(info(code).notes[which], _edition(app), **args)


def _finding(
    app: Any,
    code: str,
    field: str | None = None,
    value: Any = None,
    expected: str | None = None,
    suffix: str = "",
    **args: Any,
) -> Finding:
    """A finding of batch rule ``code``: its message template filled from the edition's profile
    and ``args``; ``suffix`` (a filled note) appended; ``expected``, when not given, the rule's
    ``expected`` note filled likewise."""
    rule = info(code)
    edition = _edition(app)
    if expected is None and "expected" in rule.notes:
        expected = fill(rule.notes["expected"], edition, **args)
    return Finding(
        rule.code,
        rule.severity,  # type: ignore[arg-type]
        edition.clause_of.get(rule.code, rule.clause) if edition else rule.clause,
        fill(rule.message, edition, **args) + suffix,
        field,
        value,
        expected,
        edition.id if edition else None,
    )


def _settings(app: Any) -> dict[str, Any]:
    """The ``batch`` section of the profile of ``app``'s edition."""
    from .profile import load_profile

    return load_profile(_edition(app) or app.form).get("batch") or {}


def _threshold(value: Any) -> float:
    t = float(value)
    return t * 100 if t <= 1 else t


def _files(app: Any) -> str:
    return "、".join(app.file_names)


def _name_of(app: Any) -> str:
    return str(get_path(app.record, "consortium.name") or "（未填写名称）")


def _others(app: Any, code: str, apps: Iterable[Any]) -> str:
    """The other applications of the batch, as ``app``'s finding of ``code`` lists them."""
    listed = "；".join(note(app, code, "app", name=_name_of(a), files=_files(a)) for a in apps)
    return note(app, code, "batch", apps=listed)


def _registered(app: Any, code: str, cs: Iterable[Any]) -> str:
    """Registered consortia, as ``app``'s finding of ``code`` lists them."""
    return "；".join(
        note(
            app,
            code,
            "registered",
            name=c.name,
            id=c.id,
            level=note(app, code, "level", level=c.level) if c.level else "",
            recognized=note(app, code, "recognized", date=c.recognized_on) if c.recognized_on else "",
        )
        for c in cs
    )


# -- pairs of Word and PDF ------------------------------------------------------------------------


def pair_rules(apps: list[Any]) -> None:
    """lz-2.2: both the Word file and the scanned PDF; and the two must say the same."""
    from ..compare import diff_records
    from ..forms import load_form
    from ..record import to_jsonable

    for app in apps:
        if not app.readable:
            continue
        # by role, not suffix: editable (Word, WPS, .odt ...) and stamped (PDF, scan images)
        kinds = {{"editable": "docx", "stamped": "pdf"}.get(f.role or "") for f in app.files if f.readable}
        if kinds & {"docx", "pdf"} and not {"docx", "pdf"} <= kinds:
            code = _rule_for(app, "LZ-BATCH-PAIR", "GX-BATCH-PAIR")
            if code is not None:
                have, missing = ("word", "pdf") if "docx" in kinds else ("pdf", "word")
                have, missing = note(app, code, have), note(app, code, missing)
                which = "word_only" if "docx" in kinds else "pdf_only"
                check = note(app, code, which) if which in info(code).notes else ""
                app.batch_findings.append(
                    _finding(
                        app,
                        code,
                        value=_files(app),
                        have=have,
                        missing=missing,
                        files=_files(app),
                        check=check,
                    )
                )
        words = [f for f in app.files if f.readable and f.role == "editable"]
        pdfs = [f for f in app.files if f.readable and f.role == "stamped"]
        code = _rule_for(app, "LZ-BATCH-MISMATCH", "GX-BATCH-MISMATCH")
        if code is None:
            continue
        # each PDF is compared with the Word file most like it (two versions of the Word file
        # and the scan of one of them: the scan's own version)
        matches = {
            p.file: min(
                ((w, diff_records(w.record, p.record, app.form)) for w in words), key=lambda m: len(m[1])
            )
            for p in (pdfs if words else [])
        }
        duplicate_rule(app, words, "word", compared=[w.file for w, _ in matches.values()])
        duplicate_rule(app, pdfs, "pdf")
        form = load_form(app.form)
        for p in pdfs if words else []:
            w, differences = matches[p.file]
            # Fields the PDF's reader already doubts (OCR confidence, unreadable text): a difference
            # there may be a misreading, not a different form, so it asks for a look, not a rejection.
            doubted = {f.field for f in p.findings if f.field and f.code.startswith(("OCR-", "PARSE-"))}
            for ptr, a, b in differences:
                # (a whole row that differs is doubted when any of its cells is)
                doubt = bool(ptr) and any(
                    ptr == d or ptr.startswith(d + "/") or d.startswith(ptr + "/") for d in doubted
                )
                finding = _finding(
                    app,
                    code,
                    field=ptr,
                    value=to_jsonable(b),
                    suffix=note(app, code, "doubted") if doubt else "",
                    label=_label(form, ptr),
                    word=w.file,
                    pdf=p.file,
                    a=_show(a),
                    b=_show(b),
                )
                if doubt:
                    finding = replace(finding, severity="warning")
                app.batch_findings.append(finding)


def duplicate_rule(app: Any, files: list[Any], kind: str, compared: list[str] | None = None) -> None:
    """lz-2.2 / gx-6.1: one Word file and one PDF per application, not two of either.
    ``kind``: ``word`` or ``pdf`` (a note of the rule names it); ``compared``: those of
    ``files`` the PDFs were compared with."""
    if len(files) < 2:
        return
    from ..compare import diff_records
    from ..forms import load_form

    form = load_form(app.form)
    first = files[0]
    names = "、".join(f.file for f in files)
    labels: list[str] = []
    for other in files[1:]:
        for ptr, _, _ in diff_records(first.record, other.record, app.form):
            label = _label(form, ptr)
            if label not in labels:
                labels.append(label)
    code = _rule_for(app, "LZ-BATCH-DUPLICATE", "GX-BATCH-DUPLICATE")
    if code is None:
        return
    what = note(app, code, kind)
    if labels:
        shown = "、".join(f"“{label}”" for label in labels[:5])
        if len(labels) > 5:
            shown = note(app, code, "more", shown=shown, count=len(labels))
        how = note(app, code, "differ", fields=shown)
    else:
        how = note(app, code, "same")
    app.batch_findings.append(
        _finding(
            app,
            code,
            value=names,
            count=len(files),
            what=what,
            names=names,
            how=how,
            compared=note(app, code, "compared", files="、".join(dict.fromkeys(compared)))
            if compared
            else "",
        )
    )


def _label(form: Any, ptr: str | None) -> str:
    """What a difference between two files of one application is called: its field's label."""
    return form.label_of(ptr) if ptr else "申报表"


def _show(value: Any) -> str:
    from .engine import fmt_value

    return fmt_value(value)


# -- one consortium per lead --------------------------------------------------------------------


def lead_rules(apps: list[Any], registry: list[Any]) -> None:
    for code in ("LZ-BATCH-LEAD", "GX-BATCH-LEAD"):
        group = [a for a in apps if a.readable and a.lead_uscc and _rule_for(a, code)]
        by_lead: dict[str, list[Any]] = defaultdict(list)
        for a in group:
            by_lead[a.lead_uscc].append(a)
        for uscc, leading in by_lead.items():
            for app in leading:
                others = [o for o in leading if o is not app and o.name != app.name]
                registered = [
                    c for c in registry if not c.revoked and c.lead_uscc == uscc and c.name != app.name
                ]
                if not others and not registered:
                    continue
                where = "；".join(
                    x
                    for x in (
                        _others(app, code, others) if others else "",
                        _registered(app, code, registered),
                    )
                    if x
                )
                app.batch_findings.append(
                    _finding(
                        app,
                        code,
                        field="/lead/uscc",
                        value=uscc,
                        lead=app.lead_name,
                        uscc=uscc,
                        where=where,
                    )
                )


# -- units in too many applications -------------------------------------------------------------


def _units(app: Any) -> list[tuple[str, str, str | None, str, str]]:
    """``(uscc, name, org_type, role, pointer)`` of the lead and each member of an application."""

    def norm_uscc(text: Any) -> str:
        return compact(str(text or ""))

    rec = app.record
    out = []
    if app.lead_uscc:
        out.append((app.lead_uscc, app.lead_name, get_path(rec, "lead.org_type"), "牵头单位", "/lead/uscc"))
    for i, m in enumerate(rec.get("members") or []):
        if isinstance(m, dict) and norm_uscc(m.get("uscc")):
            out.append(
                (
                    norm_uscc(m.get("uscc")),
                    str(m.get("name") or ""),
                    m.get("org_type"),
                    "成员单位",
                    f"/members/{i}/uscc",
                )
            )
    return out


def unit_rules(apps: list[Any], registry: list[Any]) -> None:
    """lz-3.3 (within the batch) and gx-5.3.5 (the batch and the registry)."""
    for code, count_registry in (("LZ-BATCH-UNIT", False), ("GX-BATCH-MEMBER", True)):
        group = [a for a in apps if a.readable and _rule_for(a, code)]
        if not group:
            continue
        settings = _settings(group[0])
        per_member = int(settings.get("max_consortia_per_member", 1))
        per_uni = int(settings.get("max_consortia_university_hospital", per_member))
        higher = frozenset(settings.get("university_hospital_types") or ())
        where: dict[str, list[tuple[Any, str, str, str | None, str]]] = defaultdict(list)
        for app in group:
            seen: set[str] = set()
            for uscc, name, org_type, role, ptr in _units(app):
                if uscc not in seen:
                    seen.add(uscc)
                    where[uscc].append((app, role, name, org_type, ptr))
        names_in_batch = {a.name for a in group}
        for uscc, places in where.items():
            regs = []
            if count_registry:
                regs = [
                    c
                    for c in registry
                    if not c.revoked and c.name not in names_in_batch and any(u[0] == uscc for u in c.units())
                ]
            total = len(places) + len(regs)
            types = {p[3] for p in places} | {u[2] for c in regs for u in c.units() if u[0] == uscc}
            limit = per_uni if types & higher else per_member
            if total <= limit:
                continue
            if code == "LZ-BATCH-UNIT" and all(p[1] == "牵头单位" for p in places):
                continue  # a lead leading several: LZ-BATCH-LEAD says it once
            unit_name = next((p[2] for p in places if p[2]), uscc)
            special = limit == per_uni and per_uni != per_member
            kind = settings.get("university_hospital_name") if special else "单位"
            for app, role, _, _, ptr in places:
                others = [p[0] for p in places if p[0] is not app]
                parts = [_others(app, code, others) if others else "", _registered(app, code, regs)]
                app.batch_findings.append(
                    _finding(
                        app,
                        code,
                        field=ptr,
                        value=total,
                        expected=f"<= {limit}",
                        role=role,
                        unit=unit_name,
                        uscc=uscc,
                        total=total,
                        kind=kind,
                        limit=limit,
                        others="；".join(p for p in parts if p),
                    )
                )


# -- names --------------------------------------------------------------------------------------


def name_core(name: str, settings: dict[str, Any] | None = None) -> str:
    """The part of a name that tells consortia apart: without spaces, the first of the
    profile's ``batch.name_prefixes`` it starts with (the place) and ``创新联合体``.

    >>> s = {"name_prefixes": ["柳州市", "柳州"]}
    >>> name_core("柳州市新能源汽车智能底盘创新联合体", s)
    '新能源汽车智能底盘'
    >>> name_core("柳州 工业互联网 创新联合体", s)
    '工业互联网'
    """
    core = "".join(name.split())
    for prefix in (settings or {}).get("name_prefixes") or ():
        if core.startswith(prefix):
            core = core[len(prefix) :]
            break
    return core.removesuffix("创新联合体") or name


def name_similarity(a: str, b: str, settings: dict[str, Any] | None = None) -> float:
    """0-100: 100 for the same name (or the same core); rapidfuzz's ratio of the cores otherwise.

    >>> name_similarity("柳州市汽车轻量化材料创新联合体", "柳州汽车轻量化新材料创新联合体", {"name_prefixes": ["柳州市", "柳州"]})
    93.33333333333333
    """
    from rapidfuzz import fuzz

    ca, cb = name_core(a, settings), name_core(b, settings)
    if a == b or ca == cb:
        return 100.0
    return float(fuzz.ratio(ca, cb))


def resemblance(a: str, b: str, settings: dict[str, Any]) -> str | None:
    """How name ``b`` repeats or resembles name ``a`` (the words of the message: the ``notes`` of
    LZ-BATCH-NAME), or None.

    Similar: the cores' similarity reaches ``name_similarity``; or the shorter core, at least
    ``name_contained_min_chars`` long and ``name_contained_min_share`` of the longer, lies whole
    within the longer (a field and the same field narrowed or widened by a word or two).

    >>> s = {"name_similarity": 85, "name_contained_min_chars": 4, "name_contained_min_share": 0.5,
    ...      "name_prefixes": ["柳州市"]}
    >>> resemblance("柳州市工业互联网创新联合体", "柳州市工业互联网平台创新联合体", s)
    '名称核心“工业互联网”包含在“工业互联网平台”中'
    >>> resemblance("柳州市新能源汽车智能底盘创新联合体", "柳州市智能底盘创新联合体", s) is None
    True
    """
    notes = info("LZ-BATCH-NAME").notes
    score = name_similarity(a, b, settings)
    if "".join(a.split()) == "".join(b.split()):
        return notes["same_name"]
    if score == 100:
        return fill(notes["same_core"], None, core=name_core(a, settings))
    if score >= _threshold(settings.get("name_similarity", 100)):
        return fill(notes["similar"], None, score=score)
    short, long = sorted((name_core(a, settings), name_core(b, settings)), key=len)
    if (
        short in long
        and len(short) >= int(settings.get("name_contained_min_chars", 4))
        and len(short) >= float(settings.get("name_contained_min_share", 0.5)) * len(long)
    ):
        return fill(notes["contained"], None, short=short, long=long)
    return None


def name_rules(apps: list[Any], registry: list[Any]) -> None:
    group = [a for a in apps if a.readable and a.name and _rule_for(a, "LZ-BATCH-NAME")]
    if not group:
        return
    settings = _settings(group[0])
    same = info("LZ-BATCH-NAME").notes["same_name"]
    for app in group:
        near: list[str] = []
        for other in group:
            if other is app:
                continue
            how = resemblance(app.name, other.name, settings)
            if how:
                how = how if how == same else f"，{how}"
                near.append(
                    note(
                        app, "LZ-BATCH-NAME", "near_batch", name=_name_of(other), files=_files(other), how=how
                    )
                )
        for c in registry:
            how = resemblance(app.name, c.name, settings)
            if how:
                near.append(_registered(app, "LZ-BATCH-NAME", [c]) + (how if how == same else f"，{how}"))
        if near:
            app.batch_findings.append(
                _finding(
                    app,
                    "LZ-BATCH-NAME",
                    field="/consortium/name",
                    value=_name_of(app),
                    name=_name_of(app),
                    near="；".join(near),
                )
            )


@dataclass
class Single:
    """One record on its own, shaped as the batch's application for the cross rules."""

    record: dict[str, Any]
    batch_findings: list[Finding] = field(default_factory=list)
    readable: bool = True
    file_names: tuple[str, ...] = ("",)

    @property
    def form(self) -> str | None:
        return self.record.get("form")

    @property
    def name(self) -> str:
        return squeeze(get_path(self.record, "consortium.name", ""))

    @property
    def lead_name(self) -> str:
        return str(get_path(self.record, "lead.name", "") or "")

    @property
    def lead_uscc(self) -> str:
        return compact(str(get_path(self.record, "lead.uscc", "") or ""))


def registry_findings(record: dict[str, Any], registry: list[Any]) -> list[Finding]:
    """The cross rules that one application can break on its own against the registry (a lead
    already leading a consortium, a member in too many, a name too close to a registered one),
    for ``ictk check --registry``. ``registry``: the recognised consortia
    (``toolkit.batch.registry.Consortium``)."""
    app = Single(record)
    lead_rules([app], registry)
    unit_rules([app], registry)
    name_rules([app], registry)
    _drop_unselected([app])
    return app.batch_findings


def run_cross_rules(apps: list[Any], registry: list[Any] | None = None) -> None:
    """Add every cross-application finding to ``app.batch_findings`` of the applications
    (``toolkit.batch.model.Application``) involved. ``registry``: the recognised consortia
    (``toolkit.batch.registry.Consortium``)."""
    registry = registry or []
    pair_rules(apps)
    lead_rules(apps, registry)
    unit_rules(apps, registry)
    name_rules(apps, registry)
    _drop_unselected(apps)


def _drop_unselected(apps: list[Any]) -> None:
    """Drop the findings of batch rules the application's edition does not select (its
    ``rules:`` prefixes less ``ignore:``), as the application rules are."""
    for app in apps:
        edition = _edition(app)
        if edition is not None:
            app.batch_findings[:] = [f for f in app.batch_findings if edition.selects(f.code)]
