"""Free text (penalty facts and content, rating comments, complaint and commitment text) holds
no ID number, phone or representative's name for PUBLIC and PLATFORM callers, whichever path
answers (embedded, cached, a subgraph's ``_entities``); an operator's name is found in a
business's name whatever its case; an 8–9-digit phone keeps at most 4 digits; and an AUDITOR's
unmasked reads of such text, and its name searches matching persons, are in the access log."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from resolvers.data.database import Database
from resolvers.domain.enums import Role
from tests.conftest import Backend, GraphQLClient, app_client, writer_client
from tests.roles import new_key

BUSINESS = "92110105MA01LE001H"  # LI LEI网店, an individual business run by Li Lei
PERSON = "11110105MA01HMM01F"  # 韩梅梅, a natural person
PLATFORM = "91110105MA01PTF01P"

FACTS = "经营者Li Lei（身份证110105199001011234，电话13812345678）销售假冒商品"
CONTENT = "罚款1万元；联系电话6234-5678，举报电话010-62345678"
COMMENT = "老板li lei态度差，电话 138 1234 5678"
SUMMARY = "商家LI LEI拒绝退款，其身份证号11010519900101123X"
TEXT = "本人Li Lei承诺七天无理由退货，电话62345678"
REASON = "经营者Li Lei组织刷单，手机13812345678"

MASKED = {
    "facts": "经营者L*****（身份证110***********1234，电话138****5678）销售假冒商品",
    "content": "罚款1万元；联系电话****-5678，举报电话010-****5678",
    "comment": "老板l*****态度差，电话 138 **** 5678",
    "summary": "商家L*****拒绝退款，其身份证号110***********123X",
    "text": "本人L*****承诺七天无理由退货，电话****5678",
    "reason": "经营者L*****组织刷单，手机138****5678",
}
STORED = {"facts": FACTS, "content": CONTENT, "comment": COMMENT, "summary": SUMMARY,
          "text": TEXT, "reason": REASON}

RECORDS = """query($u: USCC!) { subject(uscc: $u) { name phone
  penalties(first: 5) { edges { node { id facts content } } }
  ratings(first: 5) { edges { node { comment } } }
  complaints(first: 5) { edges { node { summary } } }
  commitments(first: 5) { edges { node { text } } }
  listEntries(first: 5) { edges { node { reason } } } } }"""


def texts(data: dict[str, Any]) -> dict[str, Any]:
    subject = data["subject"]
    (penalty,) = [e["node"] for e in subject["penalties"]["edges"]]
    return {"name": subject["name"], "phone": subject["phone"], "facts": penalty["facts"],
            "content": penalty["content"],
            "comment": subject["ratings"]["edges"][0]["node"]["comment"],
            "summary": subject["complaints"]["edges"][0]["node"]["summary"],
            "text": subject["commitments"]["edges"][0]["node"]["text"],
            "reason": subject["listEntries"]["edges"][0]["node"]["reason"]}


async def store(url: str) -> None:
    """The subjects and their records, written straight to a fresh database."""
    from resolvers.data import models
    from resolvers.data.migrate import upgrade
    from resolvers.domain.clock import today
    from resolvers.domain.enums import (
        CommitmentKind,
        CommitmentStatus,
        ComplaintChannel,
        ComplaintStatus,
        Department,
        IdType,
        ListKind,
        PenaltyCategory,
        Severity,
        SubjectCategory,
        SubjectKind,
        SubjectStatus,
    )

    await upgrade(url)
    day = today()
    database = Database(url)
    try:
        async with database.session() as session:
            ids: dict[str, int] = {}
            for code, name, kind, category, rep, phone in (
                (BUSINESS, "LI LEI网店", SubjectKind.INDIVIDUAL_SELLER,
                 SubjectCategory.INDIVIDUAL_BUSINESS, "Li Lei", "6234 5678"),
                (PERSON, "韩梅梅", SubjectKind.INDIVIDUAL_SELLER, SubjectCategory.NATURAL_PERSON,
                 "韩梅梅", "13912345678"),
                (PLATFORM, "测试电商平台有限公司", SubjectKind.PLATFORM,
                 SubjectCategory.LEGAL_PERSON, "王大锤", "01088886666"),
            ):
                subject = models.Subject(
                    source=Department.MARKET_REGULATION, uscc=code, name=name, kind=kind,
                    category=category, region_code="110105", registered_on=day - timedelta(900),
                    status=SubjectStatus.ACTIVE, legal_rep_name=rep,
                    legal_rep_id_type=IdType.RESIDENT_ID,
                    legal_rep_id_number="110105199001011234", address="北京市朝阳区",
                    phone=phone)
                session.add(subject)
                await session.flush()
                assert subject.id is not None
                ids[code] = subject.id
            business = ids[BUSINESS]
            session.add(models.Penalty(
                source=Department.MARKET_REGULATION, subject_id=business,
                decision_number="京朝市监罚〔2026〕1号", content=CONTENT,
                decision_date=day - timedelta(30), published_on=day - timedelta(28),
                authority="北京市朝阳区市场监督管理局", authority_code="914403001922038216",
                violation_type="销售假冒商品", facts=FACTS, legal_basis="《商标法》第六十条",
                category=PenaltyCategory.FINE, fine=Decimal(1), severity=Severity.GENERAL,
                publicity_end=day + timedelta(200)))
            session.add(models.Rating(
                source=Department.PLATFORM, platform_id=ids[PLATFORM], rater_id=ids[PERSON],
                ratee_id=business, order_reference="O-1", score=1, comment=COMMENT,
                rated_on=day - timedelta(5)))
            session.add(models.Complaint(
                source=Department.PLATFORM, subject_id=business,
                channel=ComplaintChannel.PLATFORM, platform_code=PLATFORM, reference="TS-1",
                summary=SUMMARY, filed_on=day - timedelta(3), status=ComplaintStatus.RECEIVED))
            session.add(models.Commitment(
                source=Department.PLATFORM, subject_id=business,
                kind=CommitmentKind.NO_REASON_RETURN, text=TEXT,
                committed_on=day - timedelta(60), status=CommitmentStatus.ACTIVE))
            session.add(models.ListEntry(
                source=Department.MARKET_REGULATION, subject_id=business,
                list_kind=ListKind.BLACK, reason=REASON, authority="北京市朝阳区市场监督管理局",
                authority_code="914403001922038216", valid_from=day - timedelta(10)))
            await session.commit()
    finally:
        await database.dispose()


@pytest.fixture
async def people(backend: Backend, empty_url: str) -> Backend:
    await store(empty_url)
    return Backend(backend.name, empty_url, backend.redis_url, f"{backend.cache_prefix}-f")


@asynccontextmanager
async def reader(target: Backend, role: Role) -> AsyncIterator[GraphQLClient]:
    from resolvers.domain.enums import Department
    from resolvers.writes import keys

    if role is Role.PUBLIC:
        key = None
    elif role is Role.PLATFORM:
        database = Database(target.database_url)
        try:
            async with database.session() as session:
                key = (await keys.create(session, name="平台", department=Department.PLATFORM,
                                         platform_uscc=PLATFORM)).key
        finally:
            await database.dispose()
    else:
        key = await new_key(target, role)
    async with writer_client(target, key) as client:
        yield client


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.PLATFORM])
async def test_free_text_is_masked_for_public_and_platform(people: Backend, role: Role) -> None:
    async with reader(people, role) as client:
        first = texts(await client.data(RECORDS, {"u": BUSINESS}))
        again = texts(await client.data(RECORDS, {"u": BUSINESS}))  # cached or not: the same
    assert {k: first[k] for k in MASKED} == MASKED
    assert first["name"] == "L*****网店"  # the operator's name, found whatever its case
    assert first["phone"] == "**** 5678"  # 8 digits: at most 4 visible
    assert again == first


async def test_a_subgraph_masks_free_text_as_the_gateway_does(people: Backend) -> None:
    async with app_client(people) as client:
        penalty = (await client.data(RECORDS, {"u": BUSINESS}))["subject"]["penalties"]
    ident = penalty["edges"][0]["node"]["id"]
    async with app_client(people, subgraph="enforcement") as client:
        data = await client.data("""query($r: [_Any!]!) { _entities(representations: $r) {
            ... on Penalty { facts content } } }""",
                                 {"r": [{"__typename": "Penalty", "id": ident}]})
    assert data["_entities"] == [{"facts": MASKED["facts"], "content": MASKED["content"]}]


LOG = """query($subject: USCC) { accessLog(subject: $subject, first: 50) {
  edges { node { fields role } } } }"""


async def logged(target: Backend, subject: str) -> list[list[str]]:
    async with reader(target, Role.REGULATOR) as regulator:
        data = await regulator.data(LOG, {"subject": subject})
    return [e["node"]["fields"] for e in data["accessLog"]["edges"]]


async def test_regulators_and_auditors_read_it_whole_and_auditors_are_logged(
    people: Backend
) -> None:
    async with reader(people, Role.REGULATOR) as client:
        regulator = texts(await client.data(RECORDS, {"u": BUSINESS}))
    assert {k: regulator[k] for k in STORED} == STORED
    assert await logged(people, BUSINESS) == []
    async with reader(people, Role.AUDITOR) as client:
        auditor = texts(await client.data(RECORDS, {"u": BUSINESS}))
    assert auditor == regulator
    (fields,) = await logged(people, BUSINESS)
    assert fields == ["Commitment.text", "Complaint.summary", "ListEntry.reason",
                      "Penalty.content", "Penalty.facts", "Rating.comment", "name", "phone"]


async def test_an_auditors_name_search_matching_persons_is_logged(people: Backend) -> None:
    search = "query($t: String!) { searchSubjects(text: $t) { uscc } }"
    async with reader(people, Role.AUDITOR) as client:
        person = (await client.data(search, {"t": "梅梅"}))["searchSubjects"]
        business = (await client.data(search, {"t": "lei"}))["searchSubjects"]
        company = (await client.data(search, {"t": "电商"}))["searchSubjects"]
    assert person == [{"uscc": PERSON}]
    assert business == [{"uscc": BUSINESS}]
    assert company == [{"uscc": PLATFORM}]
    assert await logged(people, PERSON) == [["name"]]
    assert await logged(people, BUSINESS) == [["name"]]
    assert await logged(people, PLATFORM) == []  # a company's name is no person's
    # a subject page filtered by name is a search too
    async with reader(people, Role.AUDITOR) as client:
        page = (await client.data("""{ subjects(filter: {nameContains: "韩梅"}) {
            edges { node { uscc kind } } } }"""))["subjects"]["edges"]
    assert page == [{"node": {"uscc": PERSON, "kind": "INDIVIDUAL_SELLER"}}]
    assert await logged(people, PERSON) == [["name"], ["name"]]
    # the public finds neither by name, whatever the case of the operator's name
    async with reader(people, Role.PUBLIC) as client:
        for text in ("梅梅", "lei", "LI LEI", "Li Lei网店"):
            assert (await client.data(search, {"t": text}))["searchSubjects"] == []
