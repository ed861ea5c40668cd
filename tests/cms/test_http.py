import datetime

from django.test import RequestFactory
from django.utils.http import http_date

from cms.http import conditional_response, strong_etag

BODY = b'{"a": 1}'
MODIFIED = datetime.datetime(2024, 4, 3, 10, 0, tzinfo=datetime.UTC)


def test_conditional_response_sends_validators():
    response = conditional_response(
        RequestFactory().get("/"), BODY, "application/json", last_modified=MODIFIED
    )
    assert response.status_code == 200
    assert response["ETag"] == strong_etag(BODY)
    assert response["Last-Modified"] == http_date(MODIFIED.timestamp())
    assert "max-age" in response["Cache-Control"]


def test_conditional_response_304_on_matching_etag():
    request = RequestFactory().get("/", headers={"If-None-Match": strong_etag(BODY)})
    response = conditional_response(request, BODY, "application/json")
    assert response.status_code == 304
    assert response.content == b""


def test_conditional_response_200_on_stale_etag():
    request = RequestFactory().get("/", headers={"If-None-Match": '"other"'})
    assert conditional_response(request, BODY, "application/json").status_code == 200


def test_conditional_response_304_on_if_modified_since():
    request = RequestFactory().get(
        "/", headers={"If-Modified-Since": http_date(MODIFIED.timestamp())}
    )
    response = conditional_response(request, BODY, "application/json", last_modified=MODIFIED)
    assert response.status_code == 304


def test_conditional_response_archived_is_long_lived_never_immutable():
    response = conditional_response(RequestFactory().get("/"), BODY, "x", immutable=True)
    assert response["Cache-Control"] == "public, max-age=86400, stale-while-revalidate=604800"
    assert "immutable" not in response["Cache-Control"]
