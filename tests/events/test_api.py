import pytest

from events.models import SpeakerPage


def test_editions_list_counts_and_orders_newest_first(api, amboise):
    response = api.get("/api/v1/editions/")
    assert response.status_code == 200
    body = response.json_body
    assert body["count"] == 2
    assert [e["slug"] for e in body["results"]] == ["amboise-2024", "uzes-2019"]
    assert "sessions" not in body["results"][0]  # lists carry summaries


def test_editions_list_full_documents_with_fields_star(api):
    body = api.get("/api/v1/editions/?fields=*").json_body
    assert len(body["results"][0]["sessions"]) == 10


def test_edition_detail_embeds_programme_with_roles_and_functions(api, amboise):
    body = api.get(f"/api/v1/editions/{amboise.pk}/").json_body
    assert body["theme"].startswith("Petites villes, le pari")
    assert body["host_town"] == {
        "name": "Amboise",
        "insee_code": "37003",
        "departement": "Indre-et-Loire",
        "region": "Centre-Val de Loire",
    }
    closing = next(s for s in body["sessions"] if s["kind"] == "cloture")
    assert closing["start"] == "2024-06-15T12:00:00+02:00"
    assert closing["participants"][0]["speaker"]["title"] == "Gabriel Attal"
    assert closing["participants"][0]["role"] == "cloture"
    assert closing["participants"][0]["function"] == "Premier ministre"
    assert body["jsonld"]["@type"] == "Event"
    assert body["url"].endswith("/assises/amboise-2024/")
    assert body["api_url"].endswith(f"/api/v1/editions/{amboise.pk}/")


def test_edition_filters_by_year_topic_speaker_and_dates(api, amboise):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    cases = {
        "year=2024": ["amboise-2024"],
        "year=2019": ["uzes-2019"],
        "topic=zan": ["amboise-2024"],
        "topic=zan,revitalisation": ["amboise-2024", "uzes-2019"],
        "topic=zan&topic=finances-locales": ["amboise-2024", "uzes-2019"],
        f"speaker={berger.pk}": ["amboise-2024"],
        "date_from=2024-06-15": ["amboise-2024"],
        "date_from=2024-06-16": [],
        "date_to=2019-09-19": ["uzes-2019"],
        "date_from=2019-01-01&date_to=2019-12-31": ["uzes-2019"],
        "status=past&ordering=start_date": ["uzes-2019", "amboise-2024"],  # archived included
        "status=upcoming": [],
        "status=archived": ["uzes-2019"],
        "ordering=number": ["uzes-2019", "amboise-2024"],
        "locale=fr&ordering=-number": ["amboise-2024", "uzes-2019"],
        "locale=en": [],
    }
    for query, expected in cases.items():
        body = api.get(f"/api/v1/editions/?{query}").json_body
        assert [e["slug"] for e in body["results"]] == expected, query


def test_edition_search_is_full_text(api):
    body = api.get("/api/v1/editions/?search=Amboise").json_body
    assert [e["slug"] for e in body["results"]] == ["amboise-2024"]
    assert api.get("/api/v1/editions/?search=introuvablexyz").json_body["count"] == 0


def test_current_edition_is_ongoing_or_next(api, amboise, series, committed):
    assert api.get("/api/v1/editions/current/").status_code == 404
    import datetime

    from events.models import CongressEditionPage

    future = CongressEditionPage(
        title="Assises 2031",
        slug="assises-2031",
        number=31,
        start_date=datetime.date(2031, 6, 5),
        end_date=datetime.date(2031, 6, 6),
        host_town="Blois",
    )
    with committed():
        series.add_child(instance=future)
        future.save_revision().publish()
    body = api.get("/api/v1/editions/current/").json_body
    assert body["slug"] == "assises-2031"


def test_sessions_filter_by_edition_and_speaker(api, amboise):
    borloo = SpeakerPage.objects.get(slug="jean-louis-borloo")
    body = api.get(f"/api/v1/sessions/?edition={amboise.pk}&limit=100").json_body
    assert body["count"] == 10
    assert body["results"][0]["title"] == "Ouverture des Assises"
    body = api.get(f"/api/v1/sessions/?speaker={borloo.pk}").json_body
    assert [s["title"] for s in body["results"]] == ["Grand témoin : le génie des maires"]
    assert body["results"][0]["edition"]["id"] == amboise.pk


def test_session_detail_by_uuid(api, amboise):
    session = amboise.sessions[0]
    body = api.get(f"/api/v1/sessions/{session['id']}/").json_body
    assert body["id"] == str(session["id"])
    assert body["edition"]["number"] == 26


def test_speaker_detail_lists_participations_across_editions(api):
    robert = SpeakerPage.objects.get(slug="andre-robert")
    body = api.get(f"/api/v1/speakers/{robert.pk}/").json_body
    editions = {p["edition"]["title"] for p in body["participations"]}
    assert len(editions) == 2
    assert {p["role"] for p in body["participations"]} == {"moderateur", "ouverture"}


def test_speakers_ordered_by_family_name(api):
    body = api.get("/api/v1/speakers/?limit=3").json_body
    assert [s["family_name"] for s in body["results"]] == ["Attal", "Béchu", "Berger"]


