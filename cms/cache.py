"""The content version: the change log's head, the same in every process.

Renderings cached outside the database (feeds, calendars, schedules, sitemaps, lists) put it in
their cache keys. It comes from the database (`cms.pipeline.changelog`), so the moment a publish
commits every worker, the task worker and every management command see a new version; nothing
per-process can keep an old one alive.
"""

from .pipeline import changelog


def content_version() -> str:
    """The sequence number of the latest change to anything public."""
    return changelog.head().version
