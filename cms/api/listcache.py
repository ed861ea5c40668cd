"""Rendered list responses, cached in two levels: this process's memory, then the shared cache.

Keys embed the version of their kind, read from the change log in the database; a publish
anywhere changes it when it commits, so every process stops finding its old entries at once.
The memory level spares unpickling ~100 KB per request — the difference between serving bytes
and copying them.
"""

from typing import Any

from django.core.cache import cache

from .localcache import clear_all, local_cache

MAX_LOCAL_ENTRIES = 256

_local = local_cache(MAX_LOCAL_ENTRIES)


def get(key: str, with_body: bool = True) -> tuple | None:
    """(etag, last_modified, immutable, body or None) for `key`, or None when nothing is cached."""
    entry = _local.get(key)
    if entry is not None:
        return entry
    meta = cache.get(key)
    if meta is None:
        return None
    if len(meta) == 2:  # written by a process older than the `immutable` flag
        meta = (*meta, False)
    if not with_body:
        return (*meta, None)
    body = cache.get(key + ":body")
    if body is None:
        return None
    return (*meta, body)


def set(
    key: str, etag: str, last_modified: Any, body: bytes, timeout: int, immutable: bool = False
) -> None:
    """Store a rendered list for `timeout` seconds in both levels."""
    cache.set_many({key: (etag, last_modified, immutable), key + ":body": body}, timeout)
    _local.set(key, (etag, last_modified, immutable, body), timeout)


def clear() -> None:
    """Forget every memory level of this process: lists, details and exports alike (the shared
    level is the cache's own business)."""
    clear_all()
