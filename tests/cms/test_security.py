"""Safe production: a content security policy on public pages, the admin login locked after
repeated failures, optional API throttling, and no debug pages in the demo."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from cms.http import client_ip

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/"


# -- Content-Security-Policy --------------------------------------------------------------


def public_pages(amboise, communique) -> list[str]:
    return ["/", amboise.url, amboise.get_parent().url, communique.url, communique.get_parent().url]


def test_public_pages_have_a_strict_content_security_policy(client, amboise, communique):
    for url in public_pages(amboise, communique):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "object-src 'none'" in policy


def test_public_pages_have_no_inline_style_or_script(client, amboise, communique):
    for url in public_pages(amboise, communique):
        html = client.get(url).content.decode()
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "assises/site.css" in html


def test_admin_login_works_without_the_public_policy(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


# -- admin login lockout (django-axes) -----------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editrice", "e@example.org", "bon-mot-2024")


def attempt(client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE="fr",
    )


def test_admin_login_locks_out_after_repeated_failures_in_french(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "editrice", "mauvais").status_code == 200  # the form again
    locked = attempt(client, "editrice", "mauvais")
    assert locked.status_code == 429
    assert "Compte verrouillé" in locked.content.decode()
    # The right password does not help while locked out.
    assert attempt(client, "editrice", "bon-mot-2024").status_code == 429


def test_admin_lockout_is_per_username_and_address(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editrice", "mauvais")
    assert attempt(client, "editrice", "bon-mot-2024", ip="198.51.100.9").status_code == 302
    client.logout()
    assert attempt(client, "autre", "mauvais").status_code == 200


def test_admin_login_succeeds_below_the_limit(client, editor):
    attempt(client, "editrice", "mauvais")
    assert attempt(client, "editrice", "bon-mot-2024").status_code == 302


def test_programmatic_login_is_not_affected(client, editor):
    assert client.login(username="editrice", password="bon-mot-2024")


def test_client_ip_trusts_only_the_configured_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.ASSISES = {**settings.ASSISES, "PROXY_COUNT": 0}
    assert client_ip(request) == "10.0.0.1"  # the header could be forged
    settings.ASSISES = {**settings.ASSISES, "PROXY_COUNT": 1}
    assert client_ip(request) == "203.0.113.7"  # what our proxy saw, not what the client wrote


# -- throttling -----------------------------------------------------------------------------


def test_api_throttling_is_off_by_default(api, settings):
    assert not settings.ASSISES.get("API_THROTTLE_RATE")
    for _ in range(30):
        assert api.get("/api/v1/topics/").status_code == 200


def test_api_throttling_answers_429_in_json_when_on(api, settings):
    settings.ASSISES = {**settings.ASSISES, "API_THROTTLE_RATE": "3/min"}
    for _ in range(3):
        assert api.get("/api/v1/topics/").status_code == 200
    response = api.get("/api/v1/topics/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json_body["errors"][0]["message"]
    assert int(response["Retry-After"]) > 0
    assert api.get("/feeds/communiques.json").status_code == 429  # the same client, any channel


# -- error pages and the demo ---------------------------------------------------------------


def test_html_404_is_a_french_page_without_debug_details(client, db):
    response = client.get("/cette-page-n-existe-pas/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Traceback" not in html and "urlpatterns" not in html


def test_api_404_and_400_never_render_a_page(api):
    for url in ("/api/v1/editions/999999/", "/api/v1/editions/abc/", "/api/v1/nothing/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json", url
    response = api.get("/api/v1/editions/?year=abc")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_500_page_is_french():
    with translation.override("fr"):
        html = render_to_string("500.html")
    assert "Erreur du serveur" in html


def test_demo_settings_turn_debug_off_and_serve_static_files():
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISES_")}
    env["DJANGO_SETTINGS_MODULE"] = "demosite.settings.demo"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.WHITENOISE_USE_FINDERS, s.ASSISES_SERVE_MEDIA)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["False", "True", "True"], result.stderr
    makefile = (ROOT / "Makefile").read_text()
    assert "demo: export DJANGO_SETTINGS_MODULE := demosite.settings.demo" in makefile
