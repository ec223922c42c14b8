"""The registry of recognised consortia: an embedded SQLite database.

Recorded per consortium: name, level (自治区级/市级), recognition date, the lead and the member
units (by 统一社会信用代码) and the grades of past evaluations (gx-14). The batch's
cross-application rules read it; ``ictk registry due`` lists the annual reports (gx-12), the
3-yearly evaluations (gx-14) and the 整改 re-inspections (gx-14) that fall due.

The schema version is ``PRAGMA user_version``; older files are migrated in one transaction on
opening. A file that is not an SQLite database, is damaged, or was written by a newer ictk is
refused with a Chinese message and left exactly as it was.

Several processes may write at once (two clerks importing lists): the file is in WAL mode, a
writer waits for the lock (:data:`BUSY_SECONDS`) and a transaction that still finds it taken is
tried again from its start. Every change is one transaction, so a process killed mid-import
leaves the registry as it was before it, and it opens and passes ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InputError, RegistryError
from ..text import parse_date, squeeze
from .model import norm_uscc

SCHEMA_VERSION = 2
BUSY_SECONDS = 30.0  # how long a writer waits for another one's transaction to end
RETRIES = 5  # a transaction that still finds the database locked is run again this many times
DEFAULT_PATH = Path("~/.local/share/ictk/registry.db")

GRADES = ("优秀", "良好", "合格", "整改", "撤销")  # gx-14
LEVELS = ("自治区级", "市级")

# Each step takes the schema from version i-1 to i. Version 0 is a new, empty file.
MIGRATIONS: dict[int, str] = {
    1: """
        CREATE TABLE consortia (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            lead_name TEXT,
            lead_uscc TEXT,
            recognized_on TEXT,
            form TEXT
        );
        CREATE TABLE members (
            consortium_id INTEGER NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
            name TEXT,
            uscc TEXT,
            org_type TEXT
        );
    """,
    2: """
        ALTER TABLE consortia ADD COLUMN level TEXT;
        ALTER TABLE consortia ADD COLUMN lead_org_type TEXT;
        CREATE TABLE grades (
            consortium_id INTEGER NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
            year INTEGER NOT NULL,
            grade TEXT NOT NULL,
            published_on TEXT,
            PRIMARY KEY (consortium_id, year)
        );
        CREATE INDEX members_uscc ON members(uscc);
        CREATE INDEX consortia_lead ON consortia(lead_uscc);
    """,
}

# The columns of `ictk registry import/export`: one row per member unit; the consortium's own
# cells may be left blank on its following rows.
COLUMNS = (
    "创新联合体名称",
    "级别",
    "认定日期",
    "牵头单位名称",
    "牵头单位统一社会信用代码",
    "牵头单位类型",
    "成员单位名称",
    "成员单位统一社会信用代码",
    "成员单位类型",
    "评估记录",
)


@dataclass
class Member:
    name: str
    uscc: str
    org_type: str | None = None


@dataclass
class Grade:
    year: int
    grade: str
    published_on: str | None = None


@dataclass
class Consortium:
    name: str
    lead_name: str
    lead_uscc: str
    recognized_on: str | None = None  # ISO date
    level: str | None = None
    lead_org_type: str | None = None
    form: str | None = None
    members: list[Member] = field(default_factory=list)
    grades: list[Grade] = field(default_factory=list)
    id: int | None = None

    @property
    def latest_grade(self) -> Grade | None:
        return max(self.grades, key=lambda g: g.year) if self.grades else None

    @property
    def revoked(self) -> bool:
        g = self.latest_grade
        return g is not None and g.grade == "撤销"

    def units(self) -> list[tuple[str, str, str | None, str]]:
        """``(uscc, name, org_type, role)`` of the lead and every member; role 牵头单位/成员单位."""
        out = [(norm_uscc(self.lead_uscc), self.lead_name, self.lead_org_type, "牵头单位")]
        out += [(norm_uscc(m.uscc), m.name, m.org_type, "成员单位") for m in self.members]
        return [u for u in out if u[0]]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "level": self.level,
            "recognized_on": self.recognized_on,
            "lead": {"name": self.lead_name, "uscc": self.lead_uscc, "org_type": self.lead_org_type},
            "members": [m.__dict__ for m in self.members],
            "grades": [g.__dict__ for g in sorted(self.grades, key=lambda g: g.year)],
        }


@dataclass
class DueItem:
    consortium: str
    consortium_id: int
    kind: str  # 年度报告, 三年评估, 整改复核
    due: str  # ISO date
    clause: str
    overdue: bool
    note: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def default_path() -> Path:
    return DEFAULT_PATH.expanduser()


def iso_date(value: Any) -> str:
    """An ISO date from what people write (``toolkit.text.parse_date``), or :class:`InputError`.

    >>> iso_date("2024年4月1日")
    '2024-04-01'
    """
    day = parse_date(value)
    if day is None:
        raise InputError(f"日期无法识别：{value}（应写作 2024-04-10 或 2024年4月10日）")
    return day.isoformat()


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


DUTIES_EDITION = "gx"  # the policy whose measures set a 自治区级 consortium's duties
DUTY_KINDS = ("年度报告", "三年评估", "整改复核")


def duties_edition(c: Consortium) -> Any:
    """The edition whose terms bind a recognised consortium: a 市级 one (or one recognised from a
    Liuzhou form) its own city's edition, a 自治区级 one (or one of unknown level) the measures'."""
    from ..editions import editions, editions_of

    def newest(policy: str) -> Any:
        pool = sorted((e for e in editions().values() if e.policy == policy), key=lambda e: (-e.year, e.id))
        return pool[0] if pool else None

    if c.level == "自治区级":
        return newest(DUTIES_EDITION)
    own = editions_of(c.form) if c.form else []
    if own:
        return own[0]
    if c.level == "市级":
        return newest("lz")
    return newest(DUTIES_EDITION)


def registry_terms(edition_or_form: str | None = None) -> dict[str, Any] | None:
    """The duties of a recognised consortium under an edition (or a form's newest edition;
    default: the Guangxi measures): the ``registry:`` section of its profile (gx-12 annual
    report date, gx-14 evaluation cycle and 整改 period), or None when the edition sets none.

    >>> t = registry_terms()
    >>> (t["annual_report"]["month"], t["annual_report"]["day"], t["evaluation"]["every_years"])
    (12, 31, 3)
    >>> registry_terms("lz-2024") is None
    True
    """
    from ..editions import editions
    from ..profile import load_profile

    name = edition_or_form or next(
        e.id for e in sorted(editions().values(), key=lambda e: -e.year) if e.policy == DUTIES_EDITION
    )
    return load_profile(name).get("registry")


def _unset(c: Consortium, edition: Any) -> list[DueItem]:
    """One line per duty the edition does not set: the clerk sees that no date is due, and why."""
    who = f"{edition.issuer}{edition.short.strip('《》')}" if edition is not None else "政策文件"
    level = c.level or "本级"
    return [
        DueItem(c.name, c.id, kind, "", "", False, f"{who}未规定{level}创新联合体的{kind}期限")
        for kind in DUTY_KINDS
    ]


def _day_of(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year
        return date(year, month, 28)


class Registry:
    """An open registry database. Use as a context manager, or call :meth:`close`.

    >>> import tempfile, os
    >>> with Registry(os.path.join(tempfile.mkdtemp(), "r.db")) as reg:
    ...     reg.version
    2
    """

    def __init__(self, path: str | Path | None = None, create: bool = True) -> None:
        """``create`` False: a registry that does not exist yet is an error, not a new empty one
        (checking against a mistyped path must not pass as checked)."""
        self.path = Path(path).expanduser() if path else default_path()
        if not create and not self.path.exists():
            raise RegistryError(
                f"名录文件不存在：{self.path}（请检查路径；新名录用 ictk registry import 或 ictk registry add 建立）"
            )
        self._con = _open(self.path)
        self.version = SCHEMA_VERSION

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Everything inside is written together or not at all."""
        con = self._con
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from None
        try:
            yield con
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        try:
            con.execute("COMMIT")
        except sqlite3.Error as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise _write_error(self.path, exc) from None

    def _write(self, work):  # type: ignore[no-untyped-def]
        """``work(con)`` in one transaction, run again from its start (up to :data:`RETRIES`
        times) while another process holds the database longer than the busy timeout."""
        for attempt in range(RETRIES + 1):
            try:
                with self.transaction() as con:
                    return work(con)
            except sqlite3.Error as exc:
                error = _write_error(self.path, exc)
                if not isinstance(error, _Locked):
                    raise error from None
                if attempt == RETRIES:
                    break
                time.sleep(0.05 * (attempt + 1))
        raise RegistryError(f"名录文件正被其他程序长时间占用，请稍后再试：{self.path}")

    # -- writing ---------------------------------------------------------------------------

    def add(self, c: Consortium, replace: bool = False) -> int:
        """Add one consortium; a name already in the registry is refused unless ``replace``."""
        return self._write(lambda con: self._insert(con, c, replace))

    def add_many(self, items: Iterable[Consortium], replace: bool = True) -> int:
        """Add (or with ``replace``, update) several consortia in one transaction."""
        items = list(items)

        def work(con: sqlite3.Connection) -> int:
            for c in items:
                self._insert(con, c, replace)
            return len(items)

        return self._write(work)

    def _insert(self, con: sqlite3.Connection, c: Consortium, replace: bool) -> int:
        if not squeeze(c.name):
            raise InputError("创新联合体名称不能为空")
        if c.level and c.level not in LEVELS:
            raise InputError(f"级别应为{'或'.join(LEVELS)}：{c.level}")
        for g in c.grades:
            _check_grade(g.grade)
        row = con.execute("SELECT id FROM consortia WHERE name = ?", (squeeze(c.name),)).fetchone()
        if row:
            if not replace:
                raise InputError(f"名录中已有同名创新联合体：{c.name}（编号 {row[0]}）")
            con.execute("DELETE FROM members WHERE consortium_id = ?", (row[0],))
            con.execute("DELETE FROM grades WHERE consortium_id = ?", (row[0],))
            con.execute(
                "UPDATE consortia SET lead_name=?, lead_uscc=?, recognized_on=?, form=?, level=?,"
                " lead_org_type=? WHERE id=?",
                (
                    c.lead_name,
                    norm_uscc(c.lead_uscc),
                    c.recognized_on,
                    c.form,
                    c.level,
                    c.lead_org_type,
                    row[0],
                ),
            )
            cid = row[0]
        else:
            cur = con.execute(
                "INSERT INTO consortia (name, lead_name, lead_uscc, recognized_on, form, level, lead_org_type)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    squeeze(c.name),
                    c.lead_name,
                    norm_uscc(c.lead_uscc),
                    c.recognized_on,
                    c.form,
                    c.level,
                    c.lead_org_type,
                ),
            )
            cid = cur.lastrowid
        con.executemany(
            "INSERT INTO members (consortium_id, name, uscc, org_type) VALUES (?, ?, ?, ?)",
            [(cid, m.name, norm_uscc(m.uscc), m.org_type) for m in c.members],
        )
        con.executemany(
            "INSERT INTO grades (consortium_id, year, grade, published_on) VALUES (?, ?, ?, ?)",
            [(cid, g.year, g.grade, g.published_on) for g in c.grades],
        )
        c.id = cid
        return int(cid)

    def grade(self, key: str | int, year: int, grade: str, published_on: str | None = None) -> Consortium:
        """Record the grade of the evaluation of ``year`` (replacing one already recorded)."""
        _check_grade(grade)
        c = self.find(key)
        self._write(
            lambda con: con.execute(
                "INSERT OR REPLACE INTO grades (consortium_id, year, grade, published_on) VALUES (?, ?, ?, ?)",
                (c.id, int(year), grade, published_on),
            )
        )
        return self.find(c.id)

    # -- reading ---------------------------------------------------------------------------

    def consortia(self) -> list[Consortium]:
        con = self._con
        rows = con.execute(
            "SELECT id, name, lead_name, lead_uscc, recognized_on, level, lead_org_type, form"
            " FROM consortia ORDER BY id"
        ).fetchall()
        members: dict[int, list[Member]] = {}
        for cid, name, uscc, org in con.execute(
            "SELECT consortium_id, name, uscc, org_type FROM members ORDER BY rowid"
        ):
            members.setdefault(cid, []).append(Member(name, uscc, org))
        grades: dict[int, list[Grade]] = {}
        for cid, year, g, pub in con.execute(
            "SELECT consortium_id, year, grade, published_on FROM grades ORDER BY year"
        ):
            grades.setdefault(cid, []).append(Grade(year, g, pub))
        return [
            Consortium(
                id=r[0],
                name=r[1],
                lead_name=r[2] or "",
                lead_uscc=r[3] or "",
                recognized_on=r[4],
                level=r[5],
                lead_org_type=r[6],
                form=r[7],
                members=members.get(r[0], []),
                grades=grades.get(r[0], []),
            )
            for r in rows
        ]

    def find(self, key: str | int) -> Consortium:
        """A consortium by its number or its name."""
        text = squeeze(key)
        for c in self.consortia():
            if str(c.id) == text or c.name == text:
                return c
        raise InputError(f"名录中没有这个创新联合体：{key}")

    def due(self, on: date | None = None) -> list[DueItem]:
        """What falls due for each active consortium as of ``on`` (default today), by the terms
        of the consortium's own edition (:func:`duties_edition`, :func:`registry_terms`); an
        edition that sets no term gives an undated line saying so."""
        on = on or date.today()
        items: list[DueItem] = []
        by_edition: dict[str | None, dict[str, Any] | None] = {}
        for c in self.consortia():
            if c.revoked or not c.recognized_on:
                continue
            recognized = date.fromisoformat(c.recognized_on)
            if recognized > on:
                continue
            edition = duties_edition(c)
            key = edition.id if edition is not None else None
            if key not in by_edition:
                by_edition[key] = registry_terms(key) if key else None
            terms = by_edition[key]
            if terms is None:
                items.extend(_unset(c, edition))
                continue
            report, evaluation, rectification = (
                terms["annual_report"],
                terms["evaluation"],
                terms["rectification"],
            )
            report_day = _day_of(on.year, report["month"], report["day"])
            items.append(
                DueItem(
                    c.name,
                    c.id,
                    "年度报告",
                    report_day.isoformat(),
                    report["clause"],
                    False,
                    f"{on.year}年度运行报告，{report['month']}月{report['day']}日前报送推荐单位和自治区科技厅",
                )
            )
            # Every n years: from recognition, then from the year of the last evaluation.
            every = int(evaluation["every_years"])
            last = c.latest_grade
            next_eval = add_years(recognized, every if last is None else last.year + every - recognized.year)
            if next_eval <= on:
                items.append(
                    DueItem(
                        c.name,
                        c.id,
                        "三年评估",
                        next_eval.isoformat(),
                        evaluation["clause"],
                        next_eval < on,
                        f"{recognized.isoformat()}认定，"
                        + (f"上次评估为{last.year}年，" if last else "")
                        + f"已满{every}年，应进行绩效评估",
                    )
                )
            if last is not None and last.grade == "整改":
                # The period runs from the publication of the grade; when that date was not
                # recorded, from the end of the evaluation year.
                published = (
                    date.fromisoformat(last.published_on) if last.published_on else date(last.year, 12, 31)
                )
                years = int(rectification["years"])
                reinspect = add_years(published, years)
                items.append(
                    DueItem(
                        c.name,
                        c.id,
                        "整改复核",
                        reinspect.isoformat(),
                        rectification["clause"],
                        reinspect < on,
                        f"{last.year}年评估结果为整改（{published.isoformat()}公布），整改期{years}年，期满复核",
                    )
                )
        return sorted(items, key=lambda i: (i.due, i.consortium_id, i.kind))

    # -- import / export -------------------------------------------------------------------

    def export_rows(self) -> list[list[Any]]:
        """Rows under :data:`COLUMNS`, one per member unit."""
        rows: list[list[Any]] = []
        for c in self.consortia():
            grades = "；".join(
                f"{g.year}年{g.grade}" + (f"（{g.published_on}公布）" if g.published_on else "")
                for g in sorted(c.grades, key=lambda g: g.year)
            )
            head = [
                c.name,
                c.level or "",
                c.recognized_on or "",
                c.lead_name,
                c.lead_uscc,
                c.lead_org_type or "",
            ]
            for i, m in enumerate(c.members or [Member("", "")]):
                rows.append([*head, m.name, m.uscc, m.org_type or "", grades if i == 0 else ""])
        return rows

    def import_rows(self, rows: list[dict[str, Any]]) -> int:
        """Add or update the consortia in ``rows`` (dicts keyed by :data:`COLUMNS`), all in one
        transaction: a bad row leaves the registry as it was."""
        return self.add_many(rows_to_consortia(rows), replace=True)


