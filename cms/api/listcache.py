"""Rendered list responses, cached in two levels: this process's memory, then the shared cache.

Keys embed the version of their kind, read from the change log in the database; a publish
anywhere changes it when it commits, so every process stops finding its old entries at once.
The memory level spares unpickling ~100 KB per request — the difference between serving bytes
and copying them.
"""

import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache import cache

MAX_LOCAL_ENTRIES = 256

_local: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def get(key: str, with_body: bool = True) -> tuple | None:
    """(etag, last_modified, immutable, body or None) for `key`, or None when nothing is cached."""
    now = time.monotonic()
    with _lock:
        entry = _local.get(key)
        if entry is not None:
            if entry[0] > now:
                _local.move_to_end(key)
                return entry[1]
            del _local[key]
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
    with _lock:
        _local[key] = (time.monotonic() + timeout, (etag, last_modified, immutable, body))
        _local.move_to_end(key)
        while len(_local) > MAX_LOCAL_ENTRIES:
            _local.popitem(last=False)


def clear() -> None:
    """Forget this process's memory level (the shared level is the cache's own business)."""
    with _lock:
        _local.clear()
