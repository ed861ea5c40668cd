"""The API documentation pages load everything from our origin: they work offline."""

import pytest


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/docs/redoc/"])
def test_api_docs_make_no_request_outside_the_site(browser_page, server, path):
    page = browser_page
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.get_by_text("Assises API").first.wait_for()
    outside = [
        url
        for url in page.requests
        if not url.startswith((server.base, "data:", "blob:")) and url not in page.blocked_requests
    ]
    assert outside == []
    assert page.failed_requests == []
