"""Policy editions: one notice (or measures) of one year, as data.

An edition is named by the head of its profile, ``forms/<name>.profile.yaml``::

    edition: lz-2024                 # the id: policy and year
    policy: lz                       # the rule family (LZ-* rules, lz-… clause ids)
    form: lz-preapply-2024           # the form definition it uses (forms/<form>.yaml)
    year: 2024
    period: ["2024-01-01", "2024-12-31"]   # a form filled in these days belongs to this edition
    notice: lz-2024-notice.txt       # the policy text (beside the profile, or docs/policy/)
    clauses: lz-2024.clauses.yaml    # the clause quotes and their words (beside the profile)
    rules: [FORM, SEAL, LZ]          # the rule codes that apply (prefixes, as ruff's select)

Next year's notice is one profile file, one clause file and the notice text: no code.

>>> e = get_edition("lz-2024")
>>> e.form, e.year, e.selects("LZ-REVENUE"), e.selects("GX-REVENUE")
('lz-preapply-2024', 2024, True, False)
>>> e.cite("lz-2.2")
'《通知》第二条第（二）项'
>>> edition_for({"form": "gx-recognition"}).id
'gx-2023'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import UnknownFormError
from .resources import data_dirs, load_yaml

PROFILE_SUFFIX = ".profile.yaml"
# The keys of a profile that describe the edition itself, not a threshold of its rules.
EDITION_KEYS = ("edition", "policy", "form", "year", "period", "notice", "clauses", "rules", "ignore")


class EditionError(UnknownFormError):
    """An edition that does not exist or whose files are broken."""


@dataclass(frozen=True)
class Clause:
    id: str  # lz-2.2
    words: str  # 第二条第（二）项
    quote: str  # the sentence(s) of the policy text


@dataclass(frozen=True)
class Edition:
    id: str
    policy: str
    form: str
    year: int
    profile_path: Path
    clauses_path: Path
    notice_path: Path | None
    document: str  # 《关于开展2024年柳州市创新联合体组建预申报工作的通知》
    short: str  # 《通知》
    issuer: str  # 柳州市: who issued it, as a sentence names it (柳州市通知未规定…)
    select: tuple[str, ...]
    ignore: tuple[str, ...] = ()
    period: tuple[dt.date, dt.date] | None = None
    clauses: dict[str, Clause] = field(default_factory=dict, hash=False, compare=False)
    clause_of: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def selects(self, code: str) -> bool:
        """Whether rule ``code`` applies in this edition (``rules:`` prefixes less ``ignore:``)."""

        def hit(prefixes: tuple[str, ...]) -> bool:
            return any(code == p or code.startswith(p + "-") for p in prefixes)

        return hit(self.select) and not hit(self.ignore)

    def covers(self, day: dt.date) -> bool:
        return self.period is not None and self.period[0] <= day <= self.period[1]

    def quote(self, clause: str) -> str | None:
        c = self.clauses.get(clause)
        return c.quote if c else None

    def words(self, clause: str) -> str | None:
        c = self.clauses.get(clause)
        return c.words if c else None

    def cite(self, clause: str) -> str:
        """The clause in words, as a document cites it: ``《通知》第二条第（二）项``."""
        if clause == "form":
            return "申报表填写规范"
        words = self.words(clause)
        return f"{self.short}{words}" if words else self.short

    @property
    def notice(self) -> str | None:
        """The policy text, when this edition ships it."""
        if self.notice_path is None or not self.notice_path.is_file():
            return None
        return self.notice_path.read_text(encoding="utf-8")


def _date(value: Any, where: str) -> dt.date:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        raise EditionError(f"{where}：日期“{value}”应写作 YYYY-MM-DD") from None


def _load_clauses(path: Path, where: str) -> tuple[dict[str, Any], dict[str, Clause]]:
    if not path.is_file():
        raise EditionError(f"{where}：找不到条款文件 {path.name}")
    raw = load_yaml(path) or {}
    if not isinstance(raw, dict) or not isinstance(raw.get("clauses"), dict):
        raise EditionError(f"条款文件 {path.name} 格式不对：应有 document、short 和 clauses 三项")
    clauses = {}
    for cid, entry in raw["clauses"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("quote"), str):
            raise EditionError(f"条款文件 {path.name} 中条款“{cid}”缺少 quote（条款原文）")
        clauses[str(cid)] = Clause(str(cid), str(entry.get("words") or ""), entry["quote"])
    return raw, clauses


def _edition(path: Path) -> Edition:
    raw = load_yaml(path) or {}
    if not isinstance(raw, dict):
        raise EditionError(f"配置文件 {path.name} 格式不对：应为键值对")
    where = f"配置文件 {path.name}"
    for key in ("edition", "policy", "form", "year", "clauses", "rules"):
        if key not in raw:
            raise EditionError(f"{where} 缺少键“{key}”（版本的{_KEY_NAMES[key]}）")
    clauses_path = path.parent / str(raw["clauses"])
    head, clauses = _load_clauses(clauses_path, where)
    notice = None
    if raw.get("notice"):
        for folder in (path.parent, _docs_policy()):
            if folder is not None and (folder / str(raw["notice"])).is_file():
                notice = folder / str(raw["notice"])
                break
    period = raw.get("period")
    if period is not None:
        if not (isinstance(period, list) and len(period) == 2):
            raise EditionError(f"{where} 中键“period”应为 [起始日期, 截止日期]")
        period = (_date(period[0], where), _date(period[1], where))
    rules = raw["rules"]
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise EditionError(f"{where} 中键“rules”应为规则代码前缀的列表，如 [FORM, SEAL, LZ]")
    return Edition(
        id=str(raw["edition"]),
        policy=str(raw["policy"]),
        form=str(raw["form"]),
        year=int(raw["year"]),
        profile_path=path,
        clauses_path=clauses_path,
        notice_path=notice,
        document=str(head.get("document") or ""),
        short=str(head.get("short") or head.get("document") or ""),
        issuer=str(head.get("issuer") or ""),
        select=tuple(rules),
        ignore=tuple(raw.get("ignore") or ()),
        period=period,
        clauses=clauses,
        clause_of={str(k): str(v) for k, v in (head.get("rule_clauses") or {}).items()},
    )


_KEY_NAMES = {
    "edition": "编号",
    "policy": "政策（lz 或 gx）",
    "form": "表单编号",
    "year": "年份",
    "clauses": "条款文件",
    "rules": "适用规则",
}


def _docs_policy() -> Path | None:
    p = Path(__file__).resolve().parent.parent / "docs" / "policy"
    return p if p.is_dir() else None


@cache
def _editions(folders: tuple[Path, ...]) -> dict[str, Edition]:
    found: dict[str, Edition] = {}
    for folder in folders:
        for path in sorted(folder.glob("*" + PROFILE_SUFFIX)):
            e = _edition(path)
            if e.id not in found:
                found[e.id] = e
    return found


def editions() -> dict[str, Edition]:
    """Every edition, by id (an extra data folder's first: see ``toolkit.resources.data_dirs``)."""
    return _editions(tuple(data_dirs("forms")))


def edition_ids() -> list[str]:
    return sorted(editions())


def get_edition(edition_id: str) -> Edition:
    e = editions().get(edition_id)
    if e is None:
        raise EditionError(f"未知的政策版本：{edition_id}（可用：{'、'.join(edition_ids())}）")
    return e


def editions_of(form_id: str) -> list[Edition]:
    """The editions that use ``form_id``, newest first."""
    return sorted((e for e in editions().values() if e.form == form_id), key=lambda e: (-e.year, e.id))


def edition_for(record: dict[str, Any], edition_id: str | None = None) -> Edition:
    """The edition a record is checked by: ``edition_id`` when asked; else of the editions of
    its form, the one whose period holds the record's 填报日期 (``signoff.date``), else the
    newest one not after that year, else the newest.

    >>> edition_for({"form": "lz-preapply-2024", "signoff": {"date": "2024-04-10"}}).id
    'lz-2024'
    """
    if edition_id:
        return get_edition(edition_id)
    form_id = record.get("form") if isinstance(record, dict) else None
    candidates = editions_of(str(form_id))
    if not candidates:
        raise EditionError(f"表单 {form_id} 没有对应的政策版本（forms/*.profile.yaml 中 form: {form_id}）")
    if len(candidates) == 1:
        return candidates[0]
    signoff = record.get("signoff") if isinstance(record.get("signoff"), dict) else {}
    try:
        day = dt.date.fromisoformat(str(signoff.get("date", "")).strip())
    except ValueError:
        return candidates[0]
    for e in candidates:
        if e.covers(day):
            return e
    earlier = [e for e in candidates if e.year <= day.year]
    return earlier[0] if earlier else candidates[-1]


def resolve(name: str | None) -> tuple[str | None, str | None]:
    """``(form id, edition id)`` of what ``--form`` names: a form id, or an edition id.

    >>> resolve("lz-2024"), resolve("gx-recognition"), resolve(None)
    (('lz-preapply-2024', 'lz-2024'), ('gx-recognition', None), (None, None))
    """
    if not name:
        return None, None
    e = editions().get(name)
    if e is not None:
        return e.form, e.id
    return name, None


def find_clause(clause: str, policy_or_edition: str | None = None) -> tuple[Edition, Clause] | None:
    """The clause ``clause`` of an edition: of ``policy_or_edition`` when given (an edition id,
    or a policy whose newest edition is meant), else of the newest edition that quotes it."""
    pool = sorted(editions().values(), key=lambda e: (-e.year, e.id))
    if policy_or_edition:
        pool = [e for e in pool if policy_or_edition in (e.id, e.policy)] or pool
    for e in pool:
        if clause in e.clauses:
            return e, e.clauses[clause]
    return None


def cite(clause: str, policy_or_edition: str | None = None) -> str:
    """A clause in words with its document's short name, from the clause data.

    >>> cite("gx-5.2.2"), cite("lz-2.2"), cite("form")
    ('《管理办法》第五条第（二）项第2目', '《通知》第二条第（二）项', '申报表填写规范')
    """
    if clause == "form":
        return "申报表填写规范"
    found = find_clause(clause, policy_or_edition or clause.split("-", 1)[0])
    return found[0].cite(clause) if found else clause
