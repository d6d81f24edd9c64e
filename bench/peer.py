"""The peer of the load benchmark: PostGraphile 5 on the benchmark's own
PostgreSQL database, asked the widget's and the dashboard's questions in its own schema.

PostGraphile (npm ``postgraphile``, pinned in package.json) needs Node ≥ 22; the npm package
``node`` (a devDependency) provides one as ``node_modules/.bin/node``, so ``npm ci`` installs
both and nothing else is downloaded. PostGraphile compiles each query to one SQL statement with
JSON aggregation; it knows nothing of our rules, so:

- **publicity** (公示期限): the widget's penalties come from a computed column,
  ``subject_public_penalties(subject, today)``, created in the benchmark's database before
  PostGraphile starts, whose condition is compiled from the gateway's own
  ``resolvers.data.queries.publicity.public_conditions`` — one copy of the rule;
- **masking** (个人信息去标识化): PostGraphile answers raw text; the equality check masks the peer's
  answer with the gateway's ``resolvers.domain.masking`` before comparing (the peer's query reads
  the few subject columns the masks need);
- **list standing** (红黑名单状态) and **in force**: the peer returns the entries, the check derives
  the standing with ``resolvers.domain.lists``;
- **auth**: none — PostGraphile's answers are public, the gateway's dashboard needs a key;
- **rating summary**: only its ``count`` is compared (the Amber preset has no aggregates).

``normalise_*`` map both servers' answers to the same plain structure; ``compare`` says where
they differ. docs/PERFORMANCE.md states the differences.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from resolvers.data.models import Penalty
from resolvers.data.queries.publicity import public_conditions
from resolvers.domain import lists, masking
from resolvers.domain.enums import ListKind, SubjectCategory

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules" / ".bin" / "node"
CLI = ROOT / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
CONFIG = Path(__file__).resolve().parent / "graphile.config.mjs"
NODE_MAJOR = 22

# 信用查询窗口 in PostGraphile's schema: the subject by its USCC, licences newest first, the
# penalties in publicity (the computed column below), the list entries for the standing, and the
# columns the masks need (category, representative, phone).
WIDGET = """query PeerWidget($uscc: String!, $today: Date!) {
 subjectByUscc(uscc: $uscc) {
  uscc name category legalRepName legalRepIdNumber phone verified verificationMark
  listEntriesBySubjectId { nodes { listKind validFrom validTo liftedOn } }
  licensesBySubjectId(first: 5, orderBy: [DECISION_DATE_DESC, PRIMARY_KEY_DESC]) { totalCount nodes {
   licenseNumber certificateName status validTo authority } }
  publicPenalties(today: $today, first: 5) { totalCount nodes {
   decisionNumber decisionDate content severity publicityEnd authority } }
 } }"""

# the dashboard (``bench.statements.EVERYTHING``) in PostGraphile's schema
DASHBOARD = """query PeerDashboard($first: Int!) {
 allSubjects(first: $first, orderBy: [PRIMARY_KEY_ASC]) { nodes {
  uscc name
  standing: listEntriesBySubjectId { nodes { listKind validFrom validTo liftedOn } }
  licensesBySubjectId(first: 5, orderBy: [DECISION_DATE_DESC, PRIMARY_KEY_DESC]) { totalCount nodes {
   decisionNumber subjectBySubjectId { uscc } } }
  penaltiesBySubjectId(first: 5, orderBy: [DECISION_DATE_DESC, PRIMARY_KEY_DESC]) { totalCount nodes {
   fine severity } }
  ratingsByRateeId(first: 5, orderBy: [RATED_ON_DESC, PRIMARY_KEY_DESC]) { totalCount nodes {
   score subjectByRaterId { name } subjectByPlatformId { name } } }
  commitmentsBySubjectId(first: 5, orderBy: [COMMITTED_ON_DESC, PRIMARY_KEY_DESC]) { totalCount nodes {
   kind status } }
  logisticsLinksByMerchantId(first: 5, orderBy: [PERIOD_START_DESC, PRIMARY_KEY_DESC]) { totalCount nodes {
   parcels subjectByCarrierId { uscc name } } }
  complaintsBySubjectId(first: 5, orderBy: [FILED_ON_DESC, PRIMARY_KEY_DESC]) { totalCount nodes {
   channel status } }
  listEntriesBySubjectId(first: 5, orderBy: [VALID_FROM_DESC, PRIMARY_KEY_DESC]) { totalCount nodes {
   listKind validFrom validTo liftedOn } }
 } } }"""


def node_binary() -> tuple[Path | None, str]:
    """Node ≥ 22 from node_modules (the npm package ``node``), or None and why not."""
    if not NODE.exists() or not CLI.exists():
        return None, "PostGraphile or Node 22 not installed (npm ci)"
    done = subprocess.run([str(NODE), "--version"], capture_output=True, text=True, check=False)
    found = re.match(r"v(\d+)\.", done.stdout.strip())
    if done.returncode != 0 or not found or int(found.group(1)) < NODE_MAJOR:
        return None, f"node_modules/.bin/node is {done.stdout.strip() or 'broken'}, not ≥ 22"
    return NODE, ""


def argv(database_url: str, port: int) -> list[str]:
    """The command line of one PostGraphile process serving ``database_url`` on ``port``."""
    node, why = node_binary()
    if node is None:
        raise RuntimeError(why)
    return [str(node), str(CLI), "--config", str(CONFIG), "--connection",
            postgres_url(database_url), "--schema", "public", "--host", "127.0.0.1",
            "--port", str(port)]


def postgres_url(database_url: str) -> str:
    """A SQLAlchemy URL (``postgresql+asyncpg://``) as libpq's ``postgres://``."""
    return re.sub(r"^postgresql(\+\w+)?://", "postgres://", database_url)


def public_penalties_function() -> str:
    """``CREATE FUNCTION subject_public_penalties(s subject, today date)``: PostGraphile's
    ``Subject.publicPenalties(today:)`` — the subject's penalties within their publicity period
    on ``today``, newest decision first, the condition compiled from the gateway's rule."""
    today = cast(date, sa.literal_column("today", sa.Date))
    condition = sa.and_(*public_conditions(Penalty, today)).compile(
        dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"literal_binds": True})
    return ("CREATE OR REPLACE FUNCTION subject_public_penalties(s subject, today date) "
            "RETURNS SETOF penalty LANGUAGE sql STABLE AS $$ SELECT penalty.* FROM penalty "
            f"WHERE penalty.subject_id = s.id AND {condition} "
            "ORDER BY penalty.decision_date DESC, penalty.id DESC $$")


