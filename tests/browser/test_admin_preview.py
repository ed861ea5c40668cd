"""Wagtail's preview panel shows the page being edited, unsaved changes included."""


def test_admin_preview_shows_unsaved_changes(admin_page, server):
    page_id = int(
        server.shell(
            "from press.models import CommuniquePage;"
            "print(CommuniquePage.objects.get(slug='les-petites-villes-en-congres-a-amboise').pk)"
        )
    )
    page = admin_page
    page.goto(f"/admin/pages/{page_id}/edit/")
    page.locator("input[name=title]").fill("Titre relu avant publication")
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    # Wagtail swaps in a fresh iframe on each refresh: wait for one showing the typed title.
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-side-panel='preview'] iframe")].some(
            (frame) => frame.contentDocument?.body?.innerText.includes(
                "Titre relu avant publication"))""",
        timeout=20_000,
    )
    # Previewing publishes nothing.
    assert b"Titre relu avant publication" not in server.get(f"/api/v1/communiques/{page_id}/")[2]
    assert page.console_errors == []
