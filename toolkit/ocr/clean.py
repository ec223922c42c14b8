"""Cleaning of OCR'd value cells by the type of their field (``forms/*.yaml``), before extraction.

What the recogniser leaves around a value (a speck read as a trailing ``。`` ``.`` ``:``, a
space) is taken off: that is trivial cleaning. What changes the value itself (a letter O in an
amount read for 0, a place one character off the profile's list, an option label misread) is a
correction: it is made only when exactly one reading of the expected type fits, and it is
recorded as a :class:`Change` that :func:`toolkit.ocr.verify.review_scan` reports for 人工核对.
Nothing here is silent: a value that still does not fit its type is left as read, for the
extraction to report.

>>> from toolkit.forms import load_form
>>> form = load_form("lz-preapply-2024")
>>> clean_value(form.field("lead.revenue"), "86500,。", form.id)
('86500', False)
>>> clean_value(form.field("lead.revenue"), "865O0", form.id)
('86500', True)
>>> clean_value(form.field("lead.location"), "柳州市柳南巨", form.id)
('柳州市柳南区', True)
>>> clean_value(form.field("lead.name"), "·柳州智驰底盘科技股份有限公司 .", form.id)
('柳州智驰底盘科技股份有限公司', False)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ..errors import IctkError
from ..forms import Field, FormDef, Table, load_form
from ..read import Cell, Grid, Layout, normalize
from ..read.extract import _strip_unit, label_key

# what a speck or a stroke of a rule is read as, around a value
JUNK = ".,，。:：;；'`‘’·•_~!！|丨、-—－…"
_ENDS = re.compile(rf"^[{re.escape(JUNK)}\s]+|[{re.escape(JUNK)}\s]+$")
# letters the recogniser reads for digits, in a field that holds only digits
DIGIT_LOOKALIKES = {
    "O": "0",
    "o": "0",
    "D": "0",
    "Q": "0",
    "〇": "0",
    "l": "1",
    "I": "1",
    "i": "1",
    "|": "1",
    "!": "1",
    "Z": "2",
    "z": "2",
    "S": "5",
    "s": "5",
    "B": "8",
    "b": "6",
    "G": "6",
    "g": "9",
    "q": "9",
}
NUMERIC = ("amount", "integer", "number", "percent")
# a sentence may end a long text: these stay at its end
_FINAL = "。！？；…"


@dataclass
class Change:
    """What cleaning did to one cell: ``corrected`` when the value itself was changed."""

    before: str
    after: str
    corrected: bool
    why: str = ""  # what was done, when it is not a correction by the field's type


def _strip(text: str) -> str:
    return _ENDS.sub("", text)


def _fits(f: Field, text: str) -> bool:
    from ..read.extract import convert

    try:
        convert(f, text)
    except normalize.NotFilled:
        return False
    except (ValueError, ArithmeticError):
        return False
    return True


@cache
def _places(form_id: str) -> tuple[str, ...]:
    """Places a location field names: the profile's counties (with their city) and cities."""
    from ..profile import load_profile

    try:
        p = load_profile(form_id)
    except IctkError:  # a form without a profile has no place list
        return ()
    city = p.get("locations_city")
    out: list[str] = []
    for county in p.get("locations", ()):
        out.append(f"{city}{county}" if city else county)
    out.extend(p.get("guangxi_cities", ()))
    return tuple(dict.fromkeys(out))


def _snap_place(text: str, form_id: str) -> str:
    """A place one character off a place of the profile's lists (a county with its city, or a
    city at the start of the text) put right; any other text as it is."""
    places = _places(form_id)
    if not places or text in places:
        return text
    hits = {p for p in places if len(p) == len(text) and _one_off(p, text)}
    if len(hits) == 1:
        return hits.pop()
    if any(text.startswith(p) for p in places):
        return text
    # a city misread at the start of a longer place (北海市铁山港区 read 北海巿铁山港区)
    starts = {p for p in places if len(text) > len(p) and _one_off(p, text[: len(p)]) and p.endswith("市")}
    if len(starts) == 1:
        city = starts.pop()
        return city + text[len(city) :]
    return text


