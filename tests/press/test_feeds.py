"""Communiqué feeds, read back by real readers: feedparser (RSS, Atom) and a JSON Feed 1.1 schema.

feedparser 6 does not read JSON Feed, so the JSON Feed is checked against a JSON Schema of every
requirement of https://jsonfeed.org/version/1.1 instead.
"""

import datetime
import json

import feedparser
import jsonschema
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from cms.pipeline.store import process
from events.models import PARIS
from press import feeds
from press.models import CommuniqueAttachment, CommuniqueCorrection, CommuniquePage
from tests.exports import HIDDEN_STATES, hide

FORMATS = ("json", "rss", "atom")
XML_FORMATS = ("rss", "atom")
URL = "http://127.0.0.1:8000/presse/les-petites-villes-en-congres-a-amboise/"

JSON_FEED_1_1 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "description": {"type": "string"},
        "user_comment": {"type": "string"},
        "next_url": {"type": "string", "format": "uri"},
        "icon": {"type": "string", "format": "uri"},
        "favicon": {"type": "string", "format": "uri"},
        "authors": {"type": "array", "items": {"$ref": "#/$defs/author"}},
        "language": {"type": "string"},
        "expired": {"type": "boolean"},
        "hubs": {
            "type": "array",
            "items": {"type": "object", "required": ["type", "url"]},
        },
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
    },
    "$defs": {
        "author": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
                "avatar": {"type": "string", "format": "uri"},
            },
            "anyOf": [{"required": ["name"]}, {"required": ["url"]}, {"required": ["avatar"]}],
        },
        "item": {
            "type": "object",
            "required": ["id"],
            "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
            "properties": {
                "id": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
                "external_url": {"type": "string", "format": "uri"},
                "title": {"type": "string"},
                "content_html": {"type": "string"},
                "content_text": {"type": "string"},
                "summary": {"type": "string"},
                "image": {"type": "string", "format": "uri"},
                "banner_image": {"type": "string", "format": "uri"},
                "date_published": {"type": "string", "format": "date-time"},
                "date_modified": {"type": "string", "format": "date-time"},
                "authors": {"type": "array", "items": {"$ref": "#/$defs/author"}},
                "tags": {"type": "array", "items": {"type": "string"}},
                "language": {"type": "string"},
                "attachments": {"type": "array", "items": {"$ref": "#/$defs/attachment"}},
            },
            "propertyNames": {
                "anyOf": [
                    {"pattern": "^_"},
                    {
                        "enum": [
                            "id", "url", "external_url", "title", "content_html",
                            "content_text", "summary", "image", "banner_image",
                            "date_published", "date_modified", "authors", "author", "tags",
                            "language", "attachments",
                        ]
                    },
                ]
            },
        },
        "attachment": {
            "type": "object",
            "required": ["url", "mime_type"],
            "properties": {
                "url": {"type": "string", "format": "uri"},
                "mime_type": {"type": "string"},
                "title": {"type": "string"},
                "size_in_bytes": {"type": "number"},
                "duration_in_seconds": {"type": "number"},
            },
        },
    },
}  # fmt: skip


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _get(client, path: str, **headers):
    return client.get(path, headers=headers)


def _parse(response):
    """The feed as its readers see it: JSON for JSON Feed, feedparser for RSS and Atom."""
    assert response.status_code == 200
    if response["Content-Type"] == "application/feed+json":
        return json.loads(response.content)
    parsed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def _titles(client, path: str) -> list[str]:
    response = client.get(path)
    feed = _parse(response)
    if response["Content-Type"] == "application/feed+json":
        return [item["title"] for item in feed["items"]]
    return [entry.title for entry in feed.entries]


