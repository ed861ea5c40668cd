"""The OpenAPI document is valid and describes every field the responses contain.

Every response of the demo is validated against its schema with `additionalProperties: false`
added everywhere, so an undocumented field fails the test.
"""

import copy

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

ENDPOINTS = ["series", "editions", "sessions", "speakers", "communiques", "topics", "contacts"]


@pytest.fixture
def spec(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _closed(schema):
    """Forbid properties the schema does not name, recursively."""
    if isinstance(schema, dict):
        schema = {k: _closed(v) for k, v in schema.items()}
        if schema.get("type") == "object" and "properties" in schema:
            schema.setdefault("additionalProperties", False)
        return schema
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


def _validator(spec, path):
    operation = spec["paths"][path]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    root = {"$defs": {}, **_closed(copy.deepcopy(schema))}
    components = _closed(copy.deepcopy(spec["components"]["schemas"]))
    root["components"] = {"schemas": components}
    return Draft202012Validator(root)


def test_openapi_document_is_valid(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.1")


def test_openapi_lists_typed_parameters(spec):
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/editions/"]["get"]["parameters"]}
    expected = "date_from date_to year topic speaker status locale search modified_since ordering"
    assert {*expected.split(), "limit", "offset", "fields"} <= set(parameters)
    assert parameters["limit"]["schema"]["type"] == "integer"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_responses_match_schema(client, spec, endpoint):
    validator = _validator(spec, f"/api/v1/{endpoint}/")
    body = client.get(f"/api/v1/{endpoint}/?limit=100").json()
    errors = [e.message for e in validator.iter_errors(body)]
    assert errors == []
    assert body["count"] > 0


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_detail_responses_match_schema(client, spec, endpoint):
    items = client.get(f"/api/v1/{endpoint}/?limit=100&fields=api_url").json()["results"]
    detail_path = next(p for p in spec["paths"] if p.startswith(f"/api/v1/{endpoint}/{{"))
    validator = _validator(spec, detail_path)
    for item in items:
        body = client.get(item["api_url"].replace("http://127.0.0.1:8000", "")).json()
        assert [e.message for e in validator.iter_errors(body)] == [], item["api_url"]


def test_organisation_response_matches_schema(client, spec):
    validator = _validator(spec, "/api/v1/organisation/")
    assert [
        e.message for e in validator.iter_errors(client.get("/api/v1/organisation/").json())
    ] == []
