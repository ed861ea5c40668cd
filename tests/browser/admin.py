"""What an editor does in Wagtail's admin, step by step, for the browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect


def action(page, name: str) -> None:
    """Click an action of the edit page's footer, opening « Plus d'actions » if needed."""
    button = page.locator("footer").get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    button.click()


def publish(page) -> None:
    """« Publier », or « Programmer pour publication » when a go-live date lies ahead."""
    button = page.locator("footer button[name=action-publish]")
    if not button.is_visible():
        page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    button.click()


def success_message(page) -> str:
    message = page.locator(".messages .success, .messages li.success").first
    message.wait_for()
    return message.inner_text()


def choose_page(page, opener, query: str, title: str) -> None:
    """Open a page chooser, search it, pick the page called `title`."""
    opener.click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[name=q]").fill(query)
    modal.get_by_role("link", name=title, exact=True).click()
    modal.wait_for(state="detached")


def open_status_panel(page):
    toggle = page.get_by_role("button", name="Afficher/masquer le statut")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return page.locator("[data-side-panel='status']")


def schedule(page, go_live: str) -> None:
    """Set « Mise en ligne programmée » in the scheduling dialog (`YYYY-MM-DD HH:MM`)."""
    panel = open_status_panel(page)
    panel.get_by_role("button", name=re.compile("^Programmer|Modifier la programmation")).click()
    dialog = page.locator("#schedule-publishing-dialog")
    field = dialog.locator("input[name=go_live_at]")
    field.fill(go_live)
    # The date picker rewrites the field as it opens and closes: wait until it holds the date,
    # or a loaded machine publishes at once and the test mistakes its own haste for a leak.
    expect(field).to_have_value(go_live)
    # Clicked like a person would: Playwright refuses if the date picker covers the button.
    # A click that only closes the date picker leaves the dialog open: a person clicks again.
    save = dialog.get_by_role("button", name="Enregistrer la programmation")
    scheduled = panel.get_by_text("Une fois publié :", exact=True)
    save.click()
    try:
        scheduled.wait_for(timeout=5_000)
    except PlaywrightTimeoutError:
        save.click()
        scheduled.wait_for()
    if dialog.locator("input[name=go_live_at]").is_visible():
        page.keyboard.press("Escape")
    dialog.locator("input[name=go_live_at]").wait_for(state="hidden")
