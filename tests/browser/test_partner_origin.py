"""A partner's page on another origin fetches the API with fetch() and renders it (CORS)."""

import functools
import http.server
import json
import threading

import pytest

from tests.test_end_to_end import _free_port

PARTNER_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Partenaire</title>
<link rel="icon" href="data:,"></head>
<body><h1>Nos communiqués</h1><ul id="communiques"></ul>
<script>
fetch("%(api)s/api/v1/communiques/?limit=5")
  .then((response) => response.json())
  .then((data) => {
    const list = document.getElementById("communiques");
    for (const item of data.results) {
      const li = document.createElement("li");
      li.textContent = item.title;
      list.appendChild(li);
    }
    document.body.dataset.loaded = "yes";
  })
  .catch((error) => { document.body.dataset.loaded = "error: " + error; });
</script></body></html>
"""


@pytest.fixture
def partner_site(tmp_path, server):
    (tmp_path / "index.html").write_text(PARTNER_PAGE % {"api": server.base})
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_partner_origin_page_renders_the_api(browser_page, partner_site, server):
    page = browser_page
    page.goto(partner_site + "/index.html")
    page.wait_for_function("document.body.dataset.loaded !== undefined")
    assert page.evaluate("document.body.dataset.loaded") == "yes"
    items = page.locator("#communiques li").all_inner_texts()
    api = json.loads(server.get("/api/v1/communiques/?limit=5")[2])
    assert items == [item["title"] for item in api["results"]] != []
    assert page.console_errors == []
