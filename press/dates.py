"""A communiqué's two dates, computed once at publish time and shared by every channel.

The API document, its JSON-LD, the feeds and the news sitemap all carry these values, read from
the stored document. Neither moves when a page is republished without a dated correction, so a
republish does not change the document's ETag nor wake feed readers.
"""

import datetime
from collections.abc import Iterable

from events.models import PARIS


def publication_datetime(
    publication_date: datetime.date, first_published_at: datetime.datetime | None
) -> datetime.datetime:
    """The printed publication date, at the moment of first publication when that was the day."""
    if (
        first_published_at is not None
        and first_published_at.astimezone(PARIS).date() == publication_date
    ):
        return first_published_at
    return datetime.datetime.combine(publication_date, datetime.time.min, tzinfo=PARIS)


def modification_datetime(
    publication_date: datetime.date,
    first_published_at: datetime.datetime | None,
    corrections: Iterable[datetime.date],
) -> datetime.datetime:
    """The latest dated correction (midnight, Paris), never before the publication."""
    published = publication_datetime(publication_date, first_published_at)
    dates = list(corrections)
    if not dates:
        return published
    corrected = datetime.datetime.combine(max(dates), datetime.time.min, tzinfo=PARIS)
    return max(corrected, published)
