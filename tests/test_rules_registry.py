"""The rule registry: every clause listed in issue 4 has a rule, every rule quotes its clause from
the seed text, severities follow the clause's strength, and the USCC check follows GB 32100."""

from __future__ import annotations

import doctest
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from stdnum.cn import uscc as stdnum_uscc

from toolkit import editions, profile, text
from toolkit import uscc as toolkit_uscc
from toolkit.errors import InputError
from toolkit.rules import common, engine, uscc
from toolkit.rules.engine import all_rules, clause_text, get_rule

ISSUE_4_CLAUSES = (
    "gx-4.4 gx-5.1 gx-5.2.1 gx-5.2.2 gx-5.2.3 gx-5.2.4 gx-5.2.5 gx-5.3.1 gx-5.3.5 gx-5.4 gx-6.1 gx-8 "
    "lz-1.1 lz-1.2.1 lz-1.2.2 lz-1.2.3 lz-1.2.4 lz-1.2.5 lz-1.4 lz-1.5 lz-1.6 lz-2.2 lz-3.1 lz-3.3 lz-3.4"
).split()
SEEDS = Path(__file__).resolve().parents[1] / "docs" / "policy"  # copies of the seed texts
SEED_FILES = {"gx": "gx-measures.txt", "lz": "lz-2024-notice.txt"}


def test_every_clause_of_issue_4_has_an_application_rule():
    clauses = {i.clause for i in all_rules(scope="application")}
    assert set(ISSUE_4_CLAUSES) - clauses == set()


def test_ictk_rules_json_lists_every_clause():
    out = subprocess.run(
        [sys.executable, "-m", "toolkit", "rules", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    rules = json.loads(out.stdout)
    assert set(ISSUE_4_CLAUSES) <= {r["clause"] for r in rules}
    for r in rules:
        assert {"code", "clause", "severity", "forms", "title"} <= set(r)
        assert re.search(r"[\u4e00-\u9fff]", r["title"])


def test_severity_follows_clause_strength():
    by_clause: dict[str, set[str]] = {}
    for info in all_rules():
        by_clause.setdefault(info.clause, set()).add(info.severity)
    # path / priority clauses give info only
    for clause in ("gx-8", "lz-1.6", "lz-3.4"):
        assert by_clause[clause] == {"info"}
    # conditions judged only from wording are hints for the clerk, never a failed application
    for code in ("LZ-FUNDS", "LZ-NAME-FIELD"):
        assert get_rule(code).severity == "info", code
    # 原则上 thresholds are warnings; musts are errors
    for code in (
        "LZ-REVENUE",
        "LZ-RD-STAFF",
        "LZ-RD-RATIO",
        "LZ-MEMBERS",
        "LZ-LEADS-OTHER",
        "GX-REVENUE",
        "GX-RD-STAFF",
        "GX-RD-INTENSITY",
        "GX-MEMBER-CONSORTIA",
        "GX-LEADS-OTHER",
    ):
        assert get_rule(code).severity == "warning", code
    for code in (
        "LZ-PLATFORM",
        "GX-PLATFORM",
        "GX-SYSTEMS",
        "GX-AGREEMENT",
        "LZ-DEADLINE",
        "LZ-LOCATION",
        "LZ-BODIES",
        "GX-MEMBER-LAYER",
        "GX-CATEGORIES",
        "LZ-UNITS",
        "LZ-NAME",
    ):
        assert get_rule(code).severity == "error", code


def test_seal_rule_names_each_forms_clause():
    assert get_rule("SEAL-MISSING", "lz-preapply-2024").clause == "lz-2.2"
    assert get_rule("SEAL-MISSING", "gx-recognition").clause == "gx-6.1"


def test_unknown_rule_is_a_chinese_input_error():
    with pytest.raises(InputError, match="没有这条规则"):
        get_rule("NO-SUCH-RULE")


def test_every_rule_explains_itself_in_chinese():
    for info in all_rules():
        assert re.search(r"[\u4e00-\u9fff]", info.title), info.code
        assert re.search(r"[\u4e00-\u9fff]", info.why), info.code
        assert clause_text(info.clause), f"{info.code}: no quote for {info.clause}"


def _furniture_free(text: str) -> str:
    text = re.sub(r"第[一二三四五]章\s+\S+", "", text)  # repeated chapter headers
    text = re.sub(r"(?m)^\s*\d\d\s", "", text)  # page numbers
    text = text.replace("Ø", "").replace("**", "").replace("#", "")
    return re.sub(r"\s+", "", text)


def test_clause_quotes_are_verbatim_from_the_seeds():
    seeds = {
        doc: _furniture_free((SEEDS / name).read_text(encoding="utf-8")) for doc, name in SEED_FILES.items()
    }
    checked = 0
    for edition in editions.editions().values():
        # each edition names its own policy text, and it is the seed's copy
        assert _furniture_free(edition.notice) == seeds[edition.policy], edition.id
        raw = yaml.safe_load(edition.clauses_path.read_text(encoding="utf-8"))
        for clause, entry in raw["clauses"].items():
            if clause == "form":
                continue
            text = _furniture_free(entry["quote"])
            # gx-5.4 is a bulleted list in the seed: its items are joined with 、 here.
            assert text in seeds[edition.policy] or text.replace("、", "") in seeds[edition.policy], clause
            checked += 1
    assert checked >= 30


def test_uscc_accepts_authorities_stdnum_rejects():
    body = "N2450200MA5N0F3P1"
    code = body + uscc.calc_check_digit(body)
    assert uscc.is_valid(code)
    assert not stdnum_uscc.is_valid(code)  # why we do not rely on stdnum alone
    body = "A1110000MB1234567"[:16]
    code = body + uscc.calc_org_check_digit(body[8:16])
    code += uscc.calc_check_digit(code)
    assert uscc.is_valid(code)


def test_uscc_checks_the_embedded_organisation_code():
    # Right mod-31 character, wrong GB 11714 digit: stdnum says valid, GB 32100 says no.
    first17 = "91450100625276016"
    code = first17 + uscc.calc_check_digit(first17)
    assert stdnum_uscc.is_valid(code)
    with pytest.raises(uscc.InvalidChecksum, match="组织机构代码的校验码应为5"):
        uscc.validate(code)


@pytest.mark.parametrize("module", [toolkit_uscc, engine, common, profile, editions, text])
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_one_uscc_check_for_the_rules_and_the_ocr():
    """The OCR's repair used stdnum, which refuses the 农业 (N) authority: a valid code read from a
    scan was flagged as misread. Both now use toolkit.uscc."""
    from toolkit.ocr.verify import repair_uscc, uscc_valid

    assert uscc.validate is toolkit_uscc.validate  # rules/uscc.py is the same module's surface
    assert toolkit_uscc.is_valid("N2450200MA5N0F3P10") and not stdnum_uscc.is_valid("N2450200MA5N0F3P10")
    assert uscc_valid("N2450200MA5N0F3P10")
    assert repair_uscc("N2450200MA5N0F3P10", {"O": "0"}, {}) == "N2450200MA5N0F3P10"
    assert not uscc_valid("91450100625276016N")  # the embedded GB 11714 digit is checked too
