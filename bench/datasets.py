"""The benchmarks' datasets: a migrated database seeded with the demo generator once, then
reused by later runs against the same URL."""

from __future__ import annotations

import time

from sqlalchemy import text

from resolvers.data.database import Database
from resolvers.demo.seeding import seed_database


async def seed_when_empty(database: Database, *, subjects: int, seed: int,
                          progress: bool) -> bool:
    """Seed ``subjects`` demo subjects unless the database holds some already (a rerun);
    ``True`` when it seeded. Seeding ends with fresh planner statistics."""
    async with database.engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM subject"))).scalar_one()
    if count:
        return False
    started = time.perf_counter()
    await seed_database(database, subjects=subjects, seed=seed, progress=progress)
    print(f"seeded {subjects:,} subjects in {time.perf_counter() - started:.0f} s")
    return True
