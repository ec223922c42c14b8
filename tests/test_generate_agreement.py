"""A clerk turns an application into the 组建协议 and opens it in Word."""

from __future__ import annotations

import copy
import re
import subprocess

import pytest
from gen_helpers import margins_mm, open_docx, runs_without_east_asia, texts

from toolkit.errors import InputError, TemplateError
from toolkit.generate.agreement import render_agreement
from toolkit.generate.common import cn_number
from toolkit.generate.engine import clean_text
from toolkit.record import load_record


@pytest.fixture(scope="module")
def lz(samples):
    return load_record(samples / "records/lz-pass.json")


@pytest.fixture(scope="module")
def gx(samples):
    return load_record(samples / "records/gx-pass.json")


def test_every_party_appears_with_name_uscc_and_a_signature_block(lz):
    doc = open_docx(render_agreement(lz))
    paras = texts(doc)
    lead = lz["lead"]
    assert f"牵头单位：{lead['name']}" in paras
    assert f"住所：{lead['address']}" in paras
    assert f"法定代表人：{lead['legal_representative']}" in paras
    for i, m in enumerate(lz["members"], 1):
        assert f"成员单位{i}：{m['name']}" in paras
        assert f"统一社会信用代码：{m['uscc']}" in paras
        assert f"单位名称（盖章）：{m['name']}" in paras
    assert paras.count("法定代表人或授权代表（签字）：") == len(lz["members"]) + 1
    # one copy per party plus one for the recommender
    copies = cn_number(len(lz["members"]) + 2)
    assert any(f"本协议一式{copies}份" in p and lz["signoff"]["recommender"] in p for p in paras)


def test_articles_are_numbered_without_gaps_and_chapters_cover_the_issue(lz, gx):
    for record in (lz, gx):
        paras = texts(open_docx(render_agreement(record)))
        numbers = [m.group(1) for p in paras if (m := re.match(r"第([一二三四五六七八九十]+)条　", p))]
        assert numbers == [cn_number(i) for i in range(1, len(numbers) + 1)]
        assert len(numbers) > 25
        body = "\n".join(paras)
        for needle in (
            "鉴于：",
            "契约型、非法人",
            "决策议事机构：",
            "技术咨询机构：",
            "常设执行机构：",
            "研发投入及经费管理制度：",
            "知识产权",
            "保密",
            "补充协议",
            "违约责任",
            "争议解决",
            "建设期",
            "签署页",
        ):
            assert needle in body
        assert record["governance"]["decision_body"].rstrip("。") in body
        assert record["consortium"]["name"] in paras  # title line


def test_gx_records_get_the_two_gx_only_systems_as_chapters(lz, gx):
    gx_paras = texts(open_docx(render_agreement(gx)))
    lz_paras = texts(open_docx(render_agreement(lz)))
    assert any(re.fullmatch(r"第.+章　利益保障制度", p) for p in gx_paras)
    assert any(re.fullmatch(r"第.+章　开放发展制度", p) for p in gx_paras)
    assert any(gx["governance"]["benefit_policy"].rstrip("。") in p for p in gx_paras)
    assert any("第十二条" in p for p in gx_paras)  # gx-12: changes by supplementary agreement
    assert not any(re.fullmatch(r"第.+章　利益保障制度", p) for p in lz_paras)
    assert not any("自治区科技厅" in p for p in lz_paras)


def test_dispute_resolution_is_one_exclusive_choice(gx):
    arb = "\n".join(texts(open_docx(render_agreement(gx, dispute="arbitration"))))
    lit = "\n".join(
        texts(open_docx(render_agreement(gx, dispute="litigation", court="南宁市江南区人民法院")))
    )
    assert "南宁仲裁委员会" in arb and "提起诉讼" not in arb and "终局" in arb
    assert "南宁市江南区人民法院提起诉讼" in lit and "仲裁" not in lit
    named = "\n".join(
        texts(
            open_docx(
                render_agreement(gx, dispute="arbitration", arbitration_body="中国国际经济贸易仲裁委员会")
            )
        )
    )
    assert "提交中国国际经济贸易仲裁委员会" in named
    with pytest.raises(InputError):
        render_agreement(gx, dispute="mediation")


