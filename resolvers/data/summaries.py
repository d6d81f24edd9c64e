"""汇总表: summary tables kept by triggers on the table they summarise — the DDL of their
triggers on both dialects, for the migrations that create them (``subject_count`` on
``subject``, 0012; ``carrier_tie`` on ``logistics_link``, 0015).

On PostgreSQL the triggers are statement-level with transition tables (``new_rows``,
``old_rows``), so a bulk ``COPY`` updates the summary once per statement, and a ``TRUNCATE``
trigger empties it; on SQLite they are row-level (``new``, ``old``) and a ``DELETE`` of every
row takes each away.
"""

from __future__ import annotations

from collections.abc import Mapping

EVENTS = ("insert", "update", "delete", "truncate")
_TRANSITIONS = {"insert": "NEW TABLE AS new_rows",
                "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "delete": "OLD TABLE AS old_rows", "truncate": ""}


def _postgresql_triggers(summary: str, table: str, bodies: Mapping[str, str]) -> list[str]:
    """A function and a statement-level trigger on ``table`` per event of ``bodies`` (SQL run
    after the event, reading ``new_rows`` / ``old_rows``), named ``{summary}_{event}``."""
    statements = []
    for event, body in bodies.items():
        statements.append(f"""
            CREATE FUNCTION {summary}_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {body};
                RETURN NULL;
            END $$""")
        referencing = f"REFERENCING {_TRANSITIONS[event]}" if _TRANSITIONS[event] else ""
        statements.append(f"""
            CREATE TRIGGER {summary}_{event} AFTER {event.upper()} ON {table}
            {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {summary}_{event}()""")
    return statements


def _sqlite_triggers(summary: str, table: str, bodies: Mapping[str, str]) -> list[str]:
    """A row-level trigger on ``table`` per event of ``bodies`` (reading ``new`` / ``old``)."""
    return [f"""
            CREATE TRIGGER {summary}_{event} AFTER {event.upper()} ON {table} BEGIN
                {body};
            END""" for event, body in bodies.items()]


def additive_triggers(dialect: str, summary: str, table: str, *, postgresql: str, sqlite: str,
                      postgresql_gone: str = "", sqlite_gone: str = "") -> list[str]:
    """The triggers of a summary that adds what rows of ``table`` bring and takes away what
    they took: ``postgresql`` / ``sqlite`` add ``{sign}`` (empty or ``-``) times the ``{rows}``
    (transition tables, or ``new`` / ``old``); ``*_gone`` runs after a deletion or an update
    (summary rows left at zero); a ``TRUNCATE`` empties the summary."""
    if dialect == "postgresql":
        return _postgresql_triggers(summary, table, _additive(
            postgresql, new="new_rows", old="old_rows", gone=postgresql_gone,
            truncate=f"DELETE FROM {summary}"))
    return _sqlite_triggers(summary, table, _additive(sqlite, new="new", old="old",
                                                     gone=sqlite_gone))


def _additive(add: str, *, new: str, old: str, gone: str, truncate: str = ""
              ) -> dict[str, str]:
    plus, minus = add.format(sign="", rows=new), add.format(sign="-", rows=old)
    after = f";{gone}" if gone else ""
    bodies = {"insert": plus, "update": f"{minus};{plus}{after}", "delete": f"{minus}{after}"}
    return {**bodies, "truncate": truncate} if truncate else bodies


def dropped(summary: str, table: str, dialect: str) -> list[str]:
    """The statements that drop what ``additive_triggers`` made."""
    if dialect == "postgresql":
        return [statement for event in EVENTS for statement in (
            f"DROP TRIGGER IF EXISTS {summary}_{event} ON {table}",
            f"DROP FUNCTION IF EXISTS {summary}_{event}()")]
    return [f"DROP TRIGGER IF EXISTS {summary}_{event}" for event in EVENTS[:3]]
