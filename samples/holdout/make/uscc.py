"""Valid and broken unified social credit codes for the hold-out samples.

GB 32100-2015: 18 characters = registration authority, organisation type, 6-digit region,
9-character organisation code (GB 11714: 8 characters + check digit), check character
(mod 31 over the first 17, alphabet without I, O, S, V, Z).

>>> make("9", "1", "450200", "52601815")
'9145020052601815XM'
"""

from __future__ import annotations

import hashlib

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_W32100 = [pow(3, i, 31) for i in range(17)]
_W11714 = [3, 7, 9, 10, 5, 8, 4, 2]


def org_check(body: str) -> str:
    """GB 11714 check digit of an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body, _W11714, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def uscc_check(first17: str) -> str:
    """GB 32100 check character of the first 17 characters."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, _W32100, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def make(authority: str, kind: str, region: str, body: str) -> str:
    first17 = authority + kind + region + body + org_check(body)
    return first17 + uscc_check(first17)


def from_name(name: str, authority: str = "9", kind: str = "1", region: str = "450200") -> str:
    """A stable, valid USCC derived from a unit's name (digits only in the body)."""
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16)
    body = f"{digest % 10**8:08d}"
    return make(authority, kind, region, body)


def break_check(code: str) -> str:
    """The same code with a wrong GB 32100 check character."""
    right = code[-1]
    wrong = ALPHABET[(ALPHABET.index(right) + 7) % 31]
    return code[:-1] + wrong
