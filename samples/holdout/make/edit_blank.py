"""Hand edits an applicant makes to the official blank after filling it in Word.

Spaces (and full-width spaces) typed into labels with a trailing colon, a value typed into the
label cell (``联系人：韦晓琳``) with its own cell left empty, rows moved, unused empty rows
deleted, full-width digits and ``％``.
"""

from __future__ import annotations

from pathlib import Path

import docx
from fill_blank import norm, set_text, unique_cells

FULLWIDTH = str.maketrans("0123456789%", "０１２３４５６７８９％")
SPACED = {"牵头单位名称": " ", "统一社会信用代码": "\u3000", "法定代表人": " ", "注册地": "\u3000"}


def edit(path: Path, record: dict) -> None:
    doc = docx.Document(str(path))
    for table in doc.tables:
        rows = list(table.rows)
        head = norm(rows[0].cells[0].text)
        for row in rows if head not in ("平台名称", "序号") else []:
            cells = unique_cells(row)
            for i, cell in enumerate(cells):
                label = norm(cell.text)
                if label in SPACED:
                    set_text(cell, SPACED[label].join(label) + "：")
                elif label == "联系人" and i + 1 < len(cells):
                    set_text(cell, f"联系人：{cells[i + 1].text}")
                    set_text(cells[i + 1], "")
                elif label in ("上年度主营业务收入（万元）", "研发费用占销售收入比例（%）") and i + 1 < len(
                    cells
                ):
                    set_text(cells[i + 1], cells[i + 1].text.replace(",", "").translate(FULLWIDTH))
        if head in ("平台名称", "序号"):
            empty = [r for r in rows[1:] if not norm("".join(c.text for c in r.cells))]
            for r in empty[: max(0, len(empty) - 1)] if head == "序号" else empty:
                r._tr.getparent().remove(r._tr)
        labels = [norm(r.cells[0].text) for r in rows]
        if "单位类型" in labels and any(x.startswith("法定代表人") for x in labels):
            # move the 法定代表人/联系人 row above 单位类型
            mover = rows[[i for i, x in enumerate(labels) if x.startswith("法定代表人")][0]]._tr
            rows[labels.index("单位类型")]._tr.addprevious(mover)
    doc.save(str(path))
