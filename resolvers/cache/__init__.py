"""The entity cache under the loaders: Redis when ``REDIS_URL`` is set, else in-process.

Both speak one interface (``Cache``), so loaders never know which one they use.
"""

from resolvers.cache.base import Cache, entity_key, namespaced
from resolvers.cache.factory import create_cache
from resolvers.cache.flight import SingleFlight
from resolvers.cache.memory import MemoryCache
from resolvers.cache.redis import RedisCache

__all__ = ["Cache", "MemoryCache", "RedisCache", "SingleFlight", "create_cache", "entity_key",
           "namespaced"]
