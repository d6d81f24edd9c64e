"""The benchmarks' datasets: a migrated database seeded with the demo generator once, then
reused by later runs against the same URL — by the same benchmark or another one (the
dashboard and the auditor's benchmarks share one million-subject database: seed 1 both)."""

from __future__ import annotations

import time

from sqlalchemy import text

from resolvers.data.database import Database
from resolvers.demo.seeding import seed_database


class DatasetMismatch(SystemExit):
    """The database holds a different number of subjects than the benchmark was told."""


async def seed_when_empty(database: Database, *, subjects: int, seed: int,
                          progress: bool, holds: int | None = None) -> bool:
    """Seed ``subjects`` demo subjects unless the database holds some already (a rerun, or a
    database another benchmark seeded); ``True`` when it seeded. Seeding ends with fresh
    planner statistics. A database already seeded must hold ``holds`` subjects (default
    ``subjects``): a benchmark that samples or scores by the dataset's size (the planted rings
    of ``bench/relations.py``) would otherwise measure one dataset and score another."""
    async with database.engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM subject"))).scalar_one()
    if count:
        wanted = subjects if holds is None else holds
        if count != wanted:
            raise DatasetMismatch(
                f"the database holds {count:,} subjects, not {wanted:,}: pass --subjects "
                f"{count} to reuse it, or point --database-url at another database")
        print(f"reusing the {count:,} subjects already seeded")
        return False
    started = time.perf_counter()
    await seed_database(database, subjects=subjects, seed=seed, progress=progress)
    print(f"seeded {subjects:,} subjects in {time.perf_counter() - started:.0f} s")
    return True