def _one_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _digits_fixed(text: str) -> str:
    """Letters read for digits in a run of digits (865O0, l56) put back to the digits."""
    out = list(text)
    for i, ch in enumerate(text):
        if ch in DIGIT_LOOKALIKES:
            near = text[max(0, i - 1) : i] + text[i + 1 : i + 2]
            if any(c.isdigit() or c in DIGIT_LOOKALIKES for c in near) and any(c.isdigit() for c in text):
                out[i] = DIGIT_LOOKALIKES[ch]
    return "".join(out)


def clean_value(f: Field, text: str, form_id: str) -> tuple[str, bool]:
    """``(cleaned text, corrected)`` for the text of a cell holding field ``f``."""
    if not text.strip():
        return text, False
    kind = f.type
    if kind in NUMERIC or kind in ("date", "phone"):
        squeezed = unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))
        trimmed = _strip(squeezed)
        if kind in ("phone",) or _fits(f, trimmed) or not trimmed:
            return (trimmed or text), False
        fixed = _digits_fixed(trimmed)
        if fixed != trimmed and _fits(f, fixed):
            return fixed, True
        # a decimal point read as a middle dot or a comma's tail (3150·5)
        pointed = re.sub(r"(?<=\d)[·•．。](?=\d)", ".", fixed)
        if kind != "date" and pointed != fixed and _fits(f, pointed):
            return pointed, True
        # letters left over after the digits (5.22R): not part of any number
        tail = re.sub(r"[A-Za-z]+$", "", fixed)
        if tail != fixed and _fits(f, _strip(tail)):
            return _strip(tail), True
        return trimmed, False
    if kind == "uscc":
        kept = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isascii() and ch.isalnum())
        kept = kept.upper()
        if len(kept) == 19:  # a speck beside the code read as a letter or digit
            from .verify import uscc_valid

            hits = {c for c in (kept[1:], kept[:-1]) if uscc_valid(c)}
            if len(hits) == 1:
                return hits.pop(), True
        return (kept or text), False
    if kind == "email":
        trimmed = _strip(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
        return trimmed, False
    if kind in ("text", "longtext"):
        # a list numbered 1. 2. 3. whose item lost its dot: what the paper has beyond doubt
        text = _list_dots(cjk_spaces(text))
        marked, changed = speck_marks(text)
        if changed:
            return clean_value(f, marked, form_id)[0], True
    if kind == "text":
        trimmed = _strip(text.strip())
        if f.id.split(".")[-1] == "location":
            snapped = _snap_place(normalize.squeeze(trimmed), form_id)
            if snapped != normalize.squeeze(trimmed):
                return snapped, True
        return trimmed, False
    if kind == "longtext":
        body = re.sub(rf"^[{re.escape(JUNK)}\s]+", "", text.strip())
        end = re.search(rf"[{re.escape(JUNK)}\s]+$", body)
        if end:
            tail = end.group()
            final = next((ch for ch in tail if ch in _FINAL), "")
            body = body[: end.start()] + final
        return body, False
    if kind in ("choice", "yesno"):
        return _snap_options(f, text)
    return text, False


_CJK = "\u4e00-\u9fff"
# a dot after a number inside a sentence, before a character (200.名): a speck, not a decimal
# point (a digit follows one) nor a list number (which follows the start, 。 or ；)
_DOT_AFTER_NUMBER = re.compile(rf"(?<=[{_CJK}])(\d{{1,6}})[.．·](?=[{_CJK}])")
# a dot between a character and a number (人才.200名): no Chinese text has one
_DOT_BEFORE_NUMBER = re.compile(rf"(?<=[{_CJK}])[.．·](?=\d)")
# a middle dot beside punctuation (、·): in Chinese it only joins the parts of a foreign name
_DOT_BY_PUNCT = re.compile(r"(?<=[，。、；：])[·•]|[·•](?=[，。、；：])")
# a list number written 2: among ones written 1. and 3. (a speck over the point)
_LIST_COLON = re.compile(rf"(?:(?<=^)|(?<=[；;。]))(\d{{1,2}})[：:](?=[{_CJK}])")


def speck_marks(text: str) -> tuple[str, bool]:
    """Marks a speck beside a character was read as, inside a sentence, taken out; whether any.

    >>> speck_marks("培养研发人才200.名；2：药效学评价；1.海洋多糖、·线控；人才.200名")
    ('培养研发人才200名；2.药效学评价；1.海洋多糖、线控；人才200名', True)
    >>> speck_marks("1.提取2.5倍；约翰·史密斯")
    ('1.提取2.5倍；约翰·史密斯', False)
    """
    out = _DOT_AFTER_NUMBER.sub(r"\1", text)
    out = _DOT_BEFORE_NUMBER.sub("", out)
    out = _DOT_BY_PUNCT.sub("", out)
    if re.search(rf"(?:^|[；;。])\d{{1,2}}[.．](?=[{_CJK}])", out):
        out = _LIST_COLON.sub(r"\1.", out)
    return out, out != text


# a list item's number at the start or after ；/。, with or without its dot, before its text
_LIST_ITEM = re.compile(rf"(?:(?<=^)|(?<=[；;。]))(\d{{1,2}})([.．]?)(?=[{_CJK}])")


def _list_dots(text: str) -> str:
    """A list numbered 1. 2. 3. whose one item lost its dot (a faint point taken for a speck,
    4培养) given it back: only when the items are numbered 1 to n in order, so a sentence that
    starts with a number (；3项成果) is left alone, and all others have their dot.

    >>> _list_dots("1.线控攻关；2.共建平台；3.制定标准3项；4培养人才200名。")
    '1.线控攻关；2.共建平台；3.制定标准3项；4.培养人才200名。'
    >>> _list_dots("1.线控攻关；3项成果已转化")
    '1.线控攻关；3项成果已转化'
    """
    items = list(_LIST_ITEM.finditer(text))
    if len(items) < 2 or [int(m.group(1)) for m in items] != list(range(1, len(items) + 1)):
        return text
    if sum(bool(m.group(2)) for m in items) < len(items) - 1:
        return text  # a list written without dots, or lost more than one: left as read
    out = text
    for m in reversed(items):
        if not m.group(2):
            out = out[: m.end(1)] + "." + out[m.end(1) :]
    return out


# a space between two Chinese characters, or a Chinese character and a digit: Chinese text has
# none, the recogniser puts one where the characters stand a little apart
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}，。；：、）])\s+(?=[{_CJK}\d])|(?<=[{_CJK}\d])\s+(?=[{_CJK}（])")


