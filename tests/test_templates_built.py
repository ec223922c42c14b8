"""The committed .docx templates are what the builder makes from templates/templates.yaml: a
clerk's edit to the stage list or an opening sentence in the catalogue reaches the .docx only
through ``python -m toolkit.generate.builder``, and this test says when that was forgotten."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from toolkit.generate.builder import build_all
from toolkit.generate.common import catalog, stage_ids

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def paragraphs(xml: str) -> list[str]:
    """The text of each paragraph of a document.xml, in order."""
    return [
        "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
        for p in re.findall(r"<w:p[ >].*?</w:p>", xml)
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("built")
    return {p.name: p for p in build_all(folder)}


def test_every_catalogued_template_is_built(built):
    files = {e["file"] for e in catalog()["templates"].values()} | {
        e["file"] for e in catalog()["stages"].values()
    }
    assert files == set(built)
    assert {f"opinion-{s}.docx" for s in stage_ids()} <= set(built)


@pytest.mark.parametrize(
    "name", sorted({e["file"] for k in ("templates", "stages") for e in catalog()[k].values()})
)
def test_the_committed_template_equals_the_built_one(built, name):
    def xml(path: Path) -> str:
        with zipfile.ZipFile(path) as z:
            return z.read("word/document.xml").decode("utf-8")

    committed, fresh = xml(TEMPLATES / name), xml(built[name])
    assert paragraphs(committed) == paragraphs(fresh), (
        f"{name}: rebuild with python -m toolkit.generate.builder"
    )
    assert committed == fresh, f"{name}: same text, different structure; rebuild it"


def test_a_stage_opening_comes_from_the_catalogue(built):
    with zipfile.ZipFile(built["opinion-lz-bureau.docx"]) as z:
        text = "\n".join(paragraphs(z.read("word/document.xml").decode("utf-8")))
    assert catalog()["stages"]["lz-bureau"]["intro"] in text
    assert "条款编号" not in text  # findings cite their clause in words, not by internal id


def test_the_conclusions_come_from_the_catalogue(built):
    """Each conclusion's paragraph and the result line of templates.yaml, under its choice."""
    conclusion = catalog()["conclusion"]
    with zipfile.ZipFile(built["opinion-gx-city.docx"]) as z:
        text = paragraphs(z.read("word/document.xml").decode("utf-8"))
    first, *middle, last = conclusion["choices"]
    assert text.index(f"{{%p if conclusion == '{first}' %}}") + 1 == text.index(
        conclusion["paragraphs"][first]
    )
    for choice in middle:
        at = text.index(f"{{%p elif conclusion == '{choice}' %}}")
        assert text[at + 1] == conclusion["paragraphs"][choice]
    assert text[text.index("{%p else %}") + 1] == conclusion["paragraphs"][last]
    assert conclusion["result"] in text
