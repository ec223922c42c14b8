"""Generating official documents (agreements, supplements, review opinions) from records.

Templates are real .docx files in ``templates/`` (listed in ``templates/templates.yaml``),
rendered by :mod:`toolkit.generate.engine`; each document has one module here.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy: `import toolkit.generate` must not pull in jinja2 or docxtpl.
    homes = {
        "render_agreement": "agreement",
        "render_supplement": "supplement",
        "compute_changes": "supplement",
        "render_opinion": "opinion",
        "draw_conclusion": "opinion",
        "lint_template": "lint",
    }
    if name in homes:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{homes[name]}"), name)
    raise AttributeError(name)


__all__ = [
    "compute_changes",
    "draw_conclusion",
    "lint_template",
    "render_agreement",
    "render_opinion",
    "render_supplement",
]
