"""`cms.urls` mounted under a prefix, and what its views do for themselves (no middleware).

A host may serve Assises at `/assises/`: every URL Assises writes is reversed from where it is
mounted, its machine endpoints still get their surrogate keys, JSON errors and CORS.
"""

import pytest
from django.test import override_settings

from cms.mount import api_path, mount_point

pytestmark = pytest.mark.django_db

PREFIXED = override_settings(ROOT_URLCONF="tests.cms.prefixed_urls")


def test_mount_point_at_the_root():
    assert (mount_point(), api_path("editions", "3")) == ("/", "/api/v1/editions/3/")


@PREFIXED
def test_mount_point_under_a_prefix():
    assert mount_point() == "/assises/"
    assert api_path("editions", "3") == "/assises/api/v1/editions/3/"


@PREFIXED
def test_api_root_lists_prefixed_urls(client):
    response = client.get("/assises/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["endpoints"]["communiques"] == "http://testserver/assises/api/v1/communiques/"
    assert client.get("/api/v1/").status_code == 404  # nothing left at the root


@PREFIXED
def test_prefixed_list_is_tagged_for_purges(client):
    response = client.get("/assises/api/v1/communiques/")
    assert response.status_code == 200
    assert response["xkey"] == "list:communique"
    feed = client.get("/assises/feeds/communiques.rss")
    assert feed.status_code == 200
    assert "list:communique" in feed["Surrogate-Key"].split()


@PREFIXED
def test_prefixed_unknown_machine_path_is_a_json_404(client):
    response = client.get("/assises/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["parameter"] is None


@PREFIXED
def test_prefixed_schema_describes_the_prefixed_api(client):
    paths = client.get("/assises/api/v1/schema/?format=json").json()["paths"]
    assert "/assises/api/v1/communiques/" in paths
    assert all(path.startswith("/assises/api/v1/") for path in paths)
    assert not any("schema" in path for path in paths)


@PREFIXED
def test_prefixed_bad_parameter_is_refused(client):
    response = client.get("/assises/api/v1/communiques/", {"limit": "0"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "limit"


def test_cors_preflight_for_a_conditional_request(client):
    response = client.options(
        "/api/v1/communiques/",
        HTTP_ORIGIN="https://partenaire.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "if-none-match"


def test_cors_restricted_to_one_origin(client, settings):
    settings.ASSISES = {**settings.ASSISES, "CORS_ALLOW_ORIGIN": "https://partenaire.example"}
    response = client.get("/api/v1/communiques/", HTTP_ORIGIN="https://autre.example")
    assert response["Access-Control-Allow-Origin"] == "https://partenaire.example"
    assert "Origin" in response["Vary"]


def test_cors_off(client, settings):
    settings.ASSISES = {**settings.ASSISES, "CORS_ALLOW_ORIGIN": ""}
    response = client.get("/api/v1/communiques/")
    assert not response.has_header("Access-Control-Allow-Origin")


def test_pages_are_not_machine_endpoints(client):
    response = client.get("/")
    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")
    assert "list:all" not in response["xkey"].split()  # a page's own keys (cms.pagecache)
