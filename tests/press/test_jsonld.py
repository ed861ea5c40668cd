import datetime

import pytest

from events.models import PARIS, SpeakerPage
from press.jsonld import communique_jsonld
from press.models import CommuniqueCorrection
from tests.exports import HIDDEN_STATES, expand, expanded_types, expanded_values, hide

SCHEMA = "https://schema.org/"


def test_communique_jsonld_expands_to_a_news_article(communique):
    document = communique_jsonld(communique)
    assert document["@context"] == "https://schema.org"
    expanded = expand(document)
    assert expanded[0]["@type"] == [f"{SCHEMA}NewsArticle"]
    assert {
        f"{SCHEMA}{name}"
        for name in ("NewsArticle", "Organization", "ImageObject", "Place", "Person", "Event")
    } <= expanded_types(expanded)
    assert expanded_values(expanded, f"{SCHEMA}headline") == [communique.title]


def test_communique_jsonld_fields(communique):
    document = communique_jsonld(communique)
    assert document["url"] == (
        "http://127.0.0.1:8000/presse/les-petites-villes-en-congres-a-amboise/"
    )
    assert (document["dateline"], document["locationCreated"]["name"]) == ("Paris", "Paris")
    assert document["datePublished"] == "2024-04-03T00:00:00+02:00"
    # no dated correction: the publication date; republishing does not move it
    assert document["dateModified"] == "2024-04-03T00:00:00+02:00"
    assert document["inLanguage"] == "fr"
    assert document["publisher"]["name"] == "Association des petites villes de France"
    assert document["publisher"]["logo"]["@type"] == "ImageObject"
    assert [term["termCode"] for term in document["about"]][:2] == [
        "logement",
        "desertification-medicale",
    ]
    mentioned = [m["name"] for m in document["mentions"]]
    assert "Laurent Berger" in mentioned
    assert "Assises des petites villes de France — Amboise 2024" in mentioned


def test_communique_jsonld_modified_at_latest_correction(communique):
    later = datetime.date.today() + datetime.timedelta(days=3)
    CommuniqueCorrection.objects.create(page=communique, date=later, note="Horaires corrigés.")
    CommuniqueCorrection.objects.create(page=communique, date=datetime.date(2024, 4, 4), note="x")
    document = communique_jsonld(communique)
    midnight = datetime.datetime.combine(later, datetime.time.min, tzinfo=PARIS)
    assert document["dateModified"] == midnight.isoformat()
    assert [c["text"] for c in document["correction"]] == ["x", "Horaires corrigés."]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_communique_jsonld_hidden_speaker_not_mentioned(communique, state):
    hide(SpeakerPage.objects.get(slug="laurent-berger"), state)
    names = expanded_values(expand(communique_jsonld(communique)), f"{SCHEMA}familyName")
    assert "Berger" not in names
    assert "Borloo" in names


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_communique_jsonld_hidden_edition_not_mentioned(communique, amboise, state):
    hide(amboise, state)
    types = expanded_types(expand(communique_jsonld(communique)))
    assert f"{SCHEMA}Event" not in types