def test_series_lists_editions(api, series):
    body = api.get(f"/api/v1/series/{series.pk}/").json_body
    assert [e["number"] for e in body["editions"]] == [26, 22]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/editions/", "/api/v1/sessions/", "/api/v1/speakers/", "/api/v1/series/"],
)
def test_list_endpoints_need_three_queries_whatever_the_page_size(
    api, django_assert_num_queries, url
):
    """Collection version from the change log, count, rows; cached, only the version. The
    first read of a version also reads its next expiry, once."""
    for limit in (1, 100):
        with django_assert_num_queries(4 if limit == 1 else 3):
            assert api.get(f"{url}?limit={limit}").status_code == 200
        with django_assert_num_queries(1):  # then served from the list cache
            assert api.get(f"{url}?limit={limit}").status_code == 200


def test_filtered_list_needs_three_queries(api, amboise, django_assert_num_queries):
    api.get("/api/v1/sessions/")  # the version's next expiry, read once per version
    with django_assert_num_queries(3):
        url = f"/api/v1/sessions/?edition={amboise.pk}&topic=zan&date_from=2024-01-01"
        assert api.get(url).json_body["count"] == 1


def test_list_cache_is_invalidated_by_a_publish(api, amboise, committed):
    assert api.get("/api/v1/editions/").json_body["results"][0]["tagline"] != "Changé"
    amboise.tagline = "Changé"
    with committed():
        amboise.save_revision().publish()
    assert api.get("/api/v1/editions/").json_body["results"][0]["tagline"] == "Changé"


def test_detail_endpoints_need_one_query(api, amboise, django_assert_num_queries):
    robert = SpeakerPage.objects.get(slug="andre-robert")
    for url in (f"/api/v1/editions/{amboise.pk}/", f"/api/v1/speakers/{robert.pk}/"):
        # the kind's version, its next expiry (read once per version), then the document
        with django_assert_num_queries(3):
            first = api.get(url)
        with django_assert_num_queries(1):  # the version only: this process holds the bytes
            again = api.get(url)
        assert (again.status_code, again.content) == (200, first.content)
        with django_assert_num_queries(1):
            assert api.get(url, **{"If-None-Match": first["ETag"]}).status_code == 304


def test_current_edition_404_between_congresses_costs_what_a_cached_list_does(
    api, amboise, django_assert_num_queries
):
    first = api.get("/api/v1/editions/current/")
    assert first.status_code == 404
    assert first["Content-Type"] == "application/json"
    assert first.json_body["errors"][0]["message"]
    with django_assert_num_queries(1):  # the editions' version in the change log
        again = api.get("/api/v1/editions/current/")
    assert again.status_code == 404
    assert again.content == first.content
    api.get("/api/v1/editions/")
    with django_assert_num_queries(1):
        assert api.get("/api/v1/editions/").status_code == 200


def test_current_edition_cache_ends_with_the_edition(api, series, committed, settings):
    import datetime

    from django.core.cache import cache

    from events.models import CongressEditionPage

    settings.ASSISES = {**settings.ASSISES, "LIST_CACHE_SECONDS": 3600}
    ending = CongressEditionPage(
        title="Assises en cours",
        slug="assises-en-cours",
        number=40,
        start_date=datetime.date.today() - datetime.timedelta(days=1),
        end_date=datetime.date.today() + datetime.timedelta(days=1),
        host_town="Blois",
    )
    with committed():
        series.add_child(instance=ending)
        ending.save_revision().publish()
    assert api.get("/api/v1/editions/current/").json_body["slug"] == "assises-en-cours"
    key = next(k for k in cache._cache if "assises:current:" in k)
    remaining = cache._expire_info[key] - __import__("time").time()
    assert 0 < remaining <= 2 * 24 * 3600  # until the edition ends, not the hour


def test_status_past_includes_archived_editions(api, amboise):
    from events.models import CongressEditionPage

    assert CongressEditionPage.objects.get(slug="uzes-2019").archived  # the demo archives it
    body = api.get("/api/v1/editions/?status=past&ordering=start_date").json_body
    assert [e["slug"] for e in body["results"]] == ["uzes-2019", "amboise-2024"]
    body = api.get("/api/v1/editions/?status=archived").json_body
    assert [e["slug"] for e in body["results"]] == ["uzes-2019"]
    assert api.get("/api/v1/editions/?status=upcoming").json_body["count"] == 0


def test_openapi_declares_the_current_edition_404(client, db):
    import yaml

    spec = yaml.safe_load(client.get("/api/v1/schema/").content)
    operation = spec["paths"]["/api/v1/editions/current/"]["get"]
    assert "No edition is under way" in operation["responses"]["404"]["description"]
    assert operation["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_edition_shows_a_speaker_published_after_the_programme_named_them(
    api, amboise, speaker_index, committed
):
    import uuid

    speaker = SpeakerPage(given_name="Zorglub", family_name="Tardif", live=False)
    with committed():
        speaker_index.add_child(instance=speaker)
        programme = list(amboise.programme.raw_data)
        participant = {"speaker": speaker.pk, "role": "intervenant", "function": ""}
        programme[0]["value"]["participants"].append(
            {"type": "item", "id": str(uuid.uuid4()), "value": participant}
        )
        amboise.programme = programme
        amboise.save_revision().publish()
    url = f"/api/v1/editions/{amboise.pk}/"
    assert b"Tardif" not in api.get(url).content
    with committed():
        SpeakerPage.objects.get(pk=speaker.pk).save_revision().publish()
    assert b"Tardif" in api.get(url).content  # the edition was not published again
