"""The project's exception types. Every message is Chinese and fit to show a user as is.

The CLI turns any :class:`IctkError` into one line on stderr and exit status 2.
"""

from __future__ import annotations

# What a clerk can do about a damaged file (rather than the name of the Python exception).
DAMAGED_HINT = "文件不完整或格式有误，请向申报单位重新索取"


class IctkError(Exception):
    """Base of every error a user can cause; ``str(err)`` is a Chinese sentence."""

    exit_code = 2


class InputError(IctkError):
    """A file or argument that cannot be used (missing, wrong kind, malformed)."""


class UnknownFormError(InputError):
    """A form id that no definition in ``forms/`` has."""


class UnreadableError(InputError):
    """A file that could not be read as a form."""


class ScanNeedsOCRError(UnreadableError):
    """A PDF whose pages carry no usable text layer and OCR is not available."""


class OutputError(IctkError):
    """An output that cannot be written: it exists (without --force) or the folder is not writable."""


class TemplateError(IctkError):
    """A document template that is broken or misses a variable."""


class RegistryError(IctkError):
    """A registry database that is corrupt, too new or otherwise unusable."""
