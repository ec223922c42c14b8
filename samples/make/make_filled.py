"""Rebuild every filled-form sample in ``samples/filled/`` with its expected record.

    python samples/make/make_filled.py            # everything (LibreOffice steps included)
    python samples/make/make_filled.py clean edited   # only some styles

Each sample ``samples/filled/<style>/<name>.<ext>`` has ``<name>.expected.json`` beside it: the
canonical record (spec/FORMS.md) of the data written into it. Expected records are derived from
the records in ``records.py`` by removing what a sample deletes or makes unreadable, never by
parsing a sample. python-docx output is byte-for-byte reproducible; LibreOffice output carries
its own timestamps.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # tests/lo.py: LibreOffice with a private profile per call

from formbuild import Plan, build_blocks  # noqa: E402
from layout import render_docx  # noqa: E402
from records import WRITTEN, all_records  # noqa: E402

from toolkit.forms import load_form  # noqa: E402
from toolkit.record import dumps  # noqa: E402

OUT = ROOT / "samples" / "filled"
STYLES = ("clean", "edited", "controls", "libreoffice", "unreadable", "official", "pdf")


def delete_path(record: dict, pointer: str) -> None:
    parts = pointer.strip("/").split("/")
    node = record
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        del node[int(parts[-1])]
    else:
        node.pop(parts[-1], None)


def write_sample_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(data) + "\n", encoding="utf-8")


def expected_for(record: dict, drop: set[str] = frozenset(), unreadable: list[str] = ()) -> dict:
    """The record a parser must return: deleted rows and unreadable values are absent."""
    expected = copy.deepcopy(record)
    for field_id in drop:
        delete_path(expected, "/" + field_id.replace(".", "/"))
    for pointer in unreadable:
        delete_path(expected, pointer)
    return expected


def docx_sample(
    style: str, name: str, record: dict, plan: Plan, plain: bool = False, unreadable: list[str] = ()
) -> Path:
    form = load_form(record["form"])
    path = OUT / style / f"{name}.docx"
    render_docx(build_blocks(form, record, plan), path, plain=plain)
    write_sample_json(path.with_name(f"{name}.expected.json"), expected_for(record, plan.drop, unreadable))
    if unreadable:
        write_sample_json(path.with_name(f"{name}.problems.json"), list(unreadable))
    return path


# ---------------------------------------------------------------- clean


def build_clean(records: dict[str, dict]) -> list[Path]:
    """python-docx, labels exactly as the definition prints them, ☑/☐ ticks, ISO dates."""
    out = []
    for name, record in records.items():
        layout = "two" if name in ("lz-agri", "gx-hospital") else "four"
        plan = Plan(name=name, layout=layout, written=WRITTEN.get(name, {}))
        out.append(docx_sample("clean", name, record, plan))
    return out


# ---------------------------------------------------------------- edited


LONG_TEXT = {
    "lead.outreach",
    "governance.decision_body",
    "governance.advisory_body",
    "governance.executive_body",
    "governance.funds_policy",
    "governance.benefit_policy",
    "governance.openness_policy",
    "plan.goals",
    "plan.tasks",
    "plan.outcomes",
    "signoff.recommender_opinion",
}


def _checked(record: dict, overrides: dict[str, str]) -> dict[str, str]:
    """Fail the build when a written amount does not mean the record's amount."""
    from writing import check_amount

    from toolkit.record import get_path

    for pointer, text in overrides.items():
        if pointer in ("/lead/revenue", "/lead/rd_expense_3y", "/lead/sales_3y") and not text.startswith(
            "人民币"
        ):
            check_amount(text, get_path(record, pointer))
    return overrides


