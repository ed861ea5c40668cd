"""Public pages of congresses: the programme and speakers' participations, from documents."""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import CongressEditionPage, SpeakerPage

pytestmark = pytest.mark.django_db


def _html(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content)


def test_speaker_page_lists_participations_across_editions(client):
    tree = _html(client, "/intervenants/andre-robert/")
    section = tree.xpath('//h2[@id="participations"]')[0]
    editions = [h.text_content() for h in section.itersiblings("h3")]
    assert editions == [
        "Assises des petites villes de France — Amboise 2024",
        "Assises des petites villes de France — Uzès 2019",
    ]
    uzes = tree.xpath('//h3[a[contains(., "Uzès")]]/following-sibling::ul[1]/li')[0]
    text = " ".join(uzes.text_content().split())
    assert text == (
        "Jeudi 19 septembre 2019, 14h00–14h30 · Ouverture des Assises "
        "— Ouverture (Délégué général de l'APVF)"
    )
    uzes_edition = CongressEditionPage.objects.get(slug="uzes-2019")
    session = next(s for s in uzes_edition.sessions if s["value"]["title"].startswith("Ouv"))
    assert uzes.xpath(".//a/@href") == [f"/assises/uzes-2019/#session-{session['id']}"]


def test_speaker_page_gives_day_time_and_role(client):
    tree = _html(client, "/intervenants/jean-louis-borloo/")
    items = tree.xpath('//h2[@id="participations"]/following-sibling::ul[1]/li')
    assert len(items) == 1
    text = " ".join(items[0].text_content().split())
    assert text.startswith("Samedi 15 juin 2024, ")
    assert "— Grand témoin (Ancien ministre)" in text


def test_speaker_page_hides_participations_in_an_unpublished_edition(client, amboise, committed):
    with committed():
        amboise.unpublish()
    tree = _html(client, "/intervenants/jean-louis-borloo/")
    assert tree.xpath('//h2[@id="participations"]/following-sibling::h3') == []
    assert "Aucune participation" in tree.text_content()


def _queries(client, url: str) -> int:
    client.get(url)  # warm Wagtail's site and locale caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_speaker_page_query_count_does_not_grow_with_participations(
    client, django_assert_num_queries
):
    client.get("/intervenants/andre-robert/")
    with django_assert_num_queries(14):  # +1: the log's version, to act on a passed expiry
        assert client.get("/intervenants/andre-robert/").status_code == 200
    assert _queries(client, "/intervenants/laurent-berger/") == 14


def test_edition_programme_lists_public_speakers_with_roles(client, committed):
    tree = _html(client, "/assises/amboise-2024/")
    days = [h.text_content() for h in tree.xpath('//section[@class="day"]/h3')]
    assert days == ["Vendredi 14 juin 2024", "Samedi 15 juin 2024"]
    assert len(tree.xpath('//section[starts-with(@class, "session")]')) == 10
    borloo = tree.xpath('//a[@href="/intervenants/jean-louis-borloo/"]')[0]
    assert "grand témoin" in borloo.getparent().text_content()

    with committed():
        SpeakerPage.objects.get(slug="jean-louis-borloo").unpublish()
    tree = _html(client, "/assises/amboise-2024/")
    assert tree.xpath('//a[@href="/intervenants/jean-louis-borloo/"]') == []
    assert "Borloo" not in tree.xpath("//main")[0].text_content()


def test_edition_page_query_count_is_constant(client, django_assert_num_queries):
    client.get("/assises/amboise-2024/")
    with django_assert_num_queries(14):  # +1: the log's version, to act on a passed expiry
        assert client.get("/assises/amboise-2024/").status_code == 200


def test_archived_edition_page_says_so(client):
    tree = _html(client, "/assises/uzes-2019/")
    assert "Archivée" in tree.xpath('//p[@class="kicker"]')[0].text_content()
