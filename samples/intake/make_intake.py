"""Make the sample intake folder ``samples/intake/folder/`` and ``samples/intake/registry.csv``.

A clerk's folder of one batch, built from the records of ``samples/make/records.py`` with the
form builder of ``samples/make/`` (Word) and LibreOffice (the PDF of each Word file):

- 申报01 lz-pass: Word and PDF with unrelated file names (paired by content);
- 申报02 lz-tech: Word and PDF whose 上年度主营业务收入 disagree;
- 申报03 lz-agri: Word only (no PDF); its name is close to a consortium in the registry;
- 申报04 a second consortium led by lz-pass's lead, sharing one member with lz-pass, and
  广西科技大学 (in lz-pass and lz-tech too: three applications, the limit for universities);
- gx-pass: Word and PDF; one of its members is in three registered Guangxi consortia;
- gx-young: Word only (the Guangxi procedure asks for no scanned pair);
- a damaged .docx, a Word file that is no application form, a text file, a Word lock file.

``expected.json`` lists the cross-application findings this design must produce, written from
the design here, never by running the tool.

    python samples/intake/make_intake.py
"""

from __future__ import annotations

import copy
import csv
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "samples" / "make"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from formbuild import Plan, build_blocks  # noqa: E402
from layout import render_docx  # noqa: E402
from lo import convert  # noqa: E402
from records import WRITTEN, all_records, make_uscc  # noqa: E402

from toolkit.forms import load_form  # noqa: E402
from toolkit.record import dumps  # noqa: E402

FOLDER = HERE / "folder"


def word(record: dict, rel: str, sample: str) -> Path:
    path = FOLDER / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    plan = Plan(name=sample, layout="four", written=WRITTEN.get(sample, {}))
    render_docx(build_blocks(load_form(record["form"]), record, plan), path)
    return path


def pdf(record: dict, rel: str, sample: str) -> Path:
    """The PDF of the Word form of ``record``, as the applicant printed it."""
    target = FOLDER / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ictk-intake-") as tmp:
        docx = Path(tmp) / (target.stem + ".docx")
        plan = Plan(name=sample, layout="four", written=WRITTEN.get(sample, {}))
        render_docx(build_blocks(load_form(record["form"]), record, plan), docx)
        out = convert(docx, "pdf", tmp)
        shutil.copyfile(out, target)
    return target


def second_consortium(lz_pass: dict, lz_tech: dict) -> dict:
    """A consortium led by lz-pass's lead: one member shared with lz-pass, 广西科技大学 too."""
    rec = copy.deepcopy(lz_tech)
    rec["consortium"]["name"] = "柳州市汽车轻量化材料创新联合体"
    rec["consortium"]["tech_field"] = "汽车轻量化材料"
    rec["lead"] = copy.deepcopy(lz_pass["lead"])
    members = []
    for i, m in enumerate(rec["members"]):
        m = copy.deepcopy(m)
        if m["uscc"] != "12450200390996033U":  # 广西科技大学 stays
            m["name"] = f"柳州轻量化配套企业{i + 1}有限公司"
            m["uscc"] = make_uscc("91", "450200", m["name"])
            m["org_type"] = "企业"
        members.append(m)
    shared = next(m for m in lz_pass["members"] if m["name"] == "柳州五菱柳机动力有限公司")
    first = next(i for i, m in enumerate(members) if m["uscc"] != "12450200390996033U")
    members[first] = copy.deepcopy(shared)
    rec["members"] = members
    return rec


def registry_rows(records: dict) -> list[list[str]]:
    gx_member = records["gx-pass"]["members"][0]
    rows = []
    for i, (name, field) in enumerate(
        [("广西新能源电池材料创新联合体", "新能源电池"), ("广西先进轨道交通装备创新联合体", "轨道交通"),
         ("广西智能网联汽车创新联合体", "智能网联汽车")], 1
    ):
        lead = f"广西{field}科技有限公司"
        rows.append([name, "自治区级", f"202{i}-06-30", lead, make_uscc("91", "450100", lead), "企业",
                     gx_member["name"], gx_member["uscc"], gx_member.get("org_type", ""), "2023年合格" if i == 1 else ""])
        other = f"广西{field}研究院"
        rows.append(["", "", "", "", "", "", other, make_uscc("12", "450100", other), "科研院所", ""])
    near = "柳州市螺蛳粉食品加工与质量安全产业创新联合体"
    lead = "柳州市螺蛳粉产业集团有限公司"
    rows.append([near, "市级", "2023-05-20", lead, make_uscc("91", "450200", lead), "企业",
                 "柳州市螺蛳粉协会", make_uscc("51", "450200", "柳州市螺蛳粉协会"), "其他机构", ""])
    return rows


