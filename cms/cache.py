"""A content version that changes whenever anything public may have changed.

Feeds and exports that are computed from pages (rather than read from stored documents) put it
in their cache keys: a publish anywhere makes every such cache entry stale at once, so nothing
unpublished survives in a cache and nothing needs to know which feed showed what.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

CONTENT_VERSION_KEY = "assises:content-version"


def content_version() -> str:
    """The current content version (an opaque string)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(CONTENT_VERSION_KEY, version, None)
        version = cache.get(CONTENT_VERSION_KEY, version)
    return version


def bump_content_version(**_kwargs) -> None:
    """Make every content-versioned cache entry stale, once the transaction commits."""
    transaction.on_commit(lambda: cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, None))