def cjk_spaces(text: str) -> str:
    """Spaces between Chinese characters, or between one and a digit, taken out (a Latin word
    keeps its spaces).

    >>> cjk_spaces("培养研发人才 200名；Guangxi Co. Ltd 合作")
    '培养研发人才200名；Guangxi Co. Ltd 合作'
    """
    return _CJK_SPACE.sub("", text)


def _snap_options(f: Field, text: str) -> tuple[str, bool]:
    """Option labels one character off the form's options put right; ``corrected`` when the
    ticked one was."""
    options = list(f.options) if f.type == "choice" else ["是", "否"]
    if not options:
        return text, False
    if "☑" not in text and "☐" not in text:
        return _snap_written(text, options, f)
    parts = re.split(r"([☑☐])", text)
    corrected = False
    changed = False
    for i in range(2, len(parts), 2):
        label = normalize.squeeze(parts[i])
        trimmed = _strip(label)
        if not trimmed or trimmed in options or trimmed in f.aliases:
            if trimmed != label:
                parts[i] = trimmed + " "
                changed = True
            continue
        hits = [o for o in options if len(o) == len(trimmed) and len(o) >= 3 and _one_off(o, trimmed)]
        if len(hits) == 1:
            parts[i] = hits[0] + " "
            changed = True
            corrected = corrected or parts[i - 1] == "☑"
    return ("".join(parts).strip() if changed else text), corrected


def _snap_written(text: str, options: list[str], f: Field) -> tuple[str, bool]:
    """A choice written without boxes (a table's 核心层): junk around it taken off; one stray
    character beside an option (a speck read as 1), or one character off an option of three or
    more, put right as a correction.

    >>> from toolkit.forms import load_form
    >>> layer = next(c for t in load_form("gx-recognition").tables for c in t.columns if c.id == "layer")
    >>> _snap_written("核心层1", list(layer.options), layer), _snap_written("核心层。", list(layer.options), layer)
    (('核心层', True), ('核心层', False))
    """
    squeezed = normalize.squeeze(text)
    trimmed = _strip(squeezed)
    if trimmed in options or trimmed in f.aliases:
        return trimmed, False
    if not trimmed:
        return text, False
    hits = {o for o in options if trimmed in (o + trimmed[-1], trimmed[0] + o)}
    hits |= {o for o in options if len(o) == len(trimmed) and len(o) >= 3 and _one_off(o, trimmed)}
    if len(hits) == 1:
        return hits.pop(), True
    return text, False