def rows_to_consortia(rows: list[dict[str, Any]]) -> list[Consortium]:
    out: dict[str, Consortium] = {}
    current: Consortium | None = None
    for n, row in enumerate(rows, 2):
        cell = {k: ("" if row.get(k) is None else row.get(k)) for k in COLUMNS}
        name = squeeze(cell["创新联合体名称"])
        if name:
            current = out.get(name)
            if current is None:
                try:
                    recognized = iso_date(cell["认定日期"]) if squeeze(cell["认定日期"]) else None
                except InputError as exc:
                    raise InputError(f"第{n}行：{exc}") from None
                current = out[name] = Consortium(
                    name=name,
                    level=squeeze(cell["级别"]) or None,
                    recognized_on=recognized,
                    lead_name=str(cell["牵头单位名称"]).strip(),
                    lead_uscc=norm_uscc(cell["牵头单位统一社会信用代码"]),
                    lead_org_type=squeeze(cell["牵头单位类型"]) or None,
                )
        elif current is None:
            if any(squeeze(v) for v in cell.values()):
                raise InputError(f"第{n}行：缺少“创新联合体名称”")
            continue
        if squeeze(cell["成员单位名称"]) or squeeze(cell["成员单位统一社会信用代码"]):
            current.members.append(
                Member(
                    str(cell["成员单位名称"]).strip(),
                    norm_uscc(cell["成员单位统一社会信用代码"]),
                    squeeze(cell["成员单位类型"]) or None,
                )
            )
        for m in re.finditer(
            r"(\d{4})年?[:：]?(优秀|良好|合格|整改|撤销)(?:[（(](.+?)公布[)）])?", squeeze(cell["评估记录"])
        ):
            current.grades.append(Grade(int(m[1]), m[2], iso_date(m[3]) if m[3] else None))
    return list(out.values())


