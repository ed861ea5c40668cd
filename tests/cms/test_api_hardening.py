"""What an outside fuzzer found: inputs that made the site answer 500, and the contract gaps.

Each case is a request a client may send; the answer must be a 4xx with the API's JSON error
body (`{"errors": [{"parameter", "message"}]}`), never a server error. Run on SQLite and, with
`DATABASE_URL=postgres://…`, on PostgreSQL: several causes were specific to one database.
"""

import pytest

LISTS = [
    "/api/v1/series/",
    "/api/v1/editions/",
    "/api/v1/sessions/",
    "/api/v1/speakers/",
    "/api/v1/communiques/",
    "/api/v1/topics/",
    "/api/v1/contacts/",
]
HUGE = str(2**63)


def assert_parameter_error(response, parameter: str | None) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert errors and errors[0]["message"]
    if parameter is not None:
        assert parameter in [error["parameter"] for error in errors]


# -- the eight causes of HTTP 500 --------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("offset", [HUGE, "9" * 40, "-" + "9" * 40])
def test_huge_offset_is_400(client, db, url, offset):
    assert_parameter_error(client.get(url, {"offset": offset}), "offset")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/sessions/", "topic"),
        ("/api/v1/sessions/", "kind"),
        ("/api/v1/communiques/", "topic"),
        ("/api/v1/find/", "path"),
        ("/api/v1/editions/", "search"),
    ],
)
def test_nul_byte_in_a_parameter_is_400(client, db, url, parameter):
    assert_parameter_error(client.get(url, {parameter: "logement\x00"}), parameter)


@pytest.mark.parametrize("url", ["/api/v1/editions/", "/api/v1/sessions/", "/api/v1/communiques/"])
def test_last_possible_day_in_date_to_is_400(client, db, url):
    assert_parameter_error(client.get(url, {"date_to": "9999-12-31"}), "date_to")


@pytest.mark.parametrize("parameter", ["date_from", "date_to", "modified_since"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"])
def test_datetime_whose_offset_leaves_the_calendar_is_400(client, db, parameter, value):
    assert_parameter_error(client.get("/api/v1/sessions/", {parameter: value}), parameter)


@pytest.mark.parametrize("parameter", ["date_from", "date_to", "modified_since"])
def test_year_one_is_400(client, db, parameter):
    assert_parameter_error(client.get("/api/v1/editions/", {parameter: "0001-01-01"}), parameter)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("search", ['"', 'logement "social', "AND OR NOT", "*", "a:b", "(x"])
def test_search_syntax_characters_never_break_the_query(client, db, url, search):
    response = client.get(url, {"search": search})
    assert response.status_code == 200, response.content[:300]
    assert "results" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        f"/feeds/communiques/editions/{HUGE}.json",
        f"/feeds/communiques/editions/{HUGE}.rss",
        f"/calendars/editions/{HUGE}.ics",
        f"/calendars/speakers/{HUGE}.ics",
        f"/calendars/series/{HUGE}.ics",
        f"/schedules/editions/{HUGE}/schedule.xml",
        f"/schedules/editions/{HUGE}/schedule.json",
        f"/api/v1/editions/{HUGE}/",
        f"/api/v1/editions/{HUGE}.jsonld",
    ],
)
def test_ids_out_of_range_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_huge_negative_offset_with_control_characters_in_search_on_contacts(client, db):
    response = client.get(
        "/api/v1/contacts/", {"offset": "-" + "9" * 30, "search": "\x1b\x07presse\x0b"}
    )
    assert response.status_code == 400
    assert {e["parameter"] for e in response.json()["errors"]} <= {"offset", "search"}


# -- bounded query parameters ------------------------------------------------------------------


@pytest.mark.parametrize("parameter", ["search", "topic", "fields"])
def test_overlong_parameter_is_400(client, db, parameter):
    assert_parameter_error(client.get("/api/v1/sessions/", {parameter: "a" * 5000}), parameter)


@pytest.mark.parametrize("parameter", ["limit", "locale", "status", "offset", "year"])
def test_empty_value_is_400(client, db, parameter):
    assert_parameter_error(client.get("/api/v1/editions/", {parameter: ""}), parameter)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1f", "\x7f", "\u2028"])
def test_control_characters_are_rejected_on_feeds_and_exports(client, db, char):
    response = client.get("/feeds/communiques.json", {"locale": "fr" + char})
    assert_parameter_error(response, "locale")
    response = client.get("/sitemap.xml", {"p": "1" + char})
    assert_parameter_error(response, "p")


def test_refusals_are_translated_like_every_api_message(client, db):
    response = client.get(
        "/api/v1/editions/", {"search": "a\x00"}, headers={"Accept-Language": "fr"}
    )
    assert response.json()["errors"][0]["message"] == (
        "Les caractères de contrôle ne sont pas autorisés."
    )
