"""Archiving a past edition: permission, lock, log, refusal for what is not over, unarchiving,
and immutable caching of everything the site serves about an archived edition."""

import datetime
import html
import io
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import GroupPagePermission, PageLogEntry

from cms.archive.verify import open_bundle
from cms.http import ARCHIVED_CACHE_CONTROL, DEFAULT_CACHE_CONTROL
from events.locks import ArchivedLock
from events.models import CongressEditionPage
from events.services import ArchiveError, archive_edition, can_archive, unarchive_edition
from tests.archive_helpers import message, prefix

PAST_ONLY = "Only a past edition can be archived: %(title)s ends on %(date)s."


def _fr(message: str) -> str:
    """What the French admin shows for `message` (whether or not it is translated yet)."""
    with translation.override("fr"):
        return gettext(message)


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("archiviste", "a@example.org", "pw")


@pytest.fixture
def editor(django_user_model, home):
    """An editor who may edit and publish every page, but not archive."""
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=home, permission=Permission.objects.get(codename=permission)
        )
    user = django_user_model.objects.create_user("redactrice", "r@example.org", "pw")
    user.groups.add(group)
    return user


@pytest.fixture
def archived(amboise, admin_user, committed):
    with committed():
        return archive_edition(amboise, admin_user)


def test_archive_permission_is_its_own(editor, admin_user):
    assert not can_archive(editor)
    assert can_archive(admin_user)
    editor.user_permissions.add(Permission.objects.get(codename="archive_congresseditionpage"))
    editor = type(editor).objects.get(pk=editor.pk)  # permissions are cached per instance
    assert can_archive(editor)


def test_archive_without_permission_is_denied(amboise, editor):
    with pytest.raises(PermissionDenied):
        archive_edition(amboise, editor)
    amboise.refresh_from_db()
    assert not amboise.archived and not amboise.locked


def test_archive_locks_publishes_and_logs(archived, admin_user, amboise, api):
    assert archived.archived and archived.live
    assert archived.locked and archived.locked_by == admin_user
    assert archived.live_revision.as_object().archived
    assert not archived.has_unpublished_changes
    assert archived.url_path == amboise.url_path
    assert PageLogEntry.objects.filter(page=amboise, action="assises_events.archive").exists()
    assert api.get(f"/api/v1/editions/{amboise.pk}/").json_body["archived"] is True


def test_archived_edition_is_locked_even_for_whoever_archived_it(archived, admin_user, editor):
    lock = archived.get_lock()
    assert isinstance(lock, ArchivedLock)
    assert lock.for_user(admin_user) and lock.for_user(editor)
    assert archived.permissions_for_user(admin_user).page_locked()


def test_archive_is_refused_for_upcoming_and_ongoing_editions(amboise, admin_user):
    today = timezone.localdate()
    for start, end in (
        (today + datetime.timedelta(days=30), today + datetime.timedelta(31)),
        (today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)),
    ):
        CongressEditionPage.objects.filter(pk=amboise.pk).update(start_date=start, end_date=end)
        with pytest.raises(ArchiveError, match=prefix(PAST_ONLY)):
            archive_edition(amboise, admin_user)
        assert not CongressEditionPage.objects.get(pk=amboise.pk).archived


def test_archive_is_refused_twice(archived, admin_user):
    with pytest.raises(ArchiveError, match=message("This edition is already archived.")):
        archive_edition(archived, admin_user)


def test_unarchive_unlocks_and_publishes_without_the_flag(archived, admin_user, api, committed):
    with committed():
        edition = unarchive_edition(archived, admin_user)
    assert not edition.archived and not edition.locked and edition.get_lock() is None
    assert PageLogEntry.objects.filter(page=edition, action="assises_events.unarchive").exists()
    response = api.get(f"/api/v1/editions/{edition.pk}/")
    assert response.json_body["archived"] is False
    assert response["Cache-Control"] == DEFAULT_CACHE_CONTROL


