"""Word lists for demo names: people (姓名), enterprise names (企业名称) and addresses.

A Chinese enterprise name is 行政区划 + 字号 + 行业 + 组织形式 (企业名称登记管理规定):
e.g. 贵阳 + 鑫源 + 电子商务 + 有限公司. The lists live here, not in Faker, so that a Faker
upgrade can never change a seeded dataset.
"""

from __future__ import annotations

from functools import cache

# The most common surnames with their approximate share in ‰ (2020 census order); a few
# compound surnames keep the long tail honest.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22),
    ("赵", 21), ("吴", 20), ("周", 19), ("徐", 16), ("孙", 15), ("马", 14), ("朱", 13),
    ("胡", 13), ("郭", 12), ("何", 12), ("林", 11), ("高", 11), ("罗", 11), ("郑", 10),
    ("梁", 10), ("谢", 8), ("宋", 8), ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7),
    ("曹", 7), ("彭", 6), ("曾", 6), ("肖", 6), ("田", 6), ("董", 5), ("袁", 5), ("潘", 5),
    ("于", 5), ("蒋", 5), ("蔡", 5), ("余", 5), ("杜", 5), ("叶", 4), ("程", 4), ("苏", 4),
    ("魏", 4), ("吕", 4), ("丁", 4), ("任", 4), ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 4),
    ("崔", 3), ("钟", 3), ("谭", 3), ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3),
    ("廖", 3), ("贾", 3), ("夏", 3), ("韦", 3), ("付", 3), ("方", 3), ("白", 3), ("邹", 3),
    ("孟", 3), ("熊", 3), ("秦", 3), ("邱", 3), ("江", 3), ("尹", 2), ("薛", 2), ("闫", 2),
    ("段", 2), ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2),
    ("顾", 2), ("毛", 2), ("郝", 2), ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("严", 2),
    ("覃", 2), ("武", 2), ("戴", 2), ("莫", 2), ("孔", 2), ("向", 2), ("汤", 2),
    ("欧阳", 0.5), ("司马", 0.1), ("诸葛", 0.1), ("上官", 0.1), ("慕容", 0.05),
)

GIVEN_MALE = tuple(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋建国峰亮成志海东文博晨阳"
    "轩睿然航泽宏振家毅坤鸿彬锋翔晖铭哲瑞豪昊运德立松柏"
)
GIVEN_FEMALE = tuple(
    "芳娜敏静丽艳娟霞秀燕玲桂英丹萍红琳洁婷雪慧颖倩琴云莉梅兰月晶佳欣怡悦思涵雨萱诗梦嘉瑶"
    "妍琪璐蕾薇菲露岚婉莹琼秋彤"
)

# 字号 syllables: the auspicious words that make up most registered trade names.
BRAND_SYLLABLES = tuple(
    "华鑫恒泰盛达源隆兴宏祥瑞福安康嘉汇通信诚德丰润锦美优品佳新创智云星天海川峰博睿晟禾悦"
    "尚朗途迅捷易聚合远致卓越昌旺和益金银永宝富利顺发明辉腾飞凯龙凤鼎正中元亿万方圆启航"
)

# 行业表述 of merchants and what a merchant of that trade typically holds (licence keys of
# ``_catalogue.LICENCES``).
MERCHANT_TRADES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("电子商务", 14, ()),
    ("商贸", 10, ()),
    ("贸易", 6, ("foreign_trade",)),
    ("进出口贸易", 3, ("foreign_trade",)),
    ("食品", 8, ("food_business", "food_production")),
    ("农产品", 5, ("food_business",)),
    ("茶业", 3, ("food_business", "food_production")),
    ("酒业", 2, ("food_business", "liquor")),
    ("母婴用品", 4, ("food_business",)),
    ("服饰", 9, ()),
    ("鞋业", 3, ()),
    ("家居用品", 5, ()),
    ("日用品", 5, ("prepaid_card",)),
    ("化妆品", 4, ("cosmetics",)),
    ("数码科技", 5, ()),
    ("电子科技", 4, ("industrial_product",)),
    ("五金机电", 3, ("industrial_product",)),
    ("工艺品", 2, ()),
    ("户外用品", 2, ()),
    ("宠物用品", 2, ()),
    ("文化用品", 2, ()),
    ("医疗器械", 2, ("medical_device",)),
)

INDIVIDUAL_TRADES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("日用品", 10, ()), ("食品", 9, ("food_business",)), ("服装", 10, ()),
    ("土特产", 6, ("food_business",)), ("水果", 5, ("food_business",)), ("茶叶", 4, ("food_business",)),
    ("饰品", 5, ()), ("数码配件", 5, ()), ("鞋帽", 4, ()), ("百货", 8, ()), ("手工艺品", 3, ()),
    ("化妆品", 3, ()), ("母婴用品", 3, ("food_business",)), ("花卉", 2, ()),
)
INDIVIDUAL_FORMS: tuple[tuple[str, float], ...] = (
    ("店", 45), ("商行", 25), ("经营部", 18), ("网店", 12),
)

PLATFORM_TRADES = ("网络科技", "电子商务", "信息技术", "互联网科技", "数字科技")
LOGISTICS_TRADES: tuple[tuple[str, float], ...] = (
    ("快递", 40), ("物流", 30), ("速运", 15), ("供应链管理", 10), ("国际货运代理", 5),
)
SERVICE_TRADES: tuple[tuple[str, float], ...] = (
    ("信息技术", 25), ("网络营销策划", 15), ("软件科技", 15), ("电商代运营", 15),
    ("仓储服务", 10), ("数据科技", 10), ("文化传媒", 10),
)

ORGANISATION_FORMS: tuple[tuple[str, float], ...] = (
    ("有限公司", 88), ("有限责任公司", 7), ("股份有限公司", 5),
)

ROADS = (
    "人民路", "中山路", "解放路", "建设路", "和平路", "新华路", "胜利路", "文化路", "长江路",
    "黄河路", "友谊路", "青年路", "朝阳路", "光明路", "南京路", "北京路", "滨江路", "东风路",
    "环城路", "学府路", "科技路", "创业大道", "工业园路", "商贸街", "步行街", "发展大道",
    "世纪大道", "金融街", "花园路", "迎宾大道", "振兴路", "电商大道", "物流园路", "湖滨路",
)
BUILDINGS = ("电子商务产业园", "创业园", "科技园", "商务中心", "大厦", "物流园", "孵化基地", "商城")

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "177", "180", "181", "182", "183",
    "185", "186", "187", "188", "189", "191", "198", "199",
)

# 省级简称, used in licence and decision numbers (e.g. 黔 for 贵州).
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "黔", "53": "滇", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}

# Relative weight of provinces by online-retail activity; the two provinces whose policy
# documents this product follows (贵州 52, 河北 13) are raised a little so demos show them.
PROVINCE_WEIGHTS = {
    "44": 12, "33": 12, "32": 8, "31": 6, "37": 6, "11": 5, "35": 5, "41": 4, "51": 4,
    "52": 4, "13": 4, "42": 3, "43": 3, "34": 3, "36": 2, "50": 2, "12": 2, "21": 2, "61": 2,
    "45": 2, "53": 2,
}
OTHER_PROVINCE_WEIGHT = 1.0

# Suffixes dropped when a division's name prefixes an enterprise name (南明区 → 南明).
DIVISION_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治县", "自治旗", "林区", "特区",
    "省", "市", "区", "县", "旗",
)


@cache
def short_division(name: str) -> str:
    """The name without its level suffix, kept whole when that would leave one character."""
    for suffix in DIVISION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
