"""How a requirement reads to a person. The JSON keeps the rule's operator (``">= 50000"``, as
spec/REPORT.md shows it, for scripts); the terminal, the HTML report and the workbook say it in
words, as the policy texts do."""

from __future__ import annotations

import re

_OPERATOR = re.compile(r"\s*(>=|<=|≥|≤|>|<|≈)\s*(\S+)")
_WORDS = {">=": "不低于", "≥": "不低于", "<=": "不超过", "≤": "不超过", "≈": "约"}
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def requirement(expected: str | None) -> str:
    """``expected`` of a finding as a clerk reads it.

    >>> requirement(">= 10000")
    '不低于 10000'
    >>> requirement("年均 >= 3000 或比例 >= 3%")
    '年均不低于 3000 或比例不低于 3%'
    >>> requirement("<= 3"), requirement("≈ 16200"), requirement("> 2024-06-01"), requirement("< 5")
    ('不超过 3', '约 16200', '晚于 2024-06-01', '低于 5')
    >>> requirement("加盖公章"), requirement(None)
    ('加盖公章', '')
    """
    if not expected:
        return ""

    def words(m: re.Match[str]) -> str:
        op, value = m.group(1), m.group(2)
        if op in _WORDS:
            word = _WORDS[op]
        elif _DATE.fullmatch(value):
            word = "晚于" if op == ">" else "早于"
        else:
            word = "高于" if op == ">" else "低于"
        return f"{word} {value}"

    return _OPERATOR.sub(words, str(expected)).strip()
