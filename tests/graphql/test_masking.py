"""个人信息: ID numbers, phones and persons' names are masked for PUBLIC and PLATFORM callers —
in every response, however the data is reached — and shown to regulators and auditors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from resolvers.data.database import Database
from resolvers.domain.enums import Role
from tests.conftest import Backend, GraphQLClient, sql_rows
from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401

PUBLIC_ROLES = (Role.PUBLIC, Role.PLATFORM)

EVERY_FIELD = """id uscc name kind category phone address
  legalRepresentative { name idType idNumber }"""
SUBJECT = f"""query($u: USCC!) {{ subject(uscc: $u) {{ {EVERY_FIELD} }} }}"""
RELATED = f"""query($u: USCC!) {{ subject(uscc: $u) {{ {EVERY_FIELD}
  penalties(first: 5) {{ edges {{ node {{ id facts content subject {{ {EVERY_FIELD} }} }} }} }}
  licenses(first: 5) {{ edges {{ node {{ id content subject {{ name phone }} }} }} }}
  ratings(first: 5) {{ edges {{ node {{ comment followUp rater {{ {EVERY_FIELD} }}
    platform {{ name phone legalRepresentative {{ name idNumber }} }} }} }} }}
  complaints(first: 5) {{ edges {{ node {{ summary resolution subject {{ phone }} }} }} }}
  commitments(first: 5) {{ edges {{ node {{ text subject {{ phone }} }} }} }}
  listEntries(first: 5) {{ edges {{ node {{ reason subject {{ {EVERY_FIELD} }} }} }} }}
  logisticsLinks(first: 5) {{ edges {{ node {{ carrier {{ {EVERY_FIELD} }} }} }} }}
  history(first: 5) {{ edges {{ node {{ action actor {{ ... on Writer {{ name code }} }} }} }} }}
}} }}"""
PAGE = f"""query($after: String) {{ subjects(first: 40, after: $after) {{
  pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {EVERY_FIELD} }} }} }} }}"""
SEARCH = f"""query($t: String!) {{ searchSubjects(text: $t, first: 50) {{ {EVERY_FIELD} }} }}"""
NODE = f"""query($id: ID!) {{ node(id: $id) {{ id ... on Subject {{ {EVERY_FIELD} }} }} }}"""
# the auditor's look-ups and exploration, asked with the personal values themselves
EXPLORE = f"""query($u: USCC!, $phone: String!, $id: String!, $address: String!) {{
  subjectsByPhone(phone: $phone) {{ {EVERY_FIELD} }}
  subjectsByRepresentative(idNumber: $id) {{ {EVERY_FIELD} }}
  subjectsByAddress(address: $address) {{ {EVERY_FIELD} }}
  carrierMerchants(carrier: $u) {{ {EVERY_FIELD} }}
  ratingsGiven(rater: $u) {{ comment ratee {{ {EVERY_FIELD} }} }}
  path(from: $u, to: $u) {{ message paths {{ hops {{ evidence {{ value }} }} }} }}
  subject(uscc: $u) {{ related(depth: 2) {{ subjects {{ subject {{ {EVERY_FIELD} }}
    evidence {{ value records }} }} }} }}
  brushingRun {{ computedAt }}
  brushingSuspects(first: 20) {{ subject {{ {EVERY_FIELD} }}
    evidence {{ partners {{ {EVERY_FIELD} }} }} }} }}"""


@dataclass(frozen=True)
class Person:
    uscc: str
    name: str
    category: str
    rep_name: str
    id_number: str
    phone: str


async def stored_people(backend: Backend) -> list[Person]:
    """The personal data as stored, read from the database (not through the gateway)."""
    rows = await sql_rows(backend.database_url,
                          "SELECT uscc, name, category, legal_rep_name, legal_rep_id_number, "
                          "phone FROM subject ORDER BY id")
    return [Person(*row) for row in rows]


def leaks(body: str, people: list[Person]) -> list[str]:
    """Stored ID numbers and phones (or the digit runs a mask hides) found in ``body``."""
    found = []
    for person in people:
        hidden_run = person.id_number[3:-4]  # birth date and sequence: what the mask hides
        if person.id_number in body or hidden_run in body:
            found.append(person.id_number)
        if person.phone in body or re.sub(r"[^0-9]", "", person.phone) in body:
            found.append(person.phone)
    return found


async def responses(client: GraphQLClient, people: list[Person]) -> list[str]:
    """The raw bodies of a large sample of queries reaching personal data every way there is:
    subject pages, search (by name fragments, USCC prefixes, the phones and ID numbers
    themselves), node, relations and history."""
    bodies: list[str] = []

    async def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = await client.post(query, variables)
        assert client.last is not None
        bodies.append(client.last.text)
        return body

    after = None
    while True:
        page = (await post(PAGE, {"after": after}))["data"]["subjects"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    for person in people[:80]:
        await post(SUBJECT, {"u": person.uscc})
        await post(NODE, {"id": _subject_id(person.uscc)})
    for person in people[:40]:
        await post(RELATED, {"u": person.uscc})
    for person in people[:20]:
        await post(EXPLORE, {"u": person.uscc, "phone": person.phone, "id": person.id_number,
                             "address": person.uscc})
    texts = ({p.name[2:4] for p in people[:40]} | {p.rep_name for p in people[:40]}
             | {p.rep_name[:1] for p in people[:20]} | {p.uscc[:6] for p in people[:20]}
             | {p.phone for p in people[:20]} | {p.id_number for p in people[:20]}
             | {p.phone[:7] for p in people[:10]})
    for text in sorted(t for t in texts if t.strip()):
        await post(SEARCH, {"t": text})
    return bodies


def _subject_id(uscc: str) -> str:
    import base64

    return base64.b64encode(f"Subject:{uscc}".encode()).decode()


@pytest.mark.parametrize("role", PUBLIC_ROLES)
async def test_no_response_to_the_public_holds_an_id_number_or_phone(read_keys: ReadKeys,
                                                                      role: Role) -> None:
    people = await stored_people(read_keys.backend)
    assert len(people) >= 100
    async with read_keys.client(role) as client:
        bodies = await responses(client, people)
    assert len(bodies) >= 300
    found = {leak for body in bodies for leak in leaks(body, people)}
    assert not found
    # the scan can find what it looks for: a regulator's answers hold them all
    async with read_keys.client(Role.REGULATOR) as client:
        regulator = await client.post(PAGE, {"after": None})
        explored = await client.post(EXPLORE, {"u": people[0].uscc, "phone": people[0].phone,
                                               "id": people[0].id_number, "address": people[0].uscc})
    assert leaks(str(regulator), people[:40])
    assert "errors" not in explored
    assert leaks(str(explored), people[:1])  # the exploration reaches personal data too


@pytest.mark.parametrize("role", [*PUBLIC_ROLES, Role.REGULATOR, Role.AUDITOR])
async def test_masks_keep_the_ends_and_hide_the_middle(read_keys: ReadKeys, role: Role) -> None:
    people = {p.uscc: p for p in await stored_people(read_keys.backend)}
    async with read_keys.client(role) as client:
        page = (await client.data(PAGE, {"after": None}))["subjects"]["edges"]
    for edge in page:
        node = edge["node"]
        stored = people[node["uscc"]]
        rep = node["legalRepresentative"]
        if role not in PUBLIC_ROLES:
            assert (rep["idNumber"], node["phone"], rep["name"]) == (
                stored.id_number, stored.phone, stored.rep_name)
            continue
        shown = rep["idNumber"]
        assert len(shown) == len(stored.id_number)
        assert shown[:3] == stored.id_number[:3]
        assert shown[-4:] == stored.id_number[-4:]
        assert set(shown[3:-4]) == {"*"}  # e.g. 110***********1234
        digits = [c for c in node["phone"] if c.isdigit()]
        assert "".join(digits) == re.sub(r"[^0-9]", "", stored.phone)[:3] + \
            re.sub(r"[^0-9]", "", stored.phone)[-4:]
        assert node["phone"].count("*") == len(re.sub(r"[^0-9]", "", stored.phone)) - 7
        assert rep["name"][0] == stored.rep_name[0]  # 张*: the surname stays
        assert set(rep["name"][1:]) <= {"*"} | set(stored.rep_name[:2])
        assert rep["name"] != stored.rep_name
        assert stored.rep_name not in node["name"]  # nor inside an individual business's name


NAMED = [("92110105MA01ABCD1X", "北京市朝阳区王小明烧烤店", "INDIVIDUAL_BUSINESS", "王小明"),
         ("92110105MA01ABCE1X", "欧阳娜娜", "NATURAL_PERSON", "欧阳娜娜"),
         ("91110105MA01ABCF1X", "北京小明科技有限公司", "LEGAL_PERSON", "王小明")]


async def store_named_subjects(url: str) -> None:
    """Subjects whose names hold a person's name (the demo data names individual businesses
    by surname + 记 only), stored in a fresh database of their own."""
    from datetime import date

    from resolvers.data.migrate import upgrade
    from resolvers.data.models import Subject
    from resolvers.domain.enums import (
        Department,
        IdType,
        SubjectCategory,
        SubjectKind,
        SubjectStatus,
    )

    await upgrade(url)
    database = Database(url)
    try:
        async with database.session() as session:
            for uscc, name, category, rep in NAMED:
                session.add(Subject(
                    source=Department.MARKET_REGULATION, uscc=uscc, name=name,
                    kind=(SubjectKind.MERCHANT if category == "LEGAL_PERSON"
                          else SubjectKind.INDIVIDUAL_SELLER),
                    category=SubjectCategory(category), region_code="110105",
                    registered_on=date(2020, 5, 1), status=SubjectStatus.ACTIVE,
                    legal_rep_name=rep, legal_rep_id_type=IdType.RESIDENT_ID,
                    legal_rep_id_number="110105199001011234", address="北京市朝阳区",
                    phone="13812345678"))
            await session.commit()
    finally:
        await database.dispose()


async def test_names_of_persons_are_masked_and_not_found_by_name(backend: Backend,
                                                                 empty_url: str) -> None:
    from tests.conftest import app_client, writer_client
    from tests.roles import new_key

    await store_named_subjects(empty_url)
    target = Backend(backend.name, empty_url, backend.redis_url, f"{backend.cache_prefix}-m")
    names = "{ subjects(first: 10) { edges { node { name legalRepresentative { name } } } } }"
    async with app_client(target) as public:
        shown = [(e["node"]["name"], e["node"]["legalRepresentative"]["name"])
                 for e in (await public.data(names))["subjects"]["edges"]]
        assert shown == [("北京市朝阳区王**烧烤店", "王**"), ("欧阳**", "欧阳**"),
                         ("北京小明科技有限公司", "王**")]  # a company's name is its own
        for text in ("王小明", "小明", "娜娜", "欧阳"):
            found = (await public.data(SEARCH, {"t": text}))["searchSubjects"]
            filtered = (await public.data(
                """query($t: String!) { subjects(filter: {nameContains: $t}) {
                   totalCount } }""", {"t": text}))["subjects"]["totalCount"]
            companies = [s for s in found if s["category"] == "LEGAL_PERSON"]
            assert found == companies  # only the company's name may match
            assert filtered == len(companies)
    async with writer_client(target, await new_key(target)) as regulator:
        found = (await regulator.data(SEARCH, {"t": "小明"}))["searchSubjects"]
        assert {s["name"] for s in found} == {"北京市朝阳区王小明烧烤店", "北京小明科技有限公司"}
