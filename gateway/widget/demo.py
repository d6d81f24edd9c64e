"""``GET /demo/platform``: a demo e-commerce platform's home page (outside production only,
like GraphiQL) that embeds the credit query window and a badge on each shop card.

The shops are the first sellers of the dataset (merchants and individual sellers by id, so the
demo data's fixed red-listed, brushing and counterfeiting merchants come first; docs/
DEMO_DATA.md). Only their codes are put in the page: each badge asks the API for the rest,
under the rules of an anonymous caller like any platform's page. With no sellers (an empty
database) the page shows the query window alone.
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import HTMLResponse

from gateway.services import Services
from resolvers.data.models.subject import Subject
from resolvers.domain.enums import SubjectKind

PAGE = Path(__file__).with_name("platform.html")
# (product, price in yuan, the card's picture as two colours) — one card per shop
PRODUCTS = (
    ("明前龙井绿茶 250g 礼盒装", "168.00", "#d9f2d0", "#7cb66b"),
    ("无线降噪蓝牙耳机 长续航", "299.00", "#dfe7fd", "#6c8ae4"),
    ("纯棉四件套 1.8m 床品", "239.00", "#fde2e4", "#e48a9a"),
    ("儿童益智积木 300 粒", "89.90", "#fff1c9", "#e0b43d"),
    ("不锈钢保温杯 500ml", "59.00", "#d7f3f5", "#4aa7b0"),
    ("有机五常大米 5kg", "79.80", "#f1e7d8", "#b99462"),
)
SELLERS = (SubjectKind.MERCHANT, SubjectKind.INDIVIDUAL_SELLER)
CARD = """<article class="product">
  <div class="picture" style="background:linear-gradient(135deg,{light},{dark})" aria-hidden="true"></div>
  <h3>{product}</h3>
  <p class="price">¥{price}</p>
  <credit-badge uscc="{uscc}"></credit-badge>
</article>"""


@cache
def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


async def shop_codes(services: Services, count: int) -> list[str]:
    statement = (select(Subject.uscc).where(col(Subject.kind).in_(SELLERS))
                 .order_by(col(Subject.id)).limit(count))
    async with services.database.read_session() as session:
        return list((await session.exec(statement)).all())


async def platform_page(request: Request) -> HTMLResponse:
    services: Services = request.app.state.services
    codes = await shop_codes(services, len(PRODUCTS))
    cards = "\n".join(CARD.format(product=product, price=price, light=light, dark=dark,
                                  uscc=escape(uscc))
                      for (product, price, light, dark), uscc in zip(PRODUCTS, codes,
                                                                     strict=False))
    return HTMLResponse(_page().replace("<!--SHOPS-->", cards),
                        headers={"Cache-Control": "no-cache"})
