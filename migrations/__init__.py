"""Alembic revisions of the credit-graph schema, and the options autogenerate compares with.

The package path is the Alembic script location, so ``credit-gateway migrate`` finds its
revisions when the project is installed, not only in a checkout. ``autogenerate_options`` is
shared by ``env.py`` and ``resolvers.data.migrate.pending_changes`` so that a developer's
``alembic revision --autogenerate`` and the test that models and migrations agree compare the
same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

SCRIPT_LOCATION = Path(__file__).resolve().parent

# 主体名称检索 (searchSubjects) structures that revision 0002 creates per dialect and the models
# do not declare: the pg_trgm GIN index on PostgreSQL, the FTS5 table (and the shadow tables
# FTS5 keeps beside it, ``subject_name_fts_data`` …) on SQLite; and the short-text gram table
# of revision 0004 on both.
SEARCH_INDEXES = frozenset({"ix_subject_name_trgm"})
# The expression index of the subjects' name order (``lower(name), id``, revision 0012): declared
# by the migration only, as autogenerate compares expression indexes differently per dialect.
SORT_INDEXES = frozenset({"ix_subject_name_order"})
SEARCH_TABLE = "subject_name_fts"
GRAM_TABLE = "subject_name_gram"


def is_search_object(name: str | None, type_: str) -> bool:
    """Whether ``name`` is one of the structures the models do not declare: the
    dialect-specific name-search structures and the name-order expression index."""
    if name is None:
        return False
    if type_ == "table":
        return name in (SEARCH_TABLE, GRAM_TABLE) or name.startswith(SEARCH_TABLE + "_")
    return type_ == "index" and name in SEARCH_INDEXES | SORT_INDEXES


def include_name(name: str | None, type_: str, _parent_names: Mapping[str, str | None]) -> bool:
    # Skipped by name before reflection, so the FTS5 virtual table is never even reflected;
    # without this every comparison proposes dropping the search structures.
    return not is_search_object(name, type_)


def include_object(
    _object: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any
) -> bool:
    # The same rule after reflection, for callers that configure only ``include_object``.
    return not is_search_object(name, type_)


def autogenerate_options() -> dict[str, Any]:
    """``context.configure`` options every comparison of models and database uses."""
    return {
        "include_name": include_name,
        "include_object": include_object,
        "compare_type": True,
        "compare_server_default": True,
    }
