"""Where the Word file and the PDF of one application disagree, field by field: the comparison
lives in ``toolkit.compare`` (below the rules, which use it); re-exported here."""

from __future__ import annotations

from ..compare import diff_records  # noqa: F401 - re-exported
