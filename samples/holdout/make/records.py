"""The applications of the hold-out set, as canonical records (spec/FORMS.md).

Two reference records come from ``samples/records``; the others are new applicants with their
own names, members and numbers. Every USCC here is valid unless a case breaks it on purpose.
"""

from __future__ import annotations

import copy
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from uscc import from_name

ROOT = Path(__file__).resolve().parents[3]


def reference(form_prefix: str) -> dict:
    return json.loads((ROOT / "samples" / "records" / f"{form_prefix}-pass.json").read_text("utf-8"))


def ratio(expense: int | float, sales: int | float) -> float:
    r = (Decimal(str(expense)) * 100 / Decimal(str(sales))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return float(r)


def member(name, org_type, layer, location, basis, count, region="450200", authority=None, kind=None):
    if authority is None:
        authority, kind = {
            "企业": ("9", "1"),
            "高等学校": ("1", "2"),
            "科研院所": ("1", "2"),
            "医院": ("1", "2"),
            "技术转移机构": ("5", "2"),
        }.get(org_type, ("9", "1"))
    m = {
        "name": name,
        "uscc": from_name(name, authority, kind, region),
        "org_type": org_type,
        "layer": layer,
        "location": location,
        "basis": basis,
        "consortia_count": count,
    }
    if layer is None:
        del m["layer"]
    return m


def lz_bearing() -> dict:
    """Manufacturing, 11 members (more than the blank's 10 rows), members without layer."""
    exp, sales = 9300, 212000
    return {
        "form": "lz-preapply-2024",
        "consortium": {
            "name": "柳州市工程机械智能液压创新联合体",
            "tech_field": "工程机械智能液压",
            "industry_direction": "机械装备制造产业",
            "special_case": False,
            "strategic_agreement": False,
        },
        "lead": {
            "name": "柳州恒力液压装备有限公司",
            "uscc": from_name("柳州恒力液压装备有限公司", region="450205"),
            "location": "柳州市柳北区",
            "address": "柳州市柳北区雒容路66号",
            "org_type": "企业",
            "industry": "制造业",
            "legal_representative": "蓝国庆",
            "contact": "莫丽娟",
            "phone": "0772-2519876",
            "email": "molj@hengli-hyd.cn",
            "revenue": 73200,
            "rd_staff": 88,
            "rd_expense_3y": exp,
            "sales_3y": sales,
            "operating_years": 15,
            "rd_ratio": ratio(exp, sales),
            "outreach": "承办广西工程机械液压技术研讨会3次，为柳工配套企业提供液压检测技术服务，与意大利液压企业开展国际合作，近三年成果转化9项。",
            "leads_other": False,
            "platforms": [
                {"name": "柳州市智能液压工程技术研究中心", "level": "市级", "type": "工程（技术）研究中心"},
            ],
        },
        "members": [
            member("柳州柳工液压件有限公司", "企业", None, "柳州市柳北区", "液压件联合开发", 1),
            member("广西柳工机械股份有限公司", "企业", None, "柳州市柳南区", "整机配套与联合试验", 2),
            member("柳州欧维姆机械股份有限公司", "企业", None, "柳州市柳北区", "液压执行元件配套", 1),
            member("广西科技大学", "高等学校", None, "柳州市鱼峰区", "共建流体传动联合实验室", 3),
            member(
                "桂林电子科技大学", "高等学校", None, "桂林市七星区", "电液控制算法合作", 1, region="450300"
            ),
            member(
                "广西机械工业研究院有限责任公司",
                "科研院所",
                None,
                "南宁市西乡塘区",
                "液压可靠性试验合作",
                1,
                region="450100",
            ),
            member("柳州市检验检测认证中心", "检验检测机构", None, "柳州市城中区", "液压产品检验检测", 1),
            member("柳州长虹机器制造有限公司", "企业", None, "柳州市柳江区", "精密阀体加工配套", 1),
            member("柳州市工业技术研究院", "科研院所", None, "柳州市鱼峰区", "中试验证服务", 1),
            member("广西柳州钢铁集团有限公司", "企业", None, "柳州市柳北区", "液压缸用钢材联合研发", 1),
            member("柳州市技术产权交易所", "技术转移机构", None, "柳州市城中区", "技术交易与成果转化服务", 1),
        ],
        "governance": {
            "decision_body": "理事会：由牵头单位和5家成员单位各派1名代表组成，负责重大事项决策。",
            "advisory_body": "专家咨询委员会：由7名液压领域专家组成。",
            "executive_body": "联合体办公室：设在牵头单位技术中心，负责日常运行。",
            "executive_staff": 4,
            "funds_policy": "制定经费管理办法，经费由办公室统一核算，设内部监督小组，政府资助经费按柳州市科技发展专项资金管理办法执行。",
        },
        "plan": {
            "goals": "三年内突破电液比例控制等关键技术4项，申请发明专利40件。",
            "tasks": "1.智能液压元件研发；2.共建液压试验平台；3.培养研发人才100名。",
            "outcomes": "带动配套企业新增产值8亿元。",
            "start": "2024-07-01",
            "end": "2027-06-30",
        },
        "signoff": {
            "date": "2024-04-12",
            "recommender": "柳北区科学技术局",
            "recommender_opinion": "经审核，申报材料属实，同意推荐。",
        },
    }


def lz_software() -> dict:
    """科技与信息服务业 with revenue 1.38亿元: passes although below the manufacturing threshold."""
    exp, sales = 4200, 39500
    return {
        "form": "lz-preapply-2024",
        "consortium": {
            "name": "柳州市工业互联网平台创新联合体",
            "tech_field": "工业互联网平台",
            "industry_direction": "数字经济产业",
            "special_case": False,
            "strategic_agreement": True,
        },
        "lead": {
            "name": "柳州云联数字科技有限公司",
            "uscc": from_name("柳州云联数字科技有限公司", region="450202"),
            "location": "柳州市城中区",
            "address": "柳州市城中区文昌路9号柳州软件园B座",
            "org_type": "企业",
            "industry": "科技与信息服务业",
            "legal_representative": "周文斌",
            "contact": "韦晓琳",
            "phone": "18977261234",
            "email": "weixl@yunlian-tech.com",
            "revenue": 13800,
            "rd_staff": 64,
            "rd_expense_3y": exp,
            "sales_3y": sales,
            "operating_years": 8,
            "rd_ratio": ratio(exp, sales),
            "outreach": "主办柳州工业互联网大会，为200余家企业提供上云技术服务，与新加坡企业开展国际合作，转化软件成果15项。",
            "leads_other": False,
            "platforms": [
                {"name": "广西工业互联网技术创新中心", "level": "省部级", "type": "技术创新中心"},
                {"name": "柳州市工业大数据重点实验室", "level": "市级", "type": "重点实验室"},
                {"name": "柳州云联企业技术中心", "level": "市级", "type": "企业技术中心"},
            ],
        },
        "members": [
            member("上汽通用五菱汽车股份有限公司", "企业", "核心层", "柳州市柳南区", "工厂数字化联合建设", 2),
            member(
                "柳州螺霸王食品科技有限公司", "企业", "紧密合作层", "柳州市柳南区", "食品产线数据采集合作", 1
            ),
            member("广西科技大学", "高等学校", "核心层", "柳州市鱼峰区", "工业大数据联合实验室", 3),
            member("柳州职业技术大学", "高等学校", "紧密合作层", "柳州市柳北区", "数字化人才培养", 2),
            member(
                "广西电子信息产业研究院",
                "科研院所",
                "紧密合作层",
                "南宁市青秀区",
                "标识解析节点合作",
                1,
                region="450100",
            ),
            member("柳州市大数据发展中心", "其他机构", "一般协作层", "柳州市城中区", "政务数据开放合作", 1),
            member(
                "中国电信股份有限公司柳州分公司", "企业", "一般协作层", "柳州市城中区", "5G网络与算力支撑", 1
            ),
            member("柳州市科技金融服务中心", "科技金融机构", "一般协作层", "柳州市城中区", "科技信贷服务", 1),
        ],
        "governance": {
            "decision_body": "理事会：由9家单位代表组成，理事长由牵头单位担任。",
            "advisory_body": "技术委员会：由8名专家组成。",
            "executive_body": "运营中心：设在牵头单位，负责日常运行。",
            "executive_staff": 5,
            "funds_policy": "实行经费专账管理，设立内部监督委员会，政府资助经费按柳州市科技发展专项资金管理办法执行。",
        },
        "plan": {
            "goals": "建成服务500家企业的工业互联网平台，形成行业解决方案20个。",
            "tasks": "1.平台核心技术攻关；2.行业应用推广；3.标准研制。",
            "outcomes": "带动企业降本增效10%以上。",
            "start": "2024-05-01",
            "end": "2027-04-30",
        },
        "signoff": {
            "date": "2024-04-08",
            "recommender": "城中区科学技术局",
            "recommender_opinion": "同意推荐。",
        },
    }


def lz_medical() -> dict:
    """Exactly 8 members, one of them a hospital; 鱼峰区; a national platform."""
    exp, sales = 3850, 96000
    return {
        "form": "lz-preapply-2024",
        "consortium": {
            "name": "柳州市高端医疗器械创新联合体",
            "tech_field": "高端医疗器械",
            "industry_direction": "生物医药与大健康产业",
            "special_case": False,
            "strategic_agreement": False,
        },
        "lead": {
            "name": "柳州康瑞医疗器械股份有限公司",
            "uscc": from_name("柳州康瑞医疗器械股份有限公司", region="450203"),
            "location": "柳州市鱼峰区",
            "address": "柳州市鱼峰区阳和工业新区阳泰路12号",
            "org_type": "企业",
            "industry": "制造业",
            "legal_representative": "梁志明",
            "contact": "黄海燕",
            "phone": "0772-3125678",
            "email": "huanghy@kangrui-med.com",
            "revenue": 58600,
            "rd_staff": 47,
            "rd_expense_3y": exp,
            "sales_3y": sales,
            "operating_years": 10,
            "rd_ratio": ratio(exp, sales),
            "outreach": "举办医疗器械创新论坛2次，为区内医院提供设备技术服务，与韩国企业开展国际合作，成果转化6项。",
            "leads_other": False,
            "platforms": [
                {
                    "name": "国家医用影像设备工程技术研究中心柳州分中心",
                    "level": "国家级",
                    "type": "工程（技术）研究中心",
                },
            ],
        },
        "members": [
            member("柳州市人民医院", "医院", "核心层", "柳州市城中区", "临床试验与需求对接", 3),
            member("柳州市工人医院", "医院", "核心层", "柳州市柳北区", "临床验证合作", 2),
            member(
                "广西医科大学", "高等学校", "核心层", "南宁市青秀区", "生物材料联合研究", 2, region="450100"
            ),
            member("广西科技大学", "高等学校", "紧密合作层", "柳州市鱼峰区", "医疗器械结构设计", 3),
            member("柳州精工注塑有限公司", "企业", "紧密合作层", "柳州市柳江区", "精密注塑件配套", 1),
            member(
                "广西医疗器械检验检测中心",
                "检验检测机构",
                "一般协作层",
                "南宁市西乡塘区",
                "注册检验服务",
                1,
                region="450100",
            ),
            member("柳州市科技咨询服务中心", "科技咨询机构", "一般协作层", "柳州市城中区", "注册申报咨询", 1),
            member("柳州市中医医院", "医院", "一般协作层", "柳州市城中区", "中医康复器械需求", 1),
        ],
        "governance": {
            "decision_body": "理事会：由牵头单位及3家核心层单位组成。",
            "advisory_body": "临床与技术专家委员会。",
            "executive_body": "联合体秘书处，设在牵头单位研发中心。",
            "executive_staff": 3,
            "funds_policy": "制定研发经费管理办法，设立经费内部监督小组，政府资助经费按柳州市科技发展专项资金管理办法执行。",
        },
        "plan": {
            "goals": "研制二类以上医疗器械新产品8个。",
            "tasks": "1.影像设备核心部件攻关；2.临床验证；3.注册申报。",
            "outcomes": "新增产值5亿元。",
            "start": "2024-06-01",
            "end": "2026-12-31",
        },
        "signoff": {
            "date": "2024-04-15",
            "recommender": "鱼峰区科学技术局",
            "recommender_opinion": "经审核，同意推荐。",
        },
    }


def gx_battery() -> dict:
    """12 members (table grows), 柳州市 lead, special case requested with a 1亿+ average."""
    exp, sales = 45600, 1120000
    return {
        "form": "gx-recognition",
        "consortium": {
            "name": "广西动力电池材料创新联合体",
            "tech_field": "动力电池正极材料",
            "industry_direction": "新能源产业",
            "special_case": False,
        },
        "lead": {
            "name": "广西锂源新能源材料股份有限公司",
            "uscc": from_name("广西锂源新能源材料股份有限公司", region="450200"),
            "location": "柳州市",
            "address": "柳州市柳东新区官塘大道28号",
            "org_type": "企业",
            "legal_person": True,
            "internal_control": True,
            "tech_enterprise": True,
            "legal_representative": "陈立新",
            "contact": "罗晓峰",
            "phone": "0772-7112233",
            "email": "luoxf@liyuan-battery.com",
            "revenue": 386000,
            "rd_staff": 205,
            "rd_expense_3y": exp,
            "sales_3y": sales,
            "operating_years": 9,
            "rd_ratio": ratio(exp, sales),
            "outreach": "主办中国—东盟新能源电池技术论坛，为区内电池企业提供检测技术服务，与日本企业开展国际合作，近三年成果转移转化21项。",
            "leads_other": False,
            "platforms": [
                {"name": "广西动力电池材料工程研究中心", "level": "省部级", "type": "工程（技术）研究中心"},
                {"name": "锂源新能源企业技术中心", "level": "省部级", "type": "企业技术中心"},
            ],
        },
        "members": [
            member(
                "广西大学", "高等学校", "核心层", "南宁市西乡塘区", "电池材料联合实验室", 2, region="450100"
            ),
            member(
                "中南大学", "高等学校", "核心层", "湖南省长沙市", "正极材料合成工艺合作", 3, region="430100"
            ),
            member(
                "广西华锡集团股份有限公司", "企业", "核心层", "河池市", "锂锰原料保障", 1, region="451200"
            ),
            member("上汽通用五菱汽车股份有限公司", "企业", "核心层", "柳州市柳南区", "电池包应用验证", 2),
            member("广西科技大学", "高等学校", "紧密合作层", "柳州市鱼峰区", "电池回收技术合作", 3),
            member(
                "广西产研院新能源研究所",
                "科研院所",
                "紧密合作层",
                "南宁市",
                "中试验证合作",
                1,
                region="450100",
            ),
            member("柳州赛克科技发展有限公司", "企业", "紧密合作层", "柳州市柳江区", "电池管理系统配套", 1),
            member("广西电池产品质量检验中心", "检验检测机构", "紧密合作层", "柳州市", "电池安全检测", 1),
            member(
                "广西银亿新材料有限公司", "企业", "一般协作层", "玉林市", "前驱体配套", 1, region="450900"
            ),
            member(
                "广西技术转移中心有限公司",
                "技术转移机构",
                "一般协作层",
                "南宁市青秀区",
                "成果转化服务",
                3,
                region="450100",
            ),
            member("柳州市新能源汽车产业促进会", "其他机构", "一般协作层", "柳州市", "产业对接服务", 1),
            member(
                "广西北部湾银行股份有限公司",
                "科技金融机构",
                "一般协作层",
                "南宁市",
                "科技金融服务",
                1,
                region="450100",
            ),
        ],
        "governance": {
            "decision_body": "理事会：由牵头单位及核心层单位代表5人组成。",
            "advisory_body": "专家委员会：由9名专家组成。",
            "executive_body": "联合体管理办公室，设在牵头单位研究院。",
            "executive_staff": 6,
            "funds_policy": "建立研发投入稳定增长机制，经费专账核算，接受审计。",
            "benefit_policy": "按贡献分享知识产权与收益。",
            "openness_policy": "成员动态调整，仪器设备开放共享。",
            "agreement_signed": True,
        },
        "plan": {
            "goals": "突破高镍正极材料关键技术5项。",
            "tasks": "1.高镍材料制备；2.回收利用；3.标准制定；4.人才培养。",
            "outcomes": "新增产值60亿元。",
            "start": "2025-01-01",
            "end": "2027-12-31",
        },
        "signoff": {
            "date": "2024-11-20",
            "recommender": "柳州市科学技术局",
            "recommender_opinion": "经审核，同意推荐。",
        },
    }


def gx_sugar() -> dict:
    """Passes on the 3000万 average although the ratio is under 3% (either test suffices)."""
    exp, sales = 14400, 690000
    return {
        "form": "gx-recognition",
        "consortium": {
            "name": "广西甘蔗糖业精深加工创新联合体",
            "tech_field": "甘蔗糖业精深加工",
            "industry_direction": "糖业",
            "special_case": False,
        },
        "lead": {
            "name": "广西桂糖精制科技股份有限公司",
            "uscc": from_name("广西桂糖精制科技股份有限公司", region="451400"),
            "location": "崇左市",
            "address": "崇左市江州区城南工业园1号",
            "org_type": "企业",
            "legal_person": True,
            "internal_control": True,
            "tech_enterprise": True,
            "legal_representative": "农卫东",
            "contact": "赵丽萍",
            "phone": "0771-7833456",
            "email": "zhaolp@guitang-sugar.cn",
            "revenue": 235000,
            "rd_staff": 96,
            "rd_expense_3y": exp,
            "sales_3y": sales,
            "operating_years": 25,
            "rd_ratio": ratio(exp, sales),
            "outreach": "举办全国甘蔗糖业技术交流会，为糖厂提供技术服务，与古巴、泰国开展国际合作，成果转化11项。",
            "leads_other": False,
            "platforms": [
                {"name": "广西甘蔗综合利用重点实验室", "level": "省部级", "type": "重点实验室"},
            ],
        },
        "members": [
            member(
                "广西大学",
                "高等学校",
                "核心层",
                "南宁市西乡塘区",
                "甘蔗育种与加工联合研究",
                2,
                region="450100",
            ),
            member("广西甘蔗研究所", "科研院所", "核心层", "南宁市", "良种选育合作", 1, region="450100"),
            member("崇左市糖业协会", "其他机构", "一般协作层", "崇左市", "行业推广", 1, region="451400"),
            member(
                "广西农垦糖业集团有限公司", "企业", "紧密合作层", "南宁市", "糖厂示范应用", 1, region="450100"
            ),
        ],
        "governance": {
            "decision_body": "理事会：由5家单位代表组成。",
            "advisory_body": "技术咨询委员会：由6名专家组成。",
            "executive_body": "秘书处，设在牵头单位技术中心。",
            "executive_staff": 3,
            "funds_policy": "制定研发经费管理办法，专款专用。",
            "benefit_policy": "约定知识产权归属和收益分配比例。",
            "openness_policy": "吸纳新成员，共享中试线。",
            "agreement_signed": True,
        },
        "plan": {
            "goals": "开发功能糖新产品5个。",
            "tasks": "1.蔗渣高值化利用；2.功能糖研发；3.清洁生产。",
            "outcomes": "新增产值12亿元。",
            "start": "2025-03-01",
            "end": "2028-02-29",
        },
        "signoff": {
            "date": "2024-12-02",
            "recommender": "崇左市科学技术局",
            "recommender_opinion": "同意推荐。",
        },
    }


def gx_young() -> dict:
    """Two operating years: the average is over 2 years (3200万), ratio 2.13%: passes."""
    exp, sales = 6400, 300000
    return {
        "form": "gx-recognition",
        "consortium": {
            "name": "广西海洋装备智能制造创新联合体",
            "tech_field": "海洋工程装备智能制造",
            "industry_direction": "海洋产业",
            "special_case": False,
        },
        "lead": {
            "name": "广西北港海工装备有限公司",
            "uscc": from_name("广西北港海工装备有限公司", region="450700"),
            "location": "钦州市",
            "address": "钦州市钦南区中国—东盟港口城海工路3号",
            "org_type": "企业",
            "legal_person": True,
            "internal_control": True,
            "tech_enterprise": True,
            "legal_representative": "梁海波",
            "contact": "苏婷",
            "phone": "15977012345",
            "email": "suting@beigang-marine.com",
            "revenue": 158000,
            "rd_staff": 41,
            "rd_expense_3y": exp,
            "sales_3y": sales,
            "operating_years": 2,
            "rd_ratio": ratio(exp, sales),
            "outreach": "承办北部湾海洋装备学术交流会，为港口企业提供技术服务，与挪威企业开展国际合作，成果转化3项。",
            "leads_other": False,
            "platforms": [
                {"name": "广西海洋工程装备技术创新中心", "level": "省部级", "type": "技术创新中心"},
            ],
        },
        "members": [
            member(
                "北部湾大学", "高等学校", "核心层", "钦州市", "船舶与海洋工程联合研究", 1, region="450700"
            ),
            member(
                "广西北部湾国际港务集团有限公司",
                "企业",
                "核心层",
                "南宁市",
                "港口装备应用场景",
                2,
                region="450100",
            ),
            member(
                "中国船舶集团广西造船有限公司",
                "企业",
                "紧密合作层",
                "钦州市",
                "分段制造配套",
                1,
                region="450700",
            ),
            member("广西海洋研究院", "科研院所", "紧密合作层", "南宁市", "海洋环境试验", 1, region="450100"),
            member(
                "钦州市特种设备检验所",
                "检验检测机构",
                "一般协作层",
                "钦州市",
                "特种设备检验",
                1,
                region="450700",
            ),
            member(
                "广西科技成果转化服务中心",
                "技术转移机构",
                "一般协作层",
                "南宁市",
                "成果转化服务",
                2,
                region="450100",
            ),
            member("钦州市船舶工业协会", "其他机构", "一般协作层", "钦州市", "产业对接", 1, region="450700"),
        ],
        "governance": {
            "decision_body": "理事会：由牵头单位和核心层单位组成。",
            "advisory_body": "专家咨询组：由5名专家组成。",
            "executive_body": "运行办公室，设在牵头单位。",
            "executive_staff": 3,
            "funds_policy": "经费统一管理，年度审计。",
            "benefit_policy": "按投入和贡献分配收益。",
            "openness_policy": "设施对外开放，成员可进可出。",
            "agreement_signed": True,
        },
        "plan": {
            "goals": "研制智能化海工装备3型。",
            "tasks": "1.智能焊接；2.数字孪生；3.人才培养。",
            "outcomes": "新增产值15亿元。",
            "start": "2025-01-01",
            "end": "2027-12-31",
        },
        "signoff": {
            "date": "2024-12-10",
            "recommender": "钦州市科学技术局",
            "recommender_opinion": "同意推荐。",
        },
    }


PASSING = {
    "lz-pass": lambda: reference("lz"),
    "lz-bearing": lz_bearing,
    "lz-software": lz_software,
    "lz-medical": lz_medical,
    "gx-pass": lambda: reference("gx"),
    "gx-battery": gx_battery,
    "gx-sugar": gx_sugar,
    "gx-young": gx_young,
}


def clone(name: str) -> dict:
    return copy.deepcopy(PASSING[name]())
