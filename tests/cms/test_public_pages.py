"""Public HTML pages: meta and Open Graph tags from the stored documents, navigation, home page."""

import datetime

import lxml.html
import pytest
from django.utils import timezone

from cms.frenchtext import de
from cms.models import StoredDocument
from cms.pages import relative_html, site_relative
from cms.public import public_base_url
from events.models import CongressEditionPage
from press.models import CommuniquePage

pytestmark = pytest.mark.django_db


def _html(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content)


def _meta(tree, key: str) -> str | None:
    found = tree.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')
    return found[0] if found else None


def test_communique_meta_tags_come_from_its_document(client, api, communique):
    document = api.get(f"/api/v1/communiques/{communique.pk}/").json_body
    tree = _html(client, "/presse/les-petites-villes-en-congres-a-amboise/")
    assert _meta(tree, "description") == document["lead"]
    assert _meta(tree, "og:description") == document["lead"]
    assert _meta(tree, "og:title") == document["title"]
    assert _meta(tree, "og:type") == "article"
    assert _meta(tree, "og:url") == document["url"]
    assert tree.xpath('//link[@rel="canonical"]/@href') == [document["url"]]
    assert _meta(tree, "og:image").startswith(public_base_url() + "/media/")
    assert _meta(tree, "og:image:alt") == document["hero_image"]["alt"] == "Vue d'Amboise"
    assert _meta(tree, "twitter:card") == "summary_large_image"
    assert _meta(tree, "article:published_time") == document["published_at"]
    assert _meta(tree, "og:site_name") == "Association des petites villes de France"


def test_edition_and_speaker_meta_descriptions_come_from_their_documents(client, api, amboise):
    edition = api.get(f"/api/v1/editions/{amboise.pk}/").json_body
    assert _meta(_html(client, "/assises/amboise-2024/"), "description") == edition["summary"]
    speaker = _html(client, "/intervenants/jean-louis-borloo/")
    assert _meta(speaker, "description") == "Ancien ministre"
    assert _meta(speaker, "og:type") == "profile"
    assert _meta(speaker, "og:image:alt") == "Portrait de Jean-Louis Borloo"


def test_meta_tags_ignore_an_unpublished_draft(client, communique):
    communique.lead = "Chapô du brouillon, pas encore publié."
    communique.save_revision()
    tree = _html(client, "/presse/les-petites-villes-en-congres-a-amboise/")
    assert "brouillon" not in _meta(tree, "description")
    assert "brouillon" not in tree.text_content()


def test_editor_search_description_wins_over_the_document(client, communique, committed):
    with committed():
        communique.search_description = "Les Assises d'Amboise, en bref."
        communique.save_revision().publish()
    tree = _html(client, "/presse/les-petites-villes-en-congres-a-amboise/")
    assert _meta(tree, "description") == "Les Assises d'Amboise, en bref."


def test_index_page_meta_falls_back_to_the_organisation(client, home):
    tree = _html(client, "/intervenants/")
    assert _meta(tree, "description") == "Porter la voix des maires des petites villes"
    assert _meta(tree, "og:image:alt") == "Logo de l'APVF"
    assert _meta(tree, "og:url") == public_base_url() + "/intervenants/"


def test_header_navigation_links_every_section(client):
    tree = _html(client, "/presse/les-petites-villes-en-congres-a-amboise/")
    nav = tree.xpath('//nav[contains(@class, "site-nav")]//a')
    assert [(a.text_content(), a.get("href")) for a in nav] == [
        ("Accueil", "/"),
        ("Congrès", "/assises/"),
        ("Programme", "/assises/amboise-2024/#programme"),
        ("Intervenants", "/intervenants/"),
        ("Communiqués", "/presse/"),
        ("Contacts presse", "/presse/#contacts"),
    ]
    assert [a.text_content() for a in nav if a.get("aria-current") == "page"] == ["Communiqués"]


def test_public_pages_have_skip_link_one_h1_and_own_static_files(client):
    for url in ["/", "/assises/", "/assises/amboise-2024/", "/intervenants/", "/presse/"]:
        tree = _html(client, url)
        assert tree.xpath('//a[@class="skip-link"]/@href') == ["#contenu"], url
        assert len(tree.xpath("//h1")) == 1, url
        assert tree.xpath("//main/@id") == ["contenu"]
        external = [
            src
            for src in tree.xpath(
                "//link[@rel='stylesheet' or @rel='preload']/@href | //script/@src | //img/@src"
                " | //source/@srcset | //img/@srcset"
            )
            if src.startswith(("http:", "https:", "//"))
        ]
        assert external == [], url
        assert tree.xpath("//*[@style] | //style | //script[not(@src)]") == [], url


