"""Creating a speaker: no title or slug to type, errors on the field that caused them, and the
biography typed is still there after a failed save."""

from tests.browser.admin import publish, success_message
from tests.browser.slow import COOKIE


def test_admin_speaker_created_with_a_slug_from_the_name(admin_page, server, site_ids):
    page = admin_page
    page.goto(f"/admin/pages/add/assises_events/speakerpage/{site_ids['speakers']}/")
    page.locator("input[name=given_name]").fill("Sylvie")
    page.locator("input[name=family_name]").fill("Renard-Dubois")
    publish(page)
    success_message(page)
    status, _headers, body = server.get("/intervenants/sylvie-renard-dubois/")
    assert status == 200 and "Renard-Dubois" in body.decode()
    assert page.console_errors == []


def test_admin_speaker_failed_save_keeps_the_biography(admin_page, site_ids):
    page = admin_page
    page.goto(f"/admin/pages/add/assises_events/speakerpage/{site_ids['speakers']}/")
    page.locator("input[name=given_name]").fill("Marc")
    editor = page.locator("[data-contentpath=biography] [contenteditable=true]")
    editor.click()
    page.keyboard.type("Maire de Villefranche depuis 2014.")
    page.wait_for_timeout(600)  # a person's pause: Draftail saves its state every 250 ms
    publish(page)  # the family name is missing

    error = page.locator("#panel-child-identite-child-panel-child-family_name-errors")
    error.wait_for()
    assert "Champ requis." in error.inner_text()
    assert page.get_by_role("tab", name="Identité").get_attribute("aria-selected") == "true"
    assert "Maire de Villefranche depuis 2014." in editor.inner_text()
    assert page.locator("input[name=given_name]").input_value() == "Marc"


def test_admin_publish_right_after_typing_creates_one_page(admin_page, server, site_ids):
    """Publishing within autosave's pause, while publishing is slow, must not race autosave into
    creating the page first (which turned the publish into « slug déjà utilisé »)."""
    page = admin_page
    page.context.add_cookies([{"name": COOKIE, "value": "4", "url": server.base}])
    page.goto(f"/admin/pages/add/assises_events/speakerpage/{site_ids['speakers']}/")
    page.wait_for_timeout(2500)  # Wagtail takes the form's first state 2 s after loading it
    page.locator("input[name=given_name]").fill("Odile")
    page.locator("input[name=family_name]").fill("Marchand-Perret")
    publish(page, pause=False)  # autosave still pending
    success_message(page)
    count = server.shell(
        "from events.models import SpeakerPage;"
        "print(SpeakerPage.objects.filter(family_name='Marchand-Perret').count())"
    )
    assert count == "1"
