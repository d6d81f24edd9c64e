"""The load benchmark's equality check between the gateway and PostGraphile (``bench.peer``):
the peer's raw answer, masked and derived by the gateway's own rules, equals what an anonymous
caller of the gateway sees — and a difference in the data is reported, never normalised away.
The end-to-end check against real servers runs in test_load_benchmark.py."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from bench import peer

TODAY = date(2026, 12, 3)

GATEWAY: dict[str, Any] = {"data": {"subject": {
    "uscc": "92110105MA01ABCD1X", "name": "张*烧烤店",
    "verification": {"verified": True, "mark": "V-1"}, "listStatus": "BLACK",
    "licenses": {"totalCount": 1, "edges": [{"node": {
        "licenseNumber": "JY1", "certificateName": "食品经营许可证", "status": "VALID",
        "validTo": "2028-01-01", "authority": "朝阳区市场监督管理局"}}]},
    "penalties": {"totalCount": 1, "edges": [{"node": {
        "decisionNumber": "京朝市监罚〔2026〕1号", "decisionDate": "2026-06-01",
        "content": "经营者张*（电话138****5678）罚款", "severity": "MAJOR",
        "publicityEnd": "2029-06-01", "authority": "朝阳区市场监督管理局"}}]},
}}}

PEER: dict[str, Any] = {"data": {"subjectByUscc": {
    "uscc": "92110105MA01ABCD1X", "name": "张三烧烤店", "category": "INDIVIDUAL_BUSINESS",
    "legalRepName": "张三", "legalRepIdNumber": "110101199001011234", "phone": "13812345678",
    "verified": True, "verificationMark": "V-1",
    "listEntriesBySubjectId": {"nodes": [
        {"listKind": "RED", "validFrom": "2026-01-01", "validTo": None, "liftedOn": None},
        {"listKind": "BLACK", "validFrom": "2026-02-01", "validTo": "2027-02-01",
         "liftedOn": None},
        {"listKind": "BLACK", "validFrom": "2025-01-01", "validTo": None,
         "liftedOn": "2025-06-01"}]},
    "licensesBySubjectId": {"totalCount": 1, "nodes": [{
        "licenseNumber": "JY1", "certificateName": "食品经营许可证", "status": "VALID",
        "validTo": "2028-01-01", "authority": "朝阳区市场监督管理局"}]},
    "publicPenalties": {"totalCount": 1, "nodes": [{
        "decisionNumber": "京朝市监罚〔2026〕1号", "decisionDate": "2026-06-01",
        "content": "经营者张三（电话13812345678）罚款", "severity": "MAJOR",
        "publicityEnd": "2029-06-01", "authority": "朝阳区市场监督管理局"}]},
}}}


def test_the_peers_raw_widget_masked_by_the_gateways_rules_equals_the_gateways() -> None:
    ours = peer.normalise_gateway_widget(GATEWAY)
    theirs = peer.normalise_peer_widget(PEER, TODAY)
    assert theirs is not None
    assert theirs["name"] == "张*烧烤店"  # the operator's name inside the business name
    assert theirs["listStatus"] == "BLACK"  # an entry in force; the lifted one does not count
    assert peer.compare(ours, theirs) == []


def test_a_difference_in_the_data_is_reported() -> None:
    changed = copy.deepcopy(PEER)
    subject = changed["data"]["subjectByUscc"]
    subject["publicPenalties"]["totalCount"] = 2
    subject["licensesBySubjectId"]["nodes"][0]["status"] = "REVOKED"
    subject["listEntriesBySubjectId"]["nodes"][1]["liftedOn"] = "2026-03-01"
    differences = peer.compare(peer.normalise_gateway_widget(GATEWAY),
                               peer.normalise_peer_widget(changed, TODAY))
    assert differences == ["/listStatus: 'BLACK' vs 'RED'",
                           "/licenses[1][0]/status: 'VALID' vs 'REVOKED'",
                           "/penalties[0]: 1 vs 2"]


def test_decimals_compare_by_value_whatever_their_spelling() -> None:
    # the gateway's Decimal scalar and PostGraphile's BigFloat spell a fine differently
    assert peer.compare([peer.plain("3.500000")], [peer.plain("3.5")]) == []
    assert peer.compare([peer.plain("3.500000")], [peer.plain("3.05")]) != []


def test_the_peers_publicity_condition_is_the_gateways_rule_compiled() -> None:
    sql = peer.public_penalties_function()
    assert "RETURNS SETOF penalty" in sql
    assert "STABLE" in sql
    for part in ("penalty.severity != 'MINOR'", "penalty.published_on <= today",
                 "penalty.publicity_end > today",
                 "penalty.repaired_on IS NULL OR penalty.repaired_on > today"):
        assert part in sql
    assert sql.endswith("ORDER BY penalty.decision_date DESC, penalty.id DESC $$")
