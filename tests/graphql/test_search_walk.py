"""``searchSubjects`` through the gram walk (resolvers/data/queries/search.py) answers exactly
what the indexed ``nameContains`` filter lists, in the same order — for common and rare texts,
many matches, and the public view's hidden names.

The walk's bounds are shrunk so that the 120 demo subjects reach every path the bounds choose
between on a million: rare lists walked to their end, common lists cut off after a few
candidates (then the trigram index), candidate batches continued after a keyset.
"""

from __future__ import annotations

import pytest

from resolvers.data.queries import search
from tests.conftest import Backend, GraphQLClient, app_client
from tests.graphql.test_search_and_node import everyone_paged

SEARCH = "query($t: String!, $n: Int) { searchSubjects(text: $t, first: $n) { uscc } }"


@pytest.fixture(params=["production bounds", "tiny bounds"])
def bounds(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "tiny bounds":
        monkeypatch.setattr(search, "COUNT_CAP", 4)
        monkeypatch.setattr(search, "WALK_MAX", 8)
        monkeypatch.setattr(search, "BATCH_MAX", 8)
    return str(request.param)


def texts(names: list[str]) -> list[str]:
    """Common texts (有限公司 is in nearly every name), rare ones (parts of one name), texts of
    common grams that no name holds, ASCII in both cases, and grams of 1 and 2 characters."""
    sample = names[17]
    return ["有限公司", "有限", "公司有限", "商务有限公司", sample, sample[1:5], sample[-6:],
            "龘龘龘", "aB有限"]


async def test_search_lists_the_first_name_matches_in_id_order(
    seeded: Backend, bounds: str
) -> None:
    async with app_client(seeded, response_cache_ttl="0", cache_ttl="0") as client:
        names = [s["name"] for s in await everyone_paged(client)]
        for text in texts(names):
            expected = [s["uscc"] for s in await everyone_paged(client, {"nameContains": text})]
            for first in (3, 50):
                found = await searched(client, text, first)
                assert found == expected[:first], (text, first, bounds)


async def searched(client: GraphQLClient, text: str, first: int) -> list[str]:
    data = await client.data(SEARCH, {"t": text, "n": first})
    return [s["uscc"] for s in data["searchSubjects"]]
