"""``GET /report/{uscc}``: runs ``{ creditReport(uscc) }`` through the GraphQL schema with the
caller's context (anonymous = the public view, a key = its role's view) and renders the page
(``gateway.report.page``). A malformed USCC answers 400 naming the expected check character,
an unknown one 404; a database that does not answer 503 — never a 500 page for bad input."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from gateway.graphql_app import GraphQLEndpoint
from gateway.report.page import problem_page, report_page

DOCUMENT = "query CreditReport($uscc: USCC!) { creditReport(uscc: $uscc) }"
HEADERS = {"Cache-Control": "no-store", "Content-Language": "zh-CN"}


def _problem(status: int, title: str, message: str) -> HTMLResponse:
    return HTMLResponse(problem_page(title, message), status_code=status, headers=HEADERS)


def report_route(graphql: GraphQLEndpoint) -> Any:
    async def report(request: Request) -> Response:
        code = request.path_params["uscc"]
        context = await graphql.get_context(request, Response())
        result = await graphql.schema.execute(DOCUMENT, variable_values={"uscc": code},
                                              context_value=context,
                                              operation_name="CreditReport")
        for error in result.errors or ():
            extensions = error.extensions or {}
            if extensions.get("code") == "INVALID_USCC":
                expected = extensions.get("expectedCheckCharacter")
                hint = f"；校验位应为 {expected}" if expected else ""
                return _problem(400, "统一社会信用代码有误",
                                f"{code}：{error.message}{hint}")
            if extensions.get("code") == "DATABASE_UNAVAILABLE":
                return _problem(503, "暂时无法生成信用报告", "数据库暂不可用，请稍后再试。")
            return _problem(503, "暂时无法生成信用报告", "请稍后再试。")
        found = (result.data or {}).get("creditReport")
        if found is None:
            return _problem(404, "未找到该主体", f"没有统一社会信用代码为 {code} 的市场主体。")
        return HTMLResponse(report_page(found), headers=HEADERS)

    return report
