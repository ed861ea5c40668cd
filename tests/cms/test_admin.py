"""The admin as an editor meets it: in French, with every page type creatable in its place."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from cms.models import OrganisationSettings, Topic
from demosite.models import HomePage
from events.models import CongressEditionPage, CongressSeriesPage, SpeakerIndexPage, SpeakerPage
from press.models import CommuniquePage, PressContact, PressIndexPage, PressSettings


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editrice", "e@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_login_page_is_french(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
    assert "Mot de passe" in response.content.decode()


def test_admin_dashboard_menu_is_french(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "Th\\u00e9matiques" in html
    assert "Contacts presse" in html


@pytest.mark.parametrize(
    "slug",
    [
        "accueil",
        "assises",
        "amboise-2024",
        "intervenants",
        "laurent-berger",
        "presse",
        "les-petites-villes-en-congres-a-amboise",
    ],
)
def test_admin_edit_view_renders_for_every_page_type(editor_client, slug):
    page = Page.objects.get(slug=slug)
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200


def test_admin_edition_edit_view_has_french_tabs(editor_client, amboise):
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[amboise.pk])).content.decode()
    for tab in ["Contenu", "Lieu", "Programme", "Documents"]:
        assert tab in html


@pytest.mark.parametrize(
    "model",
    [Topic, PressContact],
)
def test_admin_snippet_views_render(editor_client, model):
    from wagtail.admin.admin_url_finder import AdminURLFinder

    obj = model.objects.first()
    finder = AdminURLFinder()
    edit_url = finder.get_edit_url(obj)
    assert editor_client.get(edit_url).status_code == 200


@pytest.mark.parametrize("model", [OrganisationSettings, PressSettings])
def test_admin_settings_views_render(editor_client, home, model):
    url = reverse(
        "wagtailsettings:edit",
        args=[model._meta.app_label, model._meta.model_name, home.get_site().pk],
    )
    assert editor_client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        (HomePage, CongressSeriesPage, True),
        (HomePage, PressIndexPage, True),
        (HomePage, CongressEditionPage, False),
        (CongressSeriesPage, CongressEditionPage, True),
        (CongressSeriesPage, CommuniquePage, False),
        (CongressEditionPage, CongressEditionPage, False),
        (SpeakerIndexPage, SpeakerPage, True),
        (PressIndexPage, SpeakerPage, False),
        (PressIndexPage, CommuniquePage, True),
        (CommuniquePage, CommuniquePage, False),
    ],
)
def test_page_type_parent_rules(parent, child, allowed):
    assert (child in parent.allowed_subpage_models()) is allowed
