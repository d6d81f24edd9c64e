"""Who is asking: an anonymous reader, or a writer identified by its API key."""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.domain.enums import Department


@dataclass(frozen=True)
class WriterIdentity:
    """A department or platform holding a valid API key (数据报送单位)."""

    id: int
    name: str
    department: Department
    code: str | None = None
    platform_id: int | None = None


@dataclass(frozen=True)
class Caller:
    """The caller of one request; ``writer`` is ``None`` for anonymous (public) reads."""

    writer: WriterIdentity | None = None

    @property
    def anonymous(self) -> bool:
        return self.writer is None


ANONYMOUS = Caller()
