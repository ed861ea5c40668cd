"""What an editor does in Wagtail's admin, step by step, for the browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import expect

# Wagtail's unsaved-changes check runs every 500 ms and notifies 530 ms later; autosave then
# shows « saving » while its own 500 ms debounce and the request run.
AUTOSAVE_NOTICE_MS = 2000


def settle_autosave(page) -> None:
    """Let Wagtail's autosave finish what the last keystrokes started, as a person's pause does.

    On a new page, autosave creates the page. A submit sent while that save is still pending races
    it: when the autosave commits first, the submitted form fails on « slug déjà utilisé » and the
    editor sees the add form again (what CI met with a ten-session edition).
    """
    if not page.locator("#w-autosave-indicator").count():
        return
    page.wait_for_timeout(AUTOSAVE_NOTICE_MS)
    page.wait_for_function(
        "() => document.querySelector('#w-autosave-indicator')"
        "?.getAttribute('data-w-autosave-state-value') !== 'saving'"
    )


def action(page, name: str) -> None:
    """Click an action of the edit page's footer, opening « Plus d'actions » if needed."""
    settle_autosave(page)
    button = page.locator("footer").get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    button.click()


def publish(page, *, pause: bool = True) -> None:
    """« Publier », or « Programmer pour publication » when a go-live date lies ahead.

    `pause=False` clicks at once, as an editor in a hurry does, while autosave may be pending.
    """
    if pause:
        settle_autosave(page)
    button = page.locator("footer button[name=action-publish]")
    if not button.is_visible():
        page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    button.click()


def success_message(page) -> str:
    """The admin's success message; if none comes, fail with what the page said instead."""
    message = page.locator(".messages .success, .messages li.success").first
    try:
        message.wait_for()
    except Exception as error:  # noqa: BLE001 - re-raised with the page's own words
        said = page.locator(".messages, .error-message, .help-critical").all_inner_texts()
        raise AssertionError(f"no success message at {page.url}; the page says: {said}") from error
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
    settle_autosave(page)
    save.press("Enter")  # a submit button: the draft is saved with its schedule, page reloads
    panel = open_status_panel(page)
    panel.get_by_text("Une fois publié :", exact=True).wait_for()
    expect(page.locator("input[name=go_live_at]")).to_have_value(go_live)
    dialog.locator("input[name=go_live_at]").wait_for(state="hidden")