def main() -> int:
    records = all_records()
    if FOLDER.exists():
        shutil.rmtree(FOLDER)
    FOLDER.mkdir(parents=True)

    lz_pass, lz_tech, lz_agri = records["lz-pass"], records["lz-tech"], records["lz-agri"]
    word(lz_pass, "柳南区/智驰底盘-预申报表.docx", "lz-pass")
    # A real scan of the stamped paper copy (rotated, noisy, red seal; samples/make/make_scans.py),
    # made from the same Word form: it must pair with the Word file by content and read the same.
    scan = FOLDER / "扫描件" / "scan-0001.pdf"
    scan.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "samples" / "scans" / "lz-pass-scan.pdf", scan)

    word(lz_tech, "城中区/云智工业软件.docx", "lz-tech")
    differing = copy.deepcopy(lz_tech)
    differing["lead"]["revenue"] = Decimal(lz_tech["lead"]["revenue"]) + 1000
    pdf(differing, "城中区/云智工业软件.pdf", "lz-tech")

    word(lz_agri, "柳江区/螺蛳粉研究院-预申报表.docx", "lz-agri")

    second = second_consortium(lz_pass, lz_tech)
    word(second, "柳南区/智驰-轻量化材料.docx", "lz-tech")
    pdf(second, "扫描件/scan-0002.pdf", "lz-tech")

    word(records["gx-pass"], "自治区/南铝高端材料-认定申请表.docx", "gx-pass")
    pdf(records["gx-pass"], "自治区/南铝高端材料-认定申请表.pdf", "gx-pass")
    word(records["gx-young"], "自治区/蓝湾海洋生物.docx", "gx-young")

    (FOLDER / "城中区" / "损坏文件.docx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    from toolkit.officedoc import new_document, paragraph

    doc = new_document()
    paragraph(doc, "关于做好2024年创新联合体预申报工作的会议通知")
    paragraph(doc, "各县（区）科技主管部门：请于4月15日前报送申报材料。")
    doc.save(FOLDER / "会议通知.docx")
    (FOLDER / "说明.txt").write_text("本目录为2024年第一批预申报材料。\n", encoding="utf-8")
    (FOLDER / "柳南区" / "~$驰底盘-预申报表.docx").write_bytes(b"\x00" * 162)

    with (HERE / "registry.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["创新联合体名称", "级别", "认定日期", "牵头单位名称", "牵头单位统一社会信用代码", "牵头单位类型",
                         "成员单位名称", "成员单位统一社会信用代码", "成员单位类型", "评估记录"])
        writer.writerows(registry_rows(records))

    gx_member = records["gx-pass"]["members"][0]
    expected = {
        "applications": [
            ["柳南区/智驰底盘-预申报表.docx", "扫描件/scan-0001.pdf"],
            ["城中区/云智工业软件.docx", "城中区/云智工业软件.pdf"],
            ["柳江区/螺蛳粉研究院-预申报表.docx"],
            ["柳南区/智驰-轻量化材料.docx", "扫描件/scan-0002.pdf"],
            ["自治区/南铝高端材料-认定申请表.docx", "自治区/南铝高端材料-认定申请表.pdf"],
            ["自治区/蓝湾海洋生物.docx"],
        ],
        "unreadable": ["城中区/损坏文件.docx"],
        "skipped": ["会议通知.docx", "柳南区/~$驰底盘-预申报表.docx", "说明.txt"],
        # file of the application -> [code, field, words the message must contain]
        "findings": [
            ["城中区/云智工业软件.docx", "LZ-BATCH-MISMATCH", "/lead/revenue", ["上年度主营业务收入"]],
            ["柳江区/螺蛳粉研究院-预申报表.docx", "LZ-BATCH-PAIR", None, ["缺少扫描版 PDF"]],
            ["柳江区/螺蛳粉研究院-预申报表.docx", "LZ-BATCH-NAME", "/consortium/name",
             ["柳州市螺蛳粉食品加工与质量安全产业创新联合体"]],
            ["柳南区/智驰底盘-预申报表.docx", "LZ-BATCH-LEAD", "/lead/uscc", [second["consortium"]["name"]]],
            ["柳南区/智驰-轻量化材料.docx", "LZ-BATCH-LEAD", "/lead/uscc", [lz_pass["consortium"]["name"]]],
            ["柳南区/智驰底盘-预申报表.docx", "LZ-BATCH-UNIT", None, ["柳州五菱柳机动力有限公司", second["consortium"]["name"]]],
            ["柳南区/智驰-轻量化材料.docx", "LZ-BATCH-UNIT", "/members/0/uscc",
             ["柳州五菱柳机动力有限公司", lz_pass["consortium"]["name"]]],
            ["自治区/南铝高端材料-认定申请表.docx", "GX-BATCH-MEMBER", "/members/0/uscc",
             [gx_member["name"], "广西新能源电池材料创新联合体", "广西先进轨道交通装备创新联合体", "广西智能网联汽车创新联合体"]],
        ],
        # cross-application codes that must not appear on an application (the limits hold)
        "absent": [
            ["柳南区/智驰底盘-预申报表.docx", "LZ-BATCH-PAIR"],
            ["柳南区/智驰底盘-预申报表.docx", "LZ-BATCH-MISMATCH"],
            ["自治区/蓝湾海洋生物.docx", "LZ-BATCH-PAIR"],
            ["城中区/云智工业软件.docx", "LZ-BATCH-UNIT"],
        ],
    }
    (HERE / "expected.json").write_text(dumps(expected) + "\n", encoding="utf-8")
    print(f"wrote {sum(1 for p in FOLDER.rglob('*') if p.is_file())} files into {FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
