"""Per-request batched loaders: every relation of the graph is fetched through one of these."""

from resolvers.loaders.registry import CountKey, Loaders, PageKey

__all__ = ["CountKey", "Loaders", "PageKey"]
