"""Headless preview: signed, expiring tokens opening one frozen draft, in the live shape."""

import pytest
from django.conf import settings
from django.core import signing
from django.test import RequestFactory, override_settings
from wagtail.models import Site

from cms.consumers.preview import PARTNER_MODE, make_token
from cms.models import PreviewSettings, PreviewSnapshot
from press.models import CommuniquePage


def _draft(communique) -> CommuniquePage:
    draft = CommuniquePage.objects.get(pk=communique.pk)
    draft.title = "Titre en cours de relecture"
    return draft  # never saved: what the editor sees in the form


def _token_from_redirect(communique) -> str:
    settings = PreviewSettings.for_site(Site.objects.get(is_default_site=True))
    settings.url_template = "https://partenaire.example/apercu?token={token}"
    settings.save()
    request = RequestFactory().get("/admin/")
    response = _draft(communique).serve_preview(request, PARTNER_MODE)
    assert response.status_code == 302
    assert response["Location"].startswith("https://partenaire.example/apercu?token=")
    return response["Location"].split("token=", 1)[1]


def test_partner_preview_shows_the_draft_in_the_live_shape(api, communique):
    token = _token_from_redirect(communique)
    response = api.get(f"/api/v1/preview/?token={token}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    preview = response.json_body
    live = api.get(f"/api/v1/communiques/{communique.pk}/").json_body
    assert preview["title"] == "Titre en cours de relecture"
    assert set(preview) == set(live)  # exactly the live shape
    assert live["title"] == communique.title  # and nothing leaked into the live document


def test_preview_mode_without_a_partner_url_offers_the_api_link(communique, db):
    request = RequestFactory().get("/admin/")
    response = _draft(communique).serve_preview(request, PARTNER_MODE)
    response.render()
    assert response.status_code == 200
    assert b"/api/v1/preview/?token=" in response.content


@override_settings(ASSISES={**settings.ASSISES, "PREVIEW_TOKEN_SECONDS": -1})
def test_expired_token_is_a_401(api, communique):
    token = make_token(_draft(communique))
    response = api.get(f"/api/v1/preview/?token={token}")
    assert response.status_code == 401
    assert response.json_body["errors"][0]["parameter"] == "token"


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.dumps({"s": "00000000-0000-0000-0000-000000000000"}, salt="x"),
        lambda token: "",
    ],
)
def test_tampered_or_foreign_tokens_are_a_403(api, communique, forge):
    token = make_token(_draft(communique))
    assert api.get(f"/api/v1/preview/?token={forge(token)}").status_code == 403


def test_an_overlong_token_is_refused_before_anything_else(api, db):
    response = api.get(f"/api/v1/preview/?token={'a' * 5000}")
    assert response.status_code in (400, 403)
    assert response.json_body["errors"][0]["parameter"] == "token"


def test_token_of_a_removed_snapshot_is_a_403(api, communique):
    token = make_token(_draft(communique))
    PreviewSnapshot.objects.all().delete()
    response = api.get(f"/api/v1/preview/?token={token}")
    assert response.status_code == 403


def test_a_token_opens_its_own_snapshot_only(api, communique):
    first = make_token(_draft(communique))
    other = CommuniquePage.objects.get(pk=communique.pk)
    other.title = "Autre brouillon"
    second = make_token(other)
    assert api.get(f"/api/v1/preview/?token={first}").json_body["title"] != "Autre brouillon"
    assert api.get(f"/api/v1/preview/?token={second}").json_body["title"] == "Autre brouillon"


def test_the_mode_is_offered_in_the_preview_panel(client, communique, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    page = client.get(f"/admin/pages/{communique.pk}/edit/").content.decode()
    assert 'value="partner"' in page
