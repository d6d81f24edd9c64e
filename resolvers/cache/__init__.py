"""The entity cache under the loaders: Redis when ``REDIS_URL`` is set, else in-process.

Both speak one interface (``Cache``), so loaders never know which one they use.
"""

from resolvers.cache.base import Cache, namespaced
from resolvers.cache.factory import create_cache
from resolvers.cache.memory import MemoryCache
from resolvers.cache.redis import RedisCache

__all__ = ["Cache", "MemoryCache", "RedisCache", "create_cache", "namespaced"]