def edited_plans(records: dict[str, dict]) -> dict[str, tuple[str, Plan]]:
    """Hand-edited copies: sample name -> (record name, plan). Each plan carries a different
    share of the edits people make in Word or WPS."""
    from writing import cn_date, daxie_yuan, dot_date, fullwidth, hand_label, slash_date

    plans = {
        # Labels spaced out and followed by colons, (万元), ☒ ticks, 是/否 words, amounts in 亿元
        # and with thousands separators, Chinese dates, % signs, contact details written
        # "联系人：覃小燕" in one cell, long texts in the row below their label.
        "lz-pass-spaced": (
            "lz-pass",
            Plan(
                name="lz-pass",
                label_style=hand_label,
                tick=("☒", "☐"),
                yesno_words=True,
                overrides={
                    "/lead/revenue": "8.65亿元",
                    "/lead/rd_expense_3y": "12,800万元",
                    "/lead/sales_3y": "24.5亿元",
                },
                date=cn_date,
                percent_sign=True,
                inline={"lead.legal_representative", "lead.contact", "lead.phone", "lead.email"},
                below=LONG_TEXT,
            ),
        ),
        "gx-pass-spaced": (
            "gx-pass",
            Plan(
                name="gx-pass",
                label_style=hand_label,
                tick=("●", "○"),
                overrides={
                    "/lead/revenue": "52亿元",
                    "/lead/rd_expense_3y": "48,600万元",
                    "/lead/sales_3y": "146亿元",
                },
                date=cn_date,
                percent_sign=True,
                inline={"lead.contact", "lead.phone"},
                below=LONG_TEXT,
            ),
        ),
        # Rows reordered, one row deleted, a 备注 row added, label variants from forms/*.yaml,
        # amounts in 元 and in full-width digits, dotted dates, ■ or ☒ ticks, a choice written
        # with the unticked options deleted.
        "lz-tech-reordered": (
            "lz-tech",
            Plan(
                name="lz-tech",
                labels={
                    "consortium.name": "拟组建创新联合体名称",
                    "lead.location": "注册地（县区）",
                    "lead.legal_representative": "法人代表",
                    "lead.revenue": "主营业务收入",
                    "lead.rd_staff": "专职研发人员数量",
                    "lead.sales_3y": "近三年销售收入总额",
                    "lead.rd_ratio": "研发投入强度",
                    "plan.tasks": "重点任务",
                    "signoff.date": "申报日期",
                },
                tick=("■", "□"),
                overrides={
                    "/lead/revenue": "103500000元",
                    "/lead/rd_expense_3y": fullwidth("3150.5"),
                    "/lead/sales_3y": "28,760",
                    "/lead/org_type": "企业",
                },
                ticked_only={"lead.industry"},
                date=dot_date,
                drop={"lead.address"},
                extras={"lead.phone": ("备注", "牵头单位为国家高新技术企业、专精特新“小巨人”企业。")},
                reverse_sections={1, 2},
            ),
        ),
        "gx-young-reordered": (
            "gx-young",
            Plan(
                name="gx-young",
                labels={
                    "consortium.name": "联合体名称",
                    "lead.legal_person": "是否具有独立法人资格",
                    "lead.internal_control": "内控制度是否健全完善",
                    "lead.tech_enterprise": "是否科技型企业",
                    "lead.rd_expense_3y": "近三年研发费用总额",
                    "governance.agreement_signed": "是否签订组建协议",
                    "signoff.recommender": "审核推荐单位",
                },
                tick=("☒", "☐"),
                yesno_words=True,
                overrides={
                    "/lead/revenue": "68000000元",
                    "/lead/sales_3y": fullwidth("11900"),
                    "/lead/rd_expense_3y": "1,460万元",
                },
                ticked_only={"lead.org_type"},
                date=dot_date,
                drop={"lead.legal_representative"},
                extras={"lead.tech_enterprise": ("备注", "成立时间较短，申请“一事一议”。")},
                reverse_sections={0, 1, 4},
            ),
        ),
        # A section cell merged down the left, long texts merged across, the platforms table
        # nested in a cell, member columns in another order with empty rows left at the end,
        # slashed dates, √ or ✓ ticks, an amount in capital numerals.
        "lz-agri-merged": (
            "lz-agri",
            Plan(
                name="lz-agri",
                layout="group",
                tick=("√", "□"),
                overrides={"/lead/rd_expense_3y": daxie_yuan(2105), "/lead/revenue": "4,280.6万元"},
                date=slash_date,
                below={"lead.outreach", "plan.goals", "plan.tasks"},
                nested_platforms=True,
                member_columns=[
                    "index",
                    "name",
                    "org_type",
                    "uscc",
                    "location",
                    "layer",
                    "consortia_count",
                    "basis",
                ],
                column_labels={
                    "members.name": "成员单位名称",
                    "members.uscc": "信用代码",
                    "members.layer": "所属层级",
                },
                trailing_rows=3,
            ),
        ),
        "gx-hospital-merged": (
            "gx-hospital",
            Plan(
                name="gx-hospital",
                layout="group",
                tick=("✓", "☐"),
                overrides={"/lead/revenue": daxie_yuan(685000), "/lead/rd_ratio": "4.87%"},
                date=slash_date,
                below={"lead.outreach", "governance.benefit_policy", "plan.outcomes"},
                nested_platforms=True,
                member_columns=[
                    "name",
                    "uscc",
                    "layer",
                    "org_type",
                    "consortia_count",
                    "location",
                    "basis",
                    "index",
                ],
                column_labels={
                    "members.org_type": "单位性质",
                    "members.consortia_count": "已参与创新联合体数（含本联合体）",
                    "members.basis": "与牵头单位合作基础",
                },
                trailing_rows=4,
            ),
        ),
    }
    for record_name, plan in plans.values():
        plan.written = WRITTEN.get(record_name, {})
        _checked(records[record_name], plan.overrides)
    return plans