def consortium_from_record(
    record: dict[str, Any], recognized_on: str | None, level: str | None
) -> Consortium:
    """A registry entry from a canonical record (an approved application)."""
    lead = record.get("lead") or {}
    name = squeeze((record.get("consortium") or {}).get("name"))
    if not name or not lead.get("uscc"):
        raise InputError("记录中缺少创新联合体名称或牵头单位统一社会信用代码，无法加入名录")
    form = record.get("form")
    return Consortium(
        name=name,
        lead_name=str(lead.get("name") or ""),
        lead_uscc=norm_uscc(lead.get("uscc")),
        lead_org_type=lead.get("org_type"),
        recognized_on=recognized_on,
        level=level or ("市级" if str(form).startswith("lz") else "自治区级" if form else None),
        form=form,
        members=[
            Member(str(m.get("name") or ""), norm_uscc(m.get("uscc")), m.get("org_type"))
            for m in record.get("members") or []
        ],
    )


def _check_grade(grade: str) -> None:
    if grade not in GRADES:
        raise InputError(f"评估等级应为{'、'.join(GRADES)}之一：{grade}")


def _open(path: Path) -> sqlite3.Connection:
    """Open (or create) and migrate; refuse, untouched, a file that is not a usable registry."""
    exists = path.exists()
    if exists and not path.is_file():
        raise RegistryError(f"名录路径不是文件：{path}")
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RegistryError(f"无法创建名录所在目录：{path.parent}（{exc.strerror}）") from None
    uri = path.resolve().as_uri() + ("?mode=rw" if exists else "?mode=rwc")
    read_only = exists and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    if read_only:  # read-only media: read it as it is (WAL needs a writable folder for its index)
        uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_SECONDS)
    except sqlite3.Error as exc:
        raise RegistryError(f"无法打开名录文件：{path}（{exc}）") from None
    try:
        # Read-only probes first: nothing is written to a file we have not recognised.
        version = con.execute("PRAGMA user_version").fetchone()[0]
        ok = con.execute("PRAGMA quick_check").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.OperationalError as exc:  # the file is fine, this process cannot use it
        con.close()
        if "locked" in str(exc).lower() or "unable to open" in str(exc).lower():
            raise RegistryError(f"无法打开名录文件：{path}（{_reason(exc)}）。文件未作改动。") from None
        raise RegistryError(f"名录文件已损坏或不是 SQLite 数据库：{path}（{exc}）。文件未作改动。") from None
    except sqlite3.DatabaseError as exc:
        con.close()
        raise RegistryError(f"名录文件已损坏或不是 SQLite 数据库：{path}（{exc}）。文件未作改动。") from None
    if ok != "ok":
        con.close()
        raise RegistryError(f"名录文件已损坏：{path}（完整性检查：{ok}）。文件未作改动。")
    if version > SCHEMA_VERSION:
        con.close()
        raise RegistryError(
            f"名录文件由较新版本的 ictk 建立（格式版本 {version}，本程序支持到 {SCHEMA_VERSION}）：{path}。"
            "请升级 ictk；文件未作改动。"
        )
    if version == 0 and tables:
        # No version stamp: either the first, unversioned layout of this registry, or a
        # database that is none of ours.
        if "consortia" in tables and "members" in tables and "grades" not in tables:
            version = 1
        else:
            con.close()
            raise RegistryError(f"不是 ictk 名录文件（含有其他数据表）：{path}。文件未作改动。")
    try:
        con.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            _wal(con)
        if version < SCHEMA_VERSION:
            con.execute("BEGIN IMMEDIATE")
            try:
                # another process may have created or migrated the file while we waited
                now = con.execute("PRAGMA user_version").fetchone()[0]
                if now or not tables:
                    version = now
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[step].split(";"):
                        if statement.strip():
                            con.execute(statement)
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
    except sqlite3.Error as exc:
        con.close()
        raise RegistryError(f"名录文件升级失败：{path}（{_reason(exc)}）") from None
    return con


