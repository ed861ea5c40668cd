"""Errors are cached too: each says how long, and names what its change would purge.

A 404 without Cache-Control was kept by Varnish for its default 120 s where no purge reached it:
a communiqué published after its API URL was asked for answered 404 through the cache while the
origin answered 200. Every error of a machine endpoint now carries
`ASSISES["NOT_FOUND_CACHE_CONTROL"]` and surrogate keys (or `no-store`), and the key on a missing
detail is one its document's publication purges (checked against the real change log).
"""

import pytest
from django.conf import settings

from cms.consumers.purge import keys_for_path, purge_keys_for
from cms.models import ChangeLogEntry, Topic
from cms.pipeline import changelog
from press.models import CommuniquePage

NOT_FOUND = settings.ASSISES.get("NOT_FOUND_CACHE_CONTROL", "public, max-age=10")


def _keys(response) -> list[str]:
    keys = response["xkey"].split()
    assert response["Surrogate-Key"].split() == keys
    assert response["Cache-Tag"].split(",") == keys
    return keys


@pytest.mark.parametrize(
    ("path", "status", "keys"),
    [
        ("/api/v1/communiques/999999/", 404, ["communique:999999"]),
        ("/api/v1/communiques/999999.jsonld", 404, ["communique:999999"]),
        ("/api/v1/communiques/pas-un-id/", 404, ["communique:pas-un-id"]),
        ("/api/v1/topics/pas-de-theme/", 404, ["topic:pas-de-theme"]),
        # no document has such an id, and a header carries neither a space nor this text
        ("/api/v1/editions/%C3%A9t%C3%A9%2C%F0%9F%8E%89/", 404, ["list:edition"]),
        ("/api/v1/editions/a%20b/", 404, ["list:edition"]),
        ("/api/v1/sessions/00000000-0000-0000-0000-000000000000/", 404,
         ["session:00000000-0000-0000-0000-000000000000"]),
        ("/api/v1/communiques/?limit=abc", 400, ["list:communique"]),
        ("/api/v1/communiques/?inconnu=1", 400, ["list:communique"]),
        ("/api/v1/communiques/?search=%00", 400, ["list:communique"]),
        ("/api/v1/communiques/999999/?inconnu=1", 400, ["communique:999999"]),
        ("/api/v1/communiques/?format=xml", 406, ["list:communique"]),
        ("/api/v1/speakers/?edition=abc", 400, ["list:speaker"]),
        ("/api/v1/nothing/", 404, ["list:all"]),
        ("/api/v1/nothing/17/", 404, ["list:all"]),
        ("/api/v2/communiques/", 404, ["list:all"]),
        ("/api/v1/find/?path=/pas-de-page/", 404, ["list:all"]),
        ("/calendars/editions/999999.ics", 404, ["list:edition", "list:session"]),
        ("/feeds/communiques/topics/pas-de-theme.json", 404, ["list:topic"]),
        ("/feeds/communiques.rss?q=%01", 400, ["list:communique"]),
    ],
)  # fmt: skip
def test_errors_are_kept_briefly_and_name_what_they_are_about(client, db, path, status, keys):
    response = client.get(path)
    assert response.status_code == status, response.content
    assert response["Cache-Control"] == NOT_FOUND
    assert set(keys) <= set(_keys(response))


def test_a_head_request_gets_the_same_error_headers(client, db):
    response = client.head("/api/v1/communiques/999999/")
    assert response.status_code == 404
    assert (response["Cache-Control"], _keys(response)) == (NOT_FOUND, ["communique:999999"])


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/changes/?since=not-a-cursor", 400),
        ("/api/v1/changes/?limit=0", 400),
    ],
)
def test_errors_of_the_change_feed_are_never_stored(client, db, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response["Cache-Control"] == "no-store"
    assert not response.has_header("xkey")


def test_a_gone_cursor_is_never_stored(client, db):
    from cms.models import ChangeLogCompaction

    ChangeLogCompaction.objects.create(horizon=changelog.head().seq, removed=1)
    response = client.get("/api/v1/changes/?since=TDE")  # "L1", below the horizon
    assert response.status_code == 410
    assert response["Cache-Control"] == "no-store"


def test_editions_current_is_tagged_with_the_collection():
    assert keys_for_path("/api/v1/editions/current/") == ["list:edition"]
    assert keys_for_path("/api/v1/editions/12/") == ["edition:12"]


def _purged_since(seq: int) -> set[str]:
    entries = ChangeLogEntry.objects.filter(seq__gt=seq).values_list("kind", "object_id")
    return set(purge_keys_for(list(entries)))


def test_a_missing_communique_is_purged_by_its_publication(client, communique, committed):
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).unpublish()
    missing = client.get(f"/api/v1/communiques/{communique.pk}/")
    assert missing.status_code == 404
    keys = _keys(missing)
    seq = changelog.head().seq
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).save_revision().publish()
    assert client.get(f"/api/v1/communiques/{communique.pk}/").status_code == 200
    assert set(keys) <= _purged_since(seq)


def test_a_topic_asked_for_before_it_exists_is_purged_by_its_creation(client, db, committed):
    missing = client.get("/api/v1/topics/mobilites-rurales/")
    assert missing.status_code == 404
    keys = _keys(missing)
    seq = changelog.head().seq
    with committed():
        Topic.objects.create(name="Mobilités rurales", slug="mobilites-rurales")
    assert client.get("/api/v1/topics/mobilites-rurales/").status_code == 200
    assert set(keys) <= _purged_since(seq)
