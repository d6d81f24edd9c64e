"""Every setting of credit-gateway, read from the environment in this one place.

Each field names its variable and default; README.md's "Configuration" table lists the same.
No other module reads ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from federation.ownership import SUBGRAPHS
from resolvers.domain.carriers import DEFAULT_SCALE, CarrierScale, CarrierScaleError


class SettingsError(ValueError):
    """An environment variable holds a value the gateway cannot use."""


def _env(name: str, default: str, doc: str) -> str:
    # the metadata feeds ``describe()`` so the CLI can print every setting with its default
    return field(default=default, metadata={"env": name, "doc": doc})


@dataclass(frozen=True)
class Settings:
    database_url: str = _env(
        "DATABASE_URL", "", "SQLAlchemy URL; empty = SQLite file in the data directory. "
        "postgresql:// URLs use asyncpg."
    )
    database_read_url: str = _env(
        "DATABASE_READ_URL", "", "Read replica of DATABASE_URL for queries; empty = "
        "queries read DATABASE_URL too."
    )
    redis_url: str = _env("REDIS_URL", "", "Redis URL; empty = in-process cache.")
    data_dir: str = _env("CREDIT_GATEWAY_DATA_DIR", "./data", "Where the embedded SQLite file lives.")
    environment: str = _env(
        "CREDIT_GATEWAY_ENV", "development", "development or production (GraphiQL off in production)."
    )
    host: str = _env("CREDIT_GATEWAY_HOST", "127.0.0.1", "Address `serve` binds.")
    port: str = _env("CREDIT_GATEWAY_PORT", "8000", "Port `serve` binds.")
    log_level: str = _env("CREDIT_GATEWAY_LOG_LEVEL", "info", "Log level (debug, info, warning, error).")
    cache_prefix: str = _env(
        "CREDIT_GATEWAY_CACHE_PREFIX", "cg", "Namespace of every cache key (one per deployment)."
    )
    cache_ttl: str = _env("CREDIT_GATEWAY_CACHE_TTL", "300", "Seconds an entity stays cached.")
    db_pool_size: str = _env("CREDIT_GATEWAY_DB_POOL_SIZE", "10", "PostgreSQL connection pool size.")
    db_connect_timeout: str = _env(
        "CREDIT_GATEWAY_DB_CONNECT_TIMEOUT", "5", "Seconds to wait for a database connection."
    )
    default_page_size: str = _env(
        "CREDIT_GATEWAY_DEFAULT_PAGE_SIZE", "20", "`first` when a list query omits it."
    )
    max_page_size: str = _env("CREDIT_GATEWAY_MAX_PAGE_SIZE", "100", "Largest `first` accepted.")
    carrier_classes: str = _env(
        "CREDIT_GATEWAY_CARRIER_SCALE", DEFAULT_SCALE, "快递业信用等级 scale: CLASS:SHARE pairs "
        "(largest empty-parcel share of each class, best first), then the last class."
    )
    subgraph: str = _env(
        "CREDIT_GATEWAY_SUBGRAPH", "", "Serve only this subgraph (registry, enforcement, trade, "
        "logistics) for a federation router; empty = the whole graph."
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values = {f.name: env[f.metadata["env"]] for f in fields(cls) if f.metadata["env"] in env}
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        for name in ("port", "cache_ttl", "db_pool_size", "db_connect_timeout",
                     "default_page_size", "max_page_size"):
            self._int(name)
        if self.environment not in ("development", "production"):
            raise SettingsError("CREDIT_GATEWAY_ENV must be development or production, "
                                f"got {self.environment!r}")
        try:
            CarrierScale.parse(self.carrier_classes)
        except CarrierScaleError as error:
            raise SettingsError(f"CREDIT_GATEWAY_CARRIER_SCALE: {error}") from error
        if self.subgraph and self.subgraph not in SUBGRAPHS:
            raise SettingsError(f"CREDIT_GATEWAY_SUBGRAPH must be one of {', '.join(SUBGRAPHS)}, "
                                f"got {self.subgraph!r}")

    def _int(self, name: str) -> int:
        value = getattr(self, name)
        try:
            number = int(value)
        except ValueError:
            number = -1
        if number < 0:
            env = next(f.metadata["env"] for f in fields(self) if f.name == name)
            raise SettingsError(f"{env} must be a whole number ≥ 0, got {value!r}")
        return number

    @property
    def database_path(self) -> Path:
        return Path(self.data_dir) / "credit-gateway.sqlite3"

    @property
    def resolved_database_url(self) -> str:
        """The URL to connect to; the embedded default points into the data directory."""
        return self.database_url or f"sqlite:///{self.database_path}"

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def port_number(self) -> int:
        return self._int("port")

    @property
    def cache_ttl_seconds(self) -> int:
        return self._int("cache_ttl")

    @property
    def pool_size(self) -> int:
        return self._int("db_pool_size")

    @property
    def connect_timeout(self) -> int:
        return self._int("db_connect_timeout")

    @property
    def carrier_scale(self) -> CarrierScale:
        return CarrierScale.parse(self.carrier_classes)

    @property
    def page_size(self) -> int:
        return self._int("default_page_size")

    @property
    def page_size_limit(self) -> int:
        return self._int("max_page_size")


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting, for ``--help`` and the README."""
    return [(f.metadata["env"], str(f.default), f.metadata["doc"]) for f in fields(Settings)]
