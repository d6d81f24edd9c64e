"""刷单炒信: ``brushingSuspects`` finds the rings the demo generator planted (FRAUDAR on the
rater → ratee graph) with measured precision and recall, ranks suspects with their evidence,
and leaves its trail in the access log. The floors are docs/AUDIT.md's."""

from __future__ import annotations

from collections import defaultdict

from resolvers.demo.planted import brushing_rings
from resolvers.domain.enums import Role
from tests.conftest import SEED, SEED_SUBJECTS, sql_rows, writer_client
from tests.roles import ReadKeys, new_key, read_keys_fixture  # noqa: F401

PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.8
SUSPECTS = """query($filter: BrushingFilter, $first: Int) {
  brushingSuspects(filter: $filter, first: $first) { score subject { uscc kind }
    evidence { signal strength ring partnerCount partners { uscc } ratings repeatedComments
               firstOn lastOn parcels emptyParcels } } }"""


async def usccs(read_keys: ReadKeys) -> dict[str, int]:
    rows = await sql_rows(read_keys.backend.database_url, "SELECT uscc, id FROM subject")
    return dict(rows)


async def test_rating_rings_are_found_above_the_precision_and_recall_floors(
        read_keys: ReadKeys) -> None:
    planted = set().union(*brushing_rings(SEED_SUBJECTS, SEED).values())
    ids = await usccs(read_keys)
    async with read_keys.client(Role.AUDITOR) as client:
        found = (await client.data(SUSPECTS, {"filter": {"signals": ["RATING_RING"]},
                                              "first": 100}))["brushingSuspects"]
    flagged = {ids[s["subject"]["uscc"]] for s in found}
    hits = len(flagged & planted)
    precision, recall = hits / len(flagged), hits / len(planted)
    assert len(planted) >= 5
    assert precision >= PRECISION_FLOOR, (precision, recall)
    assert recall >= RECALL_FLOOR, (precision, recall)
    for suspect in found:
        ring = next(e for e in suspect["evidence"] if e["signal"] == "RATING_RING")
        assert ring["ring"] >= 1
        assert ring["partnerCount"] == len(ring["partners"]) > 0
        assert ring["ratings"] >= ring["partnerCount"]
        assert ring["firstOn"] <= ring["lastOn"]
    # the sellers of the ring repeat stock comments: some rater wrote one twice
    assert any(e["repeatedComments"] > 0 for s in found for e in s["evidence"])


async def test_suspects_are_ranked_filtered_and_their_parcels_are_the_stored_ones(
        read_keys: ReadKeys) -> None:
    url = read_keys.backend.database_url
    ids = await usccs(read_keys)
    sent: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for merchant, parcels, empty in await sql_rows(
            url, "SELECT merchant_id, parcels, empty_parcels FROM logistics_link"):
        sent[merchant][0] += parcels
        sent[merchant][1] += empty
    async with read_keys.client(Role.REGULATOR) as client:
        every = (await client.data(SUSPECTS, {"first": 100}))["brushingSuspects"]
        merchants = (await client.data(SUSPECTS, {"filter": {"kind": "MERCHANT", "minScore": 1.0},
                                                  "first": 100}))["brushingSuspects"]
        empty = (await client.data(SUSPECTS, {"filter": {"signals": ["EMPTY_PARCELS"]}}))
    scores = [s["score"] for s in every]
    assert scores == sorted(scores, reverse=True)
    assert {s["subject"]["kind"] for s in merchants} == {"MERCHANT"}
    assert all(s["score"] >= 1.0 for s in merchants)
    assert {s["subject"]["uscc"] for s in merchants} < {s["subject"]["uscc"] for s in every}
    shown = empty["brushingSuspects"]
    assert shown
    for suspect in shown:
        [evidence] = [e for e in suspect["evidence"] if e["signal"] == "EMPTY_PARCELS"]
        stored = sent[ids[suspect["subject"]["uscc"]]]
        assert [evidence["parcels"], evidence["emptyParcels"]] == stored
        assert stored[1] >= 0.1 * stored[0]


async def test_suspects_are_for_auditors_and_regulators_and_logged(read_keys: ReadKeys) -> None:
    auditor = await new_key(read_keys.backend, Role.AUDITOR)
    async with writer_client(read_keys.backend, auditor) as client:
        found = (await client.data(SUSPECTS, {"first": 5}))["brushingSuspects"]
    async with read_keys.client(Role.REGULATOR) as regulator:
        log = (await regulator.data(
            """query($a: String) { accessLog(auditor: $a, first: 100) {
                 edges { node { fields subject { uscc } } } } }""",
            {"a": auditor.split("_")[1]}))["accessLog"]["edges"]
    logged = {e["node"]["subject"]["uscc"] for e in log
              if "brushingSuspects" in e["node"]["fields"]}
    assert logged == {s["subject"]["uscc"] for s in found}
    assert len(found) == 5
    for role in (Role.PUBLIC, Role.PLATFORM):
        async with read_keys.client(role) as client:
            body = await client.post(SUSPECTS, {"first": 5})
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
