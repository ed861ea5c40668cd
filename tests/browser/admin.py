"""What an editor does in Wagtail's admin, step by step, for the browser tests."""

from __future__ import annotations

import re

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
    save = dialog.get_by_role("button", name="Enregistrer la programmation")
    field.fill(go_live)
    # Leave the field for the button as a keyboard user does: the date picker closes on blur
    # (keeping a valid typed value). A mouse click could land on the picker instead when it
    # opens late on a loaded machine, picking another day, which Wagtail then publishes at once.
    save.focus()
    expect(field).to_have_value(go_live)
    save.press("Enter")  # a submit button: the draft is saved with its schedule, page reloads
    panel = open_status_panel(page)
    panel.get_by_text("Une fois publié :", exact=True).wait_for()
    expect(page.locator("input[name=go_live_at]")).to_have_value(go_live)
    dialog.locator("input[name=go_live_at]").wait_for(state="hidden")
