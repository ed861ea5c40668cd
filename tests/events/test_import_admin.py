"""Tests of the admin « Importer » screen, programme tab: upload, preview, draft, permissions."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupPagePermission, Revision

from events.admin_import import SESSION_KEY
from events.models import CongressEditionPage

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus" / "programmes"
URL = "/admin/events/import/"


@pytest.fixture
def edition(series):
    page = CongressEditionPage(
        title="Assises des petites villes 2024",
        slug="assises-pv-2024",
        number=95,
        start_date=datetime.date(2024, 6, 14),
        end_date=datetime.date(2024, 6, 15),
        host_town="Amboise",
        live=False,
    )
    series.add_child(instance=page)
    page.save_revision()
    return CongressEditionPage.objects.get(pk=page.pk)


def upload(client, edition, name: str, data: bytes):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(URL, {"edition": edition.pk, "file": file})


def test_import_programme_admin_url_and_tabs(admin_client, edition):
    assert reverse("events_import_programme") == URL
    response = admin_client.get(f"{URL}?edition={edition.pk}")
    assert response.status_code == 200
    assert response.context["form"].initial["edition"] == edition
    html = response.content.decode()
    assert 'aria-current="page">Programme</a>' in html
    assert reverse("press_import") in html  # the communiqué tab beside it
    assert b'enctype="multipart/form-data"' in response.content


def test_import_programme_admin_preview_shows_sessions_by_day(admin_client, edition):
    revisions = Revision.objects.count()
    source = CORPUS / "plateau-coupe.txt"
    response = upload(admin_client, edition, source.name, source.read_bytes())
    assert response.status_code == 200
    assert response.templates[0].name == "assises/events/admin/programme_import_preview.html"
    days = response.context["days"]
    assert [day["day"] for day in days] == [datetime.date(2024, 6, 14), datetime.date(2024, 6, 15)]
    first = days[0]["sessions"][1]
    assert (first["start"], first["end"], first["title"]) == (
        datetime.time(9, 45),
        datetime.time(10, 25),
        "Plateau 1 : Les petites villes face au ZAN",
    )
    html = response.content.decode()
    for text in ("Vendredi 14 juin 2024", "09:45 – 10:25", "Christophe Béchu", "Gabriel Attal"):
        assert text in html
    # « 12h30 Déjeuner » has no end: the next start or one hour, flagged for checking
    lunch = days[0]["sessions"][-1]
    assert lunch["end_written"] is False and lunch["flags"]
    assert "À vérifier" in html
    assert Revision.objects.count() == revisions  # the preview writes nothing
    assert SESSION_KEY in admin_client.session


def test_import_programme_admin_confirm_creates_a_draft_never_published(admin_client, edition):
    source = CORPUS / "deux-colonnes.pdf"
    edition.start_date, edition.end_date = datetime.date(2024, 6, 5), datetime.date(2024, 6, 6)
    edition.save_revision().publish()
    published = CongressEditionPage.objects.get(pk=edition.pk)
    preview = upload(admin_client, published, source.name, source.read_bytes())
    assert preview.context["result"].status == "created", preview.context["result"].reason
    token = preview.context["confirm_form"]["token"].value()
    response = admin_client.post(URL, {"token": token})
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[edition.pk])
    page = CongressEditionPage.objects.get(pk=edition.pk)
    assert page.has_unpublished_changes  # a draft on top of the live edition
    assert list(page.programme.raw_data) == []  # the live version is untouched
    draft = page.get_latest_revision_as_object()
    assert len(draft.sessions) == 9
    assert SESSION_KEY not in admin_client.session


def test_import_programme_admin_reimport_changes_nothing(admin_client, edition):
    source = CORPUS / "plateau-coupe.txt"
    for _round in range(2):
        preview = upload(admin_client, edition, source.name, source.read_bytes())
        before = Revision.objects.count()
        admin_client.post(URL, {"token": preview.context["confirm_form"]["token"].value()})
    assert preview.context["result"].status == "unchanged"
    assert Revision.objects.count() == before


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("vide.txt", b"", "vide"),
        ("sans-horaire.txt", (CORPUS / "sans-horaire.txt").read_bytes(), "Aucune séance"),
        ("programme.docx", b"PK\x03\x04", ".docx"),
        ("scan.pdf", b"%PDF-1.4 garbage", "PDF"),
    ],
)
def test_import_programme_admin_bad_file_is_a_form_error(admin_client, edition, name, data, reason):
    revisions = Revision.objects.count()
    response = upload(admin_client, edition, name, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(reason in error for error in errors), errors
    assert Revision.objects.count() == revisions
    assert SESSION_KEY not in admin_client.session


def test_import_programme_admin_sessions_outside_the_edition_name_line_and_field(
    admin_client, edition
):
    source = CORPUS / "majuscules-plages.txt"  # October 2024, not June
    response = upload(admin_client, edition, source.name, source.read_bytes())
    (error,) = response.context["form"].errors["file"]
    assert "ligne 6, champ « date »" in error


def test_import_programme_admin_forged_token_is_refused(admin_client, edition):
    source = CORPUS / "plateau-coupe.txt"
    upload(admin_client, edition, source.name, source.read_bytes())
    revisions = Revision.objects.count()
    response = admin_client.post(URL, {"token": "forged:token"})
    assert response.status_code == 200 and response.context["errors"]
    assert Revision.objects.count() == revisions


def test_import_programme_admin_requires_permission_to_edit_an_edition(
    client, django_user_model, edition
):
    user = django_user_model.objects.create_user("programme", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)
    group = Group.objects.create(name="Programme")
    GroupPagePermission.objects.create(
        group=group, page=edition, permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(group)
    response = client.get(URL)
    assert response.status_code == 200
    assert list(response.context["form"].fields["edition"].queryset) == [edition]
    assert URL.encode() in client.get("/admin/").content  # the « Importer » menu opens it


def test_import_programme_admin_archived_editions_are_not_offered(admin_client, edition):
    CongressEditionPage.objects.filter(pk=edition.pk).update(archived=True, locked=True)
    response = admin_client.get(URL)
    assert edition.pk not in [e.pk for e in response.context["form"].fields["edition"].queryset]
