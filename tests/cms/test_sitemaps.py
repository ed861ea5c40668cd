import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from lxml import etree
from wagtail.models import Locale

from cms.pipeline.store import process
from events.models import PARIS, SpeakerPage
from press.models import CommuniquePage
from tests.exports import HIDDEN_STATES, hide

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
BASE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _read(client, path: str) -> etree._Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return etree.fromstring(response.content)


def _locations(client) -> list[str]:
    return _read(client, "/sitemap.xml").xpath("//s:url/s:loc/text()", namespaces=NS)


def _recent_communique(press_room, title="Les petites villes reçues à Matignon") -> CommuniquePage:
    """A communiqué published now, the pipeline run as on commit."""
    page = CommuniquePage(
        title=title,
        publication_date=timezone.localdate(timezone=PARIS),
        lead="Une délégation de l'APVF a été reçue.",
    )
    press_room.add_child(instance=page)
    page.save_revision().publish()
    process([f"page:{page.pk}"])
    return CommuniquePage.objects.get(pk=page.pk)


def test_sitemap_lists_public_pages_with_lastmod(client, communique, amboise):
    root = _read(client, "/sitemap.xml")
    urls = root.xpath("//s:url", namespaces=NS)
    locations = [url.findtext("s:loc", namespaces=NS) for url in urls]
    assert f"{BASE}/" in locations
    assert f"{BASE}/assises/amboise-2024/" in locations
    assert f"{BASE}/presse/les-petites-villes-en-congres-a-amboise/" in locations
    assert f"{BASE}/intervenants/laurent-berger/" in locations
    lastmods = [url.findtext("s:lastmod", namespaces=NS) for url in urls]
    assert all(datetime.date.fromisoformat(lastmod) for lastmod in lastmods)


def test_sitemap_includes_translated_pages(client, home):
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = home.copy_for_translation(english)
    translation.save_revision().publish()
    process([f"page:{translation.pk}"])
    assert f"{BASE}/en/" in _locations(client)


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_sitemap_hidden_pages_absent(client, communique, state):
    hide(communique, state)
    hide(SpeakerPage.objects.get(slug="laurent-berger"), state)
    locations = _locations(client)
    assert f"{BASE}/presse/les-petites-villes-en-congres-a-amboise/" not in locations
    assert f"{BASE}/intervenants/laurent-berger/" not in locations
    assert f"{BASE}/intervenants/jean-louis-borloo/" in locations


def test_news_sitemap_lists_communiques_of_the_last_two_days(client, press_room, communique):
    recent = _recent_communique(press_room)
    root = _read(client, "/sitemap-news.xml")
    urls = root.xpath("//s:url", namespaces=NS)
    assert [url.findtext("s:loc", namespaces=NS) for url in urls] == [
        f"{BASE}/presse/{recent.slug}/"
    ]
    news = urls[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == (
        "Association des petites villes de France"
    )
    assert news.findtext("news:publication/news:language", namespaces=NS) == "fr"
    assert news.findtext("news:title", namespaces=NS) == recent.title
    published = datetime.datetime.fromisoformat(
        news.findtext("news:publication_date", namespaces=NS)
    )
    assert published == recent.first_published_at


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_news_sitemap_hidden_communique_absent(client, press_room, state):
    hide(_recent_communique(press_room), state)
    assert _read(client, "/sitemap-news.xml").xpath("//s:url", namespaces=NS) == []


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-news.xml"])
def test_sitemap_revalidation_answers_304(client, communique, path):
    first = client.get(path)
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-news.xml"])
def test_sitemap_cached_response_reads_only_the_log_head(
    client, communique, path, django_assert_num_queries
):
    first = client.get(path)
    with django_assert_num_queries(1):
        again = client.get(path)
    assert again.content == first.content
