"""Types, resolvers, batched loaders and data access of the credit graph.

Layers, each importing only the ones below it:
``types`` (strawberry) → ``loaders`` (per-request aiodataloader batches) →
``data`` (sqlmodel tables and queries) → ``domain`` (policy rules, pure Python); ``writes``
sit beside the loaders, ``cache`` beside data access. ``lint-imports`` checks these layers
(``[tool.importlinter]`` in pyproject.toml).
"""