def build_edited(records: dict[str, dict]) -> list[Path]:
    return [
        docx_sample("edited", name, records[rec], plan, plain=True)
        for name, (rec, plan) in edited_plans(records).items()
    ]


# ---------------------------------------------------------------- controls


def controls_plan(name: str, legacy: bool, placeholder: str) -> Plan:
    """Values in plain-text content controls; choices and yes/no as check box content controls or,
    with ``legacy``, as FORMCHECKBOX fields; the field ``placeholder`` (left blank in the record)
    still shows Word's placeholder text."""
    import controls
    from formbuild import value_text

    base = Plan(name=name, written=WRITTEN.get(name, {}))
    ways = ("default", "checked", "unchecked-over")
    counter = iter(range(1, 1000))

    def box(p, checked: bool, n: int) -> None:
        if legacy:
            k = next(counter)
            controls.legacy_checkbox(p, checked, f"Check{k}", ways[k % 3])
        else:
            controls.checkbox_control(p, checked)

    def fill(f, value, pointer):
        if f.type == "choice":
            return controls.options_filler(list(f.options), {value} if value else set(), box)
        if f.type == "yesno":
            chosen = set() if value is None else {"是" if value else "否"}
            return controls.options_filler(["是", "否"], chosen, box)
        text = value_text(base, f, value, pointer)
        if not text and f.id != placeholder:
            return None
        return lambda p: controls.text_control(p, text, f.id, f.label)

    base.fill = fill
    return base


def build_controls(records: dict[str, dict]) -> list[Path]:
    import controls

    out = []
    for sample, record_name, legacy, placeholder in (
        ("lz-tech-sdt", "lz-tech", False, "lead.email"),
        ("lz-pass-formcheckbox", "lz-pass", True, "lead.email"),
        ("gx-young-sdt", "gx-young", False, "lead.email"),
        ("gx-pass-formcheckbox", "gx-pass", True, "plan.outcomes"),
    ):
        controls.reset_ids()
        # the placeholder stands in a text field the applicant left blank
        record = expected_for(records[record_name], drop={placeholder})
        plan = controls_plan(record_name, legacy, placeholder)
        path = OUT / "controls" / f"{sample}.docx"
        form = load_form(record["form"])
        render_docx(build_blocks(form, record, plan), path, setup=controls.add_placeholder_style)
        write_sample_json(path.with_name(f"{sample}.expected.json"), record)
        out.append(path)
    return out


# ---------------------------------------------------------------- unreadable


def unreadable_plans() -> dict[str, tuple[str, Plan, list[str]]]:
    """Values that cannot be read: sample -> (record, plan, pointers a parser must report)."""
    return {
        "lz-pass-unreadable": (
            "lz-pass",
            Plan(
                name="lz-pass",
                overrides={
                    "/lead/revenue": "约五亿",
                    "/lead/org_type": "☑企业  ☑高等学校  ☐科研院所  ☐医院  ☐其他机构",
                    "/signoff/date": "2024年13月5日",
                },
            ),
            ["/lead/revenue", "/lead/org_type", "/signoff/date"],
        ),
        "lz-tech-unreadable": (
            "lz-tech",
            Plan(
                name="lz-tech",
                overrides={
                    "/lead/industry": "☐制造业  ☑科技与信息服务业  ☑其他",
                    "/consortium/strategic_agreement": "☑是  ☑否",
                    "/plan/start": "2024年2月30日",
                    "/lead/rd_expense_3y": "三千多万",
                },
            ),
            ["/lead/industry", "/consortium/strategic_agreement", "/plan/start", "/lead/rd_expense_3y"],
        ),
        "gx-pass-unreadable": (
            "gx-pass",
            Plan(
                name="gx-pass",
                overrides={
                    "/lead/revenue": "约五十亿元",
                    "/lead/legal_person": "☑是  ☑否",
                    "/plan/end": "2027年13月31日",
                },
            ),
            ["/lead/revenue", "/lead/legal_person", "/plan/end"],
        ),
        "gx-young-unreadable": (
            "gx-young",
            Plan(
                name="gx-young",
                overrides={
                    "/lead/org_type": "☑企业  ☐高等学校  ☑科研院所  ☐医院  ☐其他机构",
                    "/signoff/date": "2024年11月31日",
                    "/lead/sales_3y": "一亿多",
                },
            ),
            ["/lead/org_type", "/signoff/date", "/lead/sales_3y"],
        ),
    }


