import copy
import io

import orjson
import pytest
from django.core.management import call_command

from cms.models import StoredDocument, Topic
from cms.pipeline.store import check_source, process
from events.models import SpeakerPage


def _doc(kind: str, object_id) -> dict:
    return orjson.loads(bytes(StoredDocument.objects.get(kind=kind, object_id=str(object_id)).body))


def test_demo_documents_exist_for_every_kind(db):
    kinds = set(StoredDocument.objects.values_list("kind", flat=True))
    assert kinds == {
        "organisation", "topic", "series", "edition", "session", "speaker", "contact", "communique",
        "page",
    }  # fmt: skip
    assert StoredDocument.objects.filter(kind="session").count() == 13


def test_check_api_documents_reports_nothing_on_fresh_demo(db):
    out = io.StringIO()
    call_command("check_api_documents", "--no-progress", stdout=out)
    assert out.getvalue().strip() == "0 différence(s)."


def test_check_api_documents_reports_tampered_document_and_fails(amboise):
    StoredDocument.objects.filter(kind="edition", object_id=str(amboise.pk)).update(body=b"{}")
    out = io.StringIO()
    with pytest.raises(SystemExit) as excinfo:
        call_command("check_api_documents", stdout=out, stderr=out)
    assert excinfo.value.code == 1
    assert f"edition:{amboise.pk}" in out.getvalue()


def test_rebuild_api_documents_restores_and_is_idempotent(amboise):
    StoredDocument.objects.filter(kind="edition", object_id=str(amboise.pk)).delete()
    call_command("rebuild_api_documents", stdout=io.StringIO(), stderr=io.StringIO())
    assert StoredDocument.objects.filter(kind="edition", object_id=str(amboise.pk)).exists()
    before = dict(StoredDocument.objects.values_list("pk", "last_modified"))
    call_command("rebuild_api_documents", stdout=io.StringIO(), stderr=io.StringIO())
    assert dict(StoredDocument.objects.values_list("pk", "last_modified")) == before


def test_republishing_unchanged_page_keeps_etag_and_last_modified(amboise, committed):
    stored = StoredDocument.objects.get(kind="edition", object_id=str(amboise.pk))
    with committed():
        amboise.save_revision().publish()
    again = StoredDocument.objects.get(kind="edition", object_id=str(amboise.pk))
    assert (again.etag, again.last_modified) == (stored.etag, stored.last_modified)


def test_renaming_speaker_rerenders_editions_and_communiques(amboise, communique, committed):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.given_name = "Lorenzo"
    with committed():
        berger.save_revision().publish()
    edition = _doc("edition", amboise.pk)
    names = {p["speaker"]["title"] for s in edition["sessions"] for p in s["participants"]}
    assert "Lorenzo Berger" in names and "Laurent Berger" not in names
    assert "Lorenzo Berger" in [s["title"] for s in _doc("communique", communique.pk)["speakers"]]
    session = next(s for s in edition["sessions"] if s["participants"])
    assert _doc("session", session["id"])["participants"] == session["participants"]


def test_unpublishing_speaker_removes_it_everywhere(amboise, communique, committed):
    borloo = SpeakerPage.objects.get(slug="jean-louis-borloo")
    with committed():
        borloo.unpublish()
    assert not StoredDocument.objects.filter(kind="speaker", object_id=str(borloo.pk)).exists()
    edition = _doc("edition", amboise.pk)
    ids = {p["speaker"]["id"] for s in edition["sessions"] for p in s["participants"]}
    assert borloo.pk not in ids
    assert borloo.pk not in [s["id"] for s in _doc("communique", communique.pk)["speakers"]]


def test_adding_participant_rerenders_the_speaker(amboise, committed):
    bouillon = SpeakerPage.objects.get(slug="christophe-bouillon")
    before = len(_doc("speaker", bouillon.pk)["participations"])
    raw = copy.deepcopy(list(amboise.programme.raw_data))
    raw[-1]["value"]["participants"].append(
        {
            "type": "item",
            "id": "7f1d1f0e-2a57-4e0b-8a53-2d7b0f7c9a11",
            "value": {"speaker": bouillon.pk, "role": "intervenant", "function": ""},
        }
    )
    amboise.programme = raw
    with committed():
        amboise.save_revision().publish()
    assert len(_doc("speaker", bouillon.pk)["participations"]) == before + 1


def test_topic_rename_rerenders_dependents(amboise, committed):
    topic = Topic.objects.get(slug="zan")
    topic.name = "Zéro artificialisation nette"
    with committed():
        topic.save()
    edition = _doc("edition", amboise.pk)
    names = {t["name"] for s in edition["sessions"] for t in s["topics"]}
    assert "Zéro artificialisation nette" in names


def test_draft_changes_do_not_reach_documents(amboise, committed):
    amboise.title = "Titre brouillon"
    with committed():
        amboise.save_revision()
    assert _doc("edition", amboise.pk)["title"] != "Titre brouillon"


def test_deleting_page_removes_its_documents(communique, committed):
    with committed():
        communique.delete()
    assert not StoredDocument.objects.filter(kind="communique").exists()


def test_moving_page_updates_urls(communique, home, committed):
    from press.models import PressIndexPage

    other = home.add_child(instance=PressIndexPage(title="Archives presse", slug="archives"))
    with committed():
        other.save_revision().publish()
        communique.move(other, pos="last-child")
    doc = _doc("communique", communique.pk)
    assert doc["url"].endswith("/archives/les-petites-villes-en-congres-a-amboise/")


def test_contact_phone_change_rerenders_communique(communique, committed):
    from press.models import PressContact, PressContactPhone

    robert = PressContact.objects.get(email="arobert@apvf.asso.fr")
    with committed():
        PressContactPhone.objects.create(contact=robert, number="+33612345678", kind="mobile")
    contact = _doc("communique", communique.pk)["contacts"][0]
    assert "+33612345678" in [p["number"] for p in contact["phones"]]


def test_check_source_of_unknown_key_is_empty(db):
    assert check_source("page:999999") == []
    assert process(["page:999999"]) == []


def test_documents_carry_image_srcset_with_webp(amboise):
    image = _doc("edition", amboise.pk)["hero_image"]
    formats = {s["format"] for s in image["srcset"]}
    assert formats == {"png", "webp"}
    assert image["alt"] == "Vue d'Amboise"
    assert image["credit"] == "APVF"
    assert max(s["width"] for s in image["srcset"]) == image["width"]


def test_rich_text_links_are_absolute(communique, amboise):
    body = _doc("communique", communique.pk)["body"]
    assert f'href="http://127.0.0.1:8000{amboise.url}"' in body["html"]
    assert "Retrouvez le programme des Assises d'Amboise." in body["text"]
    assert "<b>Laurent Berger</b>" in body["html"]


def test_organisation_rename_rerenders_editions_and_communiques(
    amboise, communique, home, committed
):
    from cms.models import OrganisationSettings

    org = OrganisationSettings.for_site(home.get_site())
    org.name = "Association des petites villes de France et d'outre-mer"
    org.email = "presse@apvf.example"
    with committed():
        org.save()
    assert _doc("edition", amboise.pk)["jsonld"]["organizer"]["email"] == org.email
    assert _doc("communique", communique.pk)["jsonld"]["publisher"]["name"] == org.name
    assert _doc("organisation", home.get_site().pk)["name"] == org.name
