"""Change-log retention: what `compact_change_log` may drop, and what it must keep.

The log grows by one entry per public write, forever. Readers that follow it (list caches,
partner sites replaying changes, webhooks, cache purges) need the recent past in full and, for
the older past, only each document's latest state. So compaction removes, among the entries
older than the retention period:

- every entry superseded by a later entry for the same document (same kind and object id);
- tombstones (deletes) that are the last word on a document, once past retention: a consumer
  that has not synchronised for that long must start again from the current state anyway.

The latest entry of each kind is always kept, whatever it is: the versions of lists and of the
whole log are derived from these heads, which must never move backwards.

The latest upsert of every current document is always kept, so replaying the log from its
oldest kept entry still reaches exactly the live state. Each run records its horizon (the
highest sequence number it may have removed) in `ChangeLogCompaction`; a cursor below it is
stale. The head never moves, so caches and ETags keyed on it stay valid.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from ..models import ChangeLogCompaction, ChangeLogEntry
from . import changelog

DEFAULT_RETENTION = timedelta(days=30)
CHUNK = 5000


@dataclass(frozen=True)
class CompactionResult:
    removed: int
    horizon: int
    kept: int


def removable(cutoff: datetime):
    """Entries older than `cutoff` that a later entry supersedes, or old final tombstones."""
    latest = (
        ChangeLogEntry.objects.filter(kind=OuterRef("kind"), object_id=OuterRef("object_id"))
        .order_by("-seq")
        .values("seq")[:1]
    )
    # each kind's latest entry stays: list versions and Last-Modified derive from it, and a
    # version moving backwards could meet an old cache entry again
    kind_heads = ChangeLogEntry.objects.values("kind").annotate(head=Max("seq")).values("head")
    old = ChangeLogEntry.objects.filter(created_at__lt=cutoff).annotate(latest=Subquery(latest))
    return old.filter(~Q(seq=F("latest")) | Q(operation=ChangeLogEntry.DELETE)).exclude(
        seq__in=kind_heads
    )


def compact(
    retention: timedelta = DEFAULT_RETENTION,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> CompactionResult:
    """Drop what the retention rule allows, in chunks, each in its own short transaction."""
    cutoff = timezone.now() - retention
    seqs = list(removable(cutoff).order_by("seq").values_list("seq", flat=True))
    horizon = seqs[-1] if seqs else 0
    if not dry_run:
        for start in range(0, len(seqs), CHUNK):
            chunk = seqs[start : start + CHUNK]
            with transaction.atomic():
                changelog.lock()  # never interleave with a writer's entries
                ChangeLogEntry.objects.filter(seq__in=chunk).delete()
            if progress:
                progress(len(chunk))
        if seqs:
            ChangeLogCompaction.objects.create(horizon=horizon, removed=len(seqs))
    kept = ChangeLogEntry.objects.count() - (len(seqs) if dry_run else 0)
    return CompactionResult(removed=len(seqs), horizon=horizon, kept=kept)


def horizon() -> int:
    """The highest sequence number compaction may have removed (0 when it never ran)."""
    return ChangeLogCompaction.objects.aggregate(h=Max("horizon"))["h"] or 0