def clean_layout(layout: Layout, form_id: str, cells: list[tuple[str, Cell]]) -> dict[int, Change]:
    """Clean, in place, each value cell of ``cells`` ((JSON pointer, cell) as extraction and
    :func:`toolkit.ocr.verify.locate_values` found them) by its field's type; the changes by
    ``id(cell)``."""
    from .verify import _field_at

    form: FormDef = load_form(form_id)
    changes: dict[int, Change] = {}
    for pointer, cell in cells:
        if id(cell) in changes:
            continue
        f = _field_at(form, pointer)
        if f is None:
            continue
        after, corrected = clean_value(f, cell.text, form_id)
        if after != cell.text:
            changes[id(cell)] = Change(cell.text, after, corrected)
            cell.text = after
    return changes


def value_cells(layout: Layout, form_id: str, extracted: dict[str, Cell]) -> list[tuple[str, Cell]]:
    """The value cells of ``layout``: those extraction read, and those found by their label."""
    from .verify import locate_values

    out = list(extracted.items())
    seen = {id(c) for _, c in out}
    for loc in locate_values(layout, load_form(form_id)):
        if id(loc.cell) not in seen:
            seen.add(id(loc.cell))
            out.append((loc.pointer, loc.cell))
    return out


@cache
def _label_keys(form_id: str) -> tuple[tuple[str, str, str], ...]:
    """(normalised label, label as printed, whose) of the form's fields and table columns."""
    from ..read.extract import label_key

    form = load_form(form_id)
    out = [(label_key(lab), lab, f.id) for f in form.fields for lab in f.labels]
    out += [
        (label_key(lab), lab, f"{t.id}.{c.id}") for t in form.tables for c in t.columns for lab in c.labels
    ]
    return tuple(dict.fromkeys(k for k in out if len(k[0]) >= 6))


def snap_labels(layout: Layout, form_id: str) -> int:
    """Label cells the recogniser misread by a character or two (上年度主营业务收入（方元）, a
    lost 、) put back to the form's label, so their value is found; how many. A cell is only
    taken for a label when the labels that close are all one field's and no label reads exactly."""
    from rapidfuzz.distance import Levenshtein

    from ..read import Grid
    from ..read.extract import label_key

    keys = _label_keys(form_id)
    exact = {k for k, _, _ in keys}
    done = 0
    for block in layout.blocks:
        if not isinstance(block, Grid):
            continue
        for row in block.rows:
            for cell in row:
                key = label_key(cell.text) if 6 <= len(cell.text) <= 40 else ""
                if not key or key in exact:
                    continue
                near = []
                for k, lab, whose in keys:
                    limit = 2 if len(k) >= 8 else 1
                    d = Levenshtein.distance(k, key, score_cutoff=limit)
                    if d <= limit:
                        near.append((d, lab, whose))
                if near and len({whose for _, _, whose in near}) == 1:
                    cell.text = min(near)[1]
                    done += 1
    return done


