"""Apollo's Automatic Persisted Queries (APQ), and the trusted-document rule in production.

A request may carry ``extensions.persistedQuery = {"version": 1, "sha256Hash": H}`` (in the
JSON body of a POST, or as the URL-encoded JSON ``extensions`` parameter of a GET):

- ``H`` alone: the document stored under ``H`` runs; unknown → ``PERSISTED_QUERY_NOT_FOUND``
  with HTTP 200, so Apollo clients retry with the document;
- ``H`` and the document: ``H`` must be the SHA-256 of the document
  (``PERSISTED_QUERY_HASH_MISMATCH``, 400), which is stored for ``CREDIT_GATEWAY_APQ_TTL``;
- another ``version``: ``PERSISTED_QUERY_VERSION_UNSUPPORTED`` (400).

Documents of the trusted list are known under their id without registration. In production an
anonymous (``PUBLIC``) caller may run only those: a document outside the list, or registering
one, is ``DOCUMENT_NOT_TRUSTED`` (400), and a hash outside the list is not found; key holders
may run and register any document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gateway.persisted.manifest import sha256
from gateway.persisted.trusted import TrustedDocuments
from resolvers.cache import Cache

HASH = re.compile(r"[0-9a-f]{64}")


class PersistedQueryError(Exception):
    """A request the persisted-document rules refuse; answered before any GraphQL runs."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def not_found() -> PersistedQueryError:
    return PersistedQueryError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound", 200)


def not_trusted() -> PersistedQueryError:
    return PersistedQueryError(
        "DOCUMENT_NOT_TRUSTED", "Anonymous callers may run only the trusted documents "
        "(send one of them, or its id as extensions.persistedQuery.sha256Hash).")


@dataclass(frozen=True)
class PersistedQueries:
    store: Cache
    ttl: int
    trusted: TrustedDocuments

    async def document(self, query: str | None, extensions: dict[str, Any] | None, *,
                       restricted: bool) -> str | None:
        """The document to run (``None`` when the request has none); ``restricted``: only
        trusted documents (an anonymous caller in production)."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            if restricted and query is not None and not self.trusted.trusts(query):
                raise not_trusted()
            return query
        digest = hash_of(persisted)
        if query is None:
            return await self._stored(digest, restricted=restricted)
        if sha256(query) != digest:
            raise PersistedQueryError("PERSISTED_QUERY_HASH_MISMATCH",
                                      "sha256Hash is not the SHA-256 of the query.")
        if self.trusted.body(digest) is None:
            if restricted:
                raise not_trusted()
            await self.store.set_many({_key(digest): query.encode()}, self.ttl)
        return query

    async def _stored(self, digest: str, *, restricted: bool) -> str:
        trusted = self.trusted.body(digest)
        if trusted is not None:
            return trusted
        if restricted:
            raise not_found()
        (stored,) = await self.store.get_many([_key(digest)])
        if stored is None:
            raise not_found()
        return stored.decode()


def hash_of(persisted: object) -> str:
    if not isinstance(persisted, dict):
        raise PersistedQueryError("BAD_USER_INPUT", "extensions.persistedQuery must be an "
                                  "object {version, sha256Hash}.")
    if persisted.get("version") != 1:
        raise PersistedQueryError("PERSISTED_QUERY_VERSION_UNSUPPORTED",
                                  "Only version 1 of persisted queries is supported.")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not HASH.fullmatch(digest.lower()):
        raise PersistedQueryError("BAD_USER_INPUT", "extensions.persistedQuery.sha256Hash "
                                  "must be 64 hexadecimal digits.")
    return digest.lower()


def _key(digest: str) -> str:
    return f"apq:{digest}"
