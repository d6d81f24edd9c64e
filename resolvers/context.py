"""What a resolver may know about its request: the caller, loaders, paging limits and the date.

The HTTP edge builds one ``Context`` per request; resolvers never see HTTP itself (the caller
comes from the API key the edge checked, never from a header read here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from strawberry.types import Info as _Info

from resolvers.data.database import Database
from resolvers.domain import carriers
from resolvers.domain.actors import ANONYMOUS, Caller
from resolvers.loaders import Loaders
from resolvers.personal_reads import PersonalReads


@dataclass
class Context:
    database: Database
    loaders: Loaders
    today: date
    default_page_size: int = 20
    max_page_size: int = 100
    caller: Caller = ANONYMOUS
    carrier_scale: carriers.CarrierScale = carriers.DEFAULT
    # unmasked personal data an AUDITOR read, for the access log (docs/PRIVACY.md)
    personal_reads: PersonalReads = field(default_factory=PersonalReads)


Info = _Info[Context, None]
