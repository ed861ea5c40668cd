"""A bounded, expiring, thread-safe memory cache: the per-process level in front of the database
and the shared cache.

Entries are only ever found under keys that embed a version read from the change log (in the
database) for the request at hand, so a stale entry is never served: a commit anywhere moves
the version and every process stops finding its old entries at once. What this level spares is
the work between knowing the version and holding the bytes — unpickling from Redis, reading a
large row, DRF's machinery — not the version check itself.
"""

import threading
import time
from collections import OrderedDict
from typing import Any


class LocalCache:
    """At most `max_entries` values, least recently used dropped first, each with a deadline."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        """The value under `key`, or None when absent or past its deadline."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= now:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: Any, timeout: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + timeout, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# Every memory level of the process, so that `clear_all()` (benchmarks, tests) forgets them all.
_instances: list[LocalCache] = []


def local_cache(max_entries: int) -> LocalCache:
    """A new memory level, registered for `clear_all()`."""
    instance = LocalCache(max_entries)
    _instances.append(instance)
    return instance


def clear_all() -> None:
    for instance in _instances:
        instance.clear()
