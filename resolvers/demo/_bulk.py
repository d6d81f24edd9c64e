"""PostgreSQL bulk load: set the credit tables' secondary indexes, unique and foreign-key
constraints aside while ``COPY`` fills them, and put them back afterwards.

Row by row, every foreign key costs a look-up (and a row lock) in ``subject`` and every index
a B-tree descent; built once over sorted data they cost a fraction of that. The definitions
are read from the catalogue (``pg_get_indexdef``, ``pg_get_constraintdef``), so what comes
back is exactly what the migrations created, under the same names — and because it all happens
inside the seeding transaction, a failure rolls the schema back with the rows. Restoring a
unique or foreign-key constraint validates every row, so nothing goes unchecked. Primary keys
and check constraints stay in place throughout, except the primary keys of ``keyless`` tables:
tables that triggers fill from the credit tables (the name-gram table gets ~20 rows per subject,
far cheaper to key in one sorted build than row by row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

_CONSTRAINTS = sa.text("""
    SELECT c.conrelid::regclass::text AS table_name, quote_ident(c.conname) AS name,
           c.contype::text AS kind, pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c
    WHERE c.conrelid::regclass::text = ANY(:tables)
      AND (c.contype IN ('u', 'f')
           OR (c.contype = 'p' AND c.conrelid::regclass::text = ANY(:keyless)))
    ORDER BY c.contype, c.conname
""")
_INDEXES = sa.text("""
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
    WHERE i.indrelid::regclass::text = ANY(:tables) AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                      WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
    ORDER BY 1
""")


@dataclass(frozen=True)
class SetAside:
    """What ``set_aside`` dropped: the names, and the statements that put them back in the
    order to run them (indexes, unique constraints, then the foreign keys that may use them)."""

    tables: list[str]
    keyless: list[str]
    names: frozenset[str]
    restore: list[str]


async def _catalogue(conn: AsyncConnection, tables: list[str], keyless: list[str]
                     ) -> tuple[Sequence[Any], Sequence[Any]]:
    constraints = (await conn.execute(_CONSTRAINTS, {"tables": tables,
                                                     "keyless": keyless})).all()
    indexes = (await conn.execute(_INDEXES, {"tables": tables})).all()
    return constraints, indexes


async def set_aside(conn: AsyncConnection, tables: list[str], keyless: Sequence[str] = ()
                    ) -> SetAside:
    """Drop the foreign keys, unique constraints and plain indexes of ``tables``, and the
    primary keys of the ``keyless`` ones among them."""
    constraints, indexes = await _catalogue(conn, tables, list(keyless))
    foreign = [c for c in constraints if c.kind == "f"]
    unique = [c for c in constraints if c.kind in ("u", "p")]
    if len(foreign) + len(unique) != len(constraints):  # pragma: no cover - catalogue drift
        raise RuntimeError(f"unexpected constraint kinds: {[c.kind for c in constraints]}")
    # foreign keys first: a unique constraint may be what one of them references
    for c in [*foreign, *unique]:
        await conn.execute(sa.text(f"ALTER TABLE {c.table_name} DROP CONSTRAINT {c.name}"))
    for index in indexes:
        await conn.execute(sa.text(f"DROP INDEX {index.name}"))
    restore = [index.definition for index in indexes]
    restore += [f"ALTER TABLE {c.table_name} ADD CONSTRAINT {c.name} {c.definition}"
                for c in [*unique, *foreign]]
    names = frozenset(c.name for c in constraints) | {index.name for index in indexes}
    return SetAside(tables, list(keyless), names, restore)


async def put_back(conn: AsyncConnection, aside: SetAside) -> None:
    """Rebuild indexes and constraints; raises (rolling back) if any row violates one, or if
    anything set aside did not come back."""
    # index builds sort in memory up to this limit, for this transaction only
    await conn.execute(sa.text("SET LOCAL maintenance_work_mem = '256MB'"))
    for statement in aside.restore:
        await conn.execute(sa.text(statement))
    constraints, indexes = await _catalogue(conn, aside.tables, aside.keyless)
    found = {c.name for c in constraints} | {index.name for index in indexes}
    if missing := aside.names - found:
        raise RuntimeError(f"bulk load could not restore {sorted(missing)}")
