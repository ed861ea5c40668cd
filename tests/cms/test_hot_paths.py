"""The hot GETs served from process memory: details, feeds and calendars keyed by the change log.

Each process keeps hot details and renderings in memory under their kind's version, read from
the database on every request; these tests pin what a request costs and show that nothing
stale or unpublished ever comes out of memory (tests/test_processes.py does the same across
real gunicorn workers).
"""

import datetime

import feedparser
from django.utils import timezone
from icalendar import Calendar

from cms.pipeline import changelog
from press.models import CommuniquePage


def test_detail_from_memory_follows_a_publish_at_once(api, communique, committed):
    url = f"/api/v1/communiques/{communique.pk}/"
    first = api.get(url)
    assert api.get(url).content == first.content  # now held in memory
    page = CommuniquePage.objects.get(pk=communique.pk)
    page.title = "Titre rectifié"
    with committed():
        page.save_revision().publish()
    again = api.get(url)
    assert again.json_body["title"] == "Titre rectifié"
    assert again["ETag"] != first["ETag"]
    # a client holding the old version gets the new one, not a 304
    assert api.get(url, **{"If-None-Match": first["ETag"]}).status_code == 200


def test_detail_from_memory_gone_once_unpublished(api, communique, committed):
    url = f"/api/v1/communiques/{communique.pk}/"
    assert api.get(url).status_code == 200
    assert api.get(url).status_code == 200
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).unpublish()
    assert api.get(url).status_code == 404
    assert api.get(url, **{"If-None-Match": "*"}).status_code == 404


def test_detail_hot_path_needs_one_query_for_a_304(api, communique, django_assert_num_queries):
    url = f"/api/v1/communiques/{communique.pk}/"
    etag = api.get(url)["ETag"]
    with django_assert_num_queries(1):  # the kind's version
        assert api.get(url, **{"If-None-Match": etag}).status_code == 304
    with django_assert_num_queries(1):
        assert api.get(url).status_code == 200


def test_a_missing_detail_reads_its_row_once(api, django_assert_num_queries):
    with django_assert_num_queries(3):  # the version, its next expiry (once a version), the row
        assert api.get("/api/v1/communiques/999999/").status_code == 404
    with django_assert_num_queries(2):  # the kind's version, the row that is not there
        assert api.get("/api/v1/communiques/999999/").status_code == 404


def test_an_uncached_list_reads_the_cache_once(api, monkeypatch):
    from cms.api import listcache

    listcache.clear()
    lookups = []
    original = listcache.get
    monkeypatch.setattr(listcache, "get", lambda *a, **k: lookups.append(a) or original(*a, **k))
    assert api.get("/api/v1/communiques/?limit=3").status_code == 200
    assert len(lookups) == 1  # by the hot pattern; DRF's dispatch does not try again


def test_detail_parameters_still_checked_on_the_hot_path(api, communique):
    url = f"/api/v1/communiques/{communique.pk}/"
    api.get(url)  # held in memory
    assert api.get(url + "?fields=title").json_body == {"title": communique.title}
    refused = api.get(url + "?limit=5")
    assert refused.status_code == 400
    assert refused.json_body["errors"][0]["parameter"] == "limit"
    assert api.get(url, Accept="text/html").status_code == 406


def test_feed_and_calendar_from_memory_need_one_query(client, amboise, django_assert_num_queries):
    for url in ("/feeds/communiques.json", f"/calendars/editions/{amboise.pk}.ics"):
        first = client.get(url)
        with django_assert_num_queries(1):  # the version of the kinds they are built from
            again = client.get(url)
        assert (again.status_code, again.content) == (200, first.content)
        with django_assert_num_queries(1):
            assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_calendar_from_memory_follows_an_edition_publish(client, amboise, committed):
    url = f"/calendars/editions/{amboise.pk}.ics"
    client.get(url)
    amboise.title = "Assises d'Amboise, édition rectifiée"
    with committed():
        amboise.save_revision().publish()
    calendar = Calendar.from_ical(client.get(url).content)
    assert str(calendar["X-WR-CALNAME"]) == "Assises d'Amboise, édition rectifiée"


def test_kinds_head_is_the_newest_entry_among_the_kinds(db):
    newest = changelog.kinds_head(["communique", "speaker"])
    candidates = [changelog.kind_head("communique"), changelog.kind_head("speaker")]
    assert newest == max(candidates, key=lambda head: head.seq)
    assert changelog.kinds_head(["no-such-kind"]) == changelog.Head(0, None)
    assert changelog.kinds_head([]) == changelog.head()


def test_expired_content_never_comes_out_of_memory(api, client, press_room, committed, monkeypatch):
    """A communiqué with an expiry: held in every memory level, then gone from all the moment
    its expiry passes, though nothing was written (the scheduler has not run). The clock is
    moved past the expiry rather than waited for: memory's own deadlines run on the monotonic
    clock, which the shift leaves alone, so what drops the communiqué is its expiry, not a
    cache deadline."""
    news = CommuniquePage(
        title="Communiqué éphémère du congrès",
        publication_date=datetime.date(2024, 6, 14),
        expire_at=timezone.now() + datetime.timedelta(hours=1),
    )
    with committed():
        press_room.add_child(instance=news)
        news.save_revision().publish()
    detail, feed = f"/api/v1/communiques/{news.pk}/", "/feeds/communiques.atom"
    for _ in range(2):  # the second answers come from memory
        assert api.get(detail).status_code == 200
        assert news.title in {e.title for e in feedparser.parse(client.get(feed).content).entries}
        assert news.pk in [c["id"] for c in api.get("/api/v1/communiques/").json_body["results"]]
    real_now, shift = timezone.now, news.expire_at - timezone.now() + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)
    assert api.get(detail).status_code == 404
    assert news.title not in {e.title for e in feedparser.parse(client.get(feed).content).entries}
    assert news.pk not in [c["id"] for c in api.get("/api/v1/communiques/").json_body["results"]]
