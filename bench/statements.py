"""SQL statements per request for 1 and for 100 subjects with every relation selected.

    python bench/statements.py --database-url URL

Each figure comes from a fresh app (cold loaders and cache), read off the X-SQL-Statements
header the gateway sends in development mode.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid

import httpx

from gateway.app import create_app
from gateway.settings import Settings

# the dashboard: a page of subjects with every relation (also the batching tests' query)
EVERYTHING = """query($first: Int!, $after: String) {
 subjects(first: $first, after: $after) { edges { node {
  uscc name listStatus ratingSummary { count average creditPoints }
  licenses(first: 5) { totalCount edges { node { decisionNumber subject { uscc } } } }
  penalties(first: 5) { totalCount edges { node { fine severity } } }
  ratings(first: 5) { totalCount edges { node { score rater { name } platform { name } } } }
  commitments(first: 5) { totalCount edges { node { kind status } } }
  logisticsLinks(first: 5) { totalCount edges { node { parcels carrier { uscc name } } } }
  complaints(first: 5) { totalCount edges { node { channel status } } }
  listEntries(first: 5) { totalCount edges { node { kind inForce } } }
} } } }"""


async def statements(url: str, first: int) -> tuple[int, int]:
    app = create_app(Settings(database_url=url, cache_prefix=f"stmt-{uuid.uuid4().hex[:6]}"))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            response = await client.post("/graphql", json={"query": EVERYTHING,
                                                           "variables": {"first": first}})
            body = response.json()
            assert "errors" not in body, body
            return (int(response.headers["x-sql-statements"]),
                    len(body["data"]["subjects"]["edges"]))
    finally:
        await app.state.services.aclose()


async def main(url: str) -> None:
    for first in (1, 100):
        count, returned = await statements(url, first)
        print(f"{returned:>4} subjects, every relation selected: {count} SQL statements")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    asyncio.run(main(parser.parse_args().database_url))
