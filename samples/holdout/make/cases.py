"""Applications violating exactly one condition, and what a check must say about each.

Clause, severity and field come from spec/CLAUSES.md and spec/REPORT.md (must -> error,
原则上 -> warning; `form` for constraints of no policy text), not from the rules' code.
``field_any`` lists the pointers that are equally right when the spec does not fix one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from records import clone
from uscc import break_check


@dataclass
class Case:
    name: str
    base: str
    change: Callable[[dict], None]
    findings: list[dict] = field(default_factory=list)
    about: str = ""


def finding(clause: str, severity: str, pointer: str, *alternatives: str) -> dict:
    f = {"clause": clause, "severity": severity, "field": pointer}
    if alternatives:
        f["field_any"] = [pointer, *alternatives]
    return f


def verdict(findings: list[dict]) -> str:
    severities = {f["severity"] for f in findings}
    return "fail" if "error" in severities else "warn" if "warning" in severities else "pass"


def _set(path: str, value) -> Callable[[dict], None]:
    def change(r: dict) -> None:
        node = r
        *parents, last = path.split(".")
        for p in parents:
            node = node[p]
        if value is None:
            del node[last]
        else:
            node[last] = value

    return change


def _all(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(r: dict) -> None:
        for c in changes:
            c(r)

    return change


def _lead_as_member(layer: str | None) -> Callable[[dict], None]:
    def change(r: dict) -> None:
        lead = r["lead"]
        m = {
            "name": lead["name"],
            "uscc": lead["uscc"],
            "org_type": "企业",
            "location": lead["location"],
            "basis": "集团内部协同研发",  # not marked 牵头单位: listed as an ordinary member
            "consortia_count": 1,
        }
        if layer:
            m["layer"] = layer
        r["members"].append(m)

    return change


def _break_uscc(pointer: str) -> Callable[[dict], None]:
    def change(r: dict) -> None:
        if pointer == "lead":
            r["lead"]["uscc"] = break_check(r["lead"]["uscc"])
        else:
            i = int(pointer)
            r["members"][i]["uscc"] = break_check(r["members"][i]["uscc"])

    return change


def _drop_layer(i: int) -> Callable[[dict], None]:
    def change(r: dict) -> None:
        del r["members"][i]["layer"]

    return change


LZ = "lz-pass"
GX = "gx-pass"

CASES: list[Case] = [
    # --- Liuzhou pre-application
    Case(
        "lz-v-revenue-mfg",
        LZ,
        _set("lead.revenue", 42000),
        [finding("lz-1.2.1", "warning", "/lead/revenue")],
        "制造业 4.2亿元 < 5亿元",
    ),
    Case(
        "lz-v-revenue-services",
        "lz-software",
        _set("lead.revenue", 8600),
        [finding("lz-1.2.1", "warning", "/lead/revenue")],
        "科技与信息服务业 8600万元 < 1亿元",
    ),
    Case(
        "lz-v-rd-staff",
        LZ,
        _set("lead.rd_staff", 15),
        [finding("lz-1.2.2", "warning", "/lead/rd_staff")],
        "15 < 20 专职研发人员",
    ),
    Case(
        "lz-v-platform",
        LZ,
        _set("lead.platforms", [{"name": "智驰底盘企业研发部", "level": "其他", "type": "其他"}]),
        [finding("lz-1.2.2", "error", "/lead/platforms", "/lead/platforms/0/level", "/lead/platforms/0")],
        "no platform of 市级 or above",
    ),
    Case(
        "lz-v-rd-ratio",
        LZ,
        _all(_set("lead.rd_expense_3y", 6000), _set("lead.rd_ratio", 2.45)),
        [finding("lz-1.2.3", "warning", "/lead/rd_ratio", "/lead/rd_expense_3y")],
        "6000/245000 = 2.45% < 3%",
    ),
    Case(
        "lz-v-members",
        LZ,
        lambda r: r.__setitem__("members", r["members"][:7]),
        [finding("lz-3.3", "warning", "/members")],
        "7 members < 8",
    ),
    Case(
        "lz-v-name",
        LZ,
        _set("consortium.name", "新能源汽车智能底盘创新联合体"),
        [finding("lz-3.1", "error", "/consortium/name")],
        "name without 柳州市",
    ),
    Case(
        "lz-v-late",
        LZ,
        _set("signoff.date", "2024-04-18"),
        [finding("lz-2.2", "error", "/signoff/date")],
        "filled 2024-04-18, after 2024-04-15",
    ),
    Case(
        "lz-v-location",
        LZ,
        _all(_set("lead.location", "南宁市西乡塘区"), _set("lead.address", "南宁市西乡塘区科园大道8号")),
        [finding("lz-1.2.1", "error", "/lead/location", "/lead/address")],
        "lead in Nanning",
    ),
    Case(
        "lz-v-uscc",
        LZ,
        _break_uscc("3"),
        [finding("form", "error", "/members/3/uscc")],
        "member 4's check character wrong",
    ),
    Case(
        "lz-v-dup-lead",
        LZ,
        _lead_as_member(None),
        [finding("form", "error", "/members/9", "/members/9/name", "/members/9/uscc")],
        "lead listed as member",
    ),
    Case(
        "lz-v-period",
        LZ,
        _set("plan.end", "2024-03-31"),
        [finding("form", "error", "/plan/end", "/plan/start", "/plan")],
        "ends before it starts",
    ),
    # --- Guangxi recognition
    Case(
        "gx-v-revenue",
        GX,
        _set("lead.revenue", 85000),
        [finding("gx-5.2.1", "warning", "/lead/revenue")],
        "8.5亿元 < 10亿元",
    ),
    Case(
        "gx-v-rd-staff",
        GX,
        _set("lead.rd_staff", 22),
        [finding("gx-5.2.2", "warning", "/lead/rd_staff")],
        "22 < 30",
    ),
    Case(
        "gx-v-platform",
        GX,
        _set(
            "lead.platforms",
            [{"name": "南宁市铝加工工程技术研究中心", "level": "市级", "type": "工程（技术）研究中心"}],
        ),
        [finding("gx-5.2.2", "error", "/lead/platforms", "/lead/platforms/0/level", "/lead/platforms/0")],
        "only a 市级 platform",
    ),
    Case(
        "gx-v-rd",
        GX,
        _all(
            _set("lead.revenue", 120000),
            _set("lead.rd_expense_3y", 6000),
            _set("lead.sales_3y", 330000),
            _set("lead.rd_ratio", 1.82),
        ),
        [finding("gx-5.2.3", "warning", "/lead/rd_expense_3y", "/lead/rd_ratio")],
        "average 2000万 < 3000万 and 1.82% < 3%",
    ),
    Case(
        "gx-v-consortia",
        GX,
        lambda r: r["members"][2].__setitem__("consortia_count", 4),
        [finding("gx-5.3.5", "warning", "/members/2/consortia_count")],
        "member in 4 consortia",
    ),
    Case(
        "gx-v-governance",
        GX,
        _set("governance.benefit_policy", None),
        [finding("gx-5.4", "error", "/governance/benefit_policy")],
        "利益保障制度 left blank",
    ),
    Case(
        "gx-v-agreement",
        GX,
        _set("governance.agreement_signed", False),
        [finding("gx-4.4", "error", "/governance/agreement_signed")],
        "组建协议 not signed",
    ),
    Case(
        "gx-v-location",
        GX,
        _set("lead.address", "广东省广州市天河区珠江新城华夏路10号"),
        [finding("gx-5.2.1", "error", "/lead/address")],
        "office and R&D sites in Guangdong",
    ),
    Case(
        "gx-v-uscc",
        GX,
        _break_uscc("lead"),
        [finding("form", "error", "/lead/uscc")],
        "lead's check character wrong",
    ),
    Case(
        "gx-v-dup-lead",
        GX,
        _lead_as_member("核心层"),
        [finding("form", "error", "/members/6", "/members/6/name", "/members/6/uscc")],
        "lead listed as member",
    ),
    Case(
        "gx-v-period",
        GX,
        _set("plan.start", "2028-01-01"),
        [finding("form", "error", "/plan/end", "/plan/start", "/plan")],
        "starts after it ends",
    ),
    Case(
        "gx-v-layer",
        GX,
        _drop_layer(4),
        [finding("gx-5.3.1", "error", "/members/4/layer")],
        "member 5 without layer",
    ),
    # --- boundaries: 以上 / 不低于 / 不少于 include the number itself (passes, no finding)
    Case(
        "lz-edge-thresholds",
        LZ,
        _all(
            _set("lead.revenue", 50000),
            _set("lead.rd_staff", 20),
            _set("lead.rd_expense_3y", 7350),
            _set("lead.rd_ratio", 3.0),
            lambda r: r.__setitem__("members", r["members"][:8]),
            _set("signoff.date", "2024-04-15"),
        ),
        [],
        "exactly 5亿元, 20 staff, 3.00%, 8 members, filled on the deadline day",
    ),
    Case(
        "gx-edge-thresholds",
        GX,
        _all(
            _set("lead.revenue", 100000),
            _set("lead.rd_staff", 30),
            _set("lead.rd_expense_3y", 9000),
            _set("lead.sales_3y", 400000),
            _set("lead.rd_ratio", 2.25),
            lambda r: r["members"][5].__setitem__("consortia_count", 3),
        ),
        [],
        "exactly 10亿元, 30 staff, average exactly 3000万 (ratio 2.25%), a member in exactly 3 consortia",
    ),
]


def build(case: Case) -> dict:
    record = clone(case.base)
    case.change(record)
    return {
        "about": case.about,
        "record": record,
        "findings": case.findings,
        "verdict": verdict(case.findings),
    }
