import datetime
import json
import uuid

import jsonschema
import orjson
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from lxml import etree

from cms.api import listcache
from cms.exporters import exporters
from cms.http import ARCHIVED_CACHE_CONTROL
from cms.models import StoredDocument
from cms.pipeline import writer
from events.exporters import event_id
from events.models import SessionState, SpeakerPage
from tests.exports import (
    C3VOC,
    C3VOC_MISSING,
    HIDDEN_STATES,
    frab_json_problems,
    frab_xml_problems,
    hide,
)
from tests.services import skip_if

FORMATS = ("xml", "json")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _url(edition, fmt: str) -> str:
    return f"/schedules/editions/{edition.pk}/schedule.{fmt}"


def _json(client, edition) -> dict:
    response = client.get(_url(edition, "json"))
    assert response.status_code == 200
    return json.loads(response.content)


def _events(schedule: dict) -> list[dict]:
    return [
        event
        for day in schedule["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def _xml(client, edition) -> etree._ElementTree:
    response = client.get(_url(edition, "xml"))
    assert response.status_code == 200
    return etree.ElementTree(etree.fromstring(response.content))


def _republish(edition, committed, **changes):
    """Publish changes and run the pipeline, as the commit would."""
    for name, value in changes.items():
        setattr(edition, name, value)
    with committed():
        edition.save_revision().publish()
    cache.clear()


def test_exporters_registered_by_identifier():
    assert {
        "edition.schedule.xml",
        "edition.schedule.json",
        "edition.ics",
        "session.ics",
        "speaker.ics",
        "series.ics",
    } <= set(exporters)


def _c3voc_json_errors(document: dict) -> list[str]:
    schema = json.loads((C3VOC / "schedule.schema.json").read_text())
    validator = jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(document)]


def _c3voc_xml_valid(document: etree._ElementTree) -> bool:
    return etree.XMLSchema(etree.parse(str(C3VOC / "schedule.xml.xsd"))).validate(document)


@skip_if(C3VOC_MISSING)
def test_schedule_json_validates_against_c3voc_schema(client, amboise):
    assert _c3voc_json_errors(_json(client, amboise)) == []


@skip_if(C3VOC_MISSING)
def test_schedule_xml_validates_against_c3voc_xsd(client, amboise):
    xsd = etree.XMLSchema(etree.parse(str(C3VOC / "schedule.xml.xsd")))
    document = _xml(client, amboise)
    assert xsd.validate(document), str(xsd.error_log)


def test_schedule_json_has_the_c3voc_structure(client, amboise):
    """Checked without the validators too (tests/exports.py): keys, types and formats."""
    assert frab_json_problems(_json(client, amboise)) == []


def test_schedule_xml_has_the_frab_structure(client, amboise):
    assert frab_xml_problems(_xml(client, amboise).getroot()) == []


def _first_event(schedule: dict) -> dict:
    return _events(schedule)[0]


# Each breaks a rule conference apps rely on; the validators, where present, refuse it too.
JSON_BREAKS = {
    "no guid": lambda s: _first_event(s).pop("guid"),
    "id as text": lambda s: _first_event(s).update(id="12"),
    "start with seconds": lambda s: _first_event(s).update(start="10:00:00"),
    "days counted in text": lambda s: s["schedule"]["conference"].update(daysCount="2"),
    "day without index": lambda s: s["schedule"]["conference"]["days"][0].pop("index"),
    "person without a name": lambda s: _first_event(s).update(persons=[{"id": 1}]),
}
XML_BREAKS = {
    "no guid": lambda root: root.find(".//event").attrib.pop("guid"),
    "id zero": lambda root: root.find(".//event").set("id", "0"),
    "no title": lambda root: root.find(".//event").remove(root.find(".//event/title")),
    "day without start": lambda root: root.find("day").attrib.pop("start"),
    "no version": lambda root: root.remove(root.find("version")),
}


@pytest.mark.parametrize("name", JSON_BREAKS)
def test_the_json_structure_check_refuses_a_broken_schedule(client, amboise, name):
    schedule = _json(client, amboise)
    JSON_BREAKS[name](schedule)
    assert frab_json_problems(schedule) != []
    if not C3VOC_MISSING:
        assert _c3voc_json_errors(schedule) != []


@pytest.mark.parametrize("name", XML_BREAKS)
def test_the_xml_structure_check_refuses_a_broken_schedule(client, amboise, name):
    document = _xml(client, amboise)
    XML_BREAKS[name](document.getroot())
    assert frab_xml_problems(document.getroot()) != []
    if not C3VOC_MISSING:
        assert not _c3voc_xml_valid(document)


def test_schedule_json_describes_the_conference(client, amboise):
    conference = _json(client, amboise)["schedule"]["conference"]
    assert conference["acronym"] == "assises-2024-amboise"
    assert (conference["start"], conference["end"], conference["daysCount"]) == (
        "2024-06-14",
        "2024-06-15",
        2,
    )
    assert conference["time_zone_name"] == "Europe/Paris"
    assert conference["url"] == "http://127.0.0.1:8000/assises/amboise-2024/"
    assert [day["index"] for day in conference["days"]] == [1, 2]
    assert {room["name"] for room in conference["rooms"]} == {
        "Salle plénière",
        "Salle François Ier",
        "Centre de congrès d'Amboise",  # the lunch has no room: the venue stands in
    }


def test_schedule_json_events_follow_the_programme(client, amboise):
    events = {event["guid"]: event for event in _events(_json(client, amboise))}
    assert len(events) == len(amboise.sessions) == 10
    session = next(s for s in amboise.sessions if s["value"]["title"].startswith("Crise"))
    event = events[str(session["id"])]
    assert event["id"] == int(uuid.UUID(str(session["id"])).hex[:7], 16)
    assert (event["date"], event["start"], event["duration"]) == (
        "2024-06-14T10:00:00+02:00",
        "10:00",
        "01:30",
    )
    assert (event["room"], event["type"], event["track"], event["language"]) == (
        "Salle plénière",
        "Table ronde",
        "Logement",
        "fr",
    )
    assert [p["public_name"] for p in event["persons"]] == ["Christophe Béchu", "André Robert"]
    assert event["persons"][0]["avatar"].startswith("http://127.0.0.1:8000/media/")
    assert "Modérateur" in event["description"]


def test_schedule_xml_events_follow_the_programme(client, amboise):
    document = _xml(client, amboise)
    guids = document.xpath("//event/@guid")
    assert sorted(guids) == sorted(str(s["id"]) for s in amboise.sessions)
    closing = document.xpath("//event[title='Discours de clôture']")[0]
    assert closing.findtext("start") == "12:00"
    assert closing.xpath("persons/person/text()") == ["Gabriel Attal"]


def test_schedule_identities_stable_across_edits(client, amboise, committed):
    before = _json(client, amboise)
    programme = amboise.programme.get_prep_value()
    programme[0]["value"]["title"] = "Ouverture officielle des Assises"
    programme[0]["value"]["start_time"] = "09:15:00"
    _republish(amboise, committed, programme=programme)
    after = _json(client, amboise)
    assert [(e["guid"], e["id"]) for e in _events(after)] == [
        (e["guid"], e["id"]) for e in _events(before)
    ]
    rooms = [r["guid"] for r in before["schedule"]["conference"]["rooms"]]
    assert [r["guid"] for r in after["schedule"]["conference"]["rooms"]] == rooms
    assert _events(after)[0]["title"] == "Ouverture officielle des Assises"


def test_schedule_event_id_derives_from_uuid():
    assert event_id("000000f0-0000-0000-0000-000000000000") == 15
    assert event_id("00000000-0000-0000-0000-000000000000") == 1  # ids are positive


def test_schedule_cancelled_session_keeps_its_identity(client, amboise, committed):
    programme = amboise.programme.get_prep_value()
    programme[1]["value"]["cancelled"] = True
    _republish(amboise, committed, programme=programme)
    event = next(e for e in _events(_json(client, amboise)) if e["guid"] == programme[1]["id"])
    with translation.override("fr"):
        assert event["subtitle"] == gettext("Cancelled")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_schedule_hidden_edition_not_found(client, amboise, state, fmt):
    edition = hide(amboise, state)
    assert client.get(_url(edition, fmt)).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_schedule_hidden_speaker_not_among_persons(client, amboise, state, fmt):
    berger = hide(SpeakerPage.objects.get(slug="laurent-berger"), state)
    content = client.get(_url(amboise, fmt)).content.decode()
    assert berger.title not in content
    assert "Jean-Louis Borloo" in content


def test_schedule_unknown_edition_not_found(client, db):
    assert client.get("/schedules/editions/999999/schedule.json").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_schedule_revalidation_answers_304(client, amboise, fmt):
    first = client.get(_url(amboise, fmt))
    assert client.get(_url(amboise, fmt), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    since = client.get(_url(amboise, fmt), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.parametrize("fmt", FORMATS)
def test_schedule_cached_response_reads_only_the_log_head(
    client, amboise, fmt, django_assert_num_queries
):
    first = client.get(_url(amboise, fmt))
    with django_assert_num_queries(1):  # the change log's head, which keys the cache
        again = client.get(_url(amboise, fmt))
    assert again.content == first.content


def test_export_url_names_reverse():
    session = "6f6e7d27-ae3b-5729-8c87-a6c0ec1706aa"
    assert reverse("edition_ical", kwargs={"edition_id": 3}) == "/calendars/editions/3.ics"
    assert reverse("session_ical", kwargs={"session_uuid": session}) == (
        f"/calendars/sessions/{session}.ics"
    )
    assert reverse("speaker_ical", kwargs={"speaker_id": 4}) == "/calendars/speakers/4.ics"
    assert reverse("series_ical", kwargs={"series_id": 5}) == "/calendars/series/5.ics"
    assert reverse("edition_schedule_xml", kwargs={"edition_id": 3}) == (
        "/schedules/editions/3/schedule.xml"
    )
    assert reverse("edition_schedule_json", kwargs={"edition_id": 3}) == (
        "/schedules/editions/3/schedule.json"
    )
    for fmt in ("json", "rss", "atom"):
        assert reverse(f"communiques_feed_{fmt}") == f"/feeds/communiques.{fmt}"
        assert reverse(f"communiques_topic_feed_{fmt}", kwargs={"slug": "zan"}) == (
            f"/feeds/communiques/topics/zan.{fmt}"
        )
        assert reverse(f"communiques_edition_feed_{fmt}", kwargs={"edition_id": 3}) == (
            f"/feeds/communiques/editions/3.{fmt}"
        )
    assert (reverse("sitemap"), reverse("sitemap_news")) == ("/sitemap.xml", "/sitemap-news.xml")


# -- the exports are written from the stored documents, never from pages ----------------------


def _channel_urls(edition) -> list[str]:
    return [
        f"/calendars/editions/{edition.pk}.ics",
        f"/calendars/sessions/{edition.sessions[0]['id']}.ics",
        _url(edition, "xml"),
        _url(edition, "json"),
    ]


def _edition_documents(edition):
    return StoredDocument.objects.filter(source=f"page:{edition.pk}")


def test_schedule_shows_the_stored_document_not_the_page(client, amboise):
    programme = amboise.programme.get_prep_value()
    programme[0]["value"]["title"] = "Titre du brouillon"
    amboise.programme = programme
    amboise.save_revision()  # a draft: the page's revision changes, its documents do not
    document = StoredDocument.objects.get(kind="edition", object_id=str(amboise.pk))
    data = orjson.loads(bytes(document.body))
    data["sessions"][0]["title"] = "Titre du document"
    data["summary"] = "Résumé du document"
    StoredDocument.objects.filter(pk=document.pk).update(body=orjson.dumps(data))
    schedule = _json(client, amboise)
    assert schedule["schedule"]["conference"]["description"] == "Résumé du document"
    titles = [event["title"] for event in _events(schedule)]
    assert "Titre du document" in titles and "Titre du brouillon" not in titles
    assert _xml(client, amboise).xpath("//event[title='Titre du document']")
    states = SessionState.objects.filter(uuid__in=[s["id"] for s in data["sessions"]])
    latest = max(state.modified_at for state in states)
    assert schedule["schedule"]["version"] == latest.isoformat(timespec="seconds")


@pytest.mark.parametrize("how", ["unpublished", "documents removed"])
def test_exports_not_found_once_the_edition_documents_are_gone(client, amboise, committed, how):
    urls = _channel_urls(amboise)
    assert [client.get(url).status_code for url in urls] == [200] * 4
    if how == "unpublished":
        with committed():  # the pipeline removes the documents when the unpublish commits
            amboise.unpublish()
        assert not _edition_documents(amboise).exists()
        cache.clear()
    else:  # the page is still live: only the documents say it is gone
        writer.delete_documents(list(_edition_documents(amboise)), "unpublished", timezone.now())
        # no cache.clear(): the tombstones move the change log's head, hence the cache key
    assert [client.get(url).status_code for url in urls] == [404] * 4


def test_exports_not_found_once_the_edition_documents_expire(client, amboise, series):
    urls = _channel_urls(amboise)
    assert [client.get(url).status_code for url in urls] == [200] * 4
    # Expired, though nothing re-rendered them yet (the scheduler has not run).
    past = timezone.now() - datetime.timedelta(minutes=1)
    type(amboise).objects.filter(pk=amboise.pk).update(expire_at=past)
    _edition_documents(amboise).update(expires_at=past)
    # the expiry changed behind the pipeline's back: forget every level, as a restart would
    cache.clear()
    listcache.clear()
    assert [client.get(url).status_code for url in urls] == [404] * 4
    series_calendar = client.get(f"/calendars/series/{series.pk}.ics").content.decode()
    assert series_calendar.count("BEGIN:VEVENT") == 3  # Uzès only
    assert client.get(f"/api/v1/editions/{amboise.pk}/").status_code == 404  # as the API


def test_archived_edition_exports_are_long_lived_not_immutable(client, amboise):
    document = StoredDocument.objects.get(kind="edition", object_id=str(amboise.pk))
    data = orjson.loads(bytes(document.body))
    data["archived"] = True
    StoredDocument.objects.filter(pk=document.pk).update(body=orjson.dumps(data))
    for url in _channel_urls(amboise):
        cache_control = client.get(url)["Cache-Control"]
        assert cache_control == ARCHIVED_CACHE_CONTROL and "immutable" not in cache_control
