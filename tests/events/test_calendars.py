import datetime

import orjson
import pytest
from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar

from cms.api import listcache
from cms.models import StoredDocument
from cms.pipeline import writer
from events.models import SessionState, SpeakerPage
from tests.exports import HIDDEN_STATES, hide

HOST = "127.0.0.1"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _calendar(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def _session(edition, title_start: str) -> dict:
    return next(s for s in edition.sessions if s["value"]["title"].startswith(title_start))


def _republish(edition, programme, committed) -> None:
    """Publish a programme change and run the pipeline, as the commit would."""
    edition.programme = programme
    with committed():
        edition.save_revision().publish()
    cache.clear()


def _session_document(session) -> StoredDocument:
    return StoredDocument.objects.get(kind="session", object_id=str(session["id"]))


def test_edition_calendar_has_calendar_properties(client, amboise):
    calendar = _calendar(client, f"/calendars/editions/{amboise.pk}.ics")
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Assises//")
    assert str(calendar["X-WR-CALNAME"]) == amboise.title
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_edition_calendar_has_one_event_per_session(client, amboise):
    calendar = _calendar(client, f"/calendars/editions/{amboise.pk}.ics")
    uids = sorted(str(event["UID"]) for event in calendar.walk("VEVENT"))
    assert uids == sorted(f"{s['id']}@{HOST}" for s in amboise.sessions)


def test_edition_calendar_event_fields(client, amboise):
    session = _session(amboise, "Crise du logement")
    event = _events(_calendar(client, f"/calendars/editions/{amboise.pk}.ics"))[
        session["value"]["title"]
    ]
    start = event.decoded("DTSTART")
    assert (start, str(start.tzinfo)) == (session["start"], "Europe/Paris")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTEND") == session["end"]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Salle plénière, Centre de congrès d'Amboise, Amboise"
    assert (
        str(event["URL"]) == f"http://127.0.0.1:8000/assises/amboise-2024/#session-{session['id']}"
    )
    assert str(event["ORGANIZER"]) == "mailto:contact@apvf.asso.fr"
    assert event["ORGANIZER"].params["CN"] == "Association des petites villes de France"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Logement", "Revitalisation"]
    description = str(event["DESCRIPTION"])
    assert "Christophe Béchu, Ministre de la Transition écologique" in description
    assert "André Robert, Délégué général de l'APVF" in description
    state = SessionState.objects.get(uuid=session["id"])
    assert int(event["SEQUENCE"]) == state.sequence
    # the moment the session last changed, from the database: the same in every process
    modified = state.modified_at.replace(microsecond=0)
    assert event.decoded("LAST-MODIFIED") == modified
    assert event.decoded("DTSTAMP") == modified
    assert event.decoded("CREATED") == state.created_at.replace(microsecond=0)


def test_session_calendar_has_that_session_only(client, amboise):
    session = _session(amboise, "Désertification")
    calendar = _calendar(client, f"/calendars/sessions/{session['id']}.ics")
    assert list(_events(calendar)) == [session["value"]["title"]]
    assert str(calendar["X-WR-CALNAME"]) == session["value"]["title"]


def test_speaker_calendar_lists_the_speakers_sessions(client, db):
    bechu = SpeakerPage.objects.get(slug="christophe-bechu")
    calendar = _calendar(client, f"/calendars/speakers/{bechu.pk}.ics")
    assert sorted(_events(calendar)) == [
        "Crise du logement : les petites villes en première ligne",
        "Transition écologique et ZAN : concilier sobriété foncière et développement",
    ]
    assert "Christophe Béchu" in str(calendar["X-WR-CALNAME"])


def test_series_calendar_lists_every_edition(client, series, amboise):
    calendar = _calendar(client, f"/calendars/series/{series.pk}.ics")
    assert len(calendar.walk("VEVENT")) == 10 + 3  # Amboise 2024 and Uzès 2019
    assert str(calendar["X-WR-CALNAME"]) == series.title


def test_calendar_uid_stable_and_sequence_rises_after_time_edit(client, amboise, committed):
    url = f"/calendars/editions/{amboise.pk}.ics"
    session = _session(amboise, "Crise du logement")
    before = _events(_calendar(client, url))[session["value"]["title"]]
    programme = amboise.programme.get_prep_value()
    index = next(i for i, block in enumerate(programme) if block["id"] == str(session["id"]))
    programme[index]["value"]["start_time"] = "10:15:00"
    _republish(amboise, programme, committed)
    after = _events(_calendar(client, url))[session["value"]["title"]]
    assert str(after["UID"]) == str(before["UID"]) == f"{session['id']}@{HOST}"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == session["start"] + datetime.timedelta(minutes=15)
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    modified = SessionState.objects.get(uuid=session["id"]).modified_at.replace(microsecond=0)
    assert after.decoded("DTSTAMP") == after.decoded("LAST-MODIFIED") == modified


def test_calendar_sequence_kept_after_description_edit(client, amboise, committed):
    url = f"/calendars/editions/{amboise.pk}.ics"
    before = _events(_calendar(client, url))["Déjeuner"]
    programme = amboise.programme.get_prep_value()
    lunch = next(block for block in programme if block["value"]["title"] == "Déjeuner")
    lunch["value"]["description"] = "<p>Buffet au centre de congrès.</p>"
    _republish(amboise, programme, committed)
    after = _events(_calendar(client, url))["Déjeuner"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"])
    assert "Buffet au centre de congrès." in str(after["DESCRIPTION"])


def test_calendar_cancelled_session_status(client, amboise, committed):
    programme = amboise.programme.get_prep_value()
    programme[2]["value"]["cancelled"] = True
    _republish(amboise, programme, committed)
    events = _events(_calendar(client, f"/calendars/editions/{amboise.pk}.ics"))
    assert str(events[programme[2]["value"]["title"]]["STATUS"]) == "CANCELLED"
    assert str(events["Déjeuner"]["STATUS"]) == "CONFIRMED"


def test_calendar_publish_invalidates_cached_calendar(
    client, amboise, django_capture_on_commit_callbacks
):
    url = f"/calendars/editions/{amboise.pk}.ics"
    assert "Déjeuner" in _events(_calendar(client, url))
    programme = amboise.programme.get_prep_value()
    next(b for b in programme if b["value"]["title"] == "Déjeuner")["value"]["title"] = "Buffet"
    amboise.programme = programme
    with django_capture_on_commit_callbacks(execute=True):
        amboise.save_revision().publish()
    assert "Buffet" in _events(_calendar(client, url))


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_calendar_hidden_edition_not_found(client, amboise, series, state):
    session = amboise.sessions[0]
    edition = hide(amboise, state)
    assert client.get(f"/calendars/editions/{edition.pk}.ics").status_code == 404
    assert client.get(f"/calendars/sessions/{session['id']}.ics").status_code == 404
    series_events = _calendar(client, f"/calendars/series/{series.pk}.ics").walk("VEVENT")
    assert len(series_events) == 3  # Uzès only


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_calendar_hidden_speaker_not_among_participants(client, amboise, state):
    berger = hide(SpeakerPage.objects.get(slug="laurent-berger"), state)
    content = client.get(f"/calendars/editions/{amboise.pk}.ics").content.decode()
    assert "Berger" not in content.replace("\r\n ", "")
    assert client.get(f"/calendars/speakers/{berger.pk}.ics").status_code == 404


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_calendar_hidden_series_not_found(client, series, state):
    hidden = hide(series, state)
    assert client.get(f"/calendars/series/{hidden.pk}.ics").status_code == 404


def test_calendar_unknown_session_not_found(client, db):
    url = "/calendars/sessions/00000000-0000-4000-8000-000000000000.ics"
    assert client.get(url).status_code == 404


def test_calendar_speaker_without_sessions_is_empty(client, amboise, committed):
    hervé = SpeakerPage.objects.get(slug="loic-herve")
    programme = amboise.programme.get_prep_value()
    for block in programme:
        block["value"]["participants"] = [
            p for p in block["value"]["participants"] if p["value"]["speaker"] != hervé.pk
        ]
    _republish(amboise, programme, committed)
    calendar = _calendar(client, f"/calendars/speakers/{hervé.pk}.ics")
    assert calendar.walk("VEVENT") == []
    assert len(calendar.walk("VTIMEZONE")) == 1


@pytest.mark.parametrize("kind", ["editions", "series"])
def test_calendar_revalidation_answers_304(client, amboise, series, kind):
    url = f"/calendars/{kind}/{amboise.pk if kind == 'editions' else series.pk}.ics"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_calendar_cached_response_reads_only_the_log_head(
    client, amboise, django_assert_num_queries
):
    session = amboise.sessions[0]
    urls = [f"/calendars/editions/{amboise.pk}.ics", f"/calendars/sessions/{session['id']}.ics"]
    first = [client.get(url).content for url in urls]
    for url, content in zip(urls, first, strict=True):
        with django_assert_num_queries(1):  # the change log's head, which keys the cache
            assert client.get(url).content == content


# -- the calendars are written from the stored documents, never from pages --------------------


def _rewrite(document: StoredDocument, change) -> None:
    """Change a stored document's JSON in place, as if the pipeline had rendered it so."""
    data = orjson.loads(bytes(document.body))
    change(data)
    StoredDocument.objects.filter(pk=document.pk).update(body=orjson.dumps(data))


def test_calendar_shows_the_stored_document_not_the_page(client, amboise):
    session = _session(amboise, "Crise du logement")
    programme = amboise.programme.get_prep_value()
    block = next(b for b in programme if b["id"] == str(session["id"]))
    block["value"]["title"] = "Titre du brouillon"
    amboise.programme = programme
    amboise.save_revision()  # a draft: the page's revision changes, its documents do not

    def change(data: dict) -> None:
        data["title"] = "Titre du document"
        data["room"] = "Salle du document"
        data["participants"] = data["participants"][:1]

    _rewrite(_session_document(session), change)
    for url in (
        f"/calendars/editions/{amboise.pk}.ics",
        f"/calendars/sessions/{session['id']}.ics",
    ):
        events = _events(_calendar(client, url))
        assert "Titre du brouillon" not in events
        assert session["value"]["title"] not in events
        event = events["Titre du document"]
        assert str(event["LOCATION"]).startswith("Salle du document, ")
        description = str(event["DESCRIPTION"])
        assert "Christophe Béchu" in description and "André Robert" not in description


def test_calendar_dates_and_organiser_come_from_the_documents(client, amboise):
    session = _session(amboise, "Crise du logement")
    moved = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    SessionState.objects.filter(uuid=session["id"]).update(modified_at=moved)

    def change(data: dict) -> None:
        data["jsonld"]["organizer"] = {"name": "Organisateur", "email": "org@example.org"}

    _rewrite(StoredDocument.objects.get(kind="edition", object_id=str(amboise.pk)), change)
    event = _events(_calendar(client, f"/calendars/editions/{amboise.pk}.ics"))[
        session["value"]["title"]
    ]
    assert event.decoded("DTSTAMP") == event.decoded("LAST-MODIFIED") == moved
    assert str(event["ORGANIZER"]) == "mailto:org@example.org"
    assert event["ORGANIZER"].params["CN"] == "Organisateur"


def test_calendar_dtstamp_is_the_same_on_every_rendering(client, amboise):
    url = f"/calendars/editions/{amboise.pk}.ics"
    first = client.get(url).content
    cache.clear()  # another process, another rendering: the same bytes
    listcache.clear()
    assert client.get(url).content == first


def test_speaker_calendar_follows_the_session_documents(client, amboise):
    bechu = SpeakerPage.objects.get(slug="christophe-bechu")
    session = _session(amboise, "Crise du logement")
    writer.delete_documents([_session_document(session)], "test", timezone.now())
    calendar = _calendar(client, f"/calendars/speakers/{bechu.pk}.ics")
    assert sorted(_events(calendar)) == [
        "Transition écologique et ZAN : concilier sobriété foncière et développement"
    ]


def test_calendar_of_an_expired_speaker_document_not_found(client, db):
    bechu = SpeakerPage.objects.get(slug="christophe-bechu")
    url = f"/calendars/speakers/{bechu.pk}.ics"
    assert client.get(url).status_code == 200
    past = timezone.now() - datetime.timedelta(minutes=1)
    SpeakerPage.objects.filter(pk=bechu.pk).update(expire_at=past)
    StoredDocument.objects.filter(kind="speaker", object_id=str(bechu.pk)).update(expires_at=past)
    # the expiry changed behind the pipeline's back: forget every level, as a restart would
    cache.clear()
    listcache.clear()
    assert client.get(url).status_code == 404