def _new_communique(press_room, title: str, day: datetime.date, **fields) -> CommuniquePage:
    page = CommuniquePage(
        title=title,
        publication_date=day,
        lead=f"Chapô : {title}.",
        body=[{"type": "paragraph", "value": f"<p>{title}</p>"}],
        **fields,
    )
    press_room.add_child(instance=page)
    return page


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_lists_the_demo_communique(client, communique, fmt):
    response = client.get(f"/feeds/communiques.{fmt}")
    assert response["Content-Type"].split(";")[0] == feeds.CONTENT_TYPES[fmt].split(";")[0]
    assert _titles(client, f"/feeds/communiques.{fmt}") == [communique.title]


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_feed_entry_fields_read_by_feedparser(client, communique, fmt):
    feed = _parse(client.get(f"/feeds/communiques.{fmt}"))
    assert feed.feed.link == "http://127.0.0.1:8000/presse/"
    entry = feed.entries[0]
    assert entry.link == URL
    assert entry.id.startswith("urn:uuid:")
    assert entry.summary == communique.lead
    assert entry.published_parsed[:3] == (2024, 4, 2)  # midnight in Paris, in UTC
    assert [tag.term for tag in entry.tags][:2] == ["Logement", "Désertification médicale"]
    assert entry.enclosures[0].type == "image/png"
    assert entry.enclosures[0].href.startswith("http://127.0.0.1:8000/media/")
    html = entry.content[0].value
    assert "première association d'élus" in html
    # the internal link to the edition is resolved to an absolute URL
    assert 'href="http://127.0.0.1:8000/assises/amboise-2024/"' in html