def split_merged(layout: Layout, form_id: str) -> int:
    """Cells that hold a label of the form beside other text, where the rule between two cells
    was lost in the scan (``注册地（县区） 柳州市鱼峰区``, ``2024.7.1 建设期截止日期 2027.6.30``),
    split back into cells at the label; how many cells were split.

    Only parts the recogniser read apart (a space between them) and a label of four characters or
    more read exactly are split on, and never the value of a long text (a sentence may name a
    label): text that merely contains a label's words stays whole.
    """
    from dataclasses import replace

    from ..read import Grid
    from ..read.extract import labels_for

    labels = labels_for(form_id)

    def is_label(part: str) -> bool:
        return len(part) >= 4 and labels.field_of(part) is not None

    done = 0
    for block in layout.blocks:
        if not isinstance(block, Grid):
            continue
        for r, row in enumerate(block.rows):
            out: list[Cell] = []
            for i, cell in enumerate(row):
                parts = cell.text.split()
                if len(parts) < 2 or cell.continued or not any(is_label(p) for p in parts):
                    out.append(cell)
                    continue
                owner = labels.field_of(row[i - 1].text) if i else None
                if owner is not None and owner.type == "longtext":  # a sentence may name a label
                    out.append(cell)
                    continue
                if "☐" in cell.text or "☑" in cell.text:  # options beside their label: extraction reads those
                    out.append(cell)
                    continue
                groups: list[str] = []
                joined = False  # the last group is a run of text, to extend
                for part in parts:
                    if is_label(part):
                        groups.append(part)
                        joined = False
                    elif joined:
                        groups[-1] += " " + part
                    else:
                        groups.append(part)
                        joined = True
                if len(groups) < 2:
                    out.append(cell)
                    continue
                out += [replace(cell, text=cjk_spaces(g), span=1) for g in groups]
                done += 1
            block.rows[r] = out
    return done


def join_split(layout: Layout, form_id: str) -> dict[int, Change]:
    """A value split over two cells by a rule the scan seemed to show (``理事会：…代表5`` and
    ``人组成。``): in a row that ends with a label and two cells of text that are no labels, the
    two are joined into the first; the joined cells by ``id``, to be flagged (a character may have
    been lost where the rule was seen: 秘书处 read 秘 and 处)."""
    from ..read import Grid
    from ..read.extract import labels_for

    labels = labels_for(form_id)
    joined: dict[int, Change] = {}
    for block in layout.blocks:
        if not isinstance(block, Grid):
            continue
        for row in block.rows:
            if len(row) < 3:
                continue
            label, value, extra = row[-3:]
            if labels.field_of(label.text) is None or not value.text.strip() or not extra.text.strip():
                continue
            if labels.field_of(value.text) is not None or labels.field_of(extra.text) is not None:
                continue
            if (
                value.continued
                or extra.continued
                or "☐" in value.text + extra.text
                or "☑" in value.text + extra.text
            ):
                continue
            before = f"{value.text}|{extra.text}"
            value.text = value.text.rstrip() + extra.text.strip()
            if value.confidence is not None and extra.confidence is not None:
                value.confidence = min(value.confidence, extra.confidence)
            if value.bbox is not None and extra.bbox is not None:
                value.bbox = (value.bbox[0], value.bbox[1], extra.bbox[2], max(value.bbox[3], extra.bbox[3]))
            row.remove(extra)
            joined[id(value)] = Change(before, value.text, True, "分在两格中读出，已合并")
    return joined


STACKED_DOUBT = 0.45  # the confidence given a label put back from a stack read one character off


def split_stacked(layout: Layout, form_id: str) -> int:
    """Labels of several rows read as one cell, where the rules between them were lost in the
    scan (a blurred label column: ``创新联合体名称核心技术领域所属产业方向…`` beside four value
    rows), cut back into the form's labels, one per row; how many stacks were cut.

    Only when the stack is the form's labels end to end and there are exactly as many as rows
    beside it; a label matched one character off makes the row's value flagged (its label cell
    gets the confidence :data:`STACKED_DOUBT`)."""
    from ..read import Grid
    from ..read.extract import label_key, labels_for

    labels = labels_for(form_id)
    keys = sorted({k for k in labels.exact if len(k) >= 2}, key=len, reverse=True)
    done = 0
    for block in layout.blocks:
        if not isinstance(block, Grid):
            continue
        r = 0
        while r < len(block.rows):
            first = block.rows[r][0] if block.rows[r] else None
            run = 1
            while (
                first is not None
                and r + run < len(block.rows)
                and block.rows[r + run]
                and block.rows[r + run][0].continued
                and block.rows[r + run][0].text == first.text
            ):
                run += 1
            if run >= 2 and first is not None and labels.field_of(first.text) is None:
                parts = _cut_labels(label_key(first.text), keys)
                if parts is not None and len(parts) == run:
                    for k, (text, exact) in enumerate(parts):
                        cell = block.rows[r + k][0]
                        cell.text, cell.continued = text, False
                        if not exact:
                            cell.confidence = min(cell.confidence or 1.0, STACKED_DOUBT)
                        cell.span = 1
                    done += 1
            r += run
    return done


