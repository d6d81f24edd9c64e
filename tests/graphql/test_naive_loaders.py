"""``CREDIT_GATEWAY_LOADERS=naive``, the benchmark's baseline (docs/PERFORMANCE.md row e):
the same answers as the batched loaders, one statement per key, nothing memoised or cached.

Statement counts come from the ``X-SQL-Statements`` header on fresh apps (cold caches).
"""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner

from bench.statements import EVERYTHING
from gateway.cli.main import cli
from tests.conftest import Backend, app_client
from tests.graphql.test_batching import BASE, REFERENCE_WAVES

WIDGET = """query($uscc: USCC!) { subject(uscc: $uscc) {
  name verification { verified mark } listStatus
  licenses(first: 5) { totalCount edges { node { licenseNumber status validTo } } }
  penalties(first: 5) { edges { node { decisionNumber fine severity publicityEnd } } }
} }"""
# per subject: list standing + rating summary + 7 relations x (page + count)
PER_SUBJECT = 2 + 7 * 2


async def answer(backend: Backend, loaders: str, query: str,
                 variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
    # the response cache off: naive loaders record no tags, so only batched answers would be
    # stored (and read their calendar boundary, one more statement): loaders alone compared
    async with app_client(backend, loaders=loaders, response_cache_ttl="0") as client:
        data = await client.data(query, variables)
        return data, client.statements


async def test_dashboard_answers_the_same_with_a_statement_per_key(seeded: Backend) -> None:
    batched, batched_statements = await answer(seeded, "batched", EVERYTHING, {"first": 20})
    naive, naive_statements = await answer(seeded, "naive", EVERYTHING, {"first": 20})
    assert len(naive["subjects"]["edges"]) == 20
    assert naive == batched
    assert batched_statements <= BASE + REFERENCE_WAVES
    # the page, then every relation of every subject on its own
    assert naive_statements >= 1 + 20 * PER_SUBJECT, naive_statements
    assert naive_statements > 10 * batched_statements


async def test_widget_answers_the_same_for_several_subjects(seeded: Backend) -> None:
    async with app_client(seeded) as client:
        page = await client.data("{ subjects(first: 5) { edges { node { uscc } } } }")
    for edge in page["subjects"]["edges"]:
        variables = {"uscc": edge["node"]["uscc"]}
        batched, batched_statements = await answer(seeded, "batched", WIDGET, variables)
        naive, naive_statements = await answer(seeded, "naive", WIDGET, variables)
        assert batched["subject"] is not None
        assert naive == batched
        assert naive_statements >= batched_statements


async def test_naive_loaders_memoise_nothing_within_a_request(seeded: Backend) -> None:
    query = "query($u: USCC!) { a: subject(uscc: $u) { name } b: subject(uscc: $u) { name } }"
    async with app_client(seeded) as client:
        page = await client.data("{ subjects(first: 1) { edges { node { uscc } } } }")
    variables = {"u": page["subjects"]["edges"][0]["node"]["uscc"]}
    batched, batched_statements = await answer(seeded, "batched", query, variables)
    naive, naive_statements = await answer(seeded, "naive", query, variables)
    assert naive == batched
    assert naive["a"] == naive["b"]
    assert (batched_statements, naive_statements) == (1, 2)


def test_an_unknown_loader_mode_is_a_one_line_error() -> None:
    result = CliRunner().invoke(cli, ["serve"], env={"CREDIT_GATEWAY_LOADERS": "lazy"})
    assert result.exit_code == 1
    assert "CREDIT_GATEWAY_LOADERS must be batched or naive" in result.output
    assert "Traceback" not in result.output


async def test_cache_ttl_zero_turns_the_entity_cache_off(seeded: Backend) -> None:
    """Row (d) of the benchmark runs batched loaders with ``CREDIT_GATEWAY_CACHE_TTL=0`` (and
    the response cache off, as here, so the second request reaches the loaders)."""
    query = "query($u: USCC!) { subject(uscc: $u) { name } }"
    async with app_client(seeded) as client:
        page = await client.data("{ subjects(first: 1) { edges { node { uscc } } } }")
    variables = {"u": page["subjects"]["edges"][0]["node"]["uscc"]}
    for ttl, second_request in (("300", 0), ("0", 1)):
        async with app_client(seeded, cache_ttl=ttl, response_cache_ttl="0") as client:
            first = await client.data(query, variables)
            assert client.statements == 1
            assert await client.data(query, variables) == first
            assert client.statements == second_request, ttl
