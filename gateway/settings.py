"""Every setting of credit-gateway, read from the environment in this one place.

Each field names its variable and default; README.md's "Configuration" table lists the same.
No other module reads ``os.environ``.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

from federation.ownership import SUBGRAPHS
from resolvers.domain.carriers import DEFAULT_SCALE, CarrierScale, CarrierScaleError
from resolvers.domain.origins import OriginError, normalise_origin


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
    cache_ttl: str = _env("CREDIT_GATEWAY_CACHE_TTL", "300",
                          "Seconds an entity stays cached; 0 = no entity cache.")
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
    loaders: str = _env(
        "CREDIT_GATEWAY_LOADERS", "batched", "batched (one statement per relation per request) "
        "or naive (one statement per key, no caches: a benchmark baseline only)."
    )
    clock_offset: str = _env(
        "CREDIT_GATEWAY_CLOCK_OFFSET", "0", "Tests and benchmarks only: seconds (may be "
        "negative) added to the Beijing clock that decides publicity and list standing; "
        "bench/midnight.py starts a server just before a midnight. 0 in production."
    )

    max_depth: str = _env(
        "CREDIT_GATEWAY_MAX_DEPTH", "15", "Deepest field nesting a document may have, "
        "introspection included (QUERY_TOO_DEEP); 0 = no limit.")
    max_aliases: str = _env(
        "CREDIT_GATEWAY_MAX_ALIASES", "30", "Most aliased fields in a document (TOO_MANY_ALIASES); "
        "0 = no limit.")
    max_tokens: str = _env(
        "CREDIT_GATEWAY_MAX_TOKENS", "2000", "Most lexical tokens in a document (TOO_MANY_TOKENS); "
        "0 = no limit.")
    max_cost: str = _env(
        "CREDIT_GATEWAY_MAX_COST", "50000", "Largest static cost of an operation by @cost / "
        "@listSize (QUERY_TOO_COSTLY); 0 = no limit.")
    max_visits: str = _env(
        "CREDIT_GATEWAY_MAX_VISITS", "20000", "Most selections the depth, alias or cost check "
        "visits in one document, each fragment once (QUERY_TOO_COMPLEX); 0 = no limit.")
    max_body_bytes: str = _env(
        "CREDIT_GATEWAY_MAX_BODY_BYTES", "65536", "Largest request body in bytes (413 "
        "REQUEST_TOO_LARGE); 0 = no limit.")
    max_query_string_bytes: str = _env(
        "CREDIT_GATEWAY_MAX_QUERY_STRING_BYTES", "8192", "Longest query string of a GET in bytes "
        "(414 REQUEST_TOO_LARGE); 0 = no limit.")
    read_timeout: str = _env(
        "CREDIT_GATEWAY_READ_TIMEOUT", "30", "Seconds a client has to send a request head, and "
        "then its body (408 REQUEST_TIMEOUT, connection closed); 0 = no limit.")
    rate_limit_anonymous: str = _env(
        "CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS", "600", "Requests per window an anonymous client "
        "address may make (429 RATE_LIMITED); 0 = no limit.")
    rate_limit_key: str = _env(
        "CREDIT_GATEWAY_RATE_LIMIT_KEY", "3000", "Requests per window one API key may make "
        "(429 RATE_LIMITED); 0 = no limit.")
    rate_limit_window: str = _env(
        "CREDIT_GATEWAY_RATE_LIMIT_WINDOW", "60", "Length of the sliding rate-limit window in "
        "seconds.")
    trusted_proxies: str = _env(
        "CREDIT_GATEWAY_TRUSTED_PROXIES", "", "Comma-separated addresses or networks of reverse "
        "proxies whose X-Forwarded-For names the client (for the app and uvicorn alike); "
        "empty = trust none.")
    auth_cache_ttl: str = _env(
        "CREDIT_GATEWAY_AUTH_CACHE_TTL", "5", "Seconds a process remembers an API key's "
        "look-up (unknown keys too), so a revoked key may work that long; 0 = look up every "
        "request.")
    cors_public_origins: str = _env(
        "CREDIT_GATEWAY_CORS_PUBLIC_ORIGINS", "*", "Comma-separated web origins whose pages may "
        "read public data without a key; * = any origin, empty = none.")
    cors_allow_headers: str = _env(
        "CREDIT_GATEWAY_CORS_ALLOW_HEADERS", "traceparent, tracestate, baggage, sentry-trace",
        "Comma-separated request headers a page may send besides Content-Type, Authorization "
        "and Apollo Client's (preflight Access-Control-Allow-Headers); default the tracing ones.")

    response_cache_ttl: str = _env(
        "CREDIT_GATEWAY_RESPONSE_CACHE_TTL", "60", "Seconds a query's response stays in the "
        "response cache (purged at once by writes to what it shows); 0 = no response cache.")
    replica_lag: str = _env(
        "CREDIT_GATEWAY_REPLICA_LAG", "5", "Seconds the read replica may trail the primary: "
        "a request that reads a record, subject or list changed more recently reads the primary "
        "(DATABASE_READ_URL only).")
    memory_cache_mb: str = _env(
        "CREDIT_GATEWAY_MEMORY_CACHE_MB", "256", "MiB (decimals allowed) the in-process cache "
        "(no REDIS_URL) may hold, entity rows, responses and persisted documents together; least "
        "recently used entries go first.")
    apq_ttl: str = _env(
        "CREDIT_GATEWAY_APQ_TTL", "86400", "Seconds a document registered through Automatic "
        "Persisted Queries stays known by its hash.")
    trusted_documents: str = _env(
        "CREDIT_GATEWAY_TRUSTED_DOCUMENTS", "", "Apollo persisted query manifest of the documents "
        "anonymous callers may run in production; empty = gateway/trusted/manifest.json.")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values = {f.name: env[f.metadata["env"]] for f in fields(cls) if f.metadata["env"] in env}
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        for name in ("port", "cache_ttl", "db_pool_size", "db_connect_timeout",
                     "default_page_size", "max_page_size", *LIMITS):
            self._int(name)
        for name in ("response_cache_ttl", "apq_ttl", "replica_lag", "auth_cache_ttl"):
            self._int(name)
        try:
            self.memory_cache_bytes  # noqa: B018 — parsing is the check
        except ValueError as error:
            raise SettingsError(f"CREDIT_GATEWAY_MEMORY_CACHE_MB must be a number of MiB ≥ 0, "
                                f"got {self.memory_cache_mb!r}") from error
        for name in ("cache_ttl", "response_cache_ttl"):
            if self._int(name) > MAX_ENTRY_TTL:
                env = next(f.metadata["env"] for f in fields(self) if f.name == name)
                raise SettingsError(f"{env} must be at most {MAX_ENTRY_TTL} seconds (one day): "
                                    "cache tags are kept for a week")
        if self._int("rate_limit_window") == 0:
            raise SettingsError("CREDIT_GATEWAY_RATE_LIMIT_WINDOW must be at least 1 second")
        try:
            self.proxy_networks  # noqa: B018 — parsing is the check
        except ValueError as error:
            raise SettingsError(f"CREDIT_GATEWAY_TRUSTED_PROXIES: {error}") from error
        try:
            self.public_origins  # noqa: B018
        except OriginError as error:
            raise SettingsError(f"CREDIT_GATEWAY_CORS_PUBLIC_ORIGINS: {error}") from error
        try:
            self.cors_headers  # noqa: B018
        except ValueError as error:
            raise SettingsError(f"CREDIT_GATEWAY_CORS_ALLOW_HEADERS: {error}") from error
        if self.environment not in ("development", "production"):
            raise SettingsError("CREDIT_GATEWAY_ENV must be development or production, "
                                f"got {self.environment!r}")
        try:
            CarrierScale.parse(self.carrier_classes)
        except CarrierScaleError as error:
            raise SettingsError(f"CREDIT_GATEWAY_CARRIER_SCALE: {error}") from error
        try:
            self.clock_offset_seconds  # noqa: B018 — parsing is the check
        except ValueError as error:
            raise SettingsError("CREDIT_GATEWAY_CLOCK_OFFSET must be a number of seconds, "
                                f"got {self.clock_offset!r}") from error
        if self.loaders not in ("batched", "naive"):
            raise SettingsError(f"CREDIT_GATEWAY_LOADERS must be batched or naive, got {self.loaders!r}")
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
    def response_ttl(self) -> int:
        return self._int("response_cache_ttl")

    @property
    def clock_offset_seconds(self) -> float:
        seconds = float(self.clock_offset)
        if not math.isfinite(seconds):
            raise ValueError(self.clock_offset)
        return seconds

    @property
    def replica_lag_ms(self) -> int:
        return self._int("replica_lag") * 1000

    @property
    def memory_cache_bytes(self) -> int:
        mebibytes = float(self.memory_cache_mb)
        if not mebibytes >= 0:  # also refuses nan
            raise ValueError(self.memory_cache_mb)
        return int(mebibytes * (1 << 20))

    @property
    def auth_ttl(self) -> int:
        return self._int("auth_cache_ttl")

    @property
    def apq_ttl_seconds(self) -> int:
        return self._int("apq_ttl")

    @property
    def trusted_documents_path(self) -> Path:
        if self.trusted_documents:
            return Path(self.trusted_documents)
        return Path(__file__).resolve().parent / "trusted" / "manifest.json"

    @property
    def tag_journal_path(self) -> Path:
        """Where processes without Redis share cache-tag bumps: beside the SQLite file, or in
        the data directory (one journal per database URL)."""
        import hashlib

        if not self.database_url:
            return self.database_path.with_name(self.database_path.name + ".cache-tags")
        if self.database_url.startswith("sqlite:///"):
            path = Path(self.database_url.removeprefix("sqlite:///"))
            return path.with_name(path.name + ".cache-tags")
        digest = hashlib.sha256(self.database_url.encode()).hexdigest()[:12]
        return Path(self.data_dir) / f"cache-tags-{digest}"

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
    def naive_loaders(self) -> bool:
        return self.loaders == "naive"

    @property
    def carrier_scale(self) -> CarrierScale:
        return CarrierScale.parse(self.carrier_classes)

    @property
    def page_size(self) -> int:
        return self._int("default_page_size")

    @property
    def page_size_limit(self) -> int:
        return self._int("max_page_size")

    def limit(self, name: str) -> int:
        """One of the abuse limits (``LIMITS``) as a number; 0 = no limit."""
        return self._int(name)

    @property
    def proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return tuple(ip_network(part.strip(), strict=False)
                     for part in self.trusted_proxies.split(",") if part.strip())

    @property
    def public_origins(self) -> tuple[str, ...]:
        return tuple(part.strip() if part.strip() == "*" else normalise_origin(part)
                     for part in self.cors_public_origins.split(",") if part.strip())

    @property
    def cors_headers(self) -> tuple[str, ...]:
        """``cors_allow_headers`` as header names (RFC 9110 tokens), lower case."""
        names = tuple(part.strip().lower() for part in self.cors_allow_headers.split(",")
                      if part.strip())
        for name in names:
            if not _TOKEN.fullmatch(name):
                raise ValueError(f"{name!r} is not a header name")
        return names


# a header name (RFC 9110 §5.1: a token)
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")

# Longest TTL of a tagged cache entry: cache tags live longer (resolvers.cache.redis.TAG_TTL).
MAX_ENTRY_TTL = 86_400

# The abuse limits (gateway/limits, docs/LIMITS.md): whole numbers, 0 = no limit.
LIMITS = ("max_depth", "max_aliases", "max_tokens", "max_cost", "max_body_bytes",
          "max_query_string_bytes", "read_timeout", "rate_limit_anonymous", "rate_limit_key",
          "rate_limit_window", "max_visits")


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting, for ``--help`` and the README."""
    return [(f.metadata["env"], str(f.default), f.metadata["doc"]) for f in fields(Settings)]
