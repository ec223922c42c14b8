"""JSON Schemas (draft 2020-12) of the canonical record, derived from the form definitions.

The definition in ``forms/<id>.yaml`` is the single source; ``schemas/<id>.schema.json`` is
its committed, generated image (``python -m toolkit.schema --write``), and a test proves the two
agree. The annotation contract (shared with the rules engine):

- every property has ``title`` (its Chinese label) and ``x-field`` (``lead.revenue``,
  ``members[].uscc``);
- every property with a constraint has ``x-clause`` and ``x-message``; a keyword whose clause or
  message differs from those has its own entry in ``x-keywords``;
- every object with ``required`` has ``x-required`` naming the clause and message of each entry.

Cross-field and threshold conditions are not here: they belong to the rules engine.

>>> schema = build_schema(load_form("lz-preapply-2024"))
>>> schema["properties"]["lead"]["properties"]["revenue"]["minimum"]
0
>>> schema["properties"]["consortium"]["x-required"]["name"]["x-clause"]
'lz-3.1'
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from typing import Any

from .errors import UnknownFormError
from .forms import Field, FormDef, Table, form_ids, load_form
from .resources import data_dir

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# GB 32100-2015: 18 characters from the digits and the capitals without I, O, S, V, Z;
# characters 3-8 are the administrative division code (digits). The check digit is a rule.
USCC_CHARS = "0-9A-HJ-NP-RTUWXY"
USCC_PATTERN = f"^[{USCC_CHARS}]{{2}}[0-9]{{6}}[{USCC_CHARS}]{{10}}$"
# A mobile number, or a landline with its area code: 0772-3861234, 0772 3861234,
# (0772)3861234, （0772）3861234, 077238612340; an extension may follow (-12, 转12).
PHONE_PATTERN = (
    r"^(?:(?:\+?86[- ]?)?1[3-9][0-9]{9}"
    r"|(?:0[1-9][0-9]{1,2}[- ]?|[(（]0[1-9][0-9]{1,2}[)）] ?)[1-9][0-9]{6,7}"
    r"(?:(?:-|转|分机|ext\.?)[0-9]{1,6})?)$"
)
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

# The objects of the record, in record order. Their titles come from the definition.
GROUPS = ("consortium", "lead", "governance", "plan", "signoff")


def _section_name(title: str) -> str:
    """``一、创新联合体基本情况`` -> ``创新联合体基本情况``."""
    return re.sub(r"^[一二三四五六七八九十]+、", "", title).strip()


def _q(label: str) -> str:
    """A label in Chinese quotes; quotes inside it become single quotes."""
    return "“" + label.replace("“", "‘").replace("”", "’") + "”"


def _annotated(keywords: list[tuple[str, Any, str, str]], default: tuple[str, str]) -> dict[str, Any]:
    """Constraint keywords with ``x-clause``/``x-message``; differing ones go to ``x-keywords``."""
    out: dict[str, Any] = {}
    for keyword, value, _, _ in keywords:
        out[keyword] = value
    if keywords:
        out["x-clause"], out["x-message"] = default
        overrides = {
            keyword: {"x-clause": clause, "x-message": message}
            for keyword, _, clause, message in keywords
            if (clause, message) != default
        }
        if overrides:
            out["x-keywords"] = overrides
    return out


def field_schema(f: Field, x_field: str) -> dict[str, Any]:
    """The schema of one field (a top-level field or a table column)."""
    label = f.label
    unit = f"（单位：{f.unit}）" if f.unit and f.unit not in label else ""
    kw: list[tuple[str, Any, str, str]] = []

    def add(keyword: str, value: Any, message: str, clause: str = "form") -> None:
        kw.append((keyword, value, clause, message))

    t = f.type
    if t in ("text", "longtext"):
        add("type", "string", f"{_q(label)}应为文字")
    elif t == "amount":
        add("type", "number", f"{_q(label)}应为数字，单位万元")
        add("minimum", 0, f"{_q(label)}不能为负数")
    elif t == "integer":
        add("type", "integer", f"{_q(label)}应为整数{unit}")
        add("minimum", 0, f"{_q(label)}不能为负数")
    elif t == "number":
        add("type", "number", f"{_q(label)}应为数字{unit}")
        add("minimum", 0, f"{_q(label)}不能为负数")
    elif t == "percent":
        add("type", "number", f"{_q(label)}应为百分数的数值（如 3.5 表示 3.5%）")
        add("minimum", 0, f"{_q(label)}应在 0 到 100 之间")
        add("maximum", 100, f"{_q(label)}应在 0 到 100 之间")
    elif t == "date":
        add("type", "string", f"{_q(label)}应为日期")
        add("pattern", DATE_PATTERN, f"{_q(label)}应写作 YYYY-MM-DD 格式的日期（如 2024-04-10）")
        add("format", "date", f"{_q(label)}不是一个存在的日期")
    elif t == "yesno":
        add("type", "boolean", f"{_q(label)}应为“是”或“否”")
    elif t == "choice":
        add("type", "string", f"{_q(label)}应为文字")
        add("enum", list(f.options), f"{_q(label)}应为以下之一：{'、'.join(f.options)}")
    elif t == "uscc":
        add("type", "string", f"{_q(label)}应为文字")
        add(
            "pattern",
            USCC_PATTERN,
            f"{_q(label)}应为 18 位统一社会信用代码（数字或大写字母，不含 I、O、S、V、Z）",
        )
    elif t == "phone":
        add("type", "string", f"{_q(label)}应为文字")
        add("pattern", PHONE_PATTERN, f"{_q(label)}应为手机号码或带区号的固定电话（如 0772-3861234）")
    elif t == "email":
        add("type", "string", f"{_q(label)}应为文字")
        add("pattern", EMAIL_PATTERN, f"{_q(label)}不是有效的电子邮箱地址")
    else:  # pragma: no cover - forms.py rejects unknown types
        raise ValueError(f"unknown field type {t!r}")

    if f.required is not None and t in ("text", "longtext"):
        add("minLength", 1, f.required.message, f.required.clause)
    if f.pattern is not None:
        regex, rule = f.pattern
        if any(k == "pattern" for k, *_ in kw):
            raise ValueError(f"{f.id}: a {t} field already has a pattern")
        add("pattern", regex, rule.message, rule.clause)

    # The property's own clause is the policy's when the definition gives one.
    if f.pattern is not None:
        default = (f.pattern[1].clause, f.pattern[1].message)
    elif f.required is not None and t in ("text", "longtext"):
        default = (f.required.clause, f.required.message)
    else:
        default = (kw[0][2], kw[0][3])
    return {"title": label, "x-field": x_field, **_annotated(kw, default)}


def _object(
    title: str, x_field: str, properties: dict[str, Any], required: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": title,
        "x-field": x_field,
        "type": "object",
        "x-clause": "form",
        "x-message": f"{_q(title)}应为一组字段（JSON 对象）",
        "properties": properties,
    }
    if required:
        out["required"] = list(required)
        out["x-required"] = {k: {"x-clause": c, "x-message": m} for k, (c, m) in required.items()}
    return out


def table_schema(table: Table, x_field: str) -> dict[str, Any]:
    """An array of row objects; columns with ``record: false`` (序号) are not in the record."""
    props: dict[str, Any] = {}
    required: dict[str, tuple[str, str]] = {}
    for col in table.columns:
        if not col.in_record:
            continue
        props[col.id] = field_schema(col, f"{x_field}[].{col.id}")
        if col.required is not None:
            required[col.id] = (col.required.clause, col.required.message)
    row = _object(f"{table.label}（每行一项）", f"{x_field}[]", props, required)
    return {
        "title": table.label,
        "x-field": x_field,
        "type": "array",
        "x-clause": "form",
        "x-message": f"{_q(table.label)}应为表格行的列表（JSON 数组）",
        "items": row,
    }


def build_schema(form: FormDef) -> dict[str, Any]:
    """The JSON Schema of ``form``'s canonical record, every constraint annotated with its clause."""
    # Collect every top-level field and table under its group, in definition order.
    groups: dict[str, dict[str, Any]] = {}
    group_required: dict[str, dict[str, tuple[str, str]]] = {}
    group_title: dict[str, str] = {}
    top: dict[str, Any] = {}
    top_required: dict[str, tuple[str, str]] = {}
    for section in form.sections:
        items: list[tuple[str, Field | Table]] = [(f.id, f) for f in section.fields]
        items += [(t.id, t) for t in section.tables]
        for item_id, item in items:
            parts = item_id.split(".")
            if len(parts) == 1:
                # A top-level table such as members[].
                assert isinstance(item, Table), item_id
                top[item_id] = table_schema(item, item_id)
                continue
            if len(parts) != 2 or parts[0] not in GROUPS:
                raise ValueError(f"{form.id}: field id {item_id!r} is not group.key")
            group, key = parts
            group_title.setdefault(group, _section_name(section.title))
            props = groups.setdefault(group, {})
            if isinstance(item, Table):
                props[key] = table_schema(item, item_id)
            else:
                props[key] = field_schema(item, item_id)
                if item.required is not None:
                    group_required.setdefault(group, {})[key] = (item.required.clause, item.required.message)

    properties: dict[str, Any] = {
        "form": {
            "title": "表单编号",
            "x-field": "form",
            "const": form.id,
            "x-clause": "form",
            "x-message": f"记录的表单编号应为 {form.id}",
        }
    }
    top_required["form"] = ("form", "记录缺少表单编号（form）")
    for group in GROUPS:
        if group not in groups:
            continue
        required = group_required.get(group, {})
        properties[group] = _object(group_title[group], group, groups[group], required)
        if required:
            # A missing group hides its fields' own messages: report it with the first one's clause.
            clause = next(iter(required.values()))[0]
            top_required[group] = (clause, f"未填写{_q(group_title[group])}部分")
        if group == "lead":
            properties.update(top)  # members[] follows lead, as in the record
            top = {}
    properties.update(top)

    return {
        "$schema": DIALECT,
        "$id": f"urn:ictk:schema:{form.id}",
        "description": f"{form.title}的标准记录（由 forms/{form.id}.yaml 生成，勿手工修改）",
        "x-form": form.id,
        "x-policy": form.policy,
        **_object(form.title, "", properties, top_required),
    }


