"""Nothing unpublished leaks through the API: drafts, unpublished, private, embargoed, expired.

For each state, a communiqué, an edition and a speaker are put in that state; the speaker is
also added to the live Amboise programme and the edition to the live communiqué, so embedded
relations are checked too. Each endpoint is then asked every way it can be asked.
"""

import copy
import datetime
import uuid

import pytest
from django.utils import timezone

from cms.models import StoredDocument
from events.models import CongressEditionPage, SpeakerPage
from press.models import CommuniqueEdition, CommuniquePage
from tests.factories import STATES, put_in_state


@pytest.fixture
def hidden(request, series, speaker_index, press_room, amboise, communique, committed):
    state = request.param
    word = f"zorglub{state}"
    with committed():
        speaker = put_in_state(
            speaker_index, SpeakerPage(given_name="Zorglub", family_name=state.title()), state
        )
        edition = put_in_state(
            series,
            CongressEditionPage(
                title=f"Congrès {word}",
                slug=word,
                number=900 + STATES.index(state),
                start_date=datetime.date(2030, 6, 1),
                end_date=datetime.date(2030, 6, 2),
                host_town=word,
            ),
            state,
        )
        news = put_in_state(
            press_room,
            CommuniquePage(title=f"Communiqué {word}", publication_date=datetime.date(2030, 1, 1)),
            state,
        )
        # Embed the hidden speaker and edition in live documents.
        raw = copy.deepcopy(list(amboise.programme.raw_data))
        raw[0]["value"]["participants"].append(
            {
                "type": "item",
                "id": str(uuid.uuid4()),
                "value": {"speaker": speaker.pk, "role": "intervenant", "function": word},
            }
        )
        amboise.programme = raw
        amboise.save_revision().publish()
        CommuniqueEdition.objects.create(page=communique, edition=edition)
        communique.save_revision().publish()
    return {"state": state, "word": word, "speaker": speaker, "edition": edition, "news": news}


ENDPOINTS = {
    "editions": "edition",
    "speakers": "speaker",
    "communiques": "news",
}


@pytest.mark.parametrize("hidden", STATES, indirect=True)
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_hidden_content_absent_from_endpoint(api, hidden, endpoint):
    page = hidden[ENDPOINTS[endpoint]]
    listing = api.get(f"/api/v1/{endpoint}/?limit=100&fields=*")
    assert page.pk not in [d["id"] for d in listing.json_body["results"]]
    assert listing.json_body["count"] == len(listing.json_body["results"])
    assert api.get(f"/api/v1/{endpoint}/{page.pk}/").status_code == 404
    assert api.get(f"/api/v1/{endpoint}/{page.pk}.jsonld").status_code == 404
    assert api.get(f"/api/v1/{endpoint}/?search={hidden['word']}").json_body["count"] == 0
    assert hidden["word"] not in listing.content.decode()
    assert api.get(f"/api/v1/find/?path={page.url_path[len('/accueil') :]}").status_code == 404


@pytest.mark.parametrize("hidden", STATES, indirect=True)
def test_hidden_content_absent_from_embedded_relations(api, hidden, amboise, communique, series):
    word = hidden["word"]
    for url in (
        f"/api/v1/editions/{amboise.pk}/",
        f"/api/v1/communiques/{communique.pk}/",
        f"/api/v1/series/{series.pk}/",
        "/api/v1/sessions/?limit=100&fields=*",
        f"/api/v1/sessions/?speaker={hidden['speaker'].pk}",
        f"/api/v1/editions/?speaker={hidden['speaker'].pk}",
    ):
        response = api.get(url)
        assert response.status_code == 200
        assert word not in response.content.decode(), url
        assert f"/{hidden['speaker'].pk}/" not in response.content.decode() or "speakers" not in url
    sessions = api.get(f"/api/v1/sessions/?speaker={hidden['speaker'].pk}").json_body
    assert sessions["count"] == 0


@pytest.mark.parametrize("hidden", STATES, indirect=True)
def test_hidden_content_has_no_stored_document(hidden):
    for key in ("speaker", "edition", "news"):
        assert not StoredDocument.objects.filter(object_id=str(hidden[key].pk)).exists()


def test_expiry_hides_documents_before_the_scheduler_runs(api, press_room, committed, monkeypatch):
    """A live page past its expiry date disappears at once, even if nobody unpublished it yet."""
    news = CommuniquePage(
        title="Communiqué éphémère",
        publication_date=datetime.date(2024, 5, 1),
        expire_at=timezone.now() + datetime.timedelta(hours=1),
    )
    with committed():
        press_room.add_child(instance=news)
        news.save_revision().publish()
    assert api.get(f"/api/v1/communiques/{news.pk}/").status_code == 200
    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr("cms.api.filters.timezone.now", lambda: later)
    assert api.get(f"/api/v1/communiques/{news.pk}/").status_code == 404
    assert news.pk not in [c["id"] for c in api.get("/api/v1/communiques/").json_body["results"]]


def test_embargoed_page_appears_when_it_goes_live(api, press_room, committed):
    from django.core.management import call_command
    from wagtail.models import Revision

    news = put_in_state(
        press_room,
        CommuniquePage(title="Sous embargo", publication_date=datetime.date(2024, 5, 2)),
        "embargoed",
    )
    assert api.get(f"/api/v1/communiques/{news.pk}/").status_code == 404
    # The embargo date passes: move it into the past where Wagtail's scheduler reads it.
    past = timezone.now() - datetime.timedelta(minutes=1)
    CommuniquePage.objects.filter(pk=news.pk).update(go_live_at=past)
    for revision in Revision.objects.filter(object_id=str(news.pk)):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save()
    with committed():
        call_command("publish_scheduled")
    assert api.get(f"/api/v1/communiques/{news.pk}/").status_code == 200
