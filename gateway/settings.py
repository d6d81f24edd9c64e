"""Every setting of credit-gateway, read from the environment in this one place.

Each field names its variable and default; README.md's "Configuration" table lists the same.
No other module reads ``os.environ``. pydantic-settings reads the variables (``from_env``) and
parses every value once, when the settings are built, into the type its field declares: callers
read ints, floats and tuples, never text. Keyword values (``Settings(port="8001")`` or
``Settings(port=8001)``) are parsed and checked the same way, and never mixed with the
environment. Anything unusable is a ``SettingsError`` naming the variable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PlainValidator, ValidationError
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from federation.ownership import SUBGRAPHS
from resolvers.domain.carriers import DEFAULT_SCALE, CarrierScale
from resolvers.domain.origins import normalise_origin


class SettingsError(ValueError):
    """An environment variable holds a value the gateway cannot use."""


# Longest TTL of a tagged cache entry: cache tags live longer (resolvers.cache.redis.TAG_TTL).
MAX_ENTRY_TTL = 86_400

# a header name (RFC 9110 §5.1: a token)
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")


# Parsers of the field types below. Each takes the environment's text or a typed keyword value
# and raises ValueError with what follows the variable's name in the SettingsError.

def _whole_number(value: object) -> int:
    """A whole number ≥ 0 (the limits: 0 = no limit)."""
    try:
        number = int(value) if isinstance(value, str | int) and not isinstance(value, bool) else -1
    except ValueError:
        number = -1
    if number < 0:
        raise ValueError(f"must be a whole number ≥ 0, got {value!r}")
    return number


def _entry_ttl(value: object) -> int:
    seconds = _whole_number(value)
    if seconds > MAX_ENTRY_TTL:
        raise ValueError(f"must be at most {MAX_ENTRY_TTL} seconds (one day): cache tags are kept "
                         "for a week")
    return seconds


def _window(value: object) -> int:
    seconds = _whole_number(value)
    if seconds == 0:
        raise ValueError("must be at least 1 second")
    return seconds


def _mebibytes(value: object) -> float:
    try:
        number = float(value) if isinstance(value, str | int | float) else math.nan
    except ValueError:
        number = math.nan
    if not (number >= 0 and math.isfinite(number)):  # also refuses nan
        raise ValueError(f"must be a number of MiB ≥ 0, got {value!r}")
    return number


def _seconds(value: object) -> float:
    """A finite number of seconds, negative allowed."""
    try:
        seconds = float(str(value).strip())
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        raise ValueError(f"must be a number of seconds, got {value!r}")
    return seconds


def _items(value: object) -> Iterable[Any]:
    """A comma-separated list in text, or the items of a typed list; blanks dropped."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return value
    raise ValueError(f"must be comma-separated text or a list, got {value!r}")


def _networks(value: object) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(item if isinstance(item, IPv4Network | IPv6Network)
                 else ip_network(str(item).strip(), strict=False) for item in _items(value))


def _origins(value: object) -> tuple[str, ...]:
    return tuple("*" if str(item).strip() == "*" else normalise_origin(str(item))
                 for item in _items(value))


def _header_names(value: object) -> tuple[str, ...]:
    names = tuple(str(item).strip().lower() for item in _items(value))
    for name in names:
        if not _TOKEN.fullmatch(name):
            raise ValueError(f"{name!r} is not a header name")
    return names


def _scale(value: object) -> CarrierScale:
    if isinstance(value, CarrierScale):
        return value
    return CarrierScale.parse(str(value))  # CarrierScaleError is a ValueError


def _one_of(*choices: str, empty: bool = False) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in choices and not (empty and value == ""):
            allowed = (f"one of {', '.join(choices)}" if len(choices) > 2
                       else " or ".join(choices))
            raise ValueError(f"must be {allowed}, got {value!r}")
        return value
    return check


Count = Annotated[int, PlainValidator(_whole_number)]
EntryTtl = Annotated[int, PlainValidator(_entry_ttl)]
Window = Annotated[int, PlainValidator(_window)]
MiB = Annotated[float, PlainValidator(_mebibytes)]
Seconds = Annotated[float, PlainValidator(_seconds)]
Networks = Annotated[tuple[IPv4Network | IPv6Network, ...], PlainValidator(_networks)]
Origins = Annotated[tuple[str, ...], PlainValidator(_origins)]
HeaderNames = Annotated[tuple[str, ...], PlainValidator(_header_names)]
Scale = Annotated[CarrierScale, PlainValidator(_scale)]
Environment = Annotated[str, AfterValidator(_one_of("development", "production"))]
LoaderKind = Annotated[str, AfterValidator(_one_of("batched", "naive"))]
Switch = Annotated[str, AfterValidator(_one_of("on", "off"))]
Subgraph = Annotated[str, AfterValidator(_one_of(*SUBGRAPHS, empty=True))]