def test_term_is_the_build_period(lz):
    body = "\n".join(texts(open_docx(render_agreement(lz))))
    assert "自2024年6月1日起至2027年5月31日止" in body


def test_layout_is_gbt9704_with_east_asian_fonts_everywhere(gx):
    doc = open_docx(render_agreement(gx))
    assert margins_mm(doc) == [(37.0, 28.0, 26.0, 35.0)]
    assert runs_without_east_asia(doc) == []
    footer = doc.sections[0].footer._element.xml
    assert "— " in footer and "PAGE" in footer
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.paragraph_format.line_spacing.pt == pytest.approx(
        28.95, abs=0.05
    )


HOSTILE = "A&B<公司>\"'\x01\x0b 🚀测试\r\n第二行\t制表"


def test_hostile_values_survive_exactly_once_escaped(lz):
    record = copy.deepcopy(lz)
    record["lead"]["name"] = HOSTILE
    long_name = "长" * 299 + "司"
    record["members"][0]["name"] = long_name
    record["governance"]["funds_policy"] = "经费<专账>&审计"
    paras = texts(open_docx(render_agreement(record)))
    clean = clean_text(HOSTILE)
    assert clean == "A&B<公司>\"' 🚀测试\n第二行\t制表"
    assert f"牵头单位：{clean}" in paras
    assert f"成员单位1：{long_name}" in paras
    assert any("研发投入及经费管理制度：经费<专账>&审计。" in p for p in paras)
    assert not any("&amp;" in p or "&lt;" in p for p in paras)


def test_a_missing_lead_is_a_chinese_input_error(lz):
    record = copy.deepcopy(lz)
    del record["lead"]["name"]
    with pytest.raises(InputError, match="牵头单位"):
        render_agreement(record)


def _edited_template(src, dst, extra_runs):
    from docx import Document

    from toolkit import officedoc as od

    doc = Document(src)
    p = doc.add_paragraph()
    for text in extra_runs:
        od.style_run(p.add_run(text))
    doc.save(dst)
    return dst


def test_strict_undefined_names_the_variable_and_the_template(lz, root, tmp_path):
    bad = _edited_template(
        root / "templates/agreement.docx", tmp_path / "我的协议.docx", ["备注：", "{{ remarks }}"]
    )
    with pytest.raises(TemplateError) as exc:
        render_agreement(lz, template=bad)
    assert "remarks" in str(exc.value) and "我的协议.docx" in str(exc.value) and "未定义" in str(exc.value)


def test_cli_renders_with_a_users_edited_template_and_refuses_to_overwrite(lz, root, samples, tmp_path):
    mine = _edited_template(
        root / "templates/agreement.docx",
        tmp_path / "edited.docx",
        ["本协议由", "{{ lead.name }}", "负责归档。"],
    )
    out = tmp_path / "协议.docx"
    args = ["ictk", "generate", "agreement", str(samples / "records/lz-pass.json"), "-o", str(out)]
    done = subprocess.run([*args, "--template", str(mine)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"本协议由{lz['lead']['name']}负责归档。" in texts(open_docx(out.read_bytes()))
    again = subprocess.run(args, capture_output=True, text=True)
    assert again.returncode == 2 and "已存在" in again.stderr and "Traceback" not in again.stderr
    forced = subprocess.run([*args, "--force", "--dispute", "arbitration"], capture_output=True, text=True)
    assert forced.returncode == 0
    assert any("柳州仲裁委员会" in p for p in texts(open_docx(out.read_bytes())))
    both = subprocess.run(
        [*args, "--force", "--arbitration-body", "X仲裁委员会"], capture_output=True, text=True
    )
    assert both.returncode == 2


def test_agreement_from_a_filled_word_form(samples, tmp_path):
    form = samples / "filled/clean/lz-agri.docx"
    expected = load_record(samples / "filled/lz-agri.record.json")
    out = tmp_path / "a.docx"
    done = subprocess.run(
        ["ictk", "generate", "agreement", str(form), "-o", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    paras = texts(open_docx(out.read_bytes()))
    for m in expected["members"]:
        assert f"单位名称（盖章）：{m['name']}" in paras
