"""快递业信用等级: a carrier's class from its empty-parcel share, on a configurable scale."""

from __future__ import annotations

import pytest

from gateway.settings import Settings, SettingsError
from resolvers.domain.carriers import DEFAULT_SCALE, CarrierScale, CarrierScaleError
from tests.conftest import Backend, app_client

CARRIERS = """{ subjects(filter: {kind: LOGISTICS_FIRM}, first: 100) { edges { node {
  uscc carrierCreditClass { grade scale parcels emptyParcels emptyParcelRate } } } } }"""


def test_scale_reads_bounds_best_first() -> None:
    scale = CarrierScale.parse(DEFAULT_SCALE)
    assert scale.classes == ("A", "B", "C", "D")
    assert [scale.grade(share) for share in (0.0, 0.002, 0.003, 0.05, 0.5)] == [
        "A", "A", "B", "C", "D"]


@pytest.mark.parametrize("text", ["A", "A:x,B", "A:0.5,B:0.1,C", "A:0.1,B:0.2", "A:2,B", ":0.1,B"])
def test_unreadable_scales_are_refused(text: str) -> None:
    if text == "A":  # one class for every carrier is a legal, if useless, scale
        assert CarrierScale.parse(text).grade(0.9) == "A"
        return
    with pytest.raises(CarrierScaleError):
        CarrierScale.parse(text)
    with pytest.raises(SettingsError, match="CREDIT_GATEWAY_CARRIER_SCALE"):
        Settings(carrier_classes=text)


async def test_carriers_are_graded_by_their_empty_parcel_share(seeded: Backend) -> None:
    async with app_client(seeded) as client:
        edges = (await client.data(CARRIERS))["subjects"]["edges"]
        assert client.statements == 2  # the page, then every carrier's parcels at once
    graded = [e["node"]["carrierCreditClass"] for e in edges if e["node"]["carrierCreditClass"]]
    assert graded
    scale = CarrierScale.parse(DEFAULT_SCALE)
    for grade in graded:
        assert grade["scale"] == ["A", "B", "C", "D"]
        assert grade["emptyParcelRate"] == pytest.approx(grade["emptyParcels"] / grade["parcels"])
        assert grade["grade"] == scale.grade(grade["emptyParcelRate"])


async def test_the_scale_is_configurable_and_non_carriers_have_no_class(seeded: Backend) -> None:
    async with app_client(seeded, carrier_classes="守信:0.01,失信") as client:
        edges = (await client.data(CARRIERS))["subjects"]["edges"]
        merchants = await client.data("""{ subjects(filter: {kind: MERCHANT}, first: 5) {
            edges { node { carrierCreditClass { grade } } } } }""")
    grades = {e["node"]["carrierCreditClass"]["grade"] for e in edges
              if e["node"]["carrierCreditClass"]}
    assert grades <= {"守信", "失信"}
    assert grades
    assert all(e["node"]["carrierCreditClass"] is None
               for e in merchants["subjects"]["edges"])