def _cut_labels(text: str, keys: list[str]) -> list[tuple[str, bool]] | None:
    """``text`` as the labels ``keys`` end to end, longest first at each place, a label of four
    characters or more allowed one character off (the longest such, when only one is); ``(label,
    read exactly)`` each, or None.

    >>> _cut_labels("单位名称法定代表入联系人", ["单位名称", "法定代表人", "联系人"])
    [('单位名称', True), ('法定代表人', False), ('联系人', True)]
    """
    out: list[tuple[str, bool]] = []
    p = 0
    while p < len(text):
        hit = next((k for k in keys if text.startswith(k, p)), None)
        if hit is not None:
            out.append((hit, True))
            p += len(hit)
            continue
        near = [k for k in keys if len(k) >= 4 and _one_off(k, text[p : p + len(k)])]
        longest = [k for k in near if len(k) == max(map(len, near))] if near else []
        if len(longest) != 1:
            return None
        hit = longest[0]
        out.append((hit, False))
        p += len(hit)
    return out


def snap_headers(layout: Layout, form_id: str) -> int:
    """Column labels misread in a table's header row put back to the form's; how many.

    A row is taken for the header of one of the form's tables when three of its cells or more
    read as that table's column labels exactly. Each other cell of the row is snapped to a
    column of that table not found in the row, when its text is within half the label's length
    of one of the column's labels (``层级`` read ``蘑级``, ``已参与`` read ``已參与``, a label cut
    short ``已参与创新联``) and of no other column's: otherwise the whole column's values would be
    lost (a cell that reads as no label is left as it is: a column the form does not have)."""
    from rapidfuzz.distance import Levenshtein

    form = load_form(form_id)
    tables = []
    for table in form.tables:
        keys: dict[str, str] = {}  # label key -> column id
        for col in table.columns:
            for lab in col.labels:
                keys.setdefault(label_key(lab), col.id)
                keys.setdefault(_strip_unit(label_key(lab)), col.id)
        labels = {col.id: col.labels[0] for col in table.columns if col.labels}
        tables.append((table, keys, labels))
    done = 0
    for block in layout.blocks:
        if not isinstance(block, Grid):
            continue
        for row in block.rows:
            cells = [(c, label_key(c.text)) for c in row if c.text.strip() and len(c.text) < 40]
            matches = [
                ({keys.get(k) or keys.get(_strip_unit(k)) for _, k in cells} - {None}, table, keys, labels)
                for table, keys, labels in tables
            ]
            found, table, keys, labels = max(matches, key=lambda m: len(m[0]), default=(set(), None, {}, {}))
            if len(found) < 3:
                continue
            for cell, key in cells:
                if (
                    keys.get(key)
                    or keys.get(_strip_unit(key))
                    or key in ("序号", "编号")
                    or table.label in key
                ):
                    continue
                near = []
                for k, cid in keys.items():
                    if cid not in found and (d := Levenshtein.distance(k, key)) <= max(1, len(k) // 2):
                        near.append((d, cid))
                best = min((d for d, _ in near), default=None)
                if near and len({cid for d, cid in near if d == best}) == 1:
                    cid = next(cid for d, cid in near if d == best)
                elif (cid := _only_gap(table, cells, cell, keys, found)) is None:
                    continue
                cell.text = labels[cid]
                found.add(cid)
                done += 1
    return done


def _only_gap(
    table: Table, cells: list[tuple[Cell, str]], cell: Cell, keys: dict[str, str], found: set[str]
) -> str | None:
    """The column ``cell`` stands for by its place: its neighbours in the row read as two columns
    of ``table`` with exactly one column between them in the form, not found in the row (a
    label misread beyond recognition, ``层级`` read ``展級``)."""
    order = [c.id for c in table.columns]
    i = next(k for k, (c, _) in enumerate(cells) if c is cell)
    if i == 0 or i + 1 >= len(cells):
        return None

    def column(k: int) -> str | None:
        c, key = cells[k]
        return keys.get(label_key(c.text)) or keys.get(_strip_unit(label_key(c.text)))

    left, right = column(i - 1), column(i + 1)
    if left is None or right is None or left not in order or right not in order:
        return None
    between = order[order.index(left) + 1 : order.index(right)]
    return between[0] if len(between) == 1 and between[0] not in found else None
