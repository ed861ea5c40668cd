def test_communiques_list_and_detail(api, communique, amboise):
    body = api.get("/api/v1/communiques/").json_body
    assert body["count"] == 1
    item = body["results"][0]
    assert item["publication_date"] == "2024-04-03"
    assert item["dateline_place"] == "Paris"
    assert item["related_editions"][0]["id"] == amboise.pk
    detail = api.get(f"/api/v1/communiques/{communique.pk}/").json_body
    assert [c["name"] for c in detail["contacts"]] == ["André ROBERT", "Marie COULET"]
    assert detail["contacts"][0]["phones"][1] == {
        "number": "+33680842753",
        "national": "06 80 84 27 53",
        "kind": "mobile",
    }
    assert "fédère depuis 1990" in detail["boilerplate"]["text"]
    assert detail["jsonld"]["@type"] == "NewsArticle"


def test_communiques_filters(api, communique, amboise):
    cases = {
        "year=2024": 1,
        "year=2023": 0,
        "date_from=2024-04-03&date_to=2024-04-03": 1,
        "date_to=2024-04-02": 0,
        f"edition={amboise.pk}": 1,
        "edition=999999": 0,
        "topic=zan": 1,
        "topic=inconnu": 0,
        "search=Amboise": 1,
        "modified_since=2000-01-01": 1,
        "modified_since=2999-01-01T00:00:00Z": 0,
    }
    for query, count in cases.items():
        assert api.get(f"/api/v1/communiques/?{query}").json_body["count"] == count, query


def test_contacts_and_topics_endpoints(api):
    contacts = api.get("/api/v1/contacts/").json_body["results"]
    assert [c["email"] for c in contacts] == ["arobert@apvf.asso.fr", "mcoulet@apvf.asso.fr"]
    topic = api.get("/api/v1/topics/zan/").json_body
    assert topic["name"] == "ZAN"
    assert api.get("/api/v1/topics/?search=logement").json_body["count"] == 1


def test_organisation_endpoint(api):
    body = api.get("/api/v1/organisation/").json_body
    assert body["acronym"] == "APVF"
    assert body["jsonld"]["@type"] == "Organization"


def test_search_matches_accented_and_inflected_words(api, communique):
    """French full text: PostgreSQL stems (« congrès » finds « Congrès », « villes » « ville »)."""
    from django.db import connection

    assert api.get("/api/v1/communiques/?search=Congrès").json_body["count"] == 1
    assert api.get("/api/v1/communiques/?search=zzzinconnu").json_body["count"] == 0
    if connection.vendor == "postgresql":
        assert api.get("/api/v1/communiques/?search=ville").json_body["count"] == 1
        assert api.get("/api/v1/communiques/?search=témoins").json_body["count"] == 1
