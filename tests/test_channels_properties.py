"""Feeds, calendars, schedules and sitemaps are not in the OpenAPI document, so schemathesis
never sees them: Hypothesis throws arbitrary ids and query strings at them instead.

Whatever the input, the answer is a 2xx/3xx, a 404, or a 400 with the API's JSON error body;
never a server error.
"""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TEMPLATES = [
    "/feeds/communiques.{fmt}",
    "/feeds/communiques/topics/{slug}.{fmt}",
    "/feeds/communiques/editions/{id}.{fmt}",
    "/calendars/editions/{id}.ics",
    "/calendars/speakers/{id}.ics",
    "/calendars/series/{id}.ics",
    "/calendars/sessions/{uuid}.ics",
    "/schedules/editions/{id}/schedule.xml",
    "/schedules/editions/{id}/schedule.json",
    "/api/v1/editions/{id}.jsonld",
    "/sitemap.xml",
    "/sitemap-news.xml",
]

ids = st.one_of(
    st.integers(min_value=0, max_value=2**70).map(str),
    st.integers(min_value=-(2**70), max_value=-1).map(str),
    st.text(min_size=1, max_size=30),
)
slugs = st.one_of(st.from_regex(r"[a-z0-9-]{1,40}", fullmatch=True), st.text(max_size=30))
uuids = st.one_of(st.uuids().map(str), st.text(max_size=40))
formats = st.sampled_from(["json", "rss", "atom", "xml", ""])
names = st.one_of(
    st.sampled_from(["locale", "p", "format", "limit", "offset", "search"]), st.text(max_size=20)
)
values = st.one_of(
    st.sampled_from(["fr", "en", "1", "2", "0", "", "9" * 30, "-1"]),
    st.text(max_size=60),
    st.text(min_size=400, max_size=700),
)
queries = st.lists(st.tuples(names, values), max_size=6)


@pytest.mark.django_db
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    template=st.sampled_from(TEMPLATES),
    object_id=ids,
    slug=slugs,
    uuid=uuids,
    fmt=formats,
    query=queries,
)
def test_channels_never_answer_a_server_error(client, template, object_id, slug, uuid, fmt, query):
    path = template.format(
        id=quote(object_id, safe=""), slug=quote(slug, safe=""), uuid=quote(uuid, safe=""), fmt=fmt
    )
    url = path + ("?" + urlencode(query) if query else "")
    response = client.get(url)
    assert response.status_code < 500, url
    assert response.status_code in (200, 301, 302, 304, 400, 404), (url, response.status_code)
    if response.status_code == 400:
        assert response["Content-Type"].startswith("application/json"), url
        assert response.json()["errors"][0]["message"], url
