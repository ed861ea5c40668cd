"""The public site in Chromium at phone width: Lighthouse-style basics on every kind of page,
and the embeddable widget on a partner page of another origin.

Uses the browser suite's fixtures (tests/browser/conftest.py): `server` (gunicorn with the
demo) and `browser_page` (an anonymous visitor, console errors and requests recorded).
"""

import functools
import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator

import pytest

PHONE = {"width": 390, "height": 844}

PAGES = {
    "home": "/",
    "series": "/assises/",
    "edition": "/assises/amboise-2024/",
    "programme": "/assises/amboise-2024/#programme",
    "archived edition": "/assises/uzes-2019/",
    "speakers": "/intervenants/",
    "speaker": "/intervenants/andre-robert/",
    "press room": "/presse/",
    "communique": "/presse/les-petites-villes-en-congres-a-amboise/",
}

HEADINGS = "Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'), h => +h.tagName[1])"


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize("name", list(PAGES))
def test_public_page_basics_at_phone_width(browser_page, server, name):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(PAGES[name])
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")

    assert page.console_errors == []
    assert page.failed_requests == []
    assert {_origin(url) for url in page.requests} == {server.base}

    levels = page.evaluate(HEADINGS)
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels

    assert page.evaluate("document.querySelectorAll('img:not([alt])').length") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("document.fonts.check('1em \"Atkinson Hyperlegible\"')")
    assert any(url.endswith(".woff2") for url in page.requests)


def test_skip_link_is_first_and_visible_on_focus(browser_page):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"


def test_phone_numbers_never_wrap_on_a_phone(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(PAGES["communique"])
    phones = page.locator("a.tel")
    assert phones.count() == 4
    for i in range(phones.count()):
        phone = phones.nth(i)
        assert phone.evaluate("a => getComputedStyle(a).whiteSpace") == "nowrap"
        assert phone.evaluate("a => a.getClientRects().length") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_speaker_page_lists_sessions_with_edition_day_time_role(browser_page):
    page = browser_page
    page.goto(PAGES["speaker"])
    items = page.locator("#participations ~ ul li")
    assert items.count() == 3  # two sessions at Amboise, the latest edition first, one at Uzès
    assert "Jeudi 19 septembre 2019, 14h00–14h30" in items.last.inner_text()


PARTNER_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Partenaire</title><link rel="icon" href="data:,">
<style>assises-programme {{ --assises-accent: rgb(200, 0, 0); }}</style></head>
<body><h1>Site partenaire</h1>
<script>window.hacked = false;</script>
<assises-programme></assises-programme>
<assises-communiques limit="5"></assises-communiques>
<script src="{base}/static/assises/widget.js"></script>
</body></html>
"""


@pytest.fixture
def partner_site(server, tmp_path) -> Iterator[str]:
    """A static page on another loopback origin embedding the widget with one script tag."""
    (tmp_path / "index.html").write_text(PARTNER_PAGE.format(base=server.base))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def hostile_communique(server) -> str:
    """A published communiqué whose title is markup: the widget must show it as text."""
    title = '<img src=x onerror="window.hacked=true"> & <b>gras</b>'
    server.shell(
        "import datetime\n"
        "from press.models import CommuniquePage, PressIndexPage\n"
        "room = PressIndexPage.objects.get()\n"
        "if not CommuniquePage.objects.filter(slug='titre-balise').exists():\n"
        f"    page = CommuniquePage(title={title!r}, slug='titre-balise',"
        " publication_date=datetime.date(2020, 1, 2), lead='Chapô <i>brut</i>.')\n"
        "    room.add_child(instance=page)\n"
        "    page.save_revision().publish()\n"
        "print('ok')"
    )
    return title


def _expected_edition(server) -> dict:
    """What the widget must show: the current edition, else the latest (as the API says)."""
    status, _headers, body = server.get("/api/v1/editions/current/")
    if status == 404:
        latest = json.loads(server.get("/api/v1/editions/?limit=1")[2])["results"][0]
        status, _headers, body = server.get(f"/api/v1/editions/{latest['id']}/")
    assert status == 200
    return json.loads(body)


def test_widget_renders_programme_and_communiques_on_another_origin(
    browser_page, server, partner_site, hostile_communique
):
    page = browser_page
    page.goto(partner_site)
    edition = _expected_edition(server)
    programme = page.locator("assises-programme")
    programme.locator("li.session").first.wait_for()
    assert programme.locator("h2").inner_text() == edition["title"]
    assert programme.locator("li.session").count() == len(edition["sessions"])
    if edition["slug"] == "amboise-2024":
        days = [h.inner_text() for h in programme.locator("h3").all()]
        assert days == ["Vendredi 14 juin", "Samedi 15 juin"]
        sessions = " ".join(programme.locator("li.session").all_inner_texts())
        assert "Laurent Berger (grand témoin)" in sessions
    accent = programme.locator("h2 a").evaluate("a => getComputedStyle(a).color")
    assert accent == "rgb(200, 0, 0)"

    communiques = page.locator("assises-communiques")
    communiques.locator("li.communique").first.wait_for()
    titles = [a.inner_text() for a in communiques.locator("li.communique a").all()]
    latest = json.loads(server.get("/api/v1/communiques/?limit=5")[2])["results"]
    assert titles == [c["title"] for c in latest]
    assert hostile_communique in titles
    assert communiques.locator("img, b, i").count() == 0
    assert page.evaluate("window.hacked") is False

    page_origin = _origin(partner_site)
    assert page_origin != server.base
    assert {_origin(url) for url in page.requests} == {page_origin, server.base}
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
