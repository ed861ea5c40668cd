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


@pytest.mark.parametrize("query", ["limit=1&limit=2", "offset=0&offset=5", "locale=fr&locale=en"])
def test_single_valued_parameter_given_twice_is_400(client, db, query):
    response = client.get(f"/api/v1/sessions/?{query}")
    assert_parameter_error(response, query.partition("=")[0])


def test_filters_that_take_several_values_may_repeat(client, db):
    response = client.get("/api/v1/sessions/?topic=zan&topic=logement")
    assert response.status_code == 200


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


# -- the contract ------------------------------------------------------------------------------


@pytest.fixture
def spec(client, db):
    import yaml

    return yaml.safe_load(client.get("/api/v1/schema/").content)


def test_every_operation_declares_its_json_errors(spec):
    assert spec["components"]["schemas"]["Error"]["required"] == ["errors"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "404", "406"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method)


def test_limit_and_offset_bounds_are_declared(spec):
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/editions/"]["get"]["parameters"]}
    assert parameters["limit"]["schema"]["minimum"] == 1
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert parameters["offset"]["schema"]["minimum"] == 0


def test_operation_ids_are_unique(spec):
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert not [i for i in ids if i[-2:] in ("_2", "_3")]


@pytest.mark.parametrize("url", ["/api/v1/editions/", "/api/v1/topics/?search=zan"])
def test_content_negotiation_does_not_depend_on_the_cache(client, db, url):
    assert client.get(url).status_code == 200  # now cached
    for _attempt in ("cold", "warm"):
        response = client.get(url, headers={"Accept": "application/xml"})
        assert response.status_code == 406
        assert response.json()["errors"][0]["message"]
    assert client.get(url, headers={"Accept": "application/*"}).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/editions/", "/api/v1/organisation/", "/api/v1/find/"])
def test_unknown_format_is_406_naming_the_parameter(client, db, url):
    response = client.get(url, {"format": "xml", "path": "/"})
    assert response.status_code == 406
    error = response.json()["errors"][0]
    assert error["parameter"] == "format" and "json" in error["message"]


def test_fields_made_of_commas_is_400(client, db):
    assert_parameter_error(client.get("/api/v1/editions/", {"fields": ","}), "fields")
    assert_parameter_error(client.get("/api/v1/topics/zan/", {"fields": " , "}), "fields")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/editions/abc/",
        "/api/v1/sessions/123/",
        "/api/v1/nowhere/",
        "/api/v1/editions/zz.jsonld",
        "/feeds/communiques/editions/abc.json",
        "/calendars/editions/x.ics",
    ],
)
def test_malformed_ids_are_json_404(client, db, url):
    response = client.get(url, follow=True)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["message"]


def test_pages_keep_their_html_404(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


READ_ONLY = [
    "/feeds/communiques.json",
    "/feeds/communiques.rss",
    "/feeds/communiques/topics/zan.atom",
    "/calendars/editions/{edition}.ics",
    "/schedules/editions/{edition}/schedule.xml",
    "/schedules/editions/{edition}/schedule.json",
    "/api/v1/editions/{edition}.jsonld",
    "/sitemap.xml",
    "/sitemap-news.xml",
]


@pytest.mark.parametrize("url", READ_ONLY)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_read_only_channels_answer_405(client, amboise, url, method):
    from django.test import Client

    csrf_checking = Client(enforce_csrf_checks=True)
    response = getattr(csrf_checking, method)(url.format(edition=amboise.pk))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize("url", READ_ONLY)
def test_read_only_channels_still_answer_get_head_and_options(client, amboise, url):
    url = url.format(edition=amboise.pk)
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    options = client.options(url)
    assert options.status_code == 200 and "GET" in options["Allow"]


@pytest.mark.parametrize("method", ["post", "delete", "trace"])
def test_api_answers_405_too(client, db, method):
    response = getattr(client, method)("/api/v1/editions/")
    assert response.status_code == 405
    assert response.json()["errors"][0]["message"]
