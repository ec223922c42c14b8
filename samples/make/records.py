"""The meaning of every filled sample: canonical records (spec/FORMS.md), written by hand.

Two come from ``samples/records/`` (they pass every condition); the others are built here with
other values: a 科技与信息服务业 lead near 1亿元, a young gx lead with few members and 自治区级
platforms, a hospital lead, fields left blank. USCCs are computed, not typed: GB 11714 gives the
organisation code's check digit and GB 32100 the final check character.

Beside each record, ``WRITTEN`` holds how the applicant wrote a value when it differs from the
canonical one (``自治区级`` for 省部级): every producer writes that text, the expected record keeps
the canonical value.
"""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# GB 32100-2015 character set of the USCC (no I, O, Z, S, V) and its weights.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997 weights of the 8-character organisation code body.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_check_digit(body: str) -> str:
    """GB 11714 check digit of an 8-character organisation code body.

    >>> org_check_digit("52601815")
    'X'
    """
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    rest = 11 - total % 11
    return {10: "X", 11: "0"}.get(rest, str(rest))


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character over the first 17 characters.

    >>> uscc_check_char("9145020052601815X")
    'M'
    """
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total) % 31]


def make_uscc(kind: str, region: str, name: str) -> str:
    """A valid USCC: ``kind`` is the authority letter and entity type (``91`` company, ``12``
    public institution, ``52`` private non-enterprise unit, ``N2`` village collective, ``Y1`` other,
    ``A1`` army institution), ``region`` the six-digit division code; the organisation code body is
    derived from ``name`` so that rebuilding gives the same number."""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
    body = "".join(str(int(digest[i : i + 2], 16) % 10) for i in range(0, 16, 2))
    first17 = f"{kind}{region}{body}{org_check_digit(body)}"
    return first17 + uscc_check_char(first17)


# Units that also appear in the reference records keep their number there.
KNOWN_USCC = {"广西大学": "12450100895559795Y", "广西科技大学": "12450200390996033U"}


def _member(
    name: str,
    kind: str,
    region: str,
    org_type: str,
    layer: str | None,
    location: str,
    basis: str,
    count: int | None,
) -> dict[str, Any]:
    uscc = KNOWN_USCC.get(name) or make_uscc(kind, region, name)
    row: dict[str, Any] = {"name": name, "uscc": uscc, "org_type": org_type}
    if layer:
        row["layer"] = layer
    row["location"] = location
    row["basis"] = basis
    if count is not None:
        row["consortia_count"] = count
    return row


def _lz_tech() -> dict[str, Any]:
    lead = "柳州云智工业软件有限公司"
    return {
        "form": "lz-preapply-2024",
        "consortium": {
            "name": "柳州市工业互联网与智能制造软件创新联合体",
            "tech_field": "工业互联网与智能制造软件",
            "industry_direction": "数字经济（软件和信息技术服务业）",
            "strategic_agreement": False,
        },
        "lead": {
            "name": lead,
            "uscc": make_uscc("91", "450203", lead),
            "location": "柳州市鱼峰区",
            "address": "柳州市鱼峰区东环大道256号柳州软件园B栋8层",
            "org_type": "企业",
            "industry": "科技与信息服务业",
            "legal_representative": "莫振宇",
            "contact": "蓝晓婷",
            "phone": "18977201568",
            "revenue": Decimal("10350"),
            "rd_staff": 68,
            "rd_expense_3y": Decimal("3150.5"),
            "sales_3y": Decimal("28760"),
            "operating_years": 7,
            "rd_ratio": Decimal("10.95"),
            "outreach": "承办柳州市工业互联网应用大会，为市内45家制造企业提供数字化诊断服务，与东盟国家软件企业开展合作，转化软件成果9项。",
            "leads_other": False,
            "platforms": [
                {"name": "广西工业互联网平台工程研究中心", "level": "省部级", "type": "工程（技术）研究中心"},
                {"name": "柳州市工业软件技术创新中心", "level": "市级", "type": "技术创新中心"},
            ],
        },
        "members": [
            _member(
                "柳州汽车零部件数字化有限公司",
                "91",
                "450204",
                "企业",
                "核心层",
                "柳州市柳南区",
                "共建汽车零部件工业互联网标识解析节点",
                1,
            ),
            _member(
                "柳州钢研智造科技有限公司",
                "91",
                "450205",
                "企业",
                "核心层",
                "柳州市柳北区",
                "钢铁生产数据采集与建模合作",
                1,
            ),
            _member(
                "广西科技大学",
                "12",
                "450203",
                "高等学校",
                "核心层",
                "柳州市鱼峰区",
                "联合培养软件工程研究生",
                3,
            ),
            _member(
                "柳州市信息技术研究院",
                "12",
                "450202",
                "科研院所",
                "紧密合作层",
                "柳州市城中区",
                "工业软件测评合作",
                2,
            ),
            _member(
                "柳州市数据资源服务中心",
                "Y1",
                "450202",
                "科技服务机构",
                None,
                "柳州市城中区",
                "政务与产业数据开放共享",
                1,
            ),
            _member(
                "柳州融信科技融资担保有限公司",
                "91",
                "450202",
                "科技金融机构",
                None,
                "柳州市城中区",
                "科技型企业融资服务",
                1,
            ),
            _member(
                "柳州市软件行业协会",
                "51",
                "450202",
                "其他机构",
                "一般协作层",
                "柳州市城中区",
                "行业资源对接与人才培训",
                2,
            ),
            _member(
                "柳州智检检测技术有限公司",
                "91",
                "450206",
                "检验检测机构",
                "一般协作层",
                "柳州市柳江区",
                "软件产品与信息安全检测",
                1,
            ),
        ],
        "governance": {
            "decision_body": "联合体理事会：由牵头单位和3家核心层单位各派1名代表组成。",
            "advisory_body": "技术咨询委员会：由7名高校和企业专家组成。",
            "executive_body": "联合体办公室，设在牵头单位研发中心。",
            "executive_staff": 4,
            "funds_policy": "制定研发经费管理办法，设立专账，按项目核算研发投入。",
        },
        "plan": {
            "goals": "到2027年研制工业互联网平台核心软件8套，服务本地制造企业200家。",
            "tasks": "1.工业数据采集与边缘计算；2.制造执行系统国产化；3.建设工业软件适配验证中心。",
            "outcomes": "带动制造企业数字化改造投入10亿元。",
            "start": "2024-07-01",
            "end": "2027-06-30",
        },
        "signoff": {
            "date": "2024-04-12",
            "recommender": "鱼峰区科学技术局",
        },
    }


def _lz_agri() -> dict[str, Any]:
    lead = "广西柳州螺蛳粉产业研究院"
    return {
        "form": "lz-preapply-2024",
        "consortium": {
            "name": "柳州市螺蛳粉食品加工与质量安全创新联合体",
            "tech_field": "螺蛳粉食品加工与质量安全",
            "industry_direction": "特色食品加工产业",
            "special_case": True,
        },
        "lead": {
            "name": lead,
            "uscc": make_uscc("12", "450206", lead),
            "location": "柳州市柳江区",
            "address": "柳州市柳江区新兴工业园螺蛳粉产业园研发楼",
            "org_type": "科研院所",
            "industry": "其他",
            "legal_representative": "潘立新",
            "contact": "韦思琪",
            "phone": "0772-7215506",
            "email": "wsq@lsf-research.org.cn",
            "revenue": Decimal("4280.6"),
            "rd_staff": 42,
            "rd_expense_3y": Decimal("2105"),
            "sales_3y": Decimal("11830"),
            "operating_years": Decimal("5.5"),
            "rd_ratio": Decimal("17.8"),
            "outreach": "举办螺蛳粉产业技术论坛3届，为120余家生产企业提供工艺与检测服务，制定地方标准2项。",
            "leads_other": True,
            "platforms": [
                {"name": "广西螺蛳粉工程技术研究中心", "level": "省部级", "type": "工程（技术）研究中心"},
            ],
        },
        "members": [
            _member(
                "柳州螺香食品有限公司",
                "91",
                "450206",
                "企业",
                "核心层",
                "柳州市柳江区",
                "联合开发非油炸米粉生产线",
                1,
            ),
            _member(
                "柳州市柳江区螺蛳养殖专业合作社",
                "N2",
                "450206",
                "其他机构",
                "紧密合作层",
                "柳州市柳江区",
                "原料螺蛳标准化养殖",
                1,
            ),
            _member(
                "柳州市鹿寨县竹笋产业村集体经济合作社",
                "N2",
                "450223",
                "其他机构",
                "紧密合作层",
                "鹿寨县",
                "酸笋原料基地共建",
                1,
            ),
            _member(
                "广西大学",
                "12",
                "450100",
                "高等学校",
                "核心层",
                "南宁市西乡塘区",
                "食品微生物与发酵工艺研究",
                2,
            ),
            _member(
                "柳州市食品药品检验所",
                "12",
                "450202",
                "检验检测机构",
                "紧密合作层",
                "柳州市城中区",
                "产品质量检验与标准验证",
                2,
            ),
            _member(
                "柳州市螺蛳粉协会",
                "51",
                "450202",
                "其他机构",
                "一般协作层",
                "柳州市城中区",
                "行业自律与品牌推广",
                3,
            ),
            _member(
                "柳州食安冷链物流有限公司",
                "91",
                "450204",
                "企业",
                "一般协作层",
                "柳州市柳南区",
                "冷链配送与保质期验证",
                1,
            ),
            _member(
                "柳州市农业科学研究中心",
                "12",
                "450205",
                "科研院所",
                "一般协作层",
                "柳州市柳北区",
                "原料品种选育",
                1,
            ),
        ],
        "governance": {
            "decision_body": "理事会：由牵头单位及核心层单位代表5人组成。",
            "advisory_body": "专家委员会：由5名食品科学专家组成。",
            "executive_body": "秘书处，设在牵头单位科研管理部。",
            "executive_staff": 3,
            "funds_policy": "设立联合研发基金，经费专款专用，年度审计。",
        },
        "plan": {
            "goals": "三年内解决螺蛳粉保质期与风味稳定关键技术4项。",
            "tasks": "1.酸笋发酵菌种选育；2.汤料杀菌工艺优化；3.质量追溯体系建设。",
            "start": "2024-05-01",
            "end": "2027-04-30",
        },
        "signoff": {
            "date": "2024-04-08",
            "recommender": "柳江区科学技术局",
            "recommender_opinion": "情况属实，同意推荐。",
        },
    }


def _gx_young() -> dict[str, Any]:
    lead = "北海蓝湾海洋生物科技有限公司"
    return {
        "form": "gx-recognition",
        "consortium": {
            "name": "北部湾海洋生物医药创新联合体",
            "tech_field": "海洋生物医药",
            "industry_direction": "生物医药产业",
            "special_case": True,
        },
        "lead": {
            "name": lead,
            "uscc": make_uscc("91", "450500", lead),
            "location": "北海市",
            "address": "北海市银海区工业园区海洋生物产业基地3号楼",
            "org_type": "企业",
            "legal_person": True,
            "internal_control": True,
            "tech_enterprise": True,
            "legal_representative": "庞海鹰",
            "contact": "陈玉梅",
            "phone": "0779-3058812",
            "revenue": Decimal("6800"),
            "rd_staff": 35,
            "rd_expense_3y": Decimal("1460"),
            "sales_3y": Decimal("11900"),
            "operating_years": 2,
            "outreach": "与北部湾大学联合开展海洋多糖研究，为沿海养殖企业提供检测服务，与越南机构开展海洋资源合作。",
            "leads_other": False,
            "platforms": [
                {"name": "广西海洋生物制品工程研究中心", "level": "省部级", "type": "工程（技术）研究中心"},
                {"name": "广西海洋药物重点实验室", "level": "省部级", "type": "重点实验室"},
            ],
        },
        "members": [
            _member(
                "北部湾大学", "12", "450700", "高等学校", "核心层", "钦州市钦南区", "海洋多糖提取联合攻关", 2
            ),
            _member(
                "广西医科大学",
                "12",
                "450100",
                "高等学校",
                "紧密合作层",
                "南宁市青秀区",
                "药效评价与临床前研究",
                3,
            ),
            _member(
                "北海市铁山港区海产养殖专业合作社",
                "N2",
                "450512",
                "其他机构",
                "一般协作层",
                "北海市铁山港区",
                "原料供应与养殖示范",
                1,
            ),
        ],
        "governance": {
            "decision_body": "理事会：由3家单位代表组成。",
            "advisory_body": "专家咨询组：由5名专家组成。",
            "executive_body": "联合体办公室。",
            "executive_staff": 2,
            "funds_policy": "制定研发经费管理办法，专账核算。",
            "benefit_policy": "按出资和贡献分配成果收益。",
            "openness_policy": "成员单位可按协议进入或退出。",
            "agreement_signed": False,
        },
        "plan": {
            "goals": "三年内开发海洋来源创新药候选物2个。",
            "tasks": "1.海洋多糖提取纯化；2.药效学评价；3.中试放大。",
            "start": "2025-01-01",
            "end": "2027-12-31",
        },
        "signoff": {
            "date": "2024-11-05",
            "recommender": "北海市科学技术局",
            "recommender_opinion": "同意推荐。",
        },
    }


def _gx_hospital() -> dict[str, Any]:
    lead = "广西医科大学第一附属医院"
    return {
        "form": "gx-recognition",
        "consortium": {
            "name": "广西精准医学与生物样本创新联合体",
            "tech_field": "精准医学与生物样本库",
            "industry_direction": "大健康产业",
            "special_case": False,
        },
        "lead": {
            "name": lead,
            "uscc": make_uscc("12", "450100", lead),
            "location": "南宁市",
            "address": "南宁市青秀区双拥路6号",
            "org_type": "医院",
            "legal_person": True,
            "internal_control": True,
            "tech_enterprise": False,
            "legal_representative": "黎卫东",
            "contact": "罗佳",
            "phone": "0771-5356789",
            "email": "luojia@gxmu-hospital.cn",
            "revenue": Decimal("685000"),
            "rd_staff": 420,
            "rd_expense_3y": Decimal("96500"),
            "sales_3y": Decimal("1980000"),
            "operating_years": 90,
            "rd_ratio": Decimal("4.87"),
            "outreach": "每年举办中国—东盟医学论坛，接收东盟国家进修医师300余人次，转化专利成果15项。",
            "leads_other": True,
            "platforms": [
                {"name": "国家临床医学研究中心分中心", "level": "国家级", "type": "其他"},
                {"name": "广西精准医学重点实验室", "level": "省部级", "type": "重点实验室"},
                {"name": "南宁市生物样本库技术创新中心", "level": "市级", "type": "技术创新中心"},
            ],
        },
        "members": [
            _member(
                "中国人民解放军联勤保障部队第九二三医院",
                "A1",
                "450100",
                "医院",
                "核心层",
                "南宁市",
                "联合开展临床队列研究",
                1,
            ),
            _member(
                "广西基因检测技术有限公司",
                "91",
                "450100",
                "企业",
                "核心层",
                "南宁市西乡塘区",
                "基因测序与数据分析",
                2,
            ),
            _member(
                "广西壮族自治区人民医院",
                "12",
                "450100",
                "医院",
                "紧密合作层",
                "南宁市青秀区",
                "多中心样本采集",
                2,
            ),
            _member(
                "广西生物样本与健康数据中心",
                "Y1",
                "450100",
                "科技服务机构",
                "紧密合作层",
                "南宁市良庆区",
                "样本存储与数据共享",
                1,
            ),
            _member(
                "广西医疗器械检测中心",
                "12",
                "450100",
                "检验检测机构",
                "一般协作层",
                "南宁市江南区",
                "体外诊断试剂检测",
                3,
            ),
        ],
        "governance": {
            "decision_body": "管理委员会：由5家成员单位负责人组成。",
            "advisory_body": "学术委员会：由13名临床和基础医学专家组成。",
            "executive_body": "联合体办公室，设在牵头单位科研处。",
            "executive_staff": 5,
            "funds_policy": "经费纳入医院科研经费统一管理，实行项目负责制。",
            "benefit_policy": "数据和样本按贡献共享，成果署名与收益按协议分配。",
            "openness_policy": "样本库和测序平台对区内医疗机构开放。",
            "agreement_signed": True,
        },
        "plan": {
            "goals": "建成覆盖10万人的区域人群队列和生物样本库。",
            "tasks": "1.人群队列建设；2.遗传病筛查技术；3.伴随诊断试剂研发。",
            "outcomes": "形成临床指南3项，转化诊断产品5个。",
            "start": "2025-03-01",
            "end": "2028-02-29",
        },
        "signoff": {
            "date": "2024-12-20",
            "recommender": "广西壮族自治区卫生健康委员会",
            "recommender_opinion": "经审核，同意推荐。",
        },
    }


# How applicants wrote a value, when it is not the canonical spelling (JSON pointer -> text).
WRITTEN: dict[str, dict[str, str]] = {
    "lz-tech": {"/lead/platforms/0/level": "自治区级", "/lead/platforms/0/type": "工程研究中心"},
    "lz-agri": {"/lead/platforms/0/level": "省级"},
    "gx-young": {"/lead/platforms/0/level": "自治区级", "/lead/platforms/1/level": "自治区级"},
    "gx-hospital": {"/lead/platforms/2/level": "地市级"},
}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def all_records() -> dict[str, dict[str, Any]]:
    """Every record by sample name; fresh copies, so builders may change them."""
    records = {
        "lz-pass": _load(ROOT / "samples/records/lz-pass.json"),
        "lz-tech": _lz_tech(),
        "lz-agri": _lz_agri(),
        "gx-pass": _load(ROOT / "samples/records/gx-pass.json"),
        "gx-young": _gx_young(),
        "gx-hospital": _gx_hospital(),
    }
    return copy.deepcopy(records)
