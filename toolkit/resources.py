"""Where the data folders (forms/, schemas/, templates/) live.

In a source checkout they sit beside the package; in an installed wheel they are
shipped inside it as ``toolkit/_data/<name>``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder ``forms``, ``schemas`` or ``templates``."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ictk 安装不完整：找不到数据目录 {name}/")


def load_yaml(path: Path) -> Any:
    """A YAML data file, safely, with libyaml's C loader where installed (several times faster,
    and every ``ictk`` process reads the form definitions and profiles)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
