"""Who is asking: an anonymous reader, or a key holder with a role (查询角色)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from resolvers.domain.enums import Department, Role


def default_role(department: Department) -> Role:
    """The role a key gets when none is given: a platform's key reads as PLATFORM, a
    department's key as REGULATOR of that department."""
    return Role.PLATFORM if department is Department.PLATFORM else Role.REGULATOR


class Visibility(StrEnum):
    """What a role may see, and therefore what a cached response may be shared across.

    PUBLIC and PLATFORM see the same thing (publicity periods applied, personal data masked);
    REGULATOR sees everything; AUDITOR sees everything and every read of personal data is
    logged, so its answers are never served from a shared cache.
    """

    PUBLIC = "public"
    REGULATOR = "regulator"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class WriterIdentity:
    """A department, platform or auditor holding a valid API key (数据报送单位 / 查询单位)."""

    id: int
    name: str
    department: Department
    code: str | None = None
    platform_id: int | None = None
    role: Role | None = None  # None: the department's default role
    origins: tuple[str, ...] = ()  # web origins whose pages may use this key (CORS)
    speaks_for: tuple[str, ...] = ()  # USCCs of subordinate authorities (下级机关) it acts for

    @property
    def effective_role(self) -> Role:
        return self.role or default_role(self.department)

    @property
    def authorities(self) -> tuple[str, ...]:
        """The authorities (决定机关, by USCC) this key acts as: its own code and the
        subordinate authorities it was created to speak for; none without a code."""
        return () if self.code is None else (self.code, *self.speaks_for)

    def speaks_as(self, authority_code: str | None) -> bool:
        """Whether this key may publish, or change, a decision of ``authority_code``."""
        return authority_code is not None and authority_code in self.authorities


@dataclass(frozen=True)
class Caller:
    """The caller of one request; ``writer`` is ``None`` for anonymous (public) reads. Its
    role and what it sees are asked for every field an answer writes: computed once."""

    writer: WriterIdentity | None = None

    @property
    def anonymous(self) -> bool:
        return self.writer is None

    @cached_property
    def role(self) -> Role:
        return Role.PUBLIC if self.writer is None else self.writer.effective_role

    @cached_property
    def visibility(self) -> Visibility:
        role = self.role
        if role is Role.AUDITOR:
            return Visibility.AUDITOR
        if role is Role.REGULATOR:
            return Visibility.REGULATOR
        return Visibility.PUBLIC

    @cached_property
    def sees_all_records(self) -> bool:
        """Regulators and auditors see penalties past their publicity period."""
        return self.visibility is not Visibility.PUBLIC

    @cached_property
    def sees_personal_data(self) -> bool:
        """ID numbers, phones and natural persons' names unmasked (REGULATOR, AUDITOR)."""
        return self.visibility is not Visibility.PUBLIC


ANONYMOUS = Caller()
