"""The USCC check of the rules is ``toolkit.uscc`` (one implementation, shared with the OCR)."""

from ..uscc import (  # noqa: F401 - re-exported for rule modules and older imports
    AUTHORITIES,
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
    InvalidUSCC,
    calc_check_digit,
    calc_org_check_digit,
    compact,
    is_valid,
    validate,
)