def test_archived_edition_is_served_long_lived_but_revalidated(archived, client, series):
    pk = archived.pk
    for url in (
        f"/api/v1/editions/{pk}/",
        f"/api/v1/editions/{pk}.jsonld",
        f"/api/v1/sessions/{archived.sessions[0]['id']}/",
        f"/api/v1/sessions/?edition={pk}",
        f"/calendars/editions/{pk}.ics",
        f"/calendars/sessions/{archived.sessions[0]['id']}.ics",
        f"/schedules/editions/{pk}/schedule.xml",
        f"/schedules/editions/{pk}/schedule.json",
        f"/feeds/communiques/editions/{pk}.json",
        f"/feeds/communiques/editions/{pk}.atom",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == ARCHIVED_CACHE_CONTROL, url
        again = client.get(url)  # from the caches, still long-lived
        assert again["Cache-Control"] == ARCHIVED_CACHE_CONTROL, url
    for url in (f"/api/v1/series/{series.pk}/", "/api/v1/sessions/", "/feeds/communiques.json"):
        assert client.get(url)["Cache-Control"] == DEFAULT_CACHE_CONTROL, url


def test_series_lists_every_edition_with_its_archived_flag(archived, api, series):
    editions = api.get(f"/api/v1/series/{series.pk}/").json_body["editions"]
    assert [(e["number"], e["archived"]) for e in editions] == [(26, True), (22, True)]
    assert editions[0]["url"] == "http://127.0.0.1:8000/assises/amboise-2024/"


def test_status_archived_filters_the_api(archived, api):
    body = api.get("/api/v1/editions/?status=archived&ordering=-start_date").json_body
    uzes = CongressEditionPage.objects.get(slug="uzes-2019")  # the demo ships it archived
    assert [item["id"] for item in body["results"]] == [archived.pk, uzes.pk]


# -- admin ----------------------------------------------------------------------------------


def test_edit_page_offers_archiving_to_who_may_archive(client, admin_user, editor, amboise):
    url = reverse("events_archive_edition", args=[amboise.pk])
    client.force_login(admin_user)
    edit = reverse("wagtailadmin_pages:edit", args=[amboise.pk])
    page = html.unescape(client.get(edit).content.decode())
    assert url in page and _fr("Archive edition") in page
    client.force_login(editor)
    assert url not in client.get(edit).content.decode()
    for response in (client.get(url), client.post(url)):  # Wagtail: permission denied
        assert (response.status_code, response.url) == (302, "/admin/")
    assert not CongressEditionPage.objects.get(pk=amboise.pk).archived


def test_admin_archives_after_confirmation(client, admin_user, amboise, committed):
    client.force_login(admin_user)
    url = reverse("events_archive_edition", args=[amboise.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert _fr("Yes, archive it") in html.unescape(page.content.decode())
    with committed():
        response = client.post(url)
    assert response.status_code == 302
    assert CongressEditionPage.objects.get(pk=amboise.pk).archived
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[amboise.pk])).content.decode()
    assert reverse("events_unarchive_edition", args=[amboise.pk]) in edit


def test_admin_explains_why_an_upcoming_edition_cannot_be_archived(client, admin_user, amboise):
    soon = timezone.localdate() + datetime.timedelta(days=60)
    CongressEditionPage.objects.filter(pk=amboise.pk).update(start_date=soon, end_date=soon)
    client.force_login(admin_user)
    url = reverse("events_archive_edition", args=[amboise.pk])
    page = html.unescape(client.post(url).content.decode())
    assert _fr(PAST_ONLY).split("%(")[0] in page
    assert not CongressEditionPage.objects.get(pk=amboise.pk).archived


def test_admin_unarchives_after_confirmation(client, admin_user, archived, committed):
    client.force_login(admin_user)
    url = reverse("events_unarchive_edition", args=[archived.pk])
    assert client.get(url).status_code == 200
    with committed():
        assert client.post(url).status_code == 302
    assert not CongressEditionPage.objects.get(pk=archived.pk).locked


def test_admin_downloads_the_edition_bundle(client, admin_user, editor, amboise, tmp_path):
    url = reverse("events_export_edition", args=[amboise.pk])
    client.force_login(editor)
    assert client.get(url).status_code == 302
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "assises-amboise-2024-archive.zip" in response["Content-Disposition"]
    path = tmp_path / "download.zip"
    path.write_bytes(b"".join(response.streaming_content))
    with open_bundle(path) as bundle:
        assert bundle.manifest["counts"]["editions"] == 1
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        names = archive.namelist()
    assert f"assises-amboise-2024-archive/data/api/edition/{amboise.pk}.json" in names
    assert "assises-amboise-2024-archive/bagit.txt" in names
