"""Public HTML through caches: Cache-Control, surrogate keys, and the purges that reach them."""

import datetime

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from cms.pagecache import PRIVATE, cache_control_until
from tests.cms.test_purge import PurgeRecorder

pytestmark = pytest.mark.django_db

COMMUNIQUE = "/presse/les-petites-villes-en-congres-a-amboise/"
PAGES = ["/", "/assises/", "/assises/amboise-2024/", "/intervenants/", "/presse/", COMMUNIQUE]


def _keys(response) -> set[str]:
    keys = set(response["xkey"].split())
    assert keys == set(response["Surrogate-Key"].split()) == set(response["Cache-Tag"].split(","))
    return keys


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_public_page_cache_control_comes_from_settings(client, settings):
    assert _get(client, "/presse/")["Cache-Control"] == (
        "public, max-age=60, stale-while-revalidate=600"
    )
    settings.ASSISES = {**settings.ASSISES, "PAGE_CACHE_CONTROL": "public, max-age=5"}
    assert _get(client, "/presse/")["Cache-Control"] == "public, max-age=5"


def test_public_page_keys_name_its_document_and_what_it_lists(
    client, communique, press_room, home, speaker_index, series
):
    shared = {"list:page", "list:series", "list:edition", "organisation:" + str(home.get_site().pk)}
    assert _keys(_get(client, COMMUNIQUE)) == {f"communique:{communique.pk}", *shared}
    assert _keys(_get(client, "/presse/")) == {
        f"page:{press_room.pk}",
        "list:communique",
        "list:contact",
        *shared,
    }
    assert _keys(_get(client, "/intervenants/")) >= {f"page:{speaker_index.pk}", "list:speaker"}
    assert _keys(_get(client, "/assises/")) >= {f"series:{series.pk}", "list:edition"}
    assert _keys(_get(client, "/")) >= {"list:communique", "list:session", "list:edition"}


def test_public_page_cache_control_stops_at_its_expiry(client, communique, committed):
    with committed():
        communique.expire_at = timezone.now() + datetime.timedelta(seconds=100)
        communique.save_revision().publish()
    directives = _get(client, COMMUNIQUE)["Cache-Control"].split(", ")
    assert directives[0] == "public" and directives[1] == "max-age=60"
    swr = int(directives[2].removeprefix("stale-while-revalidate="))
    assert 35 <= swr <= 40  # max-age plus what may be served stale ends at the expiry


def test_cache_control_until_an_expiry():
    now = timezone.now()
    value = "public, max-age=60, stale-while-revalidate=600"
    assert cache_control_until(value, None, now) == value
    soon = now + datetime.timedelta(seconds=20)
    assert cache_control_until(value, soon, now) == "public, max-age=20, stale-while-revalidate=0"
    past = now - datetime.timedelta(seconds=1)
    assert cache_control_until(value, past, now) == PRIVATE
    far = now + datetime.timedelta(days=1)
    assert cache_control_until(value, far, now) == value
    assert cache_control_until("public, max-age=60", soon, now) == "public, max-age=20"
    assert cache_control_until("public", soon, now) == "public, max-age=20"


def test_public_page_for_a_logged_in_editor_is_private(admin_client):
    for url in PAGES:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PRIVATE, url
        assert "xkey" not in response, url


def test_restricted_page_is_private_to_whom_passed_the_restriction(client, communique, committed):
    from wagtail.models import PageViewRestriction

    with committed():
        restriction = PageViewRestriction.objects.create(
            page=communique, restriction_type=PageViewRestriction.PASSWORD, password="presse"
        )
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    response = client.get(COMMUNIQUE)
    assert response.status_code == 200
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert "xkey" not in response


def test_public_not_found_page_is_short_lived_and_purged_by_any_change(client):
    response = client.get("/presse/pas-encore-publie/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "public, max-age=10"
    assert _keys(response) == {"list:all"}


def test_expired_page_not_found_is_purged_by_any_change(client, communique, committed, monkeypatch):
    with committed():
        communique.expire_at = timezone.now() + datetime.timedelta(minutes=1)
        communique.save_revision().publish()
    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(COMMUNIQUE)
    assert response.status_code == 404
    assert _keys(response) == {"list:all"}


def test_unpublishing_a_communique_purges_every_page_showing_it(client, communique, committed):
    showing = {url: _keys(_get(client, url)) for url in ["/", "/presse/", COMMUNIQUE]}
    recorder = PurgeRecorder()
    backends = {
        "varnish": {"BACKEND": "cms.consumers.purge.VarnishXkeyBackend", "LOCATION": recorder.url}
    }
    with override_settings(ASSISES={**settings.ASSISES, "PURGE_BACKENDS": backends}), committed():
        communique.unpublish()
    recorder.server.shutdown()
    purged = set().union(*(set(h["xkey-purge"].split()) for _m, h, _b in recorder.requests))
    assert [url for url, keys in showing.items() if not keys & purged] == []


def test_renaming_a_speaker_purges_the_communique_page_naming_them(client, communique, committed):
    from events.models import SpeakerPage

    keys = _keys(_get(client, COMMUNIQUE))
    recorder = PurgeRecorder()
    backends = {
        "varnish": {"BACKEND": "cms.consumers.purge.VarnishXkeyBackend", "LOCATION": recorder.url}
    }
    speaker = SpeakerPage.objects.get(slug="laurent-berger")
    speaker.family_name = "Berger-Vernis"
    with override_settings(ASSISES={**settings.ASSISES, "PURGE_BACKENDS": backends}), committed():
        speaker.save_revision().publish()
    recorder.server.shutdown()
    purged = set().union(*(set(h["xkey-purge"].split()) for _m, h, _b in recorder.requests))
    assert f"communique:{communique.pk}" in purged & keys


@pytest.mark.parametrize(("url", "queries"), [(COMMUNIQUE, 14), ("/presse/", 14), ("/", 12)])
def test_public_page_headers_cost_no_query(client, django_assert_num_queries, url, queries):
    _get(client, url)  # Wagtail's per-process caches (sites, locales) warmed
    # one of them is the log's version, to act on an expiry that has passed (`settle`)
    with django_assert_num_queries(queries):
        _get(client, url)


def test_preview_of_a_draft_is_private(admin_client, communique):
    communique.lead = "Chapô du brouillon."
    communique.save_revision()
    revision = communique.latest_revision
    response = admin_client.get(f"/admin/pages/{communique.pk}/revisions/{revision.pk}/view/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"].split(", ")
    assert "xkey" not in response
