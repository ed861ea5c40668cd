"""The edition and speaker editors through the real admin views: errors on the field, in French,
never a 500; slugs derived from names; archived editions can be neither deleted nor moved."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.blocks import ProgrammeBlock, SessionBlock
from events.models import CongressEditionPage, SpeakerPage
from events.services import archive_edition


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editrice", "e@example.org", "pw")
    client.force_login(user)
    client.user = user
    return client


def _edition_form(edition: CongressEditionPage, sessions: list[dict], action: str) -> dict:
    data = nested_form_data(
        {
            "title": edition.title,
            "slug": edition.slug,
            "number": edition.number,
            "start_date": edition.start_date.isoformat(),
            "end_date": edition.end_date.isoformat(),
            "host_town": edition.host_town,
            "body": streamfield([]),
            "documents": inline_formset([]),
            "programme": streamfield([("session", session) for session in sessions]),
        }
    )
    data[action] = "1"
    return data


def _session(**values) -> dict:
    session = {
        "title": "Les communes nouvelles",
        "kind": "table_ronde",
        "date": "",
        "start_time": "",
        "end_time": "",
        "room": "",
        "description": rich_text(""),
        "topics": streamfield([]),
        "participants": streamfield([]),
        "cancelled": "",
    }
    session.update(values)
    return session


@pytest.mark.parametrize(
    "action, error",
    [
        ("action-save-draft", "Indiquez le jour de la session."),  # also what autosave gets
        ("action-publish", "Champ requis."),
    ],
)
def test_edition_session_without_day_is_a_french_field_error(admin_client, amboise, action, error):
    url = reverse("wagtailadmin_pages:edit", args=[amboise.pk])
    response = admin_client.post(url, _edition_form(amboise, [_session()], action))
    assert response.status_code == 200  # the form again, not a 500
    html = response.content.decode()
    assert error in html
    assert "Les communes nouvelles" in html  # what was typed is still there
    assert CongressEditionPage.objects.get(pk=amboise.pk).latest_revision == amboise.latest_revision


def test_edition_session_without_day_does_not_crash_the_edition_clean(amboise):
    """The model's own check (sessions inside the dates) skips a session whose day is missing."""
    amboise.programme = [("session", {**SessionBlock().get_default(), "title": "Sans jour"})]
    amboise.clean()  # no TypeError: the block reports the missing day


def test_edition_session_with_day_saves_a_draft(admin_client, amboise):
    url = reverse("wagtailadmin_pages:edit", args=[amboise.pk])
    session = _session(date="2024-06-14", start_time="09:00", end_time="10:00")
    response = admin_client.post(url, _edition_form(amboise, [session], "action-save-draft"))
    assert response.status_code == 302
    draft = CongressEditionPage.objects.get(pk=amboise.pk).get_latest_revision_as_object()
    assert [s["value"]["title"] for s in draft.sessions] == ["Les communes nouvelles"]


def test_programme_sessions_are_collapsed_with_a_summary_line():
    assert ProgrammeBlock._meta_class.collapsed is True
    assert SessionBlock._meta_class.label_format == "{date} {start_time}–{end_time} · {title}"


def _speaker_form(**values) -> dict:
    data = {
        "honorific": "Mme",
        "given_name": "Élisabeth",
        "family_name": "Borne-Martin",
        "current_function": "",
        "organisation": "",
        "biography": rich_text("<p>Maire depuis 2020, ancienne préfète.</p>"),
        "past_functions": inline_formset([]),
        "links": inline_formset([]),
        "slug": "",
        "action-publish": "1",
    }
    data.update(values)
    return nested_form_data(data)


def _add_speaker(admin_client, speaker_index, **values):
    url = reverse(
        "wagtailadmin_pages:add", args=["assises_events", "speakerpage", speaker_index.pk]
    )
    return admin_client.post(url, _speaker_form(**values))


def test_speaker_slug_is_derived_from_the_name(admin_client, speaker_index):
    response = _add_speaker(admin_client, speaker_index)
    assert response.status_code == 302, response.content.decode()[:2000]
    speaker = SpeakerPage.objects.get(family_name="Borne-Martin")
    assert (speaker.slug, speaker.title) == ("elisabeth-borne-martin", "Élisabeth Borne-Martin")


def test_speaker_slug_of_a_namesake_is_made_unique(admin_client, speaker_index):
    _add_speaker(admin_client, speaker_index)
    response = _add_speaker(admin_client, speaker_index)
    assert response.status_code == 302
    slugs = SpeakerPage.objects.filter(family_name="Borne-Martin").values_list("slug", flat=True)
    assert sorted(slugs) == ["elisabeth-borne-martin", "elisabeth-borne-martin-2"]


def test_speaker_typed_slug_is_kept(admin_client, speaker_index):
    _add_speaker(admin_client, speaker_index, slug="e-borne")
    assert SpeakerPage.objects.get(family_name="Borne-Martin").slug == "e-borne"


def test_speaker_missing_name_keeps_the_biography_and_names_the_field(admin_client, speaker_index):
    response = _add_speaker(admin_client, speaker_index, family_name="")
    assert response.status_code == 200
    html = response.content.decode()
    assert "panel-child-identite-child-panel-child-family_name-errors" in html
    assert "Champ requis." in html
    assert "Maire depuis 2020, ancienne pr" in html  # in the editor's (JSON-escaped) state
    assert not SpeakerPage.objects.filter(given_name="Élisabeth", family_name="").exists()


@pytest.fixture
def archived(amboise, admin_client, committed):
    with committed():
        return archive_edition(amboise, admin_client.user)


def test_archived_edition_cannot_be_deleted_or_moved(archived, admin_client):
    perms = archived.permissions_for_user(admin_client.user)
    assert (perms.can_delete(), perms.can_move()) == (False, False)
    page = Page.objects.get(pk=archived.pk)  # the generic page defers to the edition's rule
    assert page.permissions_for_user(admin_client.user).can_delete() is False
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[archived.pk]))
    assert Page.objects.filter(pk=archived.pk).exists()
    assert response.status_code == 302


def test_archived_edition_header_has_no_delete_or_move(archived, admin_client):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[archived.pk])).content
    html = html.decode()
    assert reverse("wagtailadmin_pages:delete", args=[archived.pk]) not in html
    assert reverse("wagtailadmin_pages:move", args=[archived.pk]) not in html
    assert "Désarchivez-la pour la modifier, la déplacer ou la supprimer." in html
    assert 'data-archive-button="events_unarchive_edition"' in html


def test_series_holding_an_archived_edition_cannot_be_deleted(archived, admin_client, series):
    url = reverse("wagtailadmin_pages:delete", args=[series.pk])
    response = admin_client.post(url, follow=True)
    assert Page.objects.filter(pk=archived.pk).exists()
    assert "ne peut pas être supprimée : c’est une édition archivée" in response.content.decode()


def test_series_holding_an_archived_edition_cannot_be_moved(archived, admin_client, series, home):
    url = reverse("wagtailadmin_pages:move_confirm", args=[series.pk, home.get_parent().pk])
    response = admin_client.post(url, follow=True)
    assert Page.objects.get(pk=series.pk).get_parent().pk == home.pk
    assert "ne peut pas être déplacée" in response.content.decode()


def test_past_edition_shows_archive_as_a_header_button(admin_client, amboise):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[amboise.pk])).content
    assert b'data-archive-button="events_archive_edition"' in html
