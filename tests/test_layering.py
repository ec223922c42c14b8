"""One layering: read → record → rules → report → render, and no import goes back up.

Every ``import`` of every module of ``toolkit/`` (at the top or inside a function) is read with
``ast``; a module may import from its own layer or a lower one only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"

# Lowest first. A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "record",  # data files, the record, findings and the helpers every step shares
        (
            "toolkit",
            "toolkit.errors",
            "toolkit.resources",
            "toolkit.record",
            "toolkit.findings",
            "toolkit.outputs",
            "toolkit.officedoc",
            "toolkit.uscc",
            "toolkit.text",
            "toolkit.forms",
            "toolkit.editions",
            "toolkit.profile",
            "toolkit.schema",
            "toolkit.compare",
            "toolkit.helptext",
            "toolkit.wording",
        ),
    ),
    ("read", ("toolkit.read", "toolkit.ocr")),
    ("rules", ("toolkit.rules",)),
    ("report", ("toolkit.check",)),
    ("batch", ("toolkit.batch",)),
    ("render", ("toolkit.views", "toolkit.generate", "toolkit.blank", "toolkit.annotate")),
    ("commands", ("toolkit.commands", "toolkit.cli", "toolkit.__main__", "toolkit.web")),
]
# Pairs that may not import each other although they share a layer.
APART = [("toolkit.read.pdf_reader", "toolkit.ocr.reader")]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    best = (-1, -1)
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                best = max(best, (len(prefix), index))
    assert best[1] >= 0, f"{module} is in no layer: add it to LAYERS"
    return best[1]


def imports(path: Path) -> set[str]:
    """The toolkit modules ``path`` imports (``from . import x`` counts as ``package.x``)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("toolkit"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                is_module = (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists() or (
                    PACKAGE.parent / sub.replace(".", "/")
                ).is_dir()
                found.add(sub if is_module else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("toolkit")}
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_import_goes_up(path):
    source = module_name(path)
    mine = layer_of(source)
    upward = [t for t in imports(path) if layer_of(t) > mine]
    assert not upward, f"{source} ({LAYERS[mine][0]}) imports {upward} from a layer above"


def test_the_readers_of_pdf_and_scan_do_not_import_each_other():
    by_name = {module_name(p): p for p in MODULES}
    for a, b in APART:
        assert b not in imports(by_name[a]), f"{a} imports {b}"
        assert a not in imports(by_name[b]), f"{b} imports {a}"


def test_the_checker_does_not_reach_into_the_batch():
    # named in issue 13: rules/cross.py, check.py, the registry and the views
    by_name = {module_name(p): p for p in MODULES}
    assert not {i for i in imports(by_name["toolkit.rules.cross"]) if i.startswith("toolkit.batch")}
    assert not {i for i in imports(by_name["toolkit.check"]) if i.startswith("toolkit.batch")}
    assert not {i for i in imports(by_name["toolkit.batch.registry"]) if i.startswith("toolkit.views")}
    for name, path in by_name.items():
        if name.startswith("toolkit.views"):
            assert not {i for i in imports(path) if i.startswith("toolkit.commands")}, name


def test_the_layer_map_catches_an_upward_import(tmp_path):
    """The test itself can fail: a rule module importing the batch is caught."""
    fake = PACKAGE / "rules" / "cross.py"
    tree = fake.read_text(encoding="utf-8") + "\nfrom ..batch.model import FileResult\n"
    probe = tmp_path / "cross.py"
    probe.write_text(tree, encoding="utf-8")
    found = {t for t in imports_as(probe, "toolkit.rules.cross")}
    assert "toolkit.batch.model" in found and layer_of("toolkit.batch.model") > layer_of(
        "toolkit.rules.cross"
    )


def imports_as(path: Path, module: str) -> set[str]:
    package = module.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            out.add(".".join(base + ([node.module] if node.module else [])))
    return out
