"""Expiry is exact on every road: past `expire_at`, nothing shows the page, scheduler or not."""

import datetime

import pytest
from django.utils import timezone

from cms.models import ChangeLogEntry, StoredDocument
from cms.pipeline import changelog
from cms.visibility import next_boundary, settle

pytestmark = pytest.mark.django_db


def _expiring(page, committed, hours: int = 1):
    page.expire_at = timezone.now() + datetime.timedelta(hours=hours)
    with committed():
        page.save_revision().publish()
    return page


def _later(monkeypatch, hours: int = 2) -> datetime.datetime:
    """The clock moved past the expiry; the scheduler has not run."""
    later = timezone.now() + datetime.timedelta(hours=hours)
    monkeypatch.setattr(timezone, "now", lambda: later)
    return later


def _ids(api, url: str) -> list:
    return [item["id"] for item in api.get(url).json_body["results"]]


def test_cached_list_drops_an_expired_communique_before_the_scheduler_runs(
    api, communique, committed, monkeypatch
):
    _expiring(communique, committed)
    assert communique.pk in _ids(api, "/api/v1/communiques/?limit=100")  # cached now
    _later(monkeypatch)
    assert communique.pk not in _ids(api, "/api/v1/communiques/?limit=100")
    tombstone = ChangeLogEntry.objects.filter(kind="communique", object_id=str(communique.pk))
    assert tombstone.order_by("-seq").first().operation == ChangeLogEntry.DELETE


def test_feed_drops_an_expired_communique_before_the_scheduler_runs(
    client, communique, committed, monkeypatch
):
    _expiring(communique, committed)
    assert communique.title.encode() in client.get("/feeds/communiques.json").content
    _later(monkeypatch)
    assert communique.title.encode() not in client.get("/feeds/communiques.json").content


def test_edition_drops_an_expired_speaker_before_the_scheduler_runs(
    api, amboise, committed, monkeypatch
):
    from events.models import SpeakerPage

    edition = StoredDocument.objects.get(kind="edition", object_id=str(amboise.pk))
    speaker = next(
        s for s in SpeakerPage.objects.live() if f'"{s.title}"'.encode() in bytes(edition.body)
    )
    _expiring(speaker, committed)
    url = f"/api/v1/editions/{amboise.pk}/"
    assert speaker.title.encode() in api.get(url).content  # held in memory now
    _later(monkeypatch)
    assert speaker.title.encode() not in api.get(url).content


def test_settle_twice_logs_the_expiry_once(communique, committed, monkeypatch):
    _expiring(communique, committed)
    _later(monkeypatch)
    read = changelog.kinds_head(["communique"])
    first = settle(["communique"], read)
    assert first != read
    entries = ChangeLogEntry.objects.count()
    # a second process that read the head before the first one wrote: it finds the boundary
    # passed too, does the work again and writes nothing
    assert settle(["communique"], read) == first
    assert ChangeLogEntry.objects.count() == entries


def test_next_boundary_is_the_earliest_embedded_expiry(amboise, committed):
    from events.models import SpeakerPage

    speaker = SpeakerPage.objects.live().first()
    _expiring(speaker, committed, hours=5)
    assert next_boundary(["speaker"]) == SpeakerPage.objects.get(pk=speaker.pk).expire_at
    assert next_boundary(["topic"]) is None


def test_settle_reads_no_query_once_the_version_is_known(django_assert_num_queries):
    head = changelog.kinds_head(["communique"])
    settle(["communique"], head)
    with django_assert_num_queries(0):
        assert settle(["communique"], head) == head


def test_expiry_set_without_an_edit_is_exact_too(api, communique, committed, monkeypatch):
    assert communique.pk in _ids(api, "/api/v1/communiques/?limit=100")  # no boundary yet
    _expiring(communique, committed)  # the same content, an expiry date added
    _later(monkeypatch)
    assert communique.pk not in _ids(api, "/api/v1/communiques/?limit=100")
    assert communique.title.encode() not in api.get("/api/v1/contacts/?limit=100").content
