import pytest

from events.jsonld import edition_jsonld, series_jsonld, session_jsonld, speaker_jsonld
from events.models import SpeakerLink, SpeakerPage
from tests.exports import HIDDEN_STATES, expand, expanded_types, expanded_values, hide

SCHEMA = "https://schema.org/"


def _session(edition, title_start: str) -> dict:
    return next(s for s in edition.sessions if s["value"]["title"].startswith(title_start))


def test_edition_jsonld_expands_to_expected_types(amboise):
    document = edition_jsonld(amboise)
    assert document["@context"] == "https://schema.org"
    expanded = expand(document)
    assert expanded[0]["@type"] == [f"{SCHEMA}Event"]
    assert {
        f"{SCHEMA}{name}"
        for name in (
            "Event",
            "EventSeries",
            "Place",
            "PostalAddress",
            "GeoCoordinates",
            "Organization",
            "ImageObject",
            "Role",
            "Person",
        )
    } <= expanded_types(expanded)


def test_edition_jsonld_fields(amboise):
    document = edition_jsonld(amboise)
    assert (document["startDate"], document["endDate"]) == ("2024-06-14", "2024-06-15")
    assert document["eventStatus"] == "https://schema.org/EventScheduled"
    assert document["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert document["superEvent"]["@type"] == "EventSeries"
    assert document["organizer"]["name"] == "Association des petites villes de France"
    location = document["location"]
    assert location["name"] == "Centre de congrès d'Amboise"
    assert location["address"]["addressLocality"] == "Amboise"
    assert location["address"]["addressRegion"] == "Centre-Val de Loire"
    assert location["address"]["addressCountry"] == "FR"
    assert location["containedInPlace"]["containedInPlace"]["name"] == "Indre-et-Loire"
    assert location["geo"] == {"@type": "GeoCoordinates", "latitude": 47.4118, "longitude": 0.9829}
    assert document["image"]["creditText"] == "APVF"
    assert len(document["subEvent"]) == 10


def test_edition_jsonld_performers_are_roles_wrapping_people(amboise):
    session = _session(amboise, "Crise du logement")
    document = session_jsonld(amboise, session)
    assert document["superEvent"]["@id"] == "http://127.0.0.1:8000/assises/amboise-2024/"
    moderator = document["performer"][1]
    assert moderator["@type"] == "Role"
    assert moderator["roleName"] == "Modérateur"
    assert moderator["performer"]["@type"] == "Person"
    assert moderator["performer"]["name"] == "André Robert"
    assert moderator["performer"]["jobTitle"] == "Délégué général de l'APVF"
    assert [term["termCode"] for term in document["about"]] == ["logement", "revitalisation"]


def test_session_jsonld_cancelled_status(amboise):
    programme = amboise.programme.get_prep_value()
    programme[0]["value"]["cancelled"] = True
    amboise.programme = programme
    amboise.save_revision().publish()
    amboise.refresh_from_db()
    document = session_jsonld(amboise, amboise.sessions[0])
    assert document["eventStatus"] == "https://schema.org/EventCancelled"


def test_speaker_jsonld_is_a_person(db):
    bechu = SpeakerPage.objects.get(slug="christophe-bechu")
    SpeakerLink.objects.create(page=bechu, label="Wikipédia", url="https://fr.wikipedia.org/wiki/C")
    document = speaker_jsonld(bechu)
    expanded = expand(document)
    assert expanded[0]["@type"] == [f"{SCHEMA}Person"]
    assert expanded_values(expanded, f"{SCHEMA}familyName") == ["Béchu"]
    assert (document["givenName"], document["honorificPrefix"]) == ("Christophe", "M.")
    assert document["worksFor"] == {"@type": "Organization", "name": "Gouvernement"}
    assert document["sameAs"] == ["https://fr.wikipedia.org/wiki/C"]
    assert document["url"] == "http://127.0.0.1:8000/intervenants/christophe-bechu/"
    assert document["image"]["url"].startswith("http://127.0.0.1:8000/media/")


def test_series_jsonld_lists_editions(series):
    document = series_jsonld(series)
    assert f"{SCHEMA}EventSeries" in expanded_types(expand(document))
    assert [edition["name"] for edition in document["subEvent"]] == [
        "Assises des petites villes de France — Amboise 2024",
        "Assises des petites villes de France — Uzès 2019",
    ]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_edition_jsonld_hidden_speaker_not_a_performer(amboise, state):
    hide(SpeakerPage.objects.get(slug="laurent-berger"), state)
    names = expanded_values(expand(edition_jsonld(amboise)), f"{SCHEMA}familyName")
    assert "Berger" not in names
    assert "Borloo" in names


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_series_jsonld_hidden_edition_not_listed(series, amboise, state):
    hide(amboise, state)
    document = series_jsonld(series)
    assert [edition["name"] for edition in document["subEvent"]] == [
        "Assises des petites villes de France — Uzès 2019"
    ]
