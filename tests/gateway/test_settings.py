"""Settings are parsed once, when they are built, into typed values: the environment's text and
keyword values alike, with a ``SettingsError`` naming the variable for anything unusable."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from gateway.settings import Settings, SettingsError, describe
from resolvers.domain.carriers import CarrierScale


def test_values_are_typed_when_the_settings_are_built() -> None:
    settings = Settings()
    assert (settings.port, settings.cache_ttl, settings.max_cost) == (8000, 300, 50000)
    assert settings.memory_cache_mb == 256.0
    assert settings.cors_public_origins == ("*",)
    assert settings.cors_allow_headers == ("traceparent", "tracestate", "baggage", "sentry-trace")
    assert settings.trusted_proxies == ()
    assert isinstance(settings.carrier_classes, CarrierScale)


def test_keyword_values_may_be_text_or_typed() -> None:
    as_text = Settings(port="8001", trusted_proxies="10.0.0.0/8, 127.0.0.1",
                       memory_cache_mb="0.5", cors_allow_headers="X-Trace")
    typed = Settings(port=8001, trusted_proxies=(ip_network("10.0.0.0/8"), "127.0.0.1"),
                     memory_cache_mb=0.5, cors_allow_headers=["x-trace"])
    for settings in (as_text, typed):
        assert settings.port == 8001
        assert settings.trusted_proxies == (ip_network("10.0.0.0/8"), ip_network("127.0.0.1/32"))
        assert settings.memory_cache_bytes == 1 << 19
        assert settings.cors_allow_headers == ("x-trace",)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("cache_ttl", "-1", "CREDIT_GATEWAY_CACHE_TTL must be a whole number ≥ 0, got '-1'"),
    ("response_cache_ttl", "90000", "CREDIT_GATEWAY_RESPONSE_CACHE_TTL must be at most 86400"),
    ("rate_limit_window", "0", "CREDIT_GATEWAY_RATE_LIMIT_WINDOW must be at least 1 second"),
    ("memory_cache_mb", "nan", "CREDIT_GATEWAY_MEMORY_CACHE_MB must be a number of MiB ≥ 0"),
    ("trusted_proxies", "10.0.0.0/33", "CREDIT_GATEWAY_TRUSTED_PROXIES: "),
    ("environment", "staging", "CREDIT_GATEWAY_ENV must be development or production"),
    ("loaders", "lazy", "CREDIT_GATEWAY_LOADERS must be batched or naive, got 'lazy'"),
    ("subgraph", "shops", "CREDIT_GATEWAY_SUBGRAPH must be one of registry"),
])
def test_keyword_values_are_checked_like_the_environment(field: str, value: str,
                                                          message: str) -> None:
    # a Settings built in code (tests, benchmarks, an embedding app) is refused at once, not at
    # the first request that reads the value
    with pytest.raises(SettingsError) as refused:
        Settings(**{field: value})
    assert str(refused.value).startswith(message)


def test_the_environment_is_read_by_variable_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDIT_GATEWAY_MAX_COST", "7")
    monkeypatch.setenv("CREDIT_GATEWAY_TRUSTED_PROXIES", "192.0.2.0/24")
    monkeypatch.setenv("credit_gateway_max_depth", "3")  # names are exact, as before
    settings = Settings.from_env()
    assert (settings.max_cost, settings.max_depth) == (7, 15)
    assert settings.trusted_proxies == (ip_network("192.0.2.0/24"),)
    # keyword-built settings stay what their caller says, whatever the environment holds
    assert Settings().max_cost == 50000
    monkeypatch.setenv("CREDIT_GATEWAY_MEMORY_CACHE_MB", "lots")
    with pytest.raises(SettingsError, match="CREDIT_GATEWAY_MEMORY_CACHE_MB must be a number of "
                                            "MiB ≥ 0, got 'lots'"):
        Settings.from_env()


def test_describe_lists_each_variable_once_with_its_documented_default() -> None:
    described = {variable: default for variable, default, _ in describe()}
    assert len(described) == len(describe())
    assert described["CREDIT_GATEWAY_MEMORY_CACHE_MB"] == "256"
    assert described["CREDIT_GATEWAY_TRUSTED_PROXIES"] == ""
    assert described["CREDIT_GATEWAY_CORS_ALLOW_HEADERS"] == (
        "traceparent, tracestate, baggage, sentry-trace")
