"""The response cache and HTTP caching of ``/graphql`` (docs/CACHING.md).

``documents``: what an operation is (query or not, its root fields, the list tags it needs);
``keys``: the cache key of a response; ``store``: entries checked against their tag versions;
``http``: ``ETag``, ``Cache-Control``, ``Vary`` and ``304``.
"""
