"""The demo shows every state an editor meets (archived edition, embargoed communiqué, draft),
and none of the unpublished ones shows on any public channel after `load_demo`."""

import pytest
from django.utils import timezone
from wagtail.models import Page

from demosite.demo.press import DRAFT_CONTACT, DRAFT_SLUG, SCHEDULED_SLUG
from events.models import CongressEditionPage, CongressSeriesPage, SpeakerPage
from press.models import CommuniquePage, PressContact

UNPUBLISHED = [SCHEDULED_SLUG, DRAFT_SLUG]


@pytest.fixture
def scheduled(db) -> CommuniquePage:
    return CommuniquePage.objects.get(slug=SCHEDULED_SLUG)


@pytest.fixture
def draft(db) -> CommuniquePage:
    return CommuniquePage.objects.get(slug=DRAFT_SLUG)


def test_demo_uzes_ships_archived_and_locked(db, api):
    uzes = CongressEditionPage.objects.get(slug="uzes-2019")
    assert uzes.live and uzes.archived and uzes.locked
    assert uzes.status == "archived"
    assert api.get(f"/api/v1/editions/{uzes.pk}/").json_body["archived"] is True
    ids = [e["id"] for e in api.get("/api/v1/editions/?status=archived").json_body["results"]]
    assert ids == [uzes.pk]


def test_demo_embargoed_communique_is_scheduled_for_the_future(scheduled):
    assert not scheduled.live
    revision = scheduled.scheduled_revision
    assert revision is not None
    assert revision.approved_go_live_at > timezone.now()
    assert scheduled.go_live_at == revision.approved_go_live_at


def test_demo_draft_communique_was_never_published(draft):
    assert not draft.live and draft.first_published_at is None
    assert draft.latest_revision is not None and draft.scheduled_revision is None


def _unpublished_markers(scheduled: CommuniquePage, draft: CommuniquePage) -> list[str]:
    return [scheduled.title, draft.title, SCHEDULED_SLUG, DRAFT_SLUG, DRAFT_CONTACT[2]]


def _public_channels(series: CongressSeriesPage, attal: SpeakerPage) -> list[str]:
    amboise = CongressEditionPage.objects.get(slug="amboise-2024")
    return [
        "/",
        "/presse/",
        "/intervenants/",
        f"/intervenants/{attal.slug}/",
        "/assises/amboise-2024/",
        "/api/v1/communiques/?limit=100",
        "/api/v1/communiques/?limit=100&fields=*",
        "/api/v1/communiques/?search=finances",
        "/api/v1/contacts/?limit=100&fields=*",
        "/api/v1/changes/?limit=1000",
        f"/api/v1/speakers/{attal.pk}/",
        "/feeds/communiques.json",
        "/feeds/communiques.rss",
        "/feeds/communiques.atom",
        "/feeds/communiques/topics/finances-locales.rss",
        f"/feeds/communiques/editions/{amboise.pk}.json",
        "/sitemap.xml",
        "/sitemap-news.xml",
        f"/calendars/series/{series.pk}.ics",
        f"/calendars/speakers/{attal.pk}.ics",
        f"/calendars/editions/{amboise.pk}.ics",
    ]


def test_demo_unpublished_communiques_leak_on_no_channel(client, scheduled, draft, series):
    attal = SpeakerPage.objects.get(slug="gabriel-attal")
    markers = _unpublished_markers(scheduled, draft)
    for url in _public_channels(series, attal):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        leaked = [m for m in markers if m in content]
        assert leaked == [], url


@pytest.mark.parametrize("slug", UNPUBLISHED)
def test_demo_unpublished_communique_has_no_page_nor_document(client, api, slug):
    page = CommuniquePage.objects.get(slug=slug)
    assert client.get(f"/presse/{slug}/").status_code == 404
    assert api.get(f"/api/v1/communiques/{page.pk}/").status_code == 404
    assert api.get(f"/api/v1/communiques/{page.pk}.jsonld").status_code == 404
    assert api.get(f"/api/v1/find/?path=/presse/{slug}/").status_code == 404


def test_demo_contact_named_only_by_the_draft_stays_private(api):
    contact = PressContact.objects.get(email=DRAFT_CONTACT[2])
    assert api.get(f"/api/v1/contacts/{contact.pk}/").status_code == 404
    names = [c["name"] for c in api.get("/api/v1/contacts/?limit=100").json_body["results"]]
    assert DRAFT_CONTACT[0] not in names and "André ROBERT" in names


def test_demo_every_state_is_in_the_page_tree(db):
    states = {
        (p.slug, p.live, p.has_unpublished_changes)
        for p in Page.objects.filter(slug__in=UNPUBLISHED)
    }
    assert states == {(SCHEDULED_SLUG, False, True), (DRAFT_SLUG, False, True)}
