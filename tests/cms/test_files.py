"""Attachments and original images reach the public only while a public page shows them."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from press.models import CommuniqueAttachment, CommuniquePage
from tests.factories import STATES, put_in_state

PDF = b"%PDF-1.4\n%%EOF\n"
MEDIA_SERVED = override_settings(ROOT_URLCONF="tests.cms.media_urls")


def _headers(response) -> tuple:
    return (
        response.status_code,
        response.get("Cache-Control"),
        response.get("xkey"),
        response.get("Surrogate-Key"),
    )


def _as_unknown(client, response) -> bool:
    """A refusal answers exactly as a document that does not exist: nothing tells them apart."""
    unknown = client.get("/documents/999999/inconnu.pdf")
    assert unknown.status_code == 404
    return _headers(response) == _headers(unknown)


def _document(title: str = "Dossier de presse") -> object:
    document = get_document_model()(title=title)
    document.file.save("dossier-de-presse.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def _image(name: str = "usine-fermeture.jpg") -> object:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    image = get_image_model()(title="Usine")
    image.file.save(name, ImageFile(io.BytesIO(buffer.getvalue()), name=name), save=False)
    image.save()
    return image


def _communique(title: str, **fields) -> CommuniquePage:
    return CommuniquePage(
        title=title, publication_date=datetime.date(2024, 5, 2), lead="Chapô.", **fields
    )


def _url(document) -> str:
    return f"/documents/{document.pk}/{document.filename}"


@pytest.mark.parametrize("state", STATES)
def test_attachment_of_non_public_communique_not_found_anonymously(
    client, press_room, committed, state
):
    document = _document()
    page = _communique(f"Communiqué {state}")
    page.attachments = [CommuniqueAttachment(document=document)]
    with committed():
        put_in_state(press_room, page, state)

    response = client.get(_url(document))

    assert _as_unknown(client, response)


def test_attachment_served_after_publish_with_cache_headers_then_gone_after_unpublish(
    client, press_room, committed, settings, monkeypatch
):
    settings.ASSISES = {**settings.ASSISES, "FILE_MAX_AGE": 120}
    document = _document()
    page = _communique("Embargo levé")
    page.attachments = [CommuniqueAttachment(document=document)]
    with committed():
        put_in_state(press_room, page, "embargoed")
    assert client.get(_url(document)).status_code == 404

    later = timezone.now() + datetime.timedelta(days=4)  # the embargo lifts…
    monkeypatch.setattr(timezone, "now", lambda: later)
    with committed():
        call_command("run_scheduler", "--once", stdout=io.StringIO())
    response = client.get(_url(document))
    assert (response.status_code, b"".join(response.streaming_content)) == (200, PDF)
    assert response["Cache-Control"] == "public, max-age=120"
    assert response["xkey"] == f"communique:{page.pk}"
    assert response["Surrogate-Key"] == f"communique:{page.pk}"

    with committed():
        CommuniquePage.objects.get(pk=page.pk).unpublish()
    response = client.get(_url(document))
    assert _as_unknown(client, response)


def test_attachment_added_in_a_draft_of_a_live_communique_not_found(client, communique, committed):
    document = _document("Annexe confidentielle")
    communique.attachments.add(CommuniqueAttachment(document=document))
    with committed():
        communique.save_revision()  # a draft: the live page does not show it yet
    assert CommuniquePage.objects.get(pk=communique.pk).live

    assert client.get(_url(document)).status_code == 404


def test_attachment_of_public_page_cached_no_longer_than_its_expiry(client, press_room, committed):
    document = _document()
    page = _communique("Bientôt retiré", expire_at=timezone.now() + datetime.timedelta(seconds=90))
    page.attachments = [CommuniqueAttachment(document=document)]
    with committed():
        put_in_state(press_room, page, "live")

    max_age = int(client.get(_url(document))["Cache-Control"].split("max-age=")[1])

    assert 0 < max_age <= 90


def test_document_used_by_no_page_not_found(client, db):
    document = _document("Téléversé hier")

    assert client.get(_url(document)).status_code == 404


def test_document_in_open_collection_keeps_wagtail_rule(client, db, settings):
    document = _document("Statuts de l'association")
    settings.ASSISES = {**settings.ASSISES, "OPEN_DOCUMENT_COLLECTIONS": [document.collection.name]}

    response = client.get(_url(document))

    assert (response.status_code, "xkey" in response) == (200, False)


def test_document_of_draft_served_privately_to_its_editor(client, press_room, committed):
    document = _document()
    page = _communique("Brouillon")
    page.attachments = [CommuniqueAttachment(document=document)]
    with committed():
        put_in_state(press_room, page, "draft")
    editor = get_user_model().objects.create_superuser("redaction", "r@example.org", "x")
    client.force_login(editor)

    response = client.get(_url(document))

    assert (response.status_code, response["Cache-Control"]) == (200, "private, no-store")


def test_public_document_check_reads_its_uses_in_one_query(
    client, communique, committed, django_assert_num_queries
):
    document = _document()
    with committed():
        CommuniqueAttachment.objects.create(page=communique, document=document)
        communique.save_revision().publish()
    url = _url(document)
    # the document by id, its collection and the collection's view restrictions (Wagtail); the
    # visible documents showing it (Assises): one query, however many pages show it
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_document_served_by_wagtail_view_alone_is_a_warning(settings):
    settings.ROOT_URLCONF = "tests.cms.wagtail_document_urls"

    ids = [message.id for message in checks.run_checks()]

    assert "assises.W021" in ids


def test_document_serve_method_direct_is_an_error(settings):
    settings.WAGTAILDOCS_SERVE_METHOD = "direct"

    ids = [message.id for message in checks.run_checks()]

    assert "assises.E020" in ids


def test_document_serve_method_of_demo_passes_the_check(settings):
    ids = {message.id for message in checks.run_checks()}

    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert ids & {"assises.E020", "assises.W020", "assises.W021"} == set()


def test_image_upload_name_not_derived_from_uploaded_name(db):
    first, second = _image("usine-fermeture.jpg"), _image("usine-fermeture.jpg")

    names = [image.file.name for image in (first, second)]

    assert all(name.startswith("original_images/") for name in names)
    assert all(name.endswith(".jpg") and "usine" not in name for name in names)
    assert names[0] != names[1]
    rendition = first.get_rendition("width-20")
    assert first.file.name.rsplit("/", 1)[1].split(".")[0] in rendition.file.name


@MEDIA_SERVED
@pytest.mark.parametrize("state", STATES)
def test_original_image_of_non_public_communique_not_found(client, press_room, committed, state):
    image = _image()
    page = _communique(f"Photo {state}", hero_image=image)
    with committed():
        put_in_state(press_room, page, state)

    response = client.get("/media/" + image.file.name)

    assert _as_unknown(client, response)


@MEDIA_SERVED
def test_original_image_of_public_communique_served_with_cache_headers(
    client, communique, committed
):
    image = _image()
    communique.hero_image = image
    with committed():
        communique.save_revision().publish()

    response = client.get("/media/" + image.file.name)

    assert (response.status_code, response["xkey"]) == (200, f"communique:{communique.pk}")
    assert response["Cache-Control"].startswith("public, max-age=")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG


@MEDIA_SERVED
def test_original_images_not_served_as_plain_files_by_demo_urlconf():
    """The demo serving its media hands `/media/original_images/<name>` to the checked view,
    never to Django's file server, which serves a draft's photo to whoever knows its name."""
    from django.views.static import serve

    from cms.files import serve_original_image

    assert resolve("/media/original_images/photo.jpg").func is serve_original_image
    assert resolve("/media/images/photo.width-320.jpg").func is serve
    with pytest.raises(Resolver404):
        resolve("/media/documents/dossier.pdf")


def test_document_linked_in_rich_text_of_public_page_served(client, communique, committed):
    document = _document("Rapport annuel")
    paragraph = f'<p>Lire <a linktype="document" id="{document.pk}">le rapport</a>.</p>'
    communique.body = [("paragraph", RichText(paragraph))]
    with committed():
        communique.save_revision().publish()

    response = client.get(_url(document))

    assert (response.status_code, response["xkey"]) == (200, f"communique:{communique.pk}")
