"""Cross-application rules: conditions no single form can show, checked across an intake batch
and the registry of recognised consortia.

Each rule is registered in the rules engine with ``scope="batch"`` (``ictk rules`` lists them)
and run by ``toolkit.batch`` through :func:`run_cross_rules`. A finding goes to every
application involved and names the others. Thresholds come from the ``batch`` section of the
form's profile (``forms/<form-id>.profile.yaml``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..findings import Finding
from ..forms import form_ids
from ..record import get_path
from .engine import RuleInfo, register

LZ = tuple(f for f in form_ids() if f.startswith("lz-"))
GX = tuple(f for f in form_ids() if f.startswith("gx-"))

# Unit types with the higher limit of lz-3.3 (高校医院最多限制申报3个).
UNIVERSITY_HOSPITAL = frozenset({"高等学校", "医院"})

RULES: dict[str, RuleInfo] = {}


def _register(info: RuleInfo) -> RuleInfo:
    RULES[f"{info.code}@{info.forms}"] = info
    return register(info)


PAIR_MISSING = _register(
    RuleInfo(
        "LZ-BATCH-PAIR",
        "lz-2.2",
        "error",
        LZ,
        "预申报表应同时报送 Word 版和盖章扫描版 PDF",
        "《通知》二、（二）要求预申报表纸质版一式一份，并报送 Word 版和扫描版 PDF。批量检查按内容"
        "（牵头单位统一社会信用代码和创新联合体名称）把同一申报的 Word 文件与 PDF 文件配对，"
        "只收到其中一种时报告本条。",
        scope="batch",
    )
)
GX_PAIR = _register(
    RuleInfo(
        "GX-BATCH-PAIR",
        "gx-6.1",
        "info",
        GX,
        "认定申请表只收到 Word 版或只收到扫描版",
        "《管理办法》第六条（一）：申请表由牵头单位报送并经推荐单位签署审核意见，办法未规定电子版的形式，"
        "因此这只是提示：只收到 Word 版时，请核对是否已收到盖章的纸质件或扫描件；只收到扫描版时，"
        "内容只能按扫描识别结果核对。",
        scope="batch",
    )
)
LZ_MISMATCH = _register(
    RuleInfo(
        "LZ-BATCH-MISMATCH",
        "lz-2.2",
        "error",
        LZ,
        "Word 版与扫描版 PDF 的内容应一致",
        "同一申报的 Word 版和扫描版 PDF 是同一份预申报表，逐项比对两者读出的内容，"
        "每个不一致的栏目报告一处，请核对以盖章扫描件为准还是以 Word 版为准。",
        scope="batch",
    )
)
GX_MISMATCH = _register(
    RuleInfo(
        "GX-BATCH-MISMATCH",
        "gx-6.1",
        "error",
        GX,
        "同一申请表的 Word 版与 PDF 版内容应一致",
        "同一申请的 Word 版与 PDF（扫描）版应是同一份认定申请表，逐项比对两者读出的内容，"
        "每个不一致的栏目报告一处。",
        scope="batch",
    )
)
LZ_DUPLICATE = _register(
    RuleInfo(
        "LZ-BATCH-DUPLICATE",
        "lz-2.2",
        "warning",
        LZ,
        "同一申报的 Word 版和扫描版 PDF 应各报送一份",
        "《通知》二、（二）要求预申报表报送 Word 版和扫描版 PDF 各一份。同一申报（牵头单位统一社会信用代码"
        "和创新联合体名称相同）收到两份及以上 Word 文件或两份及以上 PDF 文件时报告本条，说明它们的内容是否"
        "相同、不同在哪些栏目，请确认以哪一份为准。",
        scope="batch",
    )
)
GX_DUPLICATE = _register(
    RuleInfo(
        "GX-BATCH-DUPLICATE",
        "gx-6.1",
        "warning",
        GX,
        "同一申请表不应重复报送",
        "同一申请（牵头单位统一社会信用代码和创新联合体名称相同）收到两份及以上 Word 文件或两份及以上"
        " PDF 文件时报告本条，说明它们的内容是否相同、不同在哪些栏目，请确认以哪一份为准。",
        scope="batch",
    )
)
LZ_LEAD = _register(
    RuleInfo(
        "LZ-BATCH-LEAD",
        "lz-1.2.5",
        "warning",
        LZ,
        "一个牵头单位原则上只牵头组建一个创新联合体",
        "《通知》一、（二）5：牵头单位原则上只能牵头组建一个创新联合体。同一统一社会信用代码在本批次"
        "牵头两个及以上不同名称的申报，或已牵头名录中的其他创新联合体时报告本条，并列出其他申报。",
        scope="batch",
    )
)
GX_LEAD = _register(
    RuleInfo(
        "GX-BATCH-LEAD",
        "gx-5.2.5",
        "warning",
        GX,
        "一个牵头单位原则上只牵头组建一个创新联合体",
        "《管理办法》第五条（二）5：牵头单位原则上只能牵头组建一个创新联合体。同一统一社会信用代码"
        "在本批次牵头两个及以上申报，或已牵头名录中的其他创新联合体时报告本条。",
        scope="batch",
    )
)
LZ_UNIT = _register(
    RuleInfo(
        "LZ-BATCH-UNIT",
        "lz-3.3",
        "warning",
        LZ,
        "每个单位原则上每批次只参与一个申报，高校、医院最多三个",
        "《通知》三、（三）：每个依托单位原则上每批次只申报1个创新联合体，高校医院最多限制申报3个。"
        "按统一社会信用代码统计牵头单位和成员单位在本批次出现的申报数，超过配置文件中的上限时，"
        "在每个涉及的申报上报告本条并列出其他申报。",
        scope="batch",
    )
)
GX_MEMBER = _register(
    RuleInfo(
        "GX-BATCH-MEMBER",
        "gx-5.3.5",
        "warning",
        GX,
        "一个成员单位原则上最多参与三个创新联合体",
        "《管理办法》第五条（三）5：同一成员单位原则上最多参与3个创新联合体。按统一社会信用代码统计"
        "本批次申报与名录中已认定创新联合体，超过配置文件中的上限时报告本条。",
        scope="batch",
    )
)
LZ_NAME = _register(
    RuleInfo(
        "LZ-BATCH-NAME",
        "lz-3.1",
        "error",
        LZ,
        "创新联合体名称不得与已有或同批次的名称重复或近似",
        "《通知》三、（一）：名称不得与柳州市已有创新联合体名称重复或近似。去掉“柳州市”和“创新联合体”"
        "后比较核心技术领域部分：相同，或 rapidfuzz 相似度达到配置文件 batch.name_similarity，或较短的核心"
        "整个包含在较长的核心中（至少 batch.name_contained_min_chars 个字、占较长者的 "
        "batch.name_contained_min_share 以上），与本批次其他申报或名录中的创新联合体名称如此时报告本条，"
        "并写出相近的名称。",
        scope="batch",
    )
)


def _finding(
    info: RuleInfo, message: str, field: str | None = None, value: Any = None, expected: str | None = None
) -> Finding:
    return Finding(info.code, info.severity, info.clause, message, field, value, expected)  # type: ignore[arg-type]


def _settings(form_id: str) -> dict[str, Any]:
    from .profile import load_profile

    return load_profile(form_id).get("batch") or {}


def _threshold(value: Any) -> float:
    t = float(value)
    return t * 100 if t <= 1 else t


def _files(app: Any) -> str:
    return "、".join(app.file_names)


def _name_of(app: Any) -> str:
    return str(get_path(app.record, "consortium.name") or "（未填写名称）")


def _others(apps: Iterable[Any]) -> str:
    return "；".join(f"“{_name_of(a)}”（{_files(a)}）" for a in apps)


def _registered(cs: Iterable[Any]) -> str:
    return "；".join(
        f"名录中的“{c.name}”（编号 {c.id}{'，' + c.level if c.level else ''}"
        f"{'，' + c.recognized_on + '认定' if c.recognized_on else ''}）"
        for c in cs
    )


# -- pairs of Word and PDF ------------------------------------------------------------------------


def pair_rules(apps: list[Any]) -> None:
    """lz-2.2: both the Word file and the scanned PDF; and the two must say the same."""
    from ..batch.diff import diff_records
    from ..forms import load_form
    from ..record import to_jsonable

    for app in apps:
        if not app.readable:
            continue
        kinds = {f.kind for f in app.files if f.readable}
        if kinds & {"docx", "pdf"} and not {"docx", "pdf"} <= kinds:
            missing = "扫描版 PDF" if "docx" in kinds else "Word 版"
            have = "Word 版" if "docx" in kinds else "扫描版 PDF"
            if app.form in LZ:
                app.batch_findings.append(
                    _finding(
                        PAIR_MISSING,
                        f"本申报只收到{have}（{_files(app)}），缺少{missing}；预申报表应同时报送 Word 版和扫描版 PDF",
                        value=_files(app),
                        expected="Word 版和扫描版 PDF 各一份",
                    )
                )
            elif app.form in GX:
                check = "请核对是否已收到盖章的纸质件" if "docx" in kinds else "内容按扫描识别结果核对"
                app.batch_findings.append(
                    _finding(
                        GX_PAIR,
                        f"本申请只收到{have}（{_files(app)}），未收到{missing}；{check}",
                        value=_files(app),
                    )
                )
        words = [f for f in app.files if f.readable and f.kind == "docx"]
        pdfs = [f for f in app.files if f.readable and f.kind == "pdf"]
        if app.form not in LZ + GX:
            continue
        # each PDF is compared with the Word file most like it (two versions of the Word file
        # and the scan of one of them: the scan's own version)
        matches = {
            p.file: min(
                ((w, diff_records(w.record, p.record, app.form)) for w in words), key=lambda m: len(m[1])
            )
            for p in (pdfs if words else [])
        }
        duplicate_rule(app, words, "Word 版", compared=[w.file for w, _ in matches.values()])
        duplicate_rule(app, pdfs, "PDF 版")
        info = LZ_MISMATCH if app.form in LZ else GX_MISMATCH
        form = load_form(app.form)
        for p in pdfs if words else []:
            w, differences = matches[p.file]
            # Fields the PDF's reader already doubts (OCR confidence, unreadable text): a difference
            # there may be a misreading, not a different form, so it asks for a look, not a rejection.
            doubted = {f.field for f in p.findings if f.field and f.code.startswith(("OCR-", "PARSE-"))}
            for ptr, a, b in differences:
                label = _label(form, ptr)
                message = f"“{label}”Word 版（{w.file}）为“{_show(a)}”，PDF 版（{p.file}）为“{_show(b)}”，两者不一致"
                finding = _finding(
                    info, message, field=ptr, value=to_jsonable(b), expected=f"与 Word 版一致：{_show(a)}"
                )
                # (a whole row that differs is doubted when any of its cells is)
                if ptr and any(
                    ptr == d or ptr.startswith(d + "/") or d.startswith(ptr + "/") for d in doubted
                ):
                    finding = replace(
                        finding,
                        severity="warning",
                        message=message + "（扫描件该栏目识别不确定，请对照盖章纸质件人工核对）",
                    )
                app.batch_findings.append(finding)


def duplicate_rule(app: Any, files: list[Any], what: str, compared: list[str] | None = None) -> None:
    """lz-2.2 / gx-6.1: one Word file and one PDF per application, not two of either.
    ``compared``: those of ``files`` the PDFs were compared with."""
    if len(files) < 2:
        return
    from ..batch.diff import diff_records
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
    if labels:
        shown = "、".join(f"“{label}”" for label in labels[:5]) + (
            f"等 {len(labels)} 个栏目" if len(labels) > 5 else ""
        )
        how = f"内容不同（{shown}）"
    else:
        how = "内容相同"
    info = LZ_DUPLICATE if app.form in LZ else GX_DUPLICATE
    app.batch_findings.append(
        _finding(
            info,
            f"同一申报收到 {len(files)} 份 {what}：{names}，{how}；请确认以哪一份为准"
            + (f"（与 PDF 版比对的是 {'、'.join(dict.fromkeys(compared))}）" if compared else ""),
            value=names,
            expected=f"{what}一份",
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
    for forms, info in ((LZ, LZ_LEAD), (GX, GX_LEAD)):
        group = [a for a in apps if a.readable and a.form in forms and a.lead_uscc]
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
                        f"本批次其他申报{_others(others)}" if others else "",
                        _registered(registered),
                    )
                    if x
                )
                app.batch_findings.append(
                    _finding(
                        info,
                        f"牵头单位“{app.lead_name}”（统一社会信用代码 {uscc}）同时牵头：{where}；"
                        "一个牵头单位原则上只牵头组建一个创新联合体",
                        field="/lead/uscc",
                        value=uscc,
                        expected="只牵头一个创新联合体",
                    )
                )


# -- units in too many applications -------------------------------------------------------------


def _units(app: Any) -> list[tuple[str, str, str | None, str, str]]:
    """``(uscc, name, org_type, role, pointer)`` of the lead and each member of an application."""
    from ..batch.model import norm_uscc

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
    for forms, info, count_registry in ((LZ, LZ_UNIT, False), (GX, GX_MEMBER, True)):
        group = [a for a in apps if a.readable and a.form in forms]
        if not group:
            continue
        settings = _settings(group[0].form)
        per_member = int(settings.get("max_consortia_per_member", 1))
        per_uni = int(settings.get("max_consortia_university_hospital", per_member))
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
            limit = per_uni if types & UNIVERSITY_HOSPITAL else per_member
            if total <= limit:
                continue
            if info is LZ_UNIT and all(p[1] == "牵头单位" for p in places):
                continue  # a lead leading several: LZ-BATCH-LEAD says it once
            unit_name = next((p[2] for p in places if p[2]), uscc)
            kind = "高校、医院" if limit == per_uni and per_uni != per_member else "单位"
            for app, role, _, _, ptr in places:
                others = [p[0] for p in places if p[0] is not app]
                parts = [f"本批次其他申报{_others(others)}" if others else "", _registered(regs)]
                scope = "本批次" if not count_registry else "本批次和名录中"
                app.batch_findings.append(
                    _finding(
                        info,
                        f"{role}“{unit_name}”（统一社会信用代码 {uscc}）在{scope}共参与 {total} 个创新联合体，"
                        f"超过{kind}原则上最多 {limit} 个的限制；另见：{'；'.join(p for p in parts if p)}",
                        field=ptr,
                        value=total,
                        expected=f"<= {limit}",
                    )
                )


# -- names --------------------------------------------------------------------------------------


def name_core(name: str, settings: dict[str, Any] | None = None) -> str:
    """The part of a name that tells consortia apart: without spaces, the city and ``创新联合体``.

    >>> name_core("柳州市新能源汽车智能底盘创新联合体")
    '新能源汽车智能底盘'
    >>> name_core("柳州 工业互联网 创新联合体")
    '工业互联网'
    """
    core = "".join(name.split())
    for prefix in ("柳州市", "柳州", "广西壮族自治区", "广西"):
        if core.startswith(prefix):
            core = core[len(prefix) :]
            break
    return core.removesuffix("创新联合体") or name


def name_similarity(a: str, b: str) -> float:
    """0-100: 100 for the same name (or the same core); rapidfuzz's ratio of the cores otherwise.

    >>> name_similarity("柳州市汽车轻量化材料创新联合体", "柳州汽车轻量化新材料创新联合体")
    93.33333333333333
    """
    from rapidfuzz import fuzz

    ca, cb = name_core(a), name_core(b)
    if a == b or ca == cb:
        return 100.0
    return float(fuzz.ratio(ca, cb))


def resemblance(a: str, b: str, settings: dict[str, Any]) -> str | None:
    """How name ``b`` repeats or resembles name ``a`` (the words of the message), or None.

    Similar: the cores' similarity reaches ``name_similarity``; or the shorter core, at least
    ``name_contained_min_chars`` long and ``name_contained_min_share`` of the longer, lies whole
    within the longer (a field and the same field narrowed or widened by a word or two).

    >>> s = {"name_similarity": 85, "name_contained_min_chars": 4, "name_contained_min_share": 0.5}
    >>> resemblance("柳州市工业互联网创新联合体", "柳州市工业互联网平台创新联合体", s)
    '名称核心“工业互联网”包含在“工业互联网平台”中'
    >>> resemblance("柳州市新能源汽车智能底盘创新联合体", "柳州市智能底盘创新联合体", s) is None
    True
    """
    score = name_similarity(a, b)
    if "".join(a.split()) == "".join(b.split()):
        return "名称相同"
    if score == 100:
        return f"名称核心“{name_core(a)}”相同"
    if score >= _threshold(settings.get("name_similarity", 100)):
        return f"相似度 {score:.0f}%"
    short, long = sorted((name_core(a), name_core(b)), key=len)
    if (
        short in long
        and len(short) >= int(settings.get("name_contained_min_chars", 4))
        and len(short) >= float(settings.get("name_contained_min_share", 0.5)) * len(long)
    ):
        return f"名称核心“{short}”包含在“{long}”中"
    return None


def name_rules(apps: list[Any], registry: list[Any]) -> None:
    group = [a for a in apps if a.readable and a.form in LZ and a.name]
    if not group:
        return
    settings = _settings(group[0].form)
    for app in group:
        near: list[str] = []
        for other in group:
            if other is app:
                continue
            how = resemblance(app.name, other.name, settings)
            if how:
                near.append(
                    f"本批次申报“{_name_of(other)}”（{_files(other)}）"
                    + (how if how == "名称相同" else f"，{how}")
                )
        for c in registry:
            how = resemblance(app.name, c.name, settings)
            if how:
                near.append(_registered([c]) + (how if how == "名称相同" else f"，{how}"))
        if near:
            app.batch_findings.append(
                _finding(
                    LZ_NAME,
                    f"创新联合体名称“{_name_of(app)}”与以下名称重复或近似：{'；'.join(near)}；"
                    "名称不得与已有创新联合体重复或近似",
                    field="/consortium/name",
                    value=_name_of(app),
                    expected="与已有名称不重复、不近似",
                )
            )


def run_cross_rules(apps: list[Any], registry: list[Any] | None = None) -> None:
    """Add every cross-application finding to ``app.batch_findings`` of the applications
    (``toolkit.batch.model.Application``) involved. ``registry``: the recognised consortia
    (``toolkit.batch.registry.Consortium``)."""
    registry = registry or []
    pair_rules(apps)
    lead_rules(apps, registry)
    unit_rules(apps, registry)
    name_rules(apps, registry)