def widget_variables(uscc: str, today: date) -> dict[str, Any]:
    return {"uscc": uscc, "today": today.isoformat()}


# ---- the same plain structure from both answers ----------------------------------------------

def plain(value: Any) -> Any:
    """Scalars as the gateway and PostGraphile may spell them alike: decimals by value."""
    if isinstance(value, str) and re.fullmatch(r"-?\d+\.\d+", value):
        return str(Decimal(value).normalize())
    if isinstance(value, float):
        return str(Decimal(str(value)).normalize())
    return value


def _rows(nodes: Iterable[dict[str, Any]], pick: Callable[[dict[str, Any]], dict[str, Any]]
          ) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in pick(node).items()} for node in nodes]


def _edges(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


def _standing(entries: Iterable[dict[str, Any]], today: date) -> str:
    active = {ListKind(e["listKind"]) for e in entries
              if lists.in_force(date.fromisoformat(e["validFrom"]), _day(e["validTo"]),
                                _day(e["liftedOn"]), today)}
    return lists.standing(active).value


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def normalise_gateway_widget(body: dict[str, Any]) -> dict[str, Any] | None:
    subject = body["data"]["subject"]
    if subject is None:
        return None
    return {
        "uscc": subject["uscc"], "name": subject["name"],
        "verified": subject["verification"]["verified"],
        "mark": subject["verification"]["mark"], "listStatus": subject["listStatus"],
        "licenses": (subject["licenses"]["totalCount"], _rows(_edges(subject["licenses"]), dict)),
        "penalties": (subject["penalties"]["totalCount"],
                      _rows(_edges(subject["penalties"]), dict)),
    }


def normalise_peer_widget(body: dict[str, Any], today: date) -> dict[str, Any] | None:
    """PostGraphile's widget answer as an anonymous caller of the gateway sees it: the name and
    the penalties' content masked by the gateway's masks, the standing derived by its rule."""
    subject = body["data"]["subjectByUscc"]
    if subject is None:
        return None
    category = SubjectCategory(subject["category"])
    names = [subject["legalRepName"]]
    if category is SubjectCategory.NATURAL_PERSON:
        names.append(subject["name"])
    personal = masking.PersonalData(names=tuple(names), phones=(subject["phone"],),
                                    id_numbers=(subject["legalRepIdNumber"],))
    name = masking.mask_subject_name(
        subject["name"], person=subject["legalRepName"],
        natural_person=category is SubjectCategory.NATURAL_PERSON,
        legal_person=category is SubjectCategory.LEGAL_PERSON)
    licenses, penalties = subject["licensesBySubjectId"], subject["publicPenalties"]
    return {
        "uscc": subject["uscc"], "name": name, "verified": subject["verified"],
        "mark": subject["verificationMark"],
        "listStatus": _standing(subject["listEntriesBySubjectId"]["nodes"], today),
        "licenses": (licenses["totalCount"], _rows(licenses["nodes"], dict)),
        "penalties": (penalties["totalCount"], _rows(
            penalties["nodes"],
            lambda p: {**p, "content": masking.mask_free_text(p["content"], personal)})),
    }


def normalise_gateway_dashboard(body: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for subject in _edges(body["data"]["subjects"]):
        def page(field: str, pick: Callable[[dict[str, Any]], dict[str, Any]],
                 subject: dict[str, Any] = subject) -> tuple[int, list[dict[str, Any]]]:
            return subject[field]["totalCount"], _rows(_edges(subject[field]), pick)

        out.append({
            "uscc": subject["uscc"], "name": subject["name"], "listStatus": subject["listStatus"],
            "ratings": subject["ratingSummary"]["count"],
            "licenses": page("licenses", lambda n: {"decisionNumber": n["decisionNumber"],
                                                    "subject": n["subject"]["uscc"]}),
            "penalties": page("penalties", dict),
            "ratingPage": page("ratings", lambda n: {"score": n["score"],
                                                     "rater": n["rater"]["name"],
                                                     "platform": n["platform"]["name"]}),
            "commitments": page("commitments", dict),
            "logistics": page("logisticsLinks", lambda n: {"parcels": n["parcels"],
                                                           "carrier": n["carrier"]["uscc"],
                                                           "carrierName": n["carrier"]["name"]}),
            "complaints": page("complaints", dict),
            "listEntries": page("listEntries", dict),
        })
    return out


def normalise_peer_dashboard(body: dict[str, Any], today: date) -> list[dict[str, Any]]:
    """PostGraphile's dashboard answer as a regulator sees the gateway's: nothing masked or
    filtered; standing and ``inForce`` derived by the gateway's list rules."""
    out = []
    for subject in body["data"]["allSubjects"]["nodes"]:
        def page(field: str, pick: Callable[[dict[str, Any]], dict[str, Any]],
                 subject: dict[str, Any] = subject) -> tuple[int, list[dict[str, Any]]]:
            return subject[field]["totalCount"], _rows(subject[field]["nodes"], pick)

        ratings = subject["ratingsByRateeId"]
        out.append({
            "uscc": subject["uscc"], "name": subject["name"],
            "listStatus": _standing(subject["standing"]["nodes"], today),
            "ratings": ratings["totalCount"],
            "licenses": page("licensesBySubjectId", lambda n: {
                "decisionNumber": n["decisionNumber"],
                "subject": n["subjectBySubjectId"]["uscc"]}),
            "penalties": page("penaltiesBySubjectId", dict),
            "ratingPage": page("ratingsByRateeId", lambda n: {
                "score": n["score"], "rater": n["subjectByRaterId"]["name"],
                "platform": n["subjectByPlatformId"]["name"]}),
            "commitments": page("commitmentsBySubjectId", dict),
            "logistics": page("logisticsLinksByMerchantId", lambda n: {
                "parcels": n["parcels"], "carrier": n["subjectByCarrierId"]["uscc"],
                "carrierName": n["subjectByCarrierId"]["name"]}),
            "complaints": page("complaintsBySubjectId", dict),
            "listEntries": page("listEntriesBySubjectId", lambda n: {
                "kind": n["listKind"],
                "inForce": lists.in_force(date.fromisoformat(n["validFrom"]), _day(n["validTo"]),
                                          _day(n["liftedOn"]), today)}),
        })
    return out


def compare(ours: Any, theirs: Any, path: str = "") -> list[str]:
    """Where two plain structures differ (empty when they are equal)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        if ours.keys() != theirs.keys():
            return [f"{path or '/'}: fields {sorted(ours)} vs {sorted(theirs)}"]
        return [d for key in ours for d in compare(ours[key], theirs[key], f"{path}/{key}")]
    if isinstance(ours, list | tuple) and isinstance(theirs, list | tuple):
        if len(ours) != len(theirs):
            return [f"{path}: {len(ours)} items vs {len(theirs)}"]
        return [d for i, (a, b) in enumerate(zip(ours, theirs, strict=True))
                for d in compare(a, b, f"{path}[{i}]")]
    return [] if ours == theirs else [f"{path}: {ours!r} vs {theirs!r}"]


def available(backend: str) -> str:
    """Why the peer cannot run here ('' when it can)."""
    if backend != "postgres":
        return "PostGraphile needs PostgreSQL"
    if shutil.which("npm") is None and not NODE.exists():
        return "npm is missing"
    return node_binary()[1]
