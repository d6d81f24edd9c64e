"""The policy vocabulary demo records are written in: 行政许可 kinds, 行政处罚 violations with
their legal basis, 信用承诺 texts, 投诉 summaries, 评价 comments and 红黑名单 reasons.

Texts are short on purpose: a million subjects carry millions of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.domain.enums import (
    CommitmentKind,
    ComplaintChannel,
    Department,
    LicenseCategory,
    PenaltyCategory,
    Severity,
)


@dataclass(frozen=True, slots=True)
class LicenceKind:
    """One kind of 行政许可 (or 备案) with the 双公示 XK_ wording and its number format."""

    key: str
    department: Department
    title: str  # XKWS
    category: LicenseCategory  # XKLB
    certificate: str  # XKZS
    content: str  # NR
    years: int | None  # validity; None = open-ended 备案
    number_format: str  # filled with prov, region, year, serial, check


LICENCES: dict[str, LicenceKind] = {
    kind.key: kind
    for kind in (
        LicenceKind("food_business", Department.MARKET_REGULATION, "食品经营许可决定书",
                    LicenseCategory.GENERAL, "食品经营许可证",
                    "预包装食品销售（含冷藏冷冻食品）；散装食品销售（不含散装熟食）", 5,
                    "JY1{region}{serial6}{check}"),
        LicenceKind("food_production", Department.MARKET_REGULATION, "食品生产许可决定书",
                    LicenseCategory.GENERAL, "食品生产许可证", "食品生产：糖果制品、茶叶及相关制品",
                    5, "SC114{region}{serial4}{check}"),
        LicenceKind("medical_device", Department.MARKET_REGULATION, "医疗器械经营许可决定书",
                    LicenseCategory.GENERAL, "医疗器械经营许可证",
                    "第三类医疗器械经营（网络销售）", 5, "{prov}药监械经营许{year}{serial4}号"),
        LicenceKind("cosmetics", Department.MARKET_REGULATION, "化妆品生产许可决定书",
                    LicenseCategory.GENERAL, "化妆品生产许可证", "一般液态单元（护发清洁类）",
                    5, "{prov}妆{year}{serial4}"),
        LicenceKind("industrial_product", Department.MARKET_REGULATION,
                    "工业产品生产许可决定书", LicenseCategory.APPROVAL, "工业产品生产许可证",
                    "电线电缆（低压电力电缆）", 5, "（{prov}）XK06-001-{serial5}"),
        LicenceKind("foreign_trade", Department.COMMERCE, "对外贸易经营者备案登记",
                    LicenseCategory.REGISTRATION, "对外贸易经营者备案登记表",
                    "货物及技术进出口经营", None, "0{serial7}"),
        LicenceKind("liquor", Department.COMMERCE, "酒类流通备案登记",
                    LicenseCategory.REGISTRATION, "酒类流通备案登记表", "酒类批发、零售",
                    None, "{serial7}"),
        LicenceKind("prepaid_card", Department.COMMERCE, "单用途商业预付卡备案",
                    LicenseCategory.REGISTRATION, "单用途商业预付卡备案证明",
                    "单用途商业预付卡发行（规模发卡企业）", None, "{prov}商备{year}{serial4}"),
    )
}
# Every e-commerce operator may hold these besides its trade's own licences.
GENERAL_LICENCES = ("foreign_trade", "food_business")


@dataclass(frozen=True, slots=True)
class Violation:
    """A 违法行为类型 (WFXW) with facts (SY), legal basis (YJ) and the usual outcome."""

    type: str
    facts: str
    basis: str
    severities: tuple[tuple[Severity, float], ...]
    max_fine_wan: int  # typical upper bound in 万元 for the generator
    department: Department = Department.MARKET_REGULATION


VIOLATIONS: dict[str, Violation] = {
    "brushing": Violation(
        "虚构交易、编造用户评价（刷单炒信）",
        "当事人通过组织虚假交易、编造用户好评等方式进行虚假或者引人误解的商业宣传。",
        "《中华人民共和国反不正当竞争法》第八条第一款、第二十条第一款",
        ((Severity.GENERAL, 70), (Severity.SERIOUS, 30)), 100),
    "counterfeit": Violation(
        "销售侵犯注册商标专用权的商品",
        "当事人在网店销售假冒他人注册商标的商品，货值金额较大。",
        "《中华人民共和国商标法》第五十七条第三项、第六十条第二款",
        ((Severity.GENERAL, 30), (Severity.SERIOUS, 70)), 50),
    "false_advertising": Violation(
        "发布虚假广告", "当事人在商品详情页宣称产品具有不实功效。",
        "《中华人民共和国广告法》第二十八条、第五十五条第一款",
        ((Severity.MINOR, 30), (Severity.GENERAL, 60), (Severity.SERIOUS, 10)), 20),
    "licence_display": Violation(
        "未在首页显著位置公示营业执照信息",
        "当事人未在其网店首页显著位置持续公示营业执照信息、相关行政许可信息。",
        "《中华人民共和国电子商务法》第十五条、第七十六条第一款",
        ((Severity.MINOR, 85), (Severity.GENERAL, 15)), 1),
    "substandard": Violation(
        "销售不合格产品", "经抽检，当事人网络销售的产品经检验不合格。",
        "《中华人民共和国产品质量法》第四十九条、第五十条",
        ((Severity.MINOR, 20), (Severity.GENERAL, 65), (Severity.SERIOUS, 15)), 10),
    "price_fraud": Violation(
        "虚构原价、价格欺诈", "当事人在促销活动中标示的原价属虚构，诱骗消费者交易。",
        "《中华人民共和国价格法》第十四条第四项、第四十条；《明码标价和禁止价格欺诈规定》",
        ((Severity.MINOR, 40), (Severity.GENERAL, 55), (Severity.SERIOUS, 5)), 5),
    "no_reason_return": Violation(
        "未按规定履行七日无理由退货义务", "当事人拒绝为消费者办理符合条件的七日无理由退货。",
        "《中华人民共和国消费者权益保护法》第二十五条、第五十六条第一款第八项",
        ((Severity.MINOR, 60), (Severity.GENERAL, 40)), 2),
    "unlicensed_food": Violation(
        "未取得食品经营许可从事食品经营", "当事人未取得食品经营许可，通过网店销售预包装食品。",
        "《中华人民共和国食品安全法》第三十五条第一款、第一百二十二条第一款",
        ((Severity.GENERAL, 80), (Severity.SERIOUS, 20)), 10),
    "personal_data": Violation(
        "侵害消费者个人信息", "当事人未经消费者同意向第三方提供消费者个人信息。",
        "《中华人民共和国消费者权益保护法》第二十九条、第五十六条第一款第九项",
        ((Severity.GENERAL, 60), (Severity.SERIOUS, 40)), 50),
    "prepaid_card": Violation(
        "未按规定办理单用途商业预付卡备案", "当事人发行单用途商业预付卡未按规定办理备案。",
        "《单用途商业预付卡管理办法（试行）》第七条、第三十六条",
        ((Severity.MINOR, 70), (Severity.GENERAL, 30)), 3, Department.COMMERCE),
}
# What an ordinary (not brushing, not counterfeiting) subject is penalised for, and how often.
ORDINARY_VIOLATIONS: tuple[tuple[str, float], ...] = (
    ("licence_display", 22), ("false_advertising", 18), ("price_fraud", 15),
    ("substandard", 14), ("no_reason_return", 12), ("unlicensed_food", 8),
    ("personal_data", 4), ("prepaid_card", 4), ("counterfeit", 3),
)
CATEGORIES_BY_SEVERITY: dict[Severity, tuple[tuple[PenaltyCategory, float], ...]] = {
    Severity.MINOR: ((PenaltyCategory.WARNING, 55), (PenaltyCategory.FINE, 45)),
    Severity.GENERAL: ((PenaltyCategory.FINE, 70), (PenaltyCategory.CONFISCATION, 30)),
    Severity.SERIOUS: ((PenaltyCategory.FINE, 35), (PenaltyCategory.CONFISCATION, 35),
                       (PenaltyCategory.LICENSE_SUSPENSION, 15),
                       (PenaltyCategory.BUSINESS_SUSPENSION, 15)),
}

COMMITMENT_TEXTS: dict[CommitmentKind, str] = {
    CommitmentKind.GENERAL_CREDIT: "本单位承诺所报信息真实有效，依法诚信经营，自觉接受社会监督；"
    "如违背承诺，愿意承担相应法律责任并接受失信惩戒。",
    CommitmentKind.NO_REASON_RETURN: "本店承诺：消费者自收到商品之日起七日内可无理由退货"
    "（定制、鲜活易腐等商品除外）。",
    CommitmentKind.ADVANCE_COMPENSATION: "本店承诺：消费者因购买本店商品权益受损的，本店先行赔付，"
    "再向责任方追偿。",
    CommitmentKind.FIRST_RESPONSIBILITY: "本单位承诺落实首问负责制：首次受理咨询或投诉的人员负责到底。",
    CommitmentKind.PRODUCT_QUALITY: "本店承诺所售商品均为正品、来源合法、质量符合国家标准，假一赔三。",
}

COMPLAINT_SUMMARIES: dict[ComplaintChannel, tuple[str, ...]] = {
    ComplaintChannel.PLATFORM: ("商品与描述不符，申请退货被拒", "发货超时且不予处理",
                                "收到商品破损，商家拒绝赔付", "疑似售假，要求退一赔三",
                                "客服长时间不回复售后申请"),
    ComplaintChannel.HOTLINE_12315: ("网购商品质量问题，商家拒不退换", "虚假宣传，夸大产品功效",
                                     "七日无理由退货遭拒", "商家拒不履行先行赔付承诺"),
    ComplaintChannel.HOTLINE_12358: ("虚构原价，先涨价后打折", "结算价格高于标示价格"),
    ComplaintChannel.HOTLINE_12365: ("网购产品质量不合格", "产品无中文标识"),
    ComplaintChannel.HOTLINE_12331: ("网购食品过期变质", "网售保健食品宣传治疗功效"),
    ComplaintChannel.HOTLINE_12312: ("商家拒不履行促销承诺", "预付卡商家闭店无法退款"),
    ComplaintChannel.HOTLINE_12318: ("网店销售盗版出版物",),
}
RESOLUTIONS = ("经调解，商家同意退货退款", "商家已赔偿消费者损失", "已责令商家限期整改",
               "双方自行和解")
DISMISSALS = ("证据不足，不予受理", "不属于本部门管辖，已告知投诉人", "投诉人撤回投诉")

RATING_COMMENTS: dict[int, tuple[str, ...]] = {
    5: ("质量很好，物流很快，好评！", "宝贝收到了，和描述一致", "包装严实，性价比高",
        "客服态度好，回复及时", "第二次购买了，值得信赖", "发货速度快，商品不错"),
    4: ("整体不错，就是物流稍慢", "东西还可以，包装一般", "性价比可以，有小瑕疵"),
    3: ("一般般，和图片有点色差", "中规中矩吧", "质量一般，凑合用"),
    2: ("质量一般，有点失望", "发货太慢了", "尺码不准，退换麻烦"),
    1: ("与描述严重不符，疑似假货", "收到空包裹，已申请退款", "客服不理人，差评"),
}
BRUSHING_COMMENTS = ("好评", "五星好评", "很好很好", "不错不错", "好评！")
FOLLOW_UPS = ("用了一段时间，效果不错", "追评：质量还行，会回购", "用了一周就坏了",
              "客服处理售后很及时", "洗过一次有点褪色")

BLACK_REASONS: dict[str, tuple[str, str]] = {
    "brushing": ("组织虚假交易、编造虚假好评（炒信），列入电子商务领域炒信黑名单",
                 "下调信用等级；平台限制发布商品并屏蔽店铺；限制参加评优评先；"
                 "对法定代表人实施联合惩戒"),
    "counterfeit": ("销售假冒注册商标商品，情节严重，列入严重违法失信名单",
                    "公开曝光；限制参加政府采购、评优评先；平台关闭店铺；"
                    "法定代表人任职限制"),
    "empty_parcels": ("为刷单炒信提供空包寄递服务，列入电子商务领域炒信黑名单",
                      "下调寄递企业信用等级；平台暂停合作；列为重点监管对象"),
}
RED_REASONS: tuple[tuple[str, str, Department], ...] = (
    ("连续三年守合同重信用企业", "平台搜索排序优先、流量倾斜；融资授信优先",
     Department.MARKET_REGULATION),
    ("电子商务诚信示范企业", "平台搜索排序优先；行政审批绿色通道；评优评先优先",
     Department.COMMERCE),
    ("放心消费示范网店", "平台流量倾斜；减少日常检查频次", Department.MARKET_REGULATION),
)
LIFT_REASON = "完成信用修复，经申请移出名单"
