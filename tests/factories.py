"""Builders for pages in every publication state, used by the visibility tests.

States: `live`, `draft` (never published), `unpublished` (published, then withdrawn),
`private` (live behind a password view restriction), `embargoed` (scheduled for a future
go-live), `expired` (live, but its expiry date has passed).
"""

import datetime

from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

STATES = ("draft", "unpublished", "private", "embargoed", "expired")


def put_in_state(parent: Page, page: Page, state: str) -> Page:
    """Add `page` under `parent` and bring it to `state` (the pipeline runs on commit)."""
    now = timezone.now()
    if state == "expired":
        page.expire_at = now - datetime.timedelta(hours=1)
    page.live = False
    parent.add_child(instance=page)
    if state == "draft":
        page.save_revision()
        return page
    if state == "embargoed":
        page.go_live_at = now + datetime.timedelta(days=3)
        page.save_revision().publish()
        page.refresh_from_db()
        assert not page.live
        return page
    page.save_revision().publish()
    page.refresh_from_db()  # publish() works on a copy; unpublish() needs to see it live
    if state == "unpublished":
        page.unpublish()
    elif state == "private":
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    elif state == "expired":
        Page.objects.filter(pk=page.pk).update(live=True, expire_at=page.expire_at)
    return page
