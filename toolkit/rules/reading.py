"""Findings raised while reading a file, not by a rule over the record: listed here so that
``ictk rules`` explains every code a report can carry. The reader and OCR raise them."""

from __future__ import annotations

from .engine import RuleInfo, register

BOTH = ("lz-preapply-2024", "gx-recognition")

register(
    RuleInfo(
        code="PARSE-VALUE",
        clause="form",
        severity="error",
        forms=BOTH,
        title="填写内容无法识别",
        why="栏目中填写的内容无法按其类型读出（如金额写作“约五亿”、日期写作“2024年13月5日”、"
        "一个选择项勾选了两个选项）。ictk 不猜测：该栏目不写入记录，按原文报告，请改为明确的写法。",
    )
)

register(
    RuleInfo(
        code="OCR-LOW-CONFIDENCE",
        clause="form",
        severity="warning",
        forms=BOTH,
        title="扫描件识别可信度低，请人工核对",
        why="扫描件经离线 OCR 识别。金额、人数、统一社会信用代码、日期、比例等规则依赖的栏目，识别可信度低于"
        "阈值（toolkit/ocr/ocr.yaml）、统一社会信用代码校验位不符或大小写金额不一致时，报告识别出的原文和页码，"
        "请对照纸质件人工核对，不作为已确认的数值。",
    )
)

register(
    RuleInfo(
        code="PARSE-WRAP",
        clause="form",
        severity="warning",
        forms=BOTH,
        title="PDF 表格跨行内容归属不确定，请人工核对",
        why="没有表格线的 PDF 表格中，单元格文字折到下一行时按位置接回上一行；某一行大部分栏目为空时，"
        "按上一行的续行读取，不另算一条记录。若该行文字不像是上一行折下来的（上一行该栏未写满），"
        "报告该栏目读出的内容，请对照原件核对。",
    )
)
