"""Tests of the admin « Importer » screen: upload, preview, confirm, errors, permissions."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupPagePermission

from press.models import CommuniquePage, ImportRecord, PressContact
from press.views import SESSION_KEY
from tests.import_helpers import counts

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
LISTING = FIXTURES.parent / "corpus" / "communiques" / "liste-a-refuser.txt"
SEED = FIXTURES / "communique-2024-04-03-assises-amboise.md"
TITLE = "Les petites villes en Congrès à Amboise les 14 et 15 juin prochains"
URL = "/admin/press/import/"


def upload(client, press_room, name: str, data: bytes):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(URL, {"parent": press_room.pk, "file": file})


def test_import_admin_first_screen_offers_every_import(admin_client, press_room):
    """The menu opens the communiqué screen: the programme one must be one click away."""
    page = admin_client.get(URL).content.decode()
    assert 'aria-current="page"' in page
    assert f'href="{reverse("events_import_programme")}"' in page
    assert f'action="{URL}"' in page


def test_import_admin_url_and_menu(admin_client):
    assert reverse("press_import") == URL
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert URL.encode() in admin_client.get("/admin/").content


def test_import_admin_preview_shows_what_was_recognised(admin_client, press_room):
    before = counts()
    response = upload(admin_client, press_room, SEED.name, SEED.read_bytes())
    assert response.status_code == 200
    assert response.templates[0].name == "assises/press/admin/import_preview.html"
    result = response.context["result"]
    assert (result.parsed["place"], result.parsed["date"]) == ("Paris", "2024-04-03")
    assert result.parsed["title"] == TITLE
    assert result.edition.slug == "amboise-2024"
    assert [c.email for c in result.contacts_matched] == [
        "arobert@apvf.asso.fr",
        "mcoulet@apvf.asso.fr",
    ]
    html = response.content.decode()
    for text in ("André ROBERT", "06 80 84 27 53", "Gabriel Attal", "Amboise 2024", "Paris"):
        assert text in html
    assert "+33680842753" not in html
    assert counts() == before  # the preview writes nothing
    assert SESSION_KEY in admin_client.session


def test_import_admin_confirm_creates_the_draft_and_opens_its_editor(admin_client, press_room):
    preview = upload(admin_client, press_room, SEED.name, SEED.read_bytes())
    token = preview.context["confirm_form"]["token"].value()
    contacts = PressContact.objects.count()
    response = admin_client.post(URL, {"token": token})
    record = ImportRecord.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[record.page_id])
    page = CommuniquePage.objects.get(pk=record.page_id).get_latest_revision_as_object()
    assert (page.title, page.dateline_place, str(page.publication_date)) == (
        TITLE,
        "Paris",
        "2024-04-03",
    )
    body = "".join(child.value.source for child in page.body if child.block_type == "paragraph")
    assert "<b>Laurent Berger</b>" in body and '<a href="#">' in body
    assert "fédère depuis 1990" not in body
    assert [link.contact.name for link in page.contacts.all()] == ["André ROBERT", "Marie COULET"]
    assert PressContact.objects.count() == contacts
    assert page.related_editions.get().edition.slug == "amboise-2024"
    people = {link.speaker.title for link in page.mentioned_speakers.all()}
    assert {"Laurent Berger", "Jean-Louis Borloo", "Christophe Béchu"} <= people
    assert {"Frédéric Valletoux", "Gabriel Attal"} <= people
    assert SESSION_KEY not in admin_client.session
    assert admin_client.get(response.url).status_code == 200


def test_import_admin_reimport_changes_nothing(admin_client, press_room):
    for _round in range(2):
        preview = upload(admin_client, press_room, SEED.name, SEED.read_bytes())
        before = counts()
        admin_client.post(URL, {"token": preview.context["confirm_form"]["token"].value()})
    assert preview.context["result"].status == "unchanged"
    assert counts() == before


@pytest.mark.parametrize(
    "name, data",
    [
        ("vide.md", b""),
        ("garbage.txt", bytes(range(256)) * 8),
        ("liste.txt", LISTING.read_bytes()),
        ("notes.pdf", SEED.read_bytes()),
        ("enorme.txt", b"Paris, 3 avril 2024\n" + b"x" * (5 * 1024 * 1024 + 1)),
    ],
)
def test_import_admin_bad_file_is_a_form_error(admin_client, press_room, name, data):
    before = counts()
    response = upload(admin_client, press_room, name, data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert counts() == before
    assert SESSION_KEY not in admin_client.session


def test_import_admin_tampered_token_is_refused(admin_client, press_room):
    upload(admin_client, press_room, SEED.name, SEED.read_bytes())
    before = counts()
    response = admin_client.post(URL, {"token": "forged:token"})
    assert response.status_code == 200
    assert response.context["errors"]
    assert counts() == before


def test_import_admin_token_of_another_upload_is_refused(admin_client, press_room):
    first = upload(admin_client, press_room, SEED.name, SEED.read_bytes())
    upload(
        admin_client,
        press_room,
        "amf.txt",
        (FIXTURES / "communique-2013-02-07-amf.txt").read_bytes(),
    )
    before = counts()
    response = admin_client.post(URL, {"token": first.context["confirm_form"]["token"].value()})
    assert response.context["errors"]
    assert counts() == before


def test_import_admin_requires_permission_to_add_communiques(client, django_user_model, press_room):
    user = django_user_model.objects.create_user("redacteur", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)
    group = Group.objects.create(name="Presse")
    GroupPagePermission.objects.create(
        group=group, page=press_room, permission=Permission.objects.get(codename="add_page")
    )
    user.groups.add(group)
    assert client.get(URL).status_code == 200


def test_import_admin_preview_shows_the_body_it_will_create(admin_client, press_room):
    response = upload(admin_client, press_room, SEED.name, SEED.read_bytes())
    html = response.content.decode()
    assert "<b>Laurent Berger</b>" in html  # rendered, not escaped
    assert "&lt;b&gt;" not in html
    assert "fédère depuis 1990" not in html.split("import-preview-body", 1)[1].split("</td>")[0]


def test_import_admin_preview_phones_are_national_and_do_not_wrap(admin_client, press_room):
    html = upload(admin_client, press_room, SEED.name, SEED.read_bytes()).content.decode()
    assert '<span style="white-space: nowrap">06 80 84 27 53</span>' in html


def test_import_admin_preview_uses_the_page_form_wording_for_the_lead(admin_client, press_room):
    from press.models import CommuniquePage

    label = str(CommuniquePage._meta.get_field("lead").verbose_name)
    html = upload(admin_client, press_room, SEED.name, SEED.read_bytes()).content.decode()
    assert label == "chapô"
    assert '<th scope="row">Chapô</th>' in html
    assert "Chapeau" not in html


def test_phone_display_is_national_for_french_numbers_international_for_others():
    from press.models import PressContactPhone

    assert PressContactPhone(number="+33145440083").display == "01 45 44 00 83"
    assert PressContactPhone(number="+442079460000").display == "+44 20 7946 0000"