def test_json_feed_satisfies_json_feed_1_1(client, communique):
    document = Document(title="Programme des Assises")
    document.file.save("programme.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    CommuniqueAttachment.objects.create(page=communique, document=document, title="Programme")
    process([f"page:{communique.pk}"])
    feed = _parse(client.get("/feeds/communiques.json"))
    validator = jsonschema.Draft202012Validator(
        JSON_FEED_1_1, format_checker=jsonschema.FormatChecker()
    )
    assert [error.message for error in validator.iter_errors(feed)] == []
    item = feed["items"][0]
    assert item["attachments"] == [
        {
            "url": f"http://127.0.0.1:8000{document.url}",
            "mime_type": "application/pdf",
            "title": "Programme",
            "size_in_bytes": 15,
        }
    ]
    for name in ("date_published", "date_modified"):
        assert datetime.datetime.fromisoformat(item[name]).tzinfo is not None


def test_json_feed_item_fields(client, communique, amboise):
    feed = _parse(client.get("/feeds/communiques.json"))
    assert feed["feed_url"] == "http://127.0.0.1:8000/feeds/communiques.json"
    item = feed["items"][0]
    assert (item["url"], item["summary"], item["language"]) == (URL, communique.lead, "fr")
    assert item["date_published"] == "2024-04-03T00:00:00+02:00"
    # the API document's dates, which republishing does not move
    document = client.get(f"/api/v1/communiques/{communique.pk}/").json()
    assert item["date_published"] == document["published_at"]
    assert item["date_modified"] == document["date_modified"]
    assert item["image"].startswith("http://127.0.0.1:8000/media/")
    extension = item["_assises"]
    assert extension["dateline_place"] == "Paris"
    assert extension["contacts"][0] == {
        "name": "André ROBERT",
        "role": "Délégué général",
        "email": "arobert@apvf.asso.fr",
        "phones": [
            {"number": "+33145440083", "kind": "fixe"},
            {"number": "+33680842753", "kind": "mobile"},
        ],
    }
    assert extension["related_editions"] == [
        {
            "id": amboise.pk,
            "title": amboise.title,
            "url": "http://127.0.0.1:8000/assises/amboise-2024/",
        }
    ]


def test_json_feed_modified_at_latest_correction(client, communique):
    CommuniqueCorrection.objects.create(page=communique, date=datetime.date(2030, 1, 2), note="x")
    process([f"page:{communique.pk}"])
    item = _parse(client.get("/feeds/communiques.json"))["items"][0]
    assert item["date_modified"] == "2030-01-02T00:00:00+01:00"


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_by_topic(client, communique, fmt):
    assert _titles(client, f"/feeds/communiques/topics/logement.{fmt}") == [communique.title]
    assert _titles(client, f"/feeds/communiques/topics/revitalisation.{fmt}") == []
    assert client.get(f"/feeds/communiques/topics/inconnu.{fmt}").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_by_edition(client, communique, amboise, fmt):
    uzes = amboise.get_siblings().exclude(pk=amboise.pk).get()
    assert _titles(client, f"/feeds/communiques/editions/{amboise.pk}.{fmt}") == [communique.title]
    assert _titles(client, f"/feeds/communiques/editions/{uzes.pk}.{fmt}") == []
    assert client.get(f"/feeds/communiques/editions/999999.{fmt}").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_by_locale(client, communique, fmt):
    assert _titles(client, f"/feeds/communiques.{fmt}?locale=fr") == [communique.title]
    assert _titles(client, f"/feeds/communiques.{fmt}?locale=en") == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_malformed_locale_is_a_400(client, db, fmt):
    response = client.get(f"/feeds/communiques.{fmt}?locale=xx")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "locale"


def test_feed_newest_first_and_capped(client, press_room, communique, monkeypatch, committed):
    for day in (1, 2):
        page = _new_communique(press_room, f"Communiqué du {day} mai", datetime.date(2024, 5, day))
        with committed():
            page.save_revision().publish()
    monkeypatch.setattr(feeds, "MAX_ITEMS", 2)
    assert _titles(client, "/feeds/communiques.json") == [
        "Communiqué du 2 mai",
        "Communiqué du 1 mai",
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_feed_hidden_communique_absent(client, communique, state, fmt):
    hide(communique, state)
    assert _titles(client, f"/feeds/communiques.{fmt}") == []
    assert _titles(client, f"/feeds/communiques/topics/logement.{fmt}") == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_scheduled_communique_absent_until_it_goes_live(client, press_room, fmt):
    page = _new_communique(press_room, "Sous embargo", timezone.localdate(timezone=PARIS))
    page.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    assert "Sous embargo" not in _titles(client, f"/feeds/communiques.{fmt}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_draft_changes_not_shown(client, communique, fmt):
    original = communique.title
    communique.title = "Brouillon non publié"
    communique.save_revision()
    assert _titles(client, f"/feeds/communiques.{fmt}") == [original]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_feed_hidden_edition_has_no_feed(client, amboise, state, fmt):
    edition = hide(amboise, state)
    assert client.get(f"/feeds/communiques/editions/{edition.pk}.{fmt}").status_code == 404


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_json_feed_hidden_edition_not_related(client, communique, amboise, state):
    hide(amboise, state)
    item = _parse(client.get("/feeds/communiques.json"))["items"][0]
    assert item["_assises"]["related_editions"] == []


def test_feed_publish_invalidates_cached_feed(
    client, communique, django_capture_on_commit_callbacks
):
    assert _titles(client, "/feeds/communiques.rss") == [communique.title]
    communique.title = "Titre corrigé"
    with django_capture_on_commit_callbacks(execute=True):
        communique.save_revision().publish()
    assert _titles(client, "/feeds/communiques.rss") == ["Titre corrigé"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_revalidation_answers_304(client, communique, fmt):
    first = client.get(f"/feeds/communiques.{fmt}")
    again = _get(client, f"/feeds/communiques.{fmt}", **{"If-None-Match": first["ETag"]})
    assert (again.status_code, again.content) == (304, b"")
    since = _get(
        client, f"/feeds/communiques.{fmt}", **{"If-Modified-Since": first["Last-Modified"]}
    )
    assert since.status_code == 304


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_cached_response_reads_only_the_log_head(
    client, amboise, fmt, django_assert_num_queries
):
    paths = [f"/feeds/communiques.{fmt}", f"/feeds/communiques/editions/{amboise.pk}.{fmt}"]
    first = [client.get(path).content for path in paths]
    with django_assert_num_queries(2):  # one per feed: the change log's head
        again = [client.get(path).content for path in paths]
    assert again == first


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_shows_the_stored_document_not_the_page_row(client, communique, fmt):
    """Channels read what the pipeline stored: a row changed behind its back changes nothing."""
    CommuniquePage.objects.filter(pk=communique.pk).update(title="Jamais publié")
    assert _titles(client, f"/feeds/communiques.{fmt}") == [communique.title]


def test_republishing_unchanged_keeps_feed_item_and_document_etag(client, communique, committed):
    first = client.get(f"/api/v1/communiques/{communique.pk}/")
    item = _parse(client.get("/feeds/communiques.json"))["items"][0]
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).save_revision().publish()
    cache.clear()
    again = client.get(f"/api/v1/communiques/{communique.pk}/")
    assert again["ETag"] == first["ETag"]
    assert _parse(client.get("/feeds/communiques.json"))["items"][0] == item
