"""Where the data folders (forms/, schemas/, templates/) live.

In a source checkout they sit beside the package; in an installed wheel they are
shipped inside it as ``toolkit/_data/<name>``.
"""

from __future__ import annotations

import os
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


EXTRA_DATA_ENV = "ICTK_DATA_DIR"


def data_dirs(name: str, extra: str | os.PathLike[str] | None = None) -> list[Path]:
    """Every folder ``name`` is looked up in, first found first: the folder of ``extra`` (or of
    the environment variable ``ICTK_DATA_DIR``: a folder holding ``forms/`` with extra editions,
    forms and clause files), then the shipped one."""
    out: list[Path] = []
    root = extra if extra is not None else os.environ.get(EXTRA_DATA_ENV)
    if root:
        candidate = Path(root) / name
        if candidate.is_dir():
            out.append(candidate)
    out.append(data_dir(name))
    return out


def load_yaml(path: Path) -> Any:
    """A YAML data file, safely, with libyaml's C loader where installed (several times faster,
    and every ``ictk`` process reads the form definitions and profiles)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
