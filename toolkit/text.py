"""Text helpers every step shares: one ``squeeze`` and one ``parse_date``.

>>> squeeze(" 柳州市 \\u3000汽车\\n创新联合体 "), squeeze(None)
('柳州市汽车创新联合体', '')
>>> parse_date("2024年4月1日"), parse_date("2024.4.1"), parse_date("2024-04-01")
(datetime.date(2024, 4, 1), datetime.date(2024, 4, 1), datetime.date(2024, 4, 1))
>>> parse_date("2024-02-30") is None, parse_date(None) is None
(True, True)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

_SPACE = re.compile(r"[\s\u3000]+")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def squeeze(text: Any, nfkc: bool = False) -> str:
    """Text with every kind of space removed (people space out names and labels); with ``nfkc``,
    full-width digits, letters and brackets made ASCII first (the reader compares so)."""
    text = "" if text is None else str(text)
    if nfkc:
        text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text)


def parse_date(value: Any) -> dt.date | None:
    """A date from what people write (``2024-04-10``, ``2024/4/10``, ``2024.4.10``,
    ``2024年4月10日``, a date or datetime object); None when it is no date or does not exist."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    m = _DATE.fullmatch(value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