def test_home_page_shows_edition_communiques_and_upcoming_sessions(client, amboise):
    tree = _html(client, "/")
    hero = tree.xpath('//section[contains(@class, "hero")]')[0]
    assert hero.xpath(".//h2/a/@href") == ["/assises/amboise-2024/"]
    assert "Dernier congrès" in hero.text_content()  # Amboise is past: no current edition
    communiques = tree.xpath('//section[@aria-labelledby="home-communiques"]//h3/a')
    assert [a.get("href") for a in communiques] == [
        "/presse/les-petites-villes-en-congres-a-amboise/"
    ]
    sessions = tree.xpath('//section[@aria-labelledby="home-sessions"]')[0]
    assert "Aucune session" in sessions.text_content()


def test_home_page_lists_upcoming_sessions_of_a_future_edition(client, amboise, committed):
    """Move Amboise a year ahead of today: it becomes the next congress, its sessions upcoming."""
    shift = (timezone.localdate() + datetime.timedelta(days=365)) - amboise.start_date
    with committed():
        amboise.start_date += shift
        amboise.end_date += shift
        for child in amboise.programme:
            child.value["date"] += shift
        amboise.save_revision().publish()
    tree = _html(client, "/")
    assert "Prochain congrès" in tree.xpath('//section[contains(@class, "hero")]')[0].text_content()
    sessions = tree.xpath('//section[@aria-labelledby="home-sessions"]//li/a')
    assert len(sessions) == 5
    assert sessions[0].text_content() == "Ouverture des Assises"
    assert sessions[0].get("href").startswith("/assises/amboise-2024/#session-")


def test_expired_page_is_a_404_before_the_scheduler_unpublishes_it(
    client, communique, committed, monkeypatch
):
    with committed():
        communique.expire_at = timezone.now() + datetime.timedelta(minutes=1)
        communique.save_revision().publish()
    assert client.get("/presse/les-petites-villes-en-congres-a-amboise/").status_code == 200
    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert CommuniquePage.objects.get(pk=communique.pk).live  # the scheduler has not run
    assert client.get("/presse/les-petites-villes-en-congres-a-amboise/").status_code == 404
    assert "Les petites villes en Congrès" not in client.get("/presse/").content.decode()


def test_preview_of_a_draft_renders_its_own_document(admin_client, communique):
    communique.lead = "Chapô en cours d'écriture."
    communique.save_revision()
    revision = communique.latest_revision
    response = admin_client.get(f"/admin/pages/{communique.pk}/revisions/{revision.pk}/view/")
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content)
    assert _meta(tree, "description") == "Chapô en cours d'écriture."


def test_site_relative_keeps_other_hosts():
    base = public_base_url()
    assert site_relative(f"{base}/presse/") == "/presse/"
    assert site_relative("https://www.apvf.asso.fr/x") == "https://www.apvf.asso.fr/x"
    assert relative_html(f'<a href="{base}/a/">a</a><img src="{base}/m.png">') == (
        '<a href="/a/">a</a><img src="/m.png">'
    )


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Amboise", "d'Amboise"),
        ("Uzès", "d'Uzès"),
        ("Paris", "de Paris"),
        ("Hyères", "d'Hyères"),
        ("Haguenau", "de Haguenau"),
        ("Hautes-Alpes", "de Hautes-Alpes"),
        ("Yvetot", "d'Yvetot"),
        ("Yaoundé", "de Yaoundé"),
        ("Élisabeth Borne", "d'Élisabeth Borne"),
        ("Œuilly", "d'Œuilly"),
        ("", "de"),
    ],
)
def test_de_elides_before_vowels_and_mute_h(word, expected):
    assert de(word) == expected


def test_demo_alt_texts_are_elided(db):
    amboise = CongressEditionPage.objects.get(slug="amboise-2024")
    assert amboise.hero_image.default_alt_text == "Vue d'Amboise"
    uzes = CongressEditionPage.objects.get(slug="uzes-2019")
    assert uzes.hero_image.default_alt_text == "Vue d'Uzès"


def test_not_found_page_has_the_site_navigation(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    tree = lxml.html.fromstring(response.content)
    nav = tree.xpath('//nav[contains(@class, "site-nav")]//a/@href')
    assert nav[:2] == ["/", "/assises/"]
    assert tree.xpath('//span[@class="brand__name"]')[0].text == "APVF"


def test_pages_render_without_an_organisation_document(client):
    StoredDocument.objects.filter(kind="organisation").delete()
    tree = _html(client, "/presse/")
    assert tree.xpath('//span[@class="brand__name"]')[0].text == "Assises"
    assert client.get("/nulle-part/").status_code == 404