def build_unreadable(records: dict[str, dict]) -> list[Path]:
    out = []
    for name, (record_name, plan, pointers) in unreadable_plans().items():
        plan.written = WRITTEN.get(record_name, {})
        out.append(docx_sample("unreadable", name, records[record_name], plan, unreadable=pointers))
    return out


# ---------------------------------------------------------------- libreoffice and pdf


def build_libreoffice(records: dict[str, dict]) -> list[Path]:
    """HTML tables written here, turned into .docx by LibreOffice directly or through .odt."""
    import tempfile

    from layout import render_html
    from lostyles import html_to_docx, html_via_odt_to_docx
    from writing import cn_date, dot_date

    samples = {
        "lz-tech-html": ("lz-tech", Plan(name="lz-tech", date=cn_date), html_to_docx),
        "lz-agri-odt": (
            "lz-agri",
            Plan(name="lz-agri", layout="two", tick=("■", "□"), yesno_words=True),
            html_via_odt_to_docx,
        ),
        "gx-pass-html": ("gx-pass", Plan(name="gx-pass", percent_sign=True), html_to_docx),
        "gx-young-odt": (
            "gx-young",
            Plan(name="gx-young", layout="two", date=dot_date),
            html_via_odt_to_docx,
        ),
    }
    out = []
    with tempfile.TemporaryDirectory(prefix="ictk-html-") as tmp:
        for name, (record_name, plan, producer) in samples.items():
            record = records[record_name]
            plan.written = WRITTEN.get(record_name, {})
            form = load_form(record["form"])
            src = Path(tmp) / f"{name}.html"
            src.write_text(render_html(build_blocks(form, record, plan), form.title), encoding="utf-8")
            path = producer(src, OUT / "libreoffice")
            write_sample_json(path.with_name(f"{name}.expected.json"), expected_for(record, plan.drop))
            out.append(path)
    return out


# PDFs printed by LibreOffice: (style, sample) of the Word file each is printed from.
PRINTED = [
    ("clean", "lz-pass"),
    ("clean", "gx-young"),
    ("edited", "lz-pass-spaced"),
    ("edited", "gx-pass-spaced"),
    ("libreoffice", "lz-tech-html"),
    ("libreoffice", "gx-young-odt"),
    ("official", "lz-pass-official"),
    ("official", "gx-hospital-official"),
    ("unreadable", "lz-pass-unreadable"),
    ("unreadable", "gx-young-unreadable"),
]


def build_pdf(records: dict[str, dict]) -> list[Path]:
    """Each PDF keeps the expected record (and problems) of the Word file it was printed from."""
    from lostyles import pdf_text, print_pdf

    out = []
    for style, name in PRINTED:
        src = OUT / style / f"{name}.docx"
        if not src.exists():
            print(f"pdf: {style}/{name}.docx missing, build {style} first", file=sys.stderr)
            continue
        target = OUT / "pdf" / f"{name}.pdf"
        print_pdf(src, target)
        expected = json.loads(src.with_name(f"{name}.expected.json").read_text(encoding="utf-8"))
        if expected["lead"]["name"] not in pdf_text(target).replace(" ", "").replace("\n", ""):
            raise RuntimeError(f"{target}: the lead's name is not in the PDF's text layer")
        for suffix in ("expected", "problems"):
            side = src.with_name(f"{name}.{suffix}.json")
            if side.exists():
                shutil.copyfile(side, target.with_name(f"{name}.{suffix}.json"))
        out.append(target)
    return out


