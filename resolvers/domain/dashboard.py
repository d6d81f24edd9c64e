"""统计维度 — the dimensions dashboards count subjects and records by (``Query.stats``).

Each dimension is a member here and one key expression in ``resolvers.data.queries.stats``;
a new dimension is one member and one expression (GRADE: the stored public grade's class).
"""

from __future__ import annotations

from enum import StrEnum

from resolvers.domain.enums import Terms


class SubjectDimension(StrEnum):
    """What subjects are counted by."""

    PROVINCE = "PROVINCE"
    CITY = "CITY"
    KIND = "KIND"
    STATUS = "STATUS"
    CATEGORY = "CATEGORY"
    LIST_STANDING = "LIST_STANDING"
    GRADE = "GRADE"


class PenaltyDimension(StrEnum):
    """What penalties are counted (and their fines summed) by."""

    MONTH = "MONTH"
    SEVERITY = "SEVERITY"
    CATEGORY = "CATEGORY"
    AUTHORITY = "AUTHORITY"
    REGION = "REGION"


class LateDimension(StrEnum):
    """What late disclosures (licences and penalties published late) are counted by."""

    AUTHORITY = "AUTHORITY"
    MONTH = "MONTH"
    RECORD_TYPE = "RECORD_TYPE"


class ComplaintDimension(StrEnum):
    """What complaints are counted by."""

    CHANNEL = "CHANNEL"
    STATUS = "STATUS"
    MONTH = "MONTH"


class Direction(StrEnum):
    """排序方向 — sort direction of a list."""

    ASC = "ASC"
    DESC = "DESC"


DIMENSION_TERMS = Terms([
    (SubjectDimension.PROVINCE, "省级行政区"),
    (SubjectDimension.CITY, "地级行政区"),
    (SubjectDimension.KIND, "市场主体类型"),
    (SubjectDimension.STATUS, "登记状态"),
    (SubjectDimension.CATEGORY, "行政相对人类别"),
    (SubjectDimension.LIST_STANDING, "红黑名单状态（今日）"),
    (SubjectDimension.GRADE, "公示信用等级（存储的等级，日期见 gradesAsOf）"),
    (PenaltyDimension.MONTH, "处罚决定月份（北京时间）"),
    (PenaltyDimension.SEVERITY, "失信行为严重程度"),
    (PenaltyDimension.CATEGORY, "处罚类别"),
    (PenaltyDimension.AUTHORITY, "处罚机关"),
    (PenaltyDimension.REGION, "行政区划（筛选区划的下一级；无区划筛选时为省级）"),
    (LateDimension.AUTHORITY, "决定机关"),
    (LateDimension.MONTH, "决定月份"),
    (LateDimension.RECORD_TYPE, "行政许可 / 行政处罚"),
    (ComplaintDimension.CHANNEL, "投诉举报渠道"),
    (ComplaintDimension.STATUS, "处理状态"),
    (ComplaintDimension.MONTH, "投诉月份"),
    (Direction.ASC, "升序"),
    (Direction.DESC, "降序"),
])
