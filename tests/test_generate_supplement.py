"""Members come and go: two versions of an application give the 补充协议 (gx-12)."""

from __future__ import annotations

import copy
import subprocess

import pytest
import yaml
from gen_helpers import margins_mm, open_docx, runs_without_east_asia, texts

from toolkit.errors import InputError
from toolkit.generate.supplement import Change, compute_changes, load_changes, render_supplement
from toolkit.record import load_record


@pytest.fixture(scope="module")
def old(samples):
    return load_record(samples / "records/lz-pass.json")


@pytest.fixture(scope="module")
def new(samples):
    return load_record(samples / "generated/lz-pass.amended.json")


def test_changes_between_the_reference_record_and_its_amended_version(old, new):
    changes = compute_changes(old, new)
    kinds = [(c.kind, c.name or c.field) for c in changes]
    assert kinds == [
        ("member_layer", "柳州工学院"),
        ("member_added", "柳州欧维姆机械股份有限公司"),
        ("member_removed", "广西方盛实业股份有限公司"),
        ("governance", "governance.executive_body"),
        ("governance", "governance.executive_staff"),
        ("build_period", ""),
    ]
    layer = changes[0]
    assert (layer.old, layer.new) == ("紧密合作层", "核心层")
    assert changes[1].uscc == "91450200198230652N" and changes[1].new == "紧密合作层"
    assert "2027年5月31日" in changes[-1].old and "2028年5月31日" in changes[-1].new


def test_members_are_matched_by_uscc_first_then_by_name(old):
    new = copy.deepcopy(old)
    new["members"][0]["name"] = "广西汽车集团有限责任公司"  # renamed, same USCC
    new["members"][1]["uscc"] = ""  # USCC left blank: matched by name, no change
    new["members"][2]["uscc"] = "12450200390996099X"  # same name, another USCC: a different unit
    kinds = [(c.kind, c.name) for c in compute_changes(old, new)]
    assert ("member_renamed", "广西汽车集团有限责任公司") in kinds
    assert not any(n == "柳州五菱柳机动力有限公司" for _, n in kinds)
    assert ("member_added", "广西科技大学") in kinds and ("member_removed", "广西科技大学") in kinds


def test_a_lead_change_and_a_new_name(old):
    new = copy.deepcopy(old)
    former_lead = new["lead"]
    new["lead"] = {**new["members"][0], "address": "柳州市柳南区河西路1号"}
    new["members"][0] = {**former_lead, "layer": "核心层"}
    new["consortium"]["name"] = "柳州市智能底盘创新联合体"
    changes = compute_changes(old, new)
    kinds = [c.kind for c in changes]
    assert kinds[:2] == ["consortium_name", "lead"]
    assert "广西汽车集团有限公司" in changes[1].new and old["lead"]["name"] in changes[1].old
    assert any(c.kind == "member_layer" and c.old == "牵头单位" and c.new == "核心层" for c in changes)
    assert "member_added" not in kinds and "member_removed" not in kinds


def test_identical_versions_have_no_changes_and_no_document(old, tmp_path, samples):
    assert compute_changes(old, copy.deepcopy(old)) == []
    with pytest.raises(InputError, match="没有发现变更"):
        render_supplement(old, old)
    out = tmp_path / "s.docx"
    rec = str(samples / "records/lz-pass.json")
    done = subprocess.run(
        ["ictk", "generate", "supplement", "--old", rec, "--new", rec, "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "没有发现变更" in done.stderr and not out.exists()


def test_the_amendment_cites_the_original_lists_each_change_and_every_party_signs(old, new):
    doc = open_docx(render_supplement(new, old, agreement_date="2024-05-20"))
    paras = texts(doc)
    body = "\n".join(paras)
    assert "于2024年5月20日签订了《柳州市新能源汽车智能底盘创新联合体组建协议》" in body
    for change in compute_changes(old, new):
        assert any(p.endswith(change.text) and p.startswith("第") for p in paras), change.text
    assert "以本补充协议为准" in body
    for unit in [new["lead"], *new["members"]]:
        assert f"单位名称（盖章）：{unit['name']}" in paras
    assert "单位名称（盖章）：广西方盛实业股份有限公司" in paras  # the leaving member signs too
    assert "本补充协议一式十二份" in body  # 10 amended parties + 1 leaving + 1 for the recommender
    assert margins_mm(doc) == [(37.0, 28.0, 26.0, 35.0)]
    assert runs_without_east_asia(doc) == []


def test_changes_yaml_round_trip_through_the_cli(old, new, samples, tmp_path):
    rec_old, rec_new = str(samples / "records/lz-pass.json"), str(samples / "generated/lz-pass.amended.json")
    dump, out = tmp_path / "changes.yaml", tmp_path / "s1.docx"
    done = subprocess.run(
        [
            "ictk",
            "generate",
            "supplement",
            "--old",
            rec_old,
            "--new",
            rec_new,
            "-o",
            str(out),
            "--dump-changes",
            str(dump),
            "--agreement-date",
            "2024年5月20日",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load(dump.read_text(encoding="utf-8"))
    assert [c["kind"] for c in data["changes"]][0] == "member_layer"
    # the clerk keeps two changes and adds one of their own
    data["changes"] = data["changes"][:2] + [
        {"kind": "other", "text": "联合体秘书处办公地址变更为柳州市柳南区航岭路20号。"}
    ]
    dump.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out2 = tmp_path / "s2.docx"
    done = subprocess.run(
        ["ictk", "generate", "supplement", "--changes", str(dump), "--new", rec_new, "-o", str(out2)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    paras = texts(open_docx(out2.read_bytes()))
    assert "第三条　联合体秘书处办公地址变更为柳州市柳南区航岭路20号。" in paras
    assert not any("建设期由" in p for p in paras)


def test_bad_changes_files_are_chinese_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("changes:\n  - kind: teleport\n", encoding="utf-8")
    with pytest.raises(InputError, match="kind"):
        load_changes(bad)
    assert (
        Change.from_dict({"kind": "member_removed", "name": "甲"}).text
        == "甲退出创新联合体，不再作为成员单位。"
    )