def verify_in_libreoffice(paths: list[Path]) -> None:
    """Hand-built WordprocessingML must open in LibreOffice: print each and look for the lead."""
    import tempfile

    from lostyles import pdf_text, print_pdf

    with tempfile.TemporaryDirectory(prefix="ictk-verify-") as tmp:
        for path in paths:
            expected = json.loads(path.with_name(f"{path.stem}.expected.json").read_text(encoding="utf-8"))
            text = pdf_text(print_pdf(path, Path(tmp) / f"{path.stem}.pdf"))
            if expected["lead"]["name"] not in text.replace(" ", "").replace("\n", ""):
                raise RuntimeError(f"{path}: LibreOffice does not show the lead's name")


# ---------------------------------------------------------------- official


def fill_official(record: dict, written: dict[str, str]):
    """The blank form of ``toolkit.blank`` filled by locating each label's cell and writing into
    the cell to its right, or the row below for long texts; rows added to tables when needed."""
    from formbuild import num

    from toolkit.blank import blank_document, printed_label
    from toolkit.record import get_path

    form = load_form(record["form"])
    doc = blank_document(form)
    by_label = {printed_label(f): f for f in form.fields}

    def put(cell, text: str) -> None:
        p = cell.paragraphs[0]
        if p.runs:
            p.runs[0].text = text
            for extra in p.runs[1:]:
                extra.text = ""
        else:
            p.add_run(text)

    def written_value(f, value) -> str:
        if f.type == "choice":
            return " ".join(("☑" if o == value else "☐") + o for o in f.options)
        if f.type == "yesno":
            return f"{'☑' if value is True else '☐'}是 {'☑' if value is False else '☐'}否"
        return "" if value is None else num(value)

    tables_by_header = {tuple(printed_label(c) for c in t.columns): t for t in form.tables}
    for table in doc.tables:
        rows = [list(dict.fromkeys(row.cells)) for row in table.rows]  # merged cells once
        header = tuple(c.text.strip() for c in rows[0])
        if header in tables_by_header:
            tdef = tables_by_header[header]
            entries = get_path(record, tdef.id) or []
            while len(table.rows) - 1 < len(entries):
                table._tbl.append(copy.deepcopy(table.rows[-1]._tr))
            for n, entry in enumerate(entries):
                cells = list(dict.fromkeys(table.rows[n + 1].cells))
                for cell, col in zip(cells, tdef.columns, strict=True):
                    pointer = f"{tdef.pointer}/{n}/{col.id}"
                    text = (
                        str(n + 1) if col.id == "index" else written.get(pointer, num(entry.get(col.id, "")))
                    )
                    put(cell, text)
            continue
        for r, cells in enumerate(rows):
            for i, cell in enumerate(cells):
                f = by_label.get(cell.text.strip())
                if f is None:
                    continue
                target = cells[i + 1] if i + 1 < len(cells) else rows[r + 1][0]
                put(target, written_value(f, get_path(record, f.id)))
    return doc


def build_official(records: dict[str, dict]) -> list[Path]:
    from layout import save_docx

    out = []
    for record_name in ("lz-pass", "gx-hospital"):
        record = records[record_name]
        path = OUT / "official" / f"{record_name}-official.docx"
        save_docx(fill_official(record, WRITTEN.get(record_name, {})), path)
        write_sample_json(path.with_name(f"{path.stem}.expected.json"), record)
        out.append(path)
    return out


def write_records(records: dict[str, dict]) -> None:
    for name, record in records.items():
        write_sample_json(OUT / f"{name}.record.json", record)


BUILDERS = {
    "clean": build_clean,
    "edited": build_edited,
    "controls": build_controls,
    "unreadable": build_unreadable,
    "libreoffice": build_libreoffice,
    "official": build_official,
    "pdf": build_pdf,
}


def main(argv: list[str]) -> int:
    wanted = argv or list(STYLES)
    unknown = [s for s in wanted if s not in STYLES]
    if unknown:
        print(f"unknown style: {', '.join(unknown)}; choose from {', '.join(STYLES)}", file=sys.stderr)
        return 2
    records = all_records()
    write_records(records)
    for style in STYLES:
        if style not in wanted or style not in BUILDERS:
            continue
        shutil.rmtree(OUT / style, ignore_errors=True)
        made = BUILDERS[style](records)
        if style == "controls":
            verify_in_libreoffice(made)
        print(f"{style}: {len(made)} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
