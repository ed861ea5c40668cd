"""OpenAPI generation hooks: document our public API, not Wagtail's internal admin API."""


def only_public_api(endpoints: list, **kwargs) -> list:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
