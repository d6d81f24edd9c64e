"""Compiled plans (查询计划): a query document answered by one statement per request.

``Compiler`` turns a document it knows every part of into a ``Plan``; the plan reads through
the request's loaders (same session, same conditions, same tags) and finishes every field with
the function its strawberry resolver calls. A document it does not know compiles to ``None``
and strawberry answers it (docs/PERFORMANCE.md, "Compiled plans").
"""

from resolvers.plans.compiler import Compiler
from resolvers.plans.plan import NoPlan, Plan

__all__ = ["Compiler", "NoPlan", "Plan"]
