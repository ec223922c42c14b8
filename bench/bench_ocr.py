"""Seconds per scanned page, model load time, and share of fields read right.

    python bench/bench_ocr.py [scan.pdf ...]      # default: every scan in samples/scans

Prints, for the same run: the floor (rendering the page alone at 150 dpi), the full reading
(render + seals + deskew + table grid + text runs + recognition), their ratio, the model load time
(once per process), the slowest scan's seconds per page, and the share of record values equal to
each scan's expected record, over all scans. Target: <= 5 s per page on 2 cores.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _flat(node, prefix=""):
    if isinstance(node, dict):
        return {k: v for key, val in node.items() for k, v in _flat(val, f"{prefix}/{key}").items()}
    if isinstance(node, list):
        return {k: v for i, val in enumerate(node) for k, v in _flat(val, f"{prefix}/{i}").items()}
    return {prefix: node}


def main(paths: list[Path]) -> None:
    from toolkit.ocr import engine
    from toolkit.ocr.image import render_pages
    from toolkit.ocr.reader import parse_scan
    from toolkit.record import load_record, to_jsonable

    engine.get_engine()
    print(f"模型加载：{engine.load_seconds:.2f} s（每个进程一次）")
    pages = render_secs = read_secs = 0.0
    right = total = 0
    slowest = 0.0
    for path in paths:
        start = time.perf_counter()
        n = len(render_pages(path))
        render_secs += time.perf_counter() - start
        start = time.perf_counter()
        result = parse_scan(path)
        secs = time.perf_counter() - start
        read_secs += secs
        slowest = max(slowest, secs / n)
        pages += n
        expected_path = path.with_suffix(".json")
        if expected_path.is_file():
            expected = _flat(to_jsonable(load_record(expected_path)))
            got = _flat(to_jsonable(result.record))
            ok = sum(got.get(k) == v for k, v in expected.items())
            right, total = right + ok, total + len(expected)
            print(
                f"{path.name}: {n} 页，{secs / n:.2f} s/页，{ok}/{len(expected)} 个字段正确，"
                f"印章 {len(result.seals)} 枚，待人工核对 {len(result.problems)} 处"
            )
    print(f"仅渲染（基线）：{render_secs / pages:.2f} s/页")
    print(
        f"完整识别：{read_secs / pages:.2f} s/页（基线的 {read_secs / max(render_secs, 1e-9):.0f} 倍；目标 ≤ 5 s/页）"
    )
    print(f"最慢的扫描件：{slowest:.2f} s/页")
    if total:
        print(f"字段识别正确率：{right / total:.1%}（{right}/{total}）")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or sorted((ROOT / "samples" / "scans").glob("*.pdf"))
    main(args)
