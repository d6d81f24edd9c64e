"""What a resolver may know about its request: loaders, paging limits and the date.

The HTTP edge builds one ``Context`` per request; resolvers never see HTTP itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from strawberry.types import Info as _Info

from resolvers.data.database import Database
from resolvers.loaders import Loaders


@dataclass
class Context:
    database: Database
    loaders: Loaders
    today: date
    default_page_size: int = 20
    max_page_size: int = 100


Info = _Info[Context, None]