def _env(name: str, default: str, doc: str) -> Any:
    # ``default`` is the variable's text as README documents it, parsed like the environment's
    # (validate_default); ``describe()`` prints it, so the CLI and README show every default
    return Field(default=default, validation_alias=name, description=doc)


class Settings(BaseSettings):
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
    environment: Environment = _env(
        "CREDIT_GATEWAY_ENV", "development", "development or production (GraphiQL off in production)."
    )
    host: str = _env("CREDIT_GATEWAY_HOST", "127.0.0.1", "Address `serve` binds.")
    port: Count = _env("CREDIT_GATEWAY_PORT", "8000", "Port `serve` binds.")
    log_level: str = _env("CREDIT_GATEWAY_LOG_LEVEL", "info", "Log level (debug, info, warning, error).")
    cache_prefix: str = _env(
        "CREDIT_GATEWAY_CACHE_PREFIX", "cg", "Namespace of every cache key (one per deployment)."
    )
    cache_ttl: EntryTtl = _env("CREDIT_GATEWAY_CACHE_TTL", "300",
                          "Seconds an entity stays cached; 0 = no entity cache.")
    db_pool_size: Count = _env("CREDIT_GATEWAY_DB_POOL_SIZE", "10", "PostgreSQL connection pool size.")
    db_connect_timeout: Count = _env(
        "CREDIT_GATEWAY_DB_CONNECT_TIMEOUT", "5", "Seconds to wait for a database connection."
    )
    default_page_size: Count = _env(
        "CREDIT_GATEWAY_DEFAULT_PAGE_SIZE", "20", "`first` when a list query omits it."
    )
    max_page_size: Count = _env("CREDIT_GATEWAY_MAX_PAGE_SIZE", "100", "Largest `first` accepted.")
    carrier_classes: Scale = _env(
        "CREDIT_GATEWAY_CARRIER_SCALE", DEFAULT_SCALE, "快递业信用等级 scale: CLASS:SHARE pairs "
        "(largest empty-parcel share of each class, best first), then the last class."
    )
    subgraph: Subgraph = _env(
        "CREDIT_GATEWAY_SUBGRAPH", "", "Serve only this subgraph (registry, enforcement, trade, "
        "logistics) for a federation router; empty = the whole graph."
    )
    loaders: LoaderKind = _env(
        "CREDIT_GATEWAY_LOADERS", "batched", "batched (one statement per relation per request) "
        "or naive (one statement per key, no caches: a benchmark baseline only)."
    )
    plans: Switch = _env(
        "CREDIT_GATEWAY_PLANS", "on", "on: query documents the plan compiler knows are answered "
        "with one statement per request on PostgreSQL, through the same rules (docs/PERFORMANCE.md, "
        "\"Compiled plans\"); off: strawberry answers every document.")
    clock_offset: Seconds = _env(
        "CREDIT_GATEWAY_CLOCK_OFFSET", "0", "Tests and benchmarks only: seconds (may be "
        "negative) added to the Beijing clock that decides publicity and list standing; "
        "bench/midnight.py starts a server just before a midnight. 0 in production."
    )

    max_depth: Count = _env(
        "CREDIT_GATEWAY_MAX_DEPTH", "15", "Deepest field nesting a document may have, "
        "introspection included (QUERY_TOO_DEEP); 0 = no limit.")
    max_aliases: Count = _env(
        "CREDIT_GATEWAY_MAX_ALIASES", "30", "Most aliased fields in a document (TOO_MANY_ALIASES); "
        "0 = no limit.")
    max_tokens: Count = _env(
        "CREDIT_GATEWAY_MAX_TOKENS", "2000", "Most lexical tokens in a document (TOO_MANY_TOKENS); "
        "0 = no limit.")
    max_cost: Count = _env(
        "CREDIT_GATEWAY_MAX_COST", "50000", "Largest static cost of an operation by @cost / "
        "@listSize (QUERY_TOO_COSTLY); 0 = no limit.")
    max_visits: Count = _env(
        "CREDIT_GATEWAY_MAX_VISITS", "20000", "Most selections the depth, alias or cost check "
        "visits in one document, each fragment once (QUERY_TOO_COMPLEX); 0 = no limit.")
    max_body_bytes: Count = _env(
        "CREDIT_GATEWAY_MAX_BODY_BYTES", "65536", "Largest request body in bytes (413 "
        "REQUEST_TOO_LARGE); 0 = no limit.")
    max_query_string_bytes: Count = _env(
        "CREDIT_GATEWAY_MAX_QUERY_STRING_BYTES", "8192", "Longest query string of a GET in bytes "
        "(414 REQUEST_TOO_LARGE); 0 = no limit.")
    read_timeout: Count = _env(
        "CREDIT_GATEWAY_READ_TIMEOUT", "30", "Seconds a client has to send a request head, and "
        "then its body (408 REQUEST_TIMEOUT, connection closed); 0 = no limit.")
    rate_limit_anonymous: Count = _env(
        "CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS", "600", "Requests per window an anonymous client "
        "address may make (429 RATE_LIMITED); 0 = no limit.")
    rate_limit_key: Count = _env(
        "CREDIT_GATEWAY_RATE_LIMIT_KEY", "3000", "Requests per window one API key may make "
        "(429 RATE_LIMITED); 0 = no limit.")
    rate_limit_window: Window = _env(
        "CREDIT_GATEWAY_RATE_LIMIT_WINDOW", "60", "Length of the sliding rate-limit window in "
        "seconds.")
    trusted_proxies: Networks = _env(
        "CREDIT_GATEWAY_TRUSTED_PROXIES", "", "Comma-separated addresses or networks of reverse "
        "proxies whose X-Forwarded-For names the client (for the app and uvicorn alike); "
        "empty = trust none.")
    auth_cache_ttl: Count = _env(
        "CREDIT_GATEWAY_AUTH_CACHE_TTL", "5", "Seconds a process remembers an API key's "
        "look-up (unknown keys too), so a revoked key may work that long; 0 = look up every "
        "request.")
    cors_public_origins: Origins = _env(
        "CREDIT_GATEWAY_CORS_PUBLIC_ORIGINS", "*", "Comma-separated web origins whose pages may "
        "read public data without a key; * = any origin, empty = none.")
    cors_allow_headers: HeaderNames = _env(
        "CREDIT_GATEWAY_CORS_ALLOW_HEADERS", "traceparent, tracestate, baggage, sentry-trace",
        "Comma-separated request headers a page may send besides Content-Type, Authorization "
        "and Apollo Client's (preflight Access-Control-Allow-Headers); default the tracing ones.")

    response_cache_ttl: EntryTtl = _env(
        "CREDIT_GATEWAY_RESPONSE_CACHE_TTL", "60", "Seconds a query's response stays in the "
        "response cache (purged at once by writes to what it shows); 0 = no response cache.")
    replica_lag: Count = _env(
        "CREDIT_GATEWAY_REPLICA_LAG", "5", "Seconds the read replica may trail the primary: "
        "a request that reads a record, subject or list changed more recently reads the primary "
        "(DATABASE_READ_URL only).")
    memory_cache_mb: MiB = _env(
        "CREDIT_GATEWAY_MEMORY_CACHE_MB", "256", "MiB (decimals allowed) the in-process cache "
        "(no REDIS_URL) may hold, entity rows, responses and persisted documents together; least "
        "recently used entries go first.")
    apq_ttl: Count = _env(
        "CREDIT_GATEWAY_APQ_TTL", "86400", "Seconds a document registered through Automatic "
        "Persisted Queries stays known by its hash.")
    trusted_documents: str = _env(
        "CREDIT_GATEWAY_TRUSTED_DOCUMENTS", "", "Apollo persisted query manifest of the documents "
        "anonymous callers may run in production; empty = gateway/trusted/manifest.json.")
    router_secret: str = _env(
        "CREDIT_GATEWAY_ROUTER_SECRET", "", "Shared secret the federation router sends as "
        "X-Credit-Gateway-Router; its requests are not held to the trusted documents in "
        "production (the router holds clients to them); empty = no router is trusted.")

    model_config = SettingsConfigDict(
        case_sensitive=True,  # variable names are exact, as the shell spells them
        enable_decoding=False,  # lists are comma-separated text, not JSON
        validate_by_name=True,  # Settings(database_url=...) as well as the variables' names
        validate_by_alias=True,
        validate_default=True,
        frozen=True,
        extra="forbid",
    )

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise SettingsError(_explain(error)) from error

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Keyword values only: settings built in code (tests, benchmarks) are what their caller
        # says whatever the shell exports; ``from_env`` is the one reader of the environment.
        return (init_settings,)

    @classmethod
    def from_env(cls) -> Settings:
        """The settings of this process's environment (``serve``, the CLI, worker processes)."""
        return cls(**EnvSettingsSource(cls)())

    @property
    def replica_lag_ms(self) -> int:
        return self.replica_lag * 1000

    @property
    def memory_cache_bytes(self) -> int:
        return int(self.memory_cache_mb * (1 << 20))

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
    def plans_on(self) -> bool:
        return self.plans == "on"

    @property
    def naive_loaders(self) -> bool:
        return self.loaders == "naive"


def _variable(name: str) -> str:
    field = Settings.model_fields.get(name)
    return str(field.validation_alias) if field is not None else name


def _explain(error: ValidationError) -> str:
    """Each problem as the variable's name and what is wrong with its value."""
    problems = []
    for problem in error.errors():
        variable = _variable(str(problem["loc"][0])) if problem["loc"] else "settings"
        cause = problem.get("ctx", {}).get("error")
        text = str(cause) if isinstance(cause, ValueError) else problem["msg"]
        problems.append(f"{variable} {text}" if text.startswith("must ") else f"{variable}: {text}")
    return "; ".join(problems)


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting, for ``--help`` and the README."""
    return [(str(f.validation_alias), str(f.default), str(f.description))
            for f in Settings.model_fields.values()]
