"""What must never leak through a relation, and what must not linger once it stopped being public.

Each test puts the site in a state an editor reaches in the admin, lets the pipeline run as a
commit (and the worker, and the scheduler) would, and reads the public channels.
"""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from cms.models import ChangeLogEntry, StoredDocument
from events.models import CongressSeriesPage, SpeakerPage
from press.models import CommuniqueAttachment, CommuniqueContact, CommuniquePage, PressContact


def _in_time(monkeypatch, delta: datetime.timedelta) -> None:
    """Move the clock forward (the scheduler and every visibility check read timezone.now)."""
    later = timezone.now() + delta
    monkeypatch.setattr(timezone, "now", lambda: later)


def _scheduler() -> None:
    call_command("run_scheduler", "--once", stdout=io.StringIO())


def _draft_communique(press_room, title: str, **fields) -> CommuniquePage:
    page = CommuniquePage(
        title=title, publication_date=datetime.date(2024, 5, 2), lead="Chapô.", **fields
    )
    press_room.add_child(instance=page)
    page.save_revision()
    Page.objects.filter(pk=page.pk).update(live=False)
    return CommuniquePage.objects.get(pk=page.pk)


def _contact_names(api) -> list[str]:
    return [c["name"] for c in api.get("/api/v1/contacts/?limit=100").json_body["results"]]


def test_contact_of_a_draft_import_stays_private_until_its_communique_is_published(
    api, press_room, committed
):
    with committed():
        contact = PressContact.objects.create(name="Jeanne Privée", email="jp@example.org")
        draft = _draft_communique(press_room, "Import en brouillon")
        CommuniqueContact.objects.create(page=draft, contact=contact)
    assert "Jeanne Privée" not in _contact_names(api)
    assert api.get(f"/api/v1/contacts/{contact.pk}/").status_code == 404

    with committed():
        draft.save_revision().publish()
    assert "Jeanne Privée" in _contact_names(api)

    with committed():
        CommuniquePage.objects.get(pk=draft.pk).unpublish()
    assert "Jeanne Privée" not in _contact_names(api)


@pytest.mark.parametrize("state", ["draft", "embargoed"])
def test_link_to_a_non_public_page_is_plain_text_until_it_is_published(
    api, client, press_room, communique, committed, state, monkeypatch
):
    target = _draft_communique(press_room, "Annonce sous embargo")
    if state == "embargoed":
        target.go_live_at = timezone.now() + datetime.timedelta(days=1)
        with committed():
            target.save_revision().publish()
        assert not CommuniquePage.objects.get(pk=target.pk).live
    communique.body = [
        {
            "type": "paragraph",
            "value": f'<p>Voir <a linktype="page" id="{target.pk}">notre annonce</a>.</p>',
        }
    ]
    with committed():
        communique.save_revision().publish()
    html = api.get(f"/api/v1/communiques/{communique.pk}/").json_body["body"]["html"]
    feed = client.get("/feeds/communiques.json").content.decode()
    for text in (html, feed):
        assert "notre annonce" in text
        assert target.slug not in text and "<a" not in html

    # publishing the target (by an editor, or by the scheduler when the embargo ends)
    # re-renders what links to it
    with committed():
        if state == "draft":
            CommuniquePage.objects.get(pk=target.pk).save_revision().publish()
        else:
            _in_time(monkeypatch, datetime.timedelta(days=2))
            _scheduler()
    assert CommuniquePage.objects.get(pk=target.pk).live
    html = api.get(f"/api/v1/communiques/{communique.pk}/").json_body["body"]["html"]
    assert f'/presse/{target.slug}/"' in html


def test_expired_speaker_leaves_the_programmes_that_embed_it(api, amboise, committed, monkeypatch):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.expire_at = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        berger.save_revision().publish()
    edition = StoredDocument.objects.get(kind="edition", object_id=str(amboise.pk))
    assert "Laurent Berger" in bytes(edition.body).decode()
    assert edition.refresh_at == berger.expire_at  # the scheduler will come back then

    _in_time(monkeypatch, datetime.timedelta(hours=2))
    with committed():
        _scheduler()
    body = api.get(f"/api/v1/editions/{amboise.pk}/").content.decode()
    assert "Laurent Berger" not in body
    sessions = api.get("/api/v1/sessions/?limit=100").content.decode()
    assert "Laurent Berger" not in sessions
    assert api.get(f"/api/v1/speakers/{berger.pk}/").status_code == 404


def test_series_documents_carry_and_honour_expiry(api, series, committed, monkeypatch):
    series.expire_at = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        series.save_revision().publish()
    document = StoredDocument.objects.get(kind="series", object_id=str(series.pk))
    assert document.expires_at == series.expire_at
    _in_time(monkeypatch, datetime.timedelta(hours=2))
    # hidden at once, before the scheduler runs…
    assert api.get(f"/api/v1/series/{series.pk}/").status_code == 404
    assert api.get("/api/v1/series/").json_body["count"] == 0
    with committed():
        _scheduler()
    # …and removed, with its tombstone, when it does
    assert not CongressSeriesPage.objects.get(pk=series.pk).live
    last = ChangeLogEntry.objects.filter(kind="series", object_id=str(series.pk)).last()
    assert last.operation == ChangeLogEntry.DELETE


def test_renamed_or_deleted_attachment_follows_in_the_communique(api, communique, committed):
    Document = get_document_model()
    document = Document(title="Programme provisoire")
    document.file.save("programme.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    with committed():
        document.save()
        CommuniqueAttachment.objects.create(page=communique, document=document)
        communique.save_revision().publish()
    url = f"/api/v1/communiques/{communique.pk}/"
    assert [a["title"] for a in api.get(url).json_body["attachments"]] == ["Programme provisoire"]

    document.title = "Programme définitif"
    with committed():
        document.save()
    assert [a["title"] for a in api.get(url).json_body["attachments"]] == ["Programme définitif"]

    with committed():
        document.delete()
    assert api.get(url).json_body["attachments"] == []


def test_image_alt_text_change_reaches_the_documents_showing_it(api, communique, committed):
    image = communique.hero_image
    image.description = "Vue du château d'Amboise"
    with committed():
        image.save()
    hero = api.get(f"/api/v1/communiques/{communique.pk}/").json_body["hero_image"]
    assert hero["alt"] == "Vue du château d'Amboise"


def test_list_last_modified_moves_when_an_item_is_removed(api, communique, committed):
    # everything so far happened an hour ago, so the removal is clearly later
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ChangeLogEntry.objects.update(created_at=hour_ago)
    StoredDocument.objects.update(last_modified=hour_ago)
    first = api.get("/api/v1/communiques/")
    assert first.json_body["count"] == 1
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).unpublish()
    again = api.get("/api/v1/communiques/", **{"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    assert again.json_body["count"] == 0
    assert again["Last-Modified"] != first["Last-Modified"]


def test_archived_content_is_kept_long_but_revalidated(api, amboise):
    StoredDocument.objects.filter(kind="edition", object_id=str(amboise.pk)).update(archived=True)
    response = api.get(f"/api/v1/editions/{amboise.pk}/")
    assert "immutable" not in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
