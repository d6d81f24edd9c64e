"""The entity cache under the loaders: Redis when ``REDIS_URL`` is set, else in-process.

Both speak one interface (``Cache``), so loaders never know which one they use.
"""

from resolvers.cache.base import (
    ALL_TAG,
    Cache,
    TagReading,
    entity_key,
    namespaced,
    tag_key,
    tagged,
    untagged,
)
from resolvers.cache.factory import create_cache
from resolvers.cache.flight import SingleFlight
from resolvers.cache.memory import MemoryCache
from resolvers.cache.redis import RedisCache
from resolvers.cache.tags import TagRecorder, collection_tag, record_tag, subject_tag

__all__ = ["ALL_TAG", "Cache", "MemoryCache", "RedisCache", "SingleFlight", "TagReading",
           "TagRecorder",
           "collection_tag", "create_cache", "entity_key", "namespaced", "record_tag",
           "subject_tag", "tag_key", "tagged", "untagged"]
