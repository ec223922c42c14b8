"""Derive one record per rule from the two passing records in samples/records/.

Each case changes the passing record as little as possible so that it violates exactly one rule
(a few rules cannot be violated alone; their case lists every finding it causes). The manifest
``cases.json`` states, per case, the expected findings: code, severity, clause and field pointer.
Info findings of the passing record itself (LZ-STRATEGIC, GX-SPECIAL-ELIGIBLE) are not errors or
warnings and are ignored unless a case names them.

Run from the repository root:  python samples/rules/make_cases.py
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.record import dumps, load_record  # noqa: E402
from toolkit.rules import uscc  # noqa: E402

LZ = load_record(ROOT / "samples/records/lz-pass.json")
GX = load_record(ROOT / "samples/records/gx-pass.json")

Mutation = Callable[[dict[str, Any]], None]
CASES: list[dict[str, Any]] = []


def valid_uscc(first16: str) -> str:
    """A code with both check digits right: 16 characters + GB 11714 digit + GB 32100 character."""
    body = first16 + uscc.calc_org_check_digit(first16[8:16])
    return body + uscc.calc_check_digit(body)


def case(name: str, base: dict[str, Any], change: Mutation, *expect: tuple[str, str, str, str | None], note: str) -> None:
    record = copy.deepcopy(base)
    change(record)
    CASES.append(
        {
            "file": f"{name}.json",
            "form": record["form"],
            "note": note,
            "expect": [{"code": c, "severity": s, "clause": cl, "field": f} for c, s, cl, f in expect],
            "record": record,
        }
    )


def setter(**paths: Any) -> Mutation:
    def change(r: dict[str, Any]) -> None:
        for dotted, value in paths.items():
            node = r
            *parents, last = dotted.split("__")
            for p in parents:
                node = node[int(p)] if isinstance(node, list) else node[p]
            if value is DELETE:
                del node[last]
            else:
                node[last] = value

    return change


DELETE = object()
Z = None  # no pointer: a finding about the whole application

# ---------------------------------------------------------------- Liuzhou
case("lz-pass", LZ, lambda r: None, ("LZ-STRATEGIC", "info", "lz-3.4", "/consortium/strategic_agreement"),
     note="the reference record: no error or warning")
case("lz-units", LZ, setter(members=[]),
     ("LZ-UNITS", "error", "lz-1.1", "/members"), ("LZ-MEMBERS", "warning", "lz-3.3", "/members"),
     note="no member at all: a single unit (and fewer than 8 members, unavoidably)")
case("lz-location", LZ, setter(lead__location="南宁市青秀区"), ("LZ-LOCATION", "error", "lz-1.2.1", "/lead/location"),
     note="lead registered outside Liuzhou")
case("lz-revenue-manufacturing", LZ, setter(lead__revenue=32000),
     ("LZ-REVENUE", "warning", "lz-1.2.1", "/lead/revenue"), note="制造业 below 50000")
case("lz-revenue-services", LZ, setter(lead__industry="科技与信息服务业", lead__revenue=9999),
     ("LZ-REVENUE", "warning", "lz-1.2.1", "/lead/revenue"), note="科技与信息服务业 below 10000")
case("lz-revenue-other", LZ, setter(lead__industry="其他", lead__revenue=8000),
     ("LZ-REVENUE", "warning", "lz-1.2.1", "/lead/revenue"), note="其他 below the lowest named threshold 10000")
case("lz-rd-staff", LZ, setter(lead__rd_staff=19), ("LZ-RD-STAFF", "warning", "lz-1.2.2", "/lead/rd_staff"),
     note="19 full-time R&D staff")
case("lz-platform", LZ,
     setter(lead__platforms=[{"name": "智驰底盘企业研发中心", "level": "其他", "type": "企业技术中心"}]),
     ("LZ-PLATFORM", "error", "lz-1.2.2", "/lead/platforms"), note="no platform of 市级 or above")
case("lz-rd-ratio", LZ, setter(lead__rd_expense_3y=7000, lead__rd_ratio=2.86),
     ("LZ-RD-RATIO", "warning", "lz-1.2.3", "/lead/rd_ratio"), note="7000 / 245000 = 2.86%")
case("lz-outreach", LZ, setter(lead__outreach="暂无。"), ("LZ-OUTREACH", "error", "lz-1.2.4", "/lead/outreach"),
     note="no activity described")
case("lz-leads-other", LZ, setter(lead__leads_other=True),
     ("LZ-LEADS-OTHER", "warning", "lz-1.2.5", "/lead/leads_other"), note="already leads another consortium")
case("lz-executive-staff", LZ, setter(governance__executive_staff=0),
     ("LZ-BODIES", "error", "lz-1.4", "/governance/executive_staff"), note="standing body without staff")
case("lz-advisory-missing", LZ, setter(governance__advisory_body=DELETE),
     ("SCHEMA-REQUIRED", "error", "lz-1.4", "/governance/advisory_body"), note="no advisory body")
case("lz-funds", LZ, setter(governance__funds_policy="制定经费管理办法，专款专用。"),
     ("LZ-FUNDS", "info", "lz-1.5", "/governance/funds_policy"), note="no internal supervision of funds")
case("lz-special-case", LZ, setter(consortium__special_case=True),
     ("LZ-SPECIAL-CASE", "info", "lz-1.6", "/consortium/special_case"), note="一事一议 requested")
case("lz-deadline", LZ, setter(signoff__date="2024-04-16"), ("LZ-DEADLINE", "error", "lz-2.2", "/signoff/date"),
     note="filed one day after the deadline")
case("lz-name-prefix", LZ, setter(consortium__name="新能源汽车智能底盘创新联合体"),
     ("LZ-NAME", "error", "lz-3.1", "/consortium/name"), note="name without 柳州市")
case("lz-name-field", LZ, setter(consortium__name="柳州市生物医药创新联合体"),
     ("LZ-NAME-FIELD", "info", "lz-3.1", "/consortium/name"), note="name's field differs from the core field")
case("lz-members", LZ, lambda r: r["members"].__delitem__(slice(7, None)),
     ("LZ-MEMBERS", "warning", "lz-3.3", "/members"), note="7 members")
case("lz-revenue-missing", LZ, setter(lead__revenue=DELETE),
     ("SCHEMA-REQUIRED", "error", "lz-1.2.1", "/lead/revenue"), note="revenue left blank")
case("lz-uscc-lead", LZ, setter(lead__uscc="9145020052601815XN"),
     ("FORM-USCC", "error", "form", "/lead/uscc"), note="wrong GB 32100 check character")
case("lz-uscc-orgcode", LZ, setter(members__2__uscc=valid_uscc("1245020039099603")[:16] + "9"
                                   + uscc.calc_check_digit(valid_uscc("1245020039099603")[:16] + "9")),
     ("FORM-USCC", "error", "form", "/members/2/uscc"),
     note="mod-31 character right, embedded GB 11714 digit wrong")
case("lz-uscc-short", LZ, setter(lead__uscc="9145020052601815X"),
     ("FORM-USCC", "error", "form", "/lead/uscc"), note="17 characters")
case("lz-phone", LZ, setter(lead__phone="3861234"), ("FORM-PHONE", "error", "form", "/lead/phone"),
     note="landline without area code")
case("lz-email", LZ, setter(lead__email="qinxy@zhichi"), ("FORM-EMAIL", "error", "form", "/lead/email"),
     note="e-mail without a domain")
case("lz-date", LZ, setter(plan__start="2024-02-30"), ("FORM-DATE", "error", "form", "/plan/start"),
     note="a date that does not exist")
case("lz-plan-period", LZ, setter(plan__end="2024-05-31"), ("FORM-PLAN-PERIOD", "error", "form", "/plan/end"),
     note="build period ends before it starts")
case("lz-dup-lead", LZ, lambda r: r["members"].append({**r["members"][0], "name": r["lead"]["name"],
                                                       "uscc": r["lead"]["uscc"]}),
     ("FORM-DUP-LEAD", "error", "form", "/members/9/uscc"), note="the lead listed as a member")
case("lz-dup-member-uscc", LZ, lambda r: r["members"].append({**r["members"][0], "name": "广西汽车集团"}),
     ("FORM-DUP-MEMBER", "error", "form", "/members/9/uscc"), note="the same USCC twice")
case("lz-dup-member-name", LZ,
     lambda r: r["members"].append({**r["members"][1], "uscc": valid_uscc("9145020031234567")}),
     ("FORM-DUP-MEMBER", "error", "form", "/members/9/name"), note="the same name twice")
case("lz-rd-ratio-mismatch", LZ, setter(lead__rd_ratio=6.5),
     ("FORM-RD-RATIO", "warning", "form", "/lead/rd_ratio"), note="stated 6.5%, computed 5.22%")

# ---------------------------------------------------------------- Guangxi
case("gx-pass", GX, lambda r: None, ("GX-SPECIAL-ELIGIBLE", "info", "gx-8", "/lead/rd_expense_3y"),
     note="the reference record: no error or warning (average R&D 16200 > 10000: info)")
case("gx-agreement", GX, setter(governance__agreement_signed=False),
     ("GX-AGREEMENT", "error", "gx-4.4", "/governance/agreement_signed"), note="agreement not signed")
case("gx-categories", GX, lambda r: [m.update(org_type="企业") for m in r["members"]],
     ("GX-CATEGORIES", "error", "gx-5.1", "/members"), note="every unit an enterprise: one category")
case("gx-legal-person", GX, setter(lead__legal_person=False),
     ("GX-LEGAL-PERSON", "error", "gx-5.2.1", "/lead/legal_person"), note="not a legal person")
case("gx-internal-control", GX, setter(lead__internal_control=False),
     ("GX-INTERNAL-CONTROL", "error", "gx-5.2.1", "/lead/internal_control"), note="internal controls not sound")
case("gx-tech-enterprise", GX, setter(lead__tech_enterprise=False),
     ("GX-TECH-ENTERPRISE", "error", "gx-5.2.1", "/lead/tech_enterprise"), note="not a tech enterprise")
case("gx-lead-not-enterprise", GX, setter(lead__org_type="科研院所"),
     ("GX-TECH-ENTERPRISE", "error", "gx-5.2.1", "/lead/org_type"), note="lead is a research institute")
case("gx-location", GX, setter(lead__location="长沙市"),
     ("GX-LOCATION", "error", "gx-5.2.1", "/lead/location"), note="registered outside Guangxi")
case("gx-address", GX, setter(lead__address="广东省广州市天河区珠江新城88号"),
     ("GX-ADDRESS", "error", "gx-5.2.1", "/lead/address"), note="offices outside Guangxi")
case("gx-revenue", GX, setter(lead__revenue=99999.99),
     ("GX-REVENUE", "warning", "gx-5.2.1", "/lead/revenue"), note="just under 10亿")
case("gx-rd-staff", GX, setter(lead__rd_staff=29), ("GX-RD-STAFF", "warning", "gx-5.2.2", "/lead/rd_staff"),
     note="29 staff")
case("gx-platform-level", GX, lambda r: [p.update(level="市级") for p in r["lead"]["platforms"]],
     ("GX-PLATFORM", "error", "gx-5.2.2", "/lead/platforms"), note="only 市级 platforms")
case("gx-platform-type", GX, lambda r: [p.update(type="其他") for p in r["lead"]["platforms"]],
     ("GX-PLATFORM", "error", "gx-5.2.2", "/lead/platforms"), note="platforms of no listed type")
case("gx-rd-intensity", GX, setter(lead__rd_expense_3y=7200, lead__rd_ratio=0.49),
     ("GX-RD-INTENSITY", "warning", "gx-5.2.3", "/lead/rd_expense_3y"),
     note="average 2400 < 3000 and 0.49% < 3%")
case("gx-outreach", GX, setter(lead__outreach="无"), ("GX-OUTREACH", "error", "gx-5.2.4", "/lead/outreach"),
     note="no activity described")
case("gx-leads-other", GX, setter(lead__leads_other=True),
     ("GX-LEADS-OTHER", "warning", "gx-5.2.5", "/lead/leads_other"), note="already leads another consortium")
case("gx-member-layer", GX, setter(members__1__layer=DELETE),
     ("GX-MEMBER-LAYER", "error", "gx-5.3.1", "/members/1/layer"), note="a member without a layer")
case("gx-member-layer-invalid", GX, setter(members__2__layer="外围层"),
     ("GX-MEMBER-LAYER", "error", "gx-5.3.1", "/members/2/layer"), note="a layer that does not exist")
case("gx-member-basis", GX, setter(members__3__basis=" "),
     ("GX-MEMBER-LAYER", "error", "gx-5.3.1", "/members/3/basis"), note="a member without cooperation basis")
case("gx-member-consortia", GX, setter(members__5__consortia_count=4),
     ("GX-MEMBER-CONSORTIA", "warning", "gx-5.3.5", "/members/5/consortia_count"), note="member in 4 consortia")
case("gx-systems-missing", GX, setter(governance__benefit_policy=DELETE),
     ("GX-SYSTEMS", "error", "gx-5.4", "/governance/benefit_policy"), note="no benefit policy")
case("gx-systems-blank", GX, setter(governance__openness_policy=""),
     ("GX-SYSTEMS", "error", "gx-5.4", "/governance/openness_policy"), note="openness policy left blank")
case("gx-recommender", GX, setter(signoff__recommender="柳州市科学技术局"),
     ("GX-RECOMMENDER", "error", "gx-6.1", "/signoff/recommender"), note="another city's bureau recommends")
case("gx-special-case", GX, setter(consortium__special_case=True),
     ("GX-SPECIAL-CASE", "info", "gx-8", "/consortium/special_case"), note="一事一议 requested")
case("gx-uscc-member", GX, setter(members__0__uscc="12450100895559795X"),
     ("FORM-USCC", "error", "form", "/members/0/uscc"), note="wrong check character")
case("gx-dup-lead", GX, lambda r: r["members"].append({**r["members"][0], "name": "广西南铝高端材料股份有限公司",
                                                       "uscc": valid_uscc("9145010031234567")}),
     ("FORM-DUP-LEAD", "error", "form", "/members/6/name"), note="the lead listed as a member by name")
case("gx-rd-ratio-mismatch", GX, setter(lead__rd_ratio=3.5),
     ("FORM-RD-RATIO", "warning", "form", "/lead/rd_ratio"), note="stated 3.5%, computed 3.33%")


def main() -> None:
    manifest = []
    for c in CASES:
        (HERE / c["file"]).write_text(dumps(c.pop("record")) + "\n", encoding="utf-8")
        manifest.append(c)
    (HERE / "cases.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(manifest)} cases written to {HERE}")


if __name__ == "__main__":
    main()
