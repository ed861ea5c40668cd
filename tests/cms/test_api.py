"""The API's plumbing as a partner developer meets it: root, lookups, errors, HTTP caching."""

import gzip

import pytest


def test_api_root_lists_endpoints_and_docs(api):
    response = api.get("/api/v1/")
    body = response.json_body
    assert set(body["endpoints"]) >= {
        "series", "editions", "sessions", "speakers", "communiques", "topics", "contacts",
        "organisation",
    }  # fmt: skip
    assert body["docs"].endswith("/api/v1/docs/")
    assert body["schema"].endswith("/api/v1/schema/")
    feeds = {feed["type"]: feed["href"] for feed in body["feeds"]}
    assert feeds["application/rss+xml"].endswith("/feeds/communiques.rss")
    assert feeds["application/feed+json"].endswith("/feeds/communiques.json")
    assert 'rel="alternate"; type="application/atom+xml"' in response["Link"]


def test_find_by_path_returns_the_document(api, amboise):
    response = api.get("/api/v1/find/?path=/assises/amboise-2024/")
    assert response.status_code == 200
    assert response.json_body["id"] == amboise.pk
    for variant in ("assises/amboise-2024", "http://example.org/assises/amboise-2024/?x=1"):
        assert api.get(f"/api/v1/find/?path={variant}").json_body["id"] == amboise.pk


def test_find_unknown_path_is_404_json(api):
    response = api.get("/api/v1/find/?path=/nulle-part/")
    assert response.status_code == 404
    assert response.json_body["errors"][0]["parameter"] == "path"


def test_find_without_path_is_400(api):
    response = api.get("/api/v1/find/")
    assert response.status_code == 400
    assert response.json_body["errors"][0]["parameter"] == "path"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("unknown=1", "unknown"),
        ("date_from=14/06/2024", "date_from"),
        ("date_to=2024-13-01", "date_to"),
        ("modified_since=hier", "modified_since"),
        ("year=abc", "year"),
        ("year=20245", "year"),
        ("status=bientot", "status"),
        ("speaker=berger", "speaker"),
        ("locale=de", "locale"),
        ("ordering=popularity", "ordering"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("limit=dix", "limit"),
        ("offset=-1", "offset"),
        ("fields=title,nope", "fields"),
    ],
)
def test_bad_parameters_get_400_naming_them(api, query, parameter):
    response = api.get(f"/api/v1/editions/?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert [e["parameter"] for e in response.json_body["errors"]] == [parameter]
    assert response.json_body["errors"][0]["message"]


def test_unknown_detail_is_404_json(api):
    response = api.get("/api/v1/editions/999999/")
    assert response.status_code == 404
    assert response.json_body["errors"][0]["message"]


def test_pagination_links_and_counts(api):
    first = api.get("/api/v1/sessions/?limit=5").json_body
    assert first["count"] == 13 and first["previous"] is None
    second = api.get(first["next"].replace("http://testserver", "")).json_body
    assert "offset=5" in first["next"]
    assert second["previous"].endswith("/api/v1/sessions/?limit=5")
    third = api.get("/api/v1/sessions/?limit=5&offset=10").json_body
    assert third["next"] is None and len(third["results"]) == 3


def test_sparse_fields(api, amboise):
    body = api.get("/api/v1/editions/?fields=id,title").json_body
    assert body["results"][0] == {"id": amboise.pk, "title": amboise.title}
    detail = api.get(f"/api/v1/editions/{amboise.pk}/?fields=number").json_body
    assert detail == {"number": 26}


@pytest.mark.parametrize(
    "url", ["/api/v1/editions/", "/api/v1/speakers/", "/api/v1/find/?path=/assises/"]
)
def test_etag_and_304_revalidation(api, url):
    first = api.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert "max-age" in first["Cache-Control"]
    second = api.get(url, If_None_Match=first["ETag"])
    assert second.status_code == 304
    assert second.content == b""
    assert api.get(url, If_None_Match='"stale"').status_code == 200


def test_if_modified_since_on_detail(api, amboise):
    url = f"/api/v1/editions/{amboise.pk}/"
    last_modified = api.get(url)["Last-Modified"]
    assert api.get(url, If_Modified_Since=last_modified).status_code == 304
    assert api.get(url, If_Modified_Since="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_etag_changes_when_content_changes(api, amboise, committed):
    url = f"/api/v1/editions/{amboise.pk}/"
    etag = api.get(url)["ETag"]
    amboise.tagline = "Nouveau slogan"
    with committed():
        amboise.save_revision().publish()
    assert api.get(url, If_None_Match=etag).status_code == 200


def test_cors_allows_any_origin_for_get(api):
    response = api.get("/api/v1/editions/", Origin="https://partenaire.example")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_gzip_when_accepted(client, db):
    response = client.get("/api/v1/editions/?fields=*", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert b'"count":2' in gzip.decompress(response.content)


def test_jsonld_url_per_object(client, amboise):
    response = client.get(f"/api/v1/editions/{amboise.pk}.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response.json()["@type"] == "Event"
    assert client.get("/api/v1/editions/999999.jsonld").status_code == 404


def test_docs_pages_render(client, db):
    assert client.get("/api/v1/docs/").status_code == 200
    assert client.get("/api/v1/docs/redoc/").status_code == 200
