"""Where the Word file and the PDF of one application disagree, field by field.

The comparison itself is ``toolkit.compare.compare_records`` (the same one ``ictk compare`` uses);
this adapter gives the rules ``(pointer, word_value, pdf_value)`` triples.
"""

from __future__ import annotations

from typing import Any

Difference = tuple[str, Any, Any]  # JSON pointer, value in the first record, value in the second


def diff_records(a: dict[str, Any], b: dict[str, Any], form: str) -> list[Difference]:
    """The fields where ``a`` and ``b`` disagree, in record order (``form`` left out)."""
    from ..compare import compare_records

    return [(d.pointer, d.a, d.b) for d in compare_records(a, b, form) if d.pointer != "/form"]
