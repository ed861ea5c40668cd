"""Public pages of the press office: communiqués with topics, people and contacts; press room."""

import lxml.html
import pytest

from events.models import SpeakerPage
from press.models import PressContact

URL = "/presse/les-petites-villes-en-congres-a-amboise/"

pytestmark = pytest.mark.django_db


def _html(client, url: str = URL):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content)


def _section(tree, anchor: str):
    return tree.xpath(f'//h2[@id="{anchor}"]/following-sibling::ul[1]')[0]


def test_communique_page_shows_topics_people_and_contacts(client, api, communique):
    document = api.get(f"/api/v1/communiques/{communique.pk}/").json_body
    tree = _html(client)
    topics = [li.text_content() for li in _section(tree, "themes").xpath("li")]
    assert topics == [t["name"] for t in document["topics"]]
    assert "Désertification médicale" in topics
    people = [(a.text_content(), a.get("href")) for a in _section(tree, "personnes").xpath(".//a")]
    assert len(people) == 7
    assert ("Laurent Berger", "/intervenants/laurent-berger/") in people
    contacts = _section(tree, "contacts").xpath("li")
    assert [c.xpath('.//p[@class="contact__name"]')[0].text for c in contacts] == [
        "André ROBERT",
        "Marie COULET",
    ]
    phones = contacts[0].xpath('.//a[@class="tel"]')
    assert [(a.get("href"), a.text) for a in phones] == [
        ("tel:+33145440083", "01 45 44 00 83"),
        ("tel:+33680842753", "06 80 84 27 53"),
    ]


def test_communique_page_leaves_out_an_unpublished_person(client, committed):
    with committed():
        SpeakerPage.objects.get(slug="gabriel-attal").unpublish()
    tree = _html(client)
    people = [a.text_content() for a in _section(tree, "personnes").xpath(".//a")]
    assert "Gabriel Attal" not in people and len(people) == 6


def test_communique_page_query_count_is_constant(client, django_assert_num_queries):
    client.get(URL)
    with django_assert_num_queries(14):  # +1: the log's version, to act on a passed expiry
        assert client.get(URL).status_code == 200


def test_press_room_lists_communiques_and_only_public_contacts(client, django_assert_num_queries):
    tree = _html(client, "/presse/")
    assert [a.get("href") for a in tree.xpath("//main/ul[1]/li/a")] == [URL]
    names = [p.text for p in tree.xpath('//h2[@id="contacts"]/following-sibling::ul[1]/li/p[1]')]
    assert names == ["André ROBERT", "Marie COULET"]
    assert PressContact.objects.filter(name="Camille DURAND").exists()
    assert "Camille DURAND" not in tree.text_content()
    with django_assert_num_queries(14):  # +1: the log's version, to act on a passed expiry
        client.get("/presse/")
