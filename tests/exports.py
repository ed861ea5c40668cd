"""Helpers of the feed and export tests: the states that must hide a page, and real readers."""

import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from pyld import jsonld
from wagtail.models import Page, PageViewRestriction

from cms.pipeline.store import process

# The c3voc validators live in the shared folder beside the repository (see its NOTICE.md).
C3VOC = Path(__file__).resolve().parents[1] / ".." / "shared" / "standards" / "c3voc-schedule"

HIDDEN_STATES = ("draft", "unpublished", "embargoed", "private", "expired")


def hide(page: Page, state: str) -> Page:
    """Put `page` in `state`, in which no feed or export may show it, and return it fresh.

    « draft » is a page that was never published, « embargoed » one scheduled to go live
    tomorrow, « expired » one whose expiry date has passed although Wagtail has not yet
    unpublished it (that only happens when `publish_scheduled` runs).
    """
    now = timezone.now()
    if state == "draft":
        page.save_revision()
        Page.objects.filter(pk=page.pk).update(
            live=False, first_published_at=None, last_published_at=None, live_revision=None
        )
    elif state == "unpublished":
        page.unpublish()
    elif state == "embargoed":
        Page.objects.filter(pk=page.pk).update(
            live=False, go_live_at=now + datetime.timedelta(days=1), has_unpublished_changes=True
        )
    elif state == "private":
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="embargo"
        )
    elif state == "expired":
        Page.objects.filter(pk=page.pk).update(expire_at=now - datetime.timedelta(minutes=1))
    else:  # pragma: no cover - a typo in a parametrisation
        raise ValueError(state)
    # Channels read stored documents: bring them to what the pipeline (on commit, through the
    # worker, or the scheduler for expiry) leaves once it has run.
    process([f"page:{page.pk}"])
    return type(page).objects.get(pk=page.pk)


def _schema_org_loader(url: str, options: dict | None = None) -> dict[str, Any]:
    """No network in tests: schema.org's context is reduced to its vocabulary."""
    if not url.startswith(("https://schema.org", "http://schema.org")):
        raise ValueError(f"Unexpected remote context {url}")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    return jsonld.expand(document, {"documentLoader": _schema_org_loader})


def expanded_types(expanded: Any) -> set[str]:
    """Every @type anywhere in an expanded JSON-LD document."""
    found: set[str] = set()
    if isinstance(expanded, list):
        for item in expanded:
            found |= expanded_types(item)
    elif isinstance(expanded, dict):
        found.update(expanded.get("@type", []))
        for value in expanded.values():
            found |= expanded_types(value)
    return found


def expanded_values(expanded: Any, prop: str) -> list[Any]:
    """Every value of property `prop` (a full IRI) anywhere in an expanded document."""
    found: list[Any] = []
    if isinstance(expanded, list):
        for item in expanded:
            found += expanded_values(item, prop)
    elif isinstance(expanded, dict):
        for key, value in expanded.items():
            if key == prop:
                found += [v.get("@value", v.get("@id")) for v in value if isinstance(v, dict)]
            found += expanded_values(value, prop)
    return found
