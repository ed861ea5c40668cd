"""Lists count their matches exactly up to ASSISES_LIST_COUNT_LIMIT, and say so beyond.

The demo edition has 13 sessions; the limit is lowered to 3 so that every behaviour shows on it.
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from cms.api import listcache
from cms.models import StoredDocument


@pytest.fixture
def count_limit(settings):
    settings.ASSISES = {**settings.ASSISES, "LIST_COUNT_LIMIT": 3}
    listcache.clear()
    return 3


def _get(api, url):
    return api.get(url.replace("http://testserver", "")).json_body


def test_exact_below_the_limit(api, settings):
    body = api.get("/api/v1/sessions/?limit=5").json_body
    assert (body["count"], body["count_exact"]) == (13, True)


def test_a_lower_bound_beyond_the_limit_and_every_page_still_reached(api, count_limit):
    first = api.get("/api/v1/sessions/?limit=2").json_body
    assert (first["count"], first["count_exact"]) == (3, False)
    seen, page = [], first
    while True:
        seen += [item["id"] for item in page["results"]]
        if page["next"] is None:
            break
        page = _get(api, page["next"])
    assert len(seen) == len(set(seen)) == 13  # `next` follows the real matches, not the count
    # the last page counted past its own end: exact again
    assert (page["count"], page["count_exact"]) == (13, True)


def test_a_small_filtered_list_stays_exact(api, count_limit, amboise):
    day = StoredDocument.objects.filter(kind="session").order_by("date_start").first().date_start
    body = api.get(f"/api/v1/sessions/?date_to={day.isoformat()}&limit=1").json_body
    assert body["count_exact"] is True and body["count"] <= 3


def test_an_expiring_document_of_the_page_bounds_the_cached_list(api, count_limit, monkeypatch):
    """With an inexact count only some matches are read: the page's own expiry must still bound
    how long the list is cached, or an expired session would stay listed."""
    first_id = api.get("/api/v1/sessions/?limit=2").json_body["results"][0]["id"]
    soon = timezone.now() + datetime.timedelta(seconds=30)
    StoredDocument.objects.filter(kind="session", object_id=str(first_id)).update(expires_at=soon)
    listcache.clear()
    cache.clear()  # the shared level too: the list must be built again
    timeouts = []
    original = listcache.set
    monkeypatch.setattr(
        listcache, "set", lambda *args, **kwargs: timeouts.append(args[4]) or original(*args)
    )
    body = api.get("/api/v1/sessions/?limit=2").json_body
    assert body["count_exact"] is False and body["results"][0]["id"] == first_id
    assert timeouts and 0 < timeouts[0] <= 30