@cache
def load_schema(form_id: str) -> dict[str, Any]:
    """The committed schema of ``form_id`` (``schemas/<id>.schema.json``)."""
    if form_id not in form_ids():
        raise UnknownFormError(f"未知的表单：{form_id}（可用：{'、'.join(form_ids())}）")
    path = data_dir("schemas") / f"{form_id}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def validator(form_id: str):
    """A cached ``Draft202012Validator`` with a format checker for ``form_id``'s records.

    Whole-valued ``Decimal`` counts as an integer, so records read with ``record.loads`` validate.
    """
    from jsonschema import Draft202012Validator, validators

    def is_integer(checker: Any, instance: Any) -> bool:
        if isinstance(instance, Decimal):
            return instance.is_finite() and instance == instance.to_integral_value()
        return Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer")

    type_checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", is_integer)
    cls = validators.extend(Draft202012Validator, type_checker=type_checker)
    return cls(load_schema(form_id), format_checker=Draft202012Validator.FORMAT_CHECKER)


def annotations(error: Any) -> list[tuple[str, str, str]]:
    """``(json pointer, clause, message)`` for one ``jsonschema`` error, read from the annotations.

    A ``required`` error yields one entry per missing property, pointing at that property.
    """
    base = "".join(f"/{p}" for p in error.absolute_path)
    schema = error.schema
    if error.validator == "required":
        missing = [
            k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance
        ]
        notes = schema.get("x-required", {})
        return [
            (
                f"{base}/{k}",
                notes.get(k, {}).get("x-clause", "form"),
                notes.get(k, {}).get("x-message", error.message),
            )
            for k in missing
        ]
    note = schema.get("x-keywords", {}).get(error.validator, {})
    clause = note.get("x-clause", schema.get("x-clause", "form"))
    message = note.get("x-message", schema.get("x-message", error.message))
    return [(base, clause, message)]


def dumps_schema(schema: dict[str, Any]) -> str:
    """The committed text form: UTF-8, Chinese unescaped, two-space indent, final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="由 forms/ 中的表单定义生成 schemas/ 中的 JSON Schema")
    parser.add_argument("--write", action="store_true", help="写入 schemas/<表单编号>.schema.json")
    parser.add_argument("--check", action="store_true", help="检查已提交的 schema 是否与表单定义一致")
    args = parser.parse_args(argv)
    stale = []
    for form_id in form_ids():
        text = dumps_schema(build_schema(load_form(form_id)))
        path = data_dir("schemas") / f"{form_id}.schema.json"
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if args.write:
            from .outputs import write_text

            write_text(path, text, force=True)
            print(f"已生成：{path}")
    if args.check and stale and not args.write:
        for path in stale:
            print(f"与表单定义不一致：{path}（运行 python -m toolkit.schema --write）")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