class _Locked(sqlite3.OperationalError):
    pass


def _wal(con: sqlite3.Connection) -> None:
    """Write-ahead logging, so that readers never block a writer nor a writer the readers.
    Left as it is where the folder does not allow it (read-only media): reading still works."""
    try:
        con.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass


def _reason(exc: sqlite3.Error) -> str:
    """A Chinese reason for an SQLite error."""
    text = str(exc).lower()
    if "full" in text:
        return "磁盘空间不足"
    if "readonly" in text or "read-only" in text:
        return "文件或目录只读"
    if "locked" in text or "busy" in text:
        return "正被其他程序占用"
    if "unable to open" in text:
        return "无法打开（目录不可写或文件不可访问）"
    if "disk i/o" in text:
        return "磁盘读写错误"
    return str(exc)


def _write_error(path: Path, exc: sqlite3.Error) -> Exception:
    """The exception a failed write becomes: :class:`_Locked` (tried again), else a RegistryError;
    the registry keeps its content from before the transaction."""
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return _Locked(str(exc))
    return RegistryError(f"无法写入名录：{path}（{_reason(exc)}），名录保持原样")


def read_table(path: str | Path) -> list[dict[str, Any]]:
    """The rows of an ``.xlsx`` (first sheet) or ``.csv`` file as dicts keyed by its header."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"文件不存在：{p}")
    suffix = p.suffix.lower()
    if suffix == ".csv":
        import csv

        raw = p.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(f"CSV 文件编码无法识别：{p}")
        rows = list(csv.reader(text.splitlines()))
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:  # any failure means "not a usable workbook"
            raise InputError(f"无法读取 Excel 文件：{p}（{type(exc).__name__}）") from None
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    else:
        raise InputError(f"只能导入 .xlsx 或 .csv 文件：{p}")
    if not rows:
        raise InputError(f"文件是空的：{p}")
    required = ("创新联合体名称", "牵头单位统一社会信用代码")
    # the header may sit under a title row or two (“2023年认定的创新联合体名单”)
    found = next(
        (
            (at, header)
            for at, header in enumerate(header_columns(row) for row in rows[:10])
            if all(c in header for c in required)
        ),
        None,
    )
    if found is None:
        missing = [c for c in required if c not in header_columns(rows[0])]
        raise InputError(f"缺少列：{'、'.join(missing)}（模板可用 ictk registry export 生成）")
    at, header = found
    return [dict(zip(header, r, strict=False)) for r in rows[at + 1 :] if any(v not in (None, "") for v in r)]


# What the columns of :data:`COLUMNS` are called in the lists bureaus keep (spaces, brackets and
# the words 名称 / 统一社会 ignored when matching).
HEADER_ALIASES = {
    "创新联合体名称": ("创新联合体名称", "创新联合体", "联合体名称", "名称"),
    "级别": ("级别", "认定级别", "层级"),
    "认定日期": ("认定日期", "认定时间", "批准日期", "批准时间", "发文日期"),
    "牵头单位名称": ("牵头单位名称", "牵头单位", "牵头企业"),
    "牵头单位统一社会信用代码": (
        "牵头单位统一社会信用代码",
        "牵头单位信用代码",
        "统一社会信用代码",
        "信用代码",
    ),
    "牵头单位类型": ("牵头单位类型", "单位类型"),
    "成员单位名称": ("成员单位名称", "成员单位"),
    "成员单位统一社会信用代码": ("成员单位统一社会信用代码", "成员单位信用代码"),
    "成员单位类型": ("成员单位类型",),
    "评估记录": ("评估记录", "评估结果", "评估等次", "绩效评估"),
}


def header_columns(row: list[Any]) -> list[str]:
    """The :data:`COLUMNS` name of each header cell (the cell as written when it is none of
    them). A column's name is taken by the first header that can mean it.

    >>> header_columns(["序号", "联合体名称", "牵头单位", "统一社会信用代码", "认定时间"])
    ['序号', '创新联合体名称', '牵头单位名称', '牵头单位统一社会信用代码', '认定日期']
    """
    out: list[str] = []
    for cell in row:
        text = re.sub(r"[\s（）()：:*]", "", str(cell or ""))
        name = next(
            (column for column, aliases in HEADER_ALIASES.items() if text in aliases and column not in out),
            text,
        )
        out.append(name)
    return out
