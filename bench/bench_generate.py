"""Generate 200 review opinions: our cached renderer against plain docxtpl load-render-save of the
same template, in the same run. Target: at most 0.5x of docxtpl's time per document.

    python bench/bench_generate.py [N]
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.generate.common import template_path  # noqa: E402
from toolkit.generate.engine import environment  # noqa: E402
from toolkit.generate.opinion import opinion_context, render_opinion  # noqa: E402
from toolkit.record import load_record  # noqa: E402


def applications(n: int) -> list[tuple[dict, list]]:
    from toolkit.check import check_record

    records = [load_record(p) for p in sorted((ROOT / "samples/filled").glob("gx-*.record.json"))]
    checked = [(r, check_record(r)) for r in records]
    out = []
    for i in range(n):
        record, findings = checked[i % len(checked)]
        record = {
            **record,
            "consortium": {**record["consortium"], "name": f"{record['consortium']['name']}{i}"},
        }
        out.append((record, findings))
    return out


def ours(apps) -> list[bytes]:
    return [render_opinion(r, f, "gx-city", date="2024-04-05") for r, f in apps]


def plain_docxtpl(apps) -> list[bytes]:
    from docxtpl import DocxTemplate

    path = template_path("gx-city")
    out = []
    for record, findings in apps:
        tpl = DocxTemplate(path)  # load
        tpl.render(
            opinion_context(record, findings, "gx-city", date="2024-04-05"), environment(), autoescape=True
        )
        buf = io.BytesIO()
        tpl.save(buf)  # save
        out.append(buf.getvalue())
    return out


def timed(fn, apps) -> tuple[float, list[bytes]]:
    start = time.perf_counter()
    docs = fn(apps)
    return time.perf_counter() - start, docs


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    apps = applications(n)
    base, base_docs = timed(plain_docxtpl, apps)
    mine, my_docs = timed(ours, apps)  # includes the one compilation of the template
    assert len(my_docs) == len(base_docs) == n
    from docx import Document

    a = [p.text for p in Document(io.BytesIO(my_docs[7])).paragraphs]
    b = [p.text for p in Document(io.BytesIO(base_docs[7])).paragraphs]
    same = "相同" if a == b else "不同"
    print(f"文书数：{n}（gx-city 审核推荐意见）")
    print(f"docxtpl 加载-渲染-保存：{base / n * 1000:.2f} ms/份")
    print(f"ictk 缓存渲染：        {mine / n * 1000:.2f} ms/份（含一次模板编译）")
    print(f"两者正文：{same}")
    print(f"ratio {mine / base:.3f}x（目标 ≤ 0.5x）")


if __name__ == "__main__":
    main()
