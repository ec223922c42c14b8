"""How well ictk reads scans, per condition: simulated scans (bench/scansim.py) of the filled
samples, read by ``toolkit.read.api.parse_file`` and compared field by field with the sample's
expected record.

    python bench/bench_ocr.py                                   # every condition, 2 samples each
    python bench/bench_ocr.py --conditions 150-colour,phone --samples 3 --seed 1
    python bench/bench_ocr.py --list                            # the conditions
    python bench/bench_ocr.py --keep out/scans -v               # keep the scans, show wrong values

For each condition it prints: fields right; wrong but flagged for review (a problem on the field
or on its row or table, or the whole file refused with a clear error); wrong and NOT flagged
(a silent wrong value, the one outcome that must not happen); right but flagged (needless work for
a person); files refused with an error and crashes (a traceback); the median seconds per page of
``parse_file``; and the goals of issue 12 beside them. ``own`` is the project's own scans in
``samples/scans`` (not simulated), for comparison. A value counts as right when
``toolkit.compare.compare_records`` (the Word/scan comparison of ``ictk batch``) finds no
difference; table rows are compared by position, so a row lost shifts every row after it.

The floor printed at the end is rendering each scan's pages alone (pdfium at the scan's dpi).

Before issue 12's reader work (commit 272df00), ``--samples 2 --seed 1`` on a shared 2-core
machine, ``nice -n 10``: see the table in README.md (bench section) and below.

BEFORE
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import scansim  # noqa: E402

# the Word samples the scans are made from: each has <stem>.expected.json beside it
SOURCE_FOLDERS = ("clean", "official", "edited", "libreoffice")
OWN = "own"  # the project's own scans in samples/scans, not simulated

GOAL_RIGHT = 0.98
GOAL_RIGHT_PHONE = 0.90
GOAL_SECONDS = 3.0


@dataclass
class Outcome:
    """One scan read and scored."""

    name: str
    condition: str
    about: str  # the scan's parameters
    pages: int = 0
    seconds: float = 0.0
    render: float = 0.0
    fields: int = 0
    right: int = 0
    flagged: int = 0  # wrong, and flagged
    silent: int = 0  # wrong, not flagged
    false_alarms: int = 0  # right, but flagged
    error: str = ""  # the reader refused the file with a clear message
    crash: str = ""  # anything else: a traceback
    wrong: list[tuple[str, Any, Any, bool]] = field(default_factory=list)  # pointer, expected, read, flagged


def sources() -> list[Path]:
    folder = ROOT / "samples" / "filled"
    found = []
    for sub in SOURCE_FOLDERS:
        for docx in sorted((folder / sub).glob("*.docx")):
            if docx.with_name(f"{docx.stem}.expected.json").is_file():
                found.append(docx)
    return found


def own_scans() -> list[Path]:
    return sorted(p for p in (ROOT / "samples" / "scans").glob("*.pdf") if p.with_suffix(".json").is_file())


def _covers(problem_field: str | None, pointer: str) -> bool:
    """A problem on ``problem_field`` flags ``pointer``: the same field, or its row or table."""
    f = (problem_field or "").rstrip("/")
    return f == "" or pointer == f or pointer.startswith(f + "/")


def score(outcome: Outcome, expected: dict[str, Any], result: Any) -> None:
    """Count ``outcome``'s fields right, wrong and flagged, wrong and silent, from the expected
    record and what the reader returned."""
    from test_parse_samples import flatten  # the samples' JSON-pointer flattener

    from toolkit.compare import compare_records

    leaves = flatten(expected)
    leaves.pop("/form", None)
    outcome.fields = len(leaves)
    if result is None:  # refused or crashed: nothing read
        outcome.flagged = len(leaves) if outcome.error else 0
        outcome.silent = 0 if outcome.error else len(leaves)
        return
    problems = [p.field for p in result.problems]
    diffs = compare_records(expected, result.record, expected["form"])
    read = flatten(result.record)
    wrong_ptrs = [d.pointer for d in diffs]
    for ptr, want in leaves.items():
        wrong = any(ptr == w or ptr.startswith(w + "/") for w in wrong_ptrs)
        flagged = any(_covers(f, ptr) for f in problems)
        if not wrong:
            outcome.right += 1
            outcome.false_alarms += flagged
            continue
        outcome.flagged += flagged
        outcome.silent += not flagged
        outcome.wrong.append((ptr, want, read.get(ptr), flagged))
    # values read where the paper has none (an extra row, a value in a blank field)
    for d in diffs:
        if not any(p == d.pointer or p.startswith(d.pointer + "/") for p in leaves):
            extra = flatten(d.b, d.pointer) if isinstance(d.b, (dict, list)) else {d.pointer: d.b}
            for ptr, got in extra.items():
                if got in (None, "", [], {}):
                    continue
                flagged = any(_covers(f, ptr) for f in problems)
                outcome.flagged += flagged
                outcome.silent += not flagged
                outcome.wrong.append((ptr, None, got, flagged))


def read_one(outcome: Outcome, pdf: Path, expected: dict[str, Any], dpi: int) -> None:
    import pypdfium2 as pdfium

    from toolkit.errors import IctkError
    from toolkit.read.api import parse_file

    doc = pdfium.PdfDocument(str(pdf))
    try:
        outcome.pages = len(doc)
        start = time.perf_counter()
        for page in doc:
            page.render(scale=dpi / 72)
        outcome.render = time.perf_counter() - start
    except Exception:  # the floor is a courtesy: never let it stop the bench
        outcome.render = 0.0
    finally:
        doc.close()
    result = None
    start = time.perf_counter()
    try:
        result = parse_file(pdf)
    except IctkError as err:
        outcome.error = str(err)
    except Exception as err:  # a crash is a result here, counted and shown
        outcome.crash = f"{type(err).__name__}: {err} @ {traceback.extract_tb(err.__traceback__)[-1].name}"
    outcome.seconds = time.perf_counter() - start
    score(outcome, expected, result)


def plan(conditions: list[str], per: int, seed: int) -> list[tuple[str, Path]]:
    """(condition, source) pairs: ``per`` samples for each condition, drawn by ``seed`` and the
    condition's name (so a condition gets the same samples whatever else is run with it, and
    conditions see different samples)."""
    pool, own = sources(), own_scans()
    out = []
    for cond in conditions:
        pick = random.Random(f"{seed}/{cond}")
        chosen = own if cond == OWN else pool
        out += [(cond, p) for p in pick.sample(chosen, min(per, len(chosen)))]
    return out


def run(conditions: list[str], per: int, seed: int, keep: Path | None, verbose: bool) -> list[Outcome]:
    from toolkit.record import load_record

    try:  # the models load once per process: not part of any scan's time
        from toolkit.ocr import engine

        start = time.perf_counter()
        engine.get_engine()
        print(f"模型加载：{time.perf_counter() - start:.2f} s（每个进程一次，不计入每页耗时）")
    except Exception as err:  # the reader may be arranged otherwise; the first scan pays then
        print(f"（未预先加载模型：{err}）")
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="ictk-bench-ocr-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for j, (cond, src) in enumerate(plan(conditions, per, seed)):
            j %= per  # the sample's number within its condition
            if cond == OWN:
                outcome = Outcome(src.stem, cond, "samples/scans")
                read_one(outcome, src, load_record(src.with_suffix(".json")), 150)
            else:
                params = scansim.draw(cond, seed * 1000 + j)
                outcome = Outcome(f"{src.parent.name}/{src.stem}", cond, params.short())
                out = folder / f"{cond}-{src.stem}-{j}.pdf"
                try:
                    info = scansim.simulate(src, params, out)
                except Exception as err:  # a source the simulator cannot change: say so, skip it
                    print(f"  跳过 {outcome.name}（{cond}）：无法生成扫描件：{err}")
                    continue
                read_one(outcome, out, info.record, params.dpi)
            outcomes.append(outcome)
            _print_one(outcome, verbose)
    return outcomes


def _print_one(o: Outcome, verbose: bool) -> None:
    state = f"拒收：{o.error}" if o.error else f"崩溃：{o.crash}" if o.crash else ""
    print(
        f"  [{o.condition}] {o.name}: {o.right}/{o.fields} 正确，错但已标记 {o.flagged}，"
        f"错且未标记 {o.silent}，误标记 {o.false_alarms}，{o.seconds / max(o.pages, 1):.2f} s/页 {state}"
    )
    print(f"      {o.about}")
    if verbose:
        for ptr, want, got, flagged in o.wrong:
            print(f"      {'已标记' if flagged else '未标记'} {ptr}: 应为 {want!r}，读成 {got!r}")


def summary(outcomes: list[Outcome], conditions: list[str]) -> list[dict[str, Any]]:
    rows = []
    for cond in conditions:
        mine = [o for o in outcomes if o.condition == cond]
        if not mine:
            continue
        fields = sum(o.fields for o in mine)
        right = sum(o.right for o in mine)
        per_page = [o.seconds / o.pages for o in mine if o.pages]
        goal = GOAL_RIGHT_PHONE if cond == "phone" else GOAL_RIGHT
        row = {
            "condition": cond,
            "scans": len(mine),
            "pages": sum(o.pages for o in mine),
            "fields": fields,
            "right": right,
            "share": right / fields if fields else 0.0,
            "flagged": sum(o.flagged for o in mine),
            "silent": sum(o.silent for o in mine),
            "false_alarms": sum(o.false_alarms for o in mine),
            "errors": sum(bool(o.error) for o in mine),
            "crashes": sum(bool(o.crash) for o in mine),
            "s_per_page": statistics.median(per_page) if per_page else 0.0,
            "render_per_page": statistics.median([o.render / o.pages for o in mine if o.pages] or [0.0]),
            "goal_share": goal,
        }
        row["met"] = (
            row["share"] >= goal
            and row["silent"] == 0
            and row["crashes"] == 0
            and row["s_per_page"] <= GOAL_SECONDS
        )
        rows.append(row)
    return rows


def print_table(rows: list[dict[str, Any]], outcomes: list[Outcome]) -> None:
    print()
    print("目标（问题单 12）：≥150 dpi 的每个条件字段正确率 ≥98%（手机拍照 ≥90%）；错且未标记 = 0；无崩溃；")
    print(f"                  每页耗时中位数 ≤{GOAL_SECONDS:g} s（2 核）")
    head = f"{'条件':<12}{'扫描件':>4}{'页':>4}{'字段':>6}{'正确':>14}{'错但已标记':>8}{'错且未标记':>8}{'误标记':>6}{'拒收':>4}{'崩溃':>4}{'s/页':>7}  目标"
    print(head)
    for r in rows:
        marks = []
        marks.append(("✓" if r["share"] >= r["goal_share"] else "✗") + f"≥{r['goal_share']:.0%}")
        marks.append(("✓" if r["silent"] == 0 else "✗") + "未标记=0")
        marks.append(("✓" if r["crashes"] == 0 else "✗") + "无崩溃")
        marks.append(("✓" if r["s_per_page"] <= GOAL_SECONDS else "✗") + f"≤{GOAL_SECONDS:g}s")
        right = f"{r['right']} {r['share']:6.1%}"
        print(
            f"{r['condition']:<14}{r['scans']:>4}{r['pages']:>5}{r['fields']:>7}{right:>15}{r['flagged']:>10}"
            f"{r['silent']:>12}{r['false_alarms']:>8}{r['errors']:>6}{r['crashes']:>6}{r['s_per_page']:>8.2f}  "
            + " ".join(marks)
        )
    if outcomes:
        fields = sum(o.fields for o in outcomes)
        right = sum(o.right for o in outcomes)
        per_page = [o.seconds / o.pages for o in outcomes if o.pages]
        floor = [o.render / o.pages for o in outcomes if o.pages and o.render]
        print(
            f"合计：{right}/{fields} 个字段正确（{right / max(fields, 1):.1%}），错且未标记 "
            f"{sum(o.silent for o in outcomes)}，崩溃 {sum(bool(o.crash) for o in outcomes)}；"
            f"每页耗时中位数 {statistics.median(per_page):.2f} s"
            + (
                f"（仅渲染的下限 {statistics.median(floor):.2f} s/页，"
                f"完整识别为其 {statistics.median(per_page) / max(statistics.median(floor), 1e-9):.0f} 倍）"
                if floor
                else ""
            )
        )
        met = sum(r["met"] for r in rows)
        print(f"达到全部目标的条件：{met}/{len(rows)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="ictk 扫描件识别基准：按条件统计字段正确、错但已标记、错且未标记和每页耗时。"
    )
    ap.add_argument("--conditions", help="逗号分隔的条件名（默认：全部；--list 列出）")
    ap.add_argument("--samples", type=int, default=2, help="每个条件用几份样例（默认 2）")
    ap.add_argument("--seed", type=int, default=1, help="随机种子：同一种子生成同样的扫描件")
    ap.add_argument("--keep", type=Path, help="把生成的扫描件保存到此文件夹")
    ap.add_argument("--json", type=Path, help="把每份扫描件的结果写成 JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="列出每个读错的字段")
    ap.add_argument("--list", action="store_true", help="列出条件后退出")
    args = ap.parse_args(argv)
    known = [*scansim.CONDITIONS, OWN]
    if args.list:
        for name, (about, _) in scansim.CONDITIONS.items():
            print(f"{name:12} {about}")
        print(f"{OWN:12} 项目自带的扫描件（samples/scans，非模拟）")
        return 0
    conditions = [c.strip() for c in args.conditions.split(",") if c.strip()] if args.conditions else known
    unknown = [c for c in conditions if c not in known]
    if unknown:
        print(f"未知的条件：{'、'.join(unknown)}；可用：{'、'.join(known)}", file=sys.stderr)
        return 2
    if args.samples < 1:
        print("--samples 至少为 1", file=sys.stderr)
        return 2
    outcomes = run(conditions, args.samples, args.seed, args.keep, args.verbose)
    rows = summary(outcomes, conditions)
    print_table(rows, outcomes)
    if args.json:
        data = {
            "conditions": rows,
            "scans": [
                {**o.__dict__, "wrong": [[p, repr(w), repr(g), f] for p, w, g, f in o.wrong]}
                for o in outcomes
            ],
        }
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
