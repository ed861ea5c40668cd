"""A communiqué imported from the admin's Importer: uploaded, previewed, created as a draft."""

from tests.test_end_to_end import ROOT

FILE = ROOT / "tests" / "fixtures" / "import" / "communique-2018-05-16-villes.md"


def test_admin_import_creates_a_draft_communique(admin_page, server):
    page = admin_page
    page.goto("/admin/")
    page.get_by_role("link", name="Importer", exact=True).click()
    page.locator("input[type=file]").first.set_input_files(str(FILE))
    page.get_by_role("button", name="Analyser le fichier").click()
    page.get_by_role("button", name="Créer le brouillon").click()
    page.wait_for_url("**/admin/pages/*/edit/")
    title = page.locator("input[name=title]").input_value()
    assert title
    # A draft: nothing public about it.
    page_id = page.url.rstrip("/").split("/")[-2]
    assert server.get(f"/api/v1/communiques/{page_id}/")[0] == 404
    assert title.encode() not in server.get("/feeds/communiques.json")[2]
    assert page.console_errors == []
