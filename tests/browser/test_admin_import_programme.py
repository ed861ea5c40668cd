"""A programme imported from the admin's Importer: uploaded, previewed day by day, added to a
draft of the edition, and nothing of it public until an editor publishes."""

PROGRAMME = """Vendredi 14 juin
9H30 – 11H
Séance d'ouverture des ateliers importés
Salle des fêtes
14h
Atelier importé : la sobriété foncière
Samedi 15 juin
10h00 - 11h30 Plateau importé : les petites villes et l'eau
"""


def test_admin_import_adds_a_programme_to_a_draft_of_the_edition(admin_page, server, tmp_path):
    source = tmp_path / "programme-amboise.txt"
    source.write_text(PROGRAMME, encoding="utf-8")
    page = admin_page
    page.goto("/admin/events/import/")
    edition = page.locator("select[name=edition] option", has_text="Amboise").first
    page.locator("select[name=edition]").select_option(edition.get_attribute("value"))
    page.locator("input[type=file]").first.set_input_files(str(source))
    page.get_by_role("button", name="Analyser le fichier").click()

    # Each session with its day, its start and its room, before anything is written.
    page.get_by_role("button", name="Créer le brouillon").wait_for()  # the whole preview is in
    preview = page.locator("main").inner_text()
    assert "Vendredi 14 juin 2024" in preview and "Samedi 15 juin 2024" in preview
    for expected in ("09:30 – 11:00", "14:00", "10:00 – 11:30", "Salle des fêtes"):
        assert expected in preview, expected
    assert "Plateau importé : les petites villes et l'eau" in preview
    page.get_by_role("button", name="Créer le brouillon").click()
    page.wait_for_url("**/admin/pages/*/edit/")

    # A draft revision: the published programme, the API and the calendar know nothing of it.
    edition_id = page.url.rstrip("/").split("/")[-2]
    status, _headers, body = server.get(f"/api/v1/editions/{edition_id}/")
    assert status == 200
    assert "Plateau importé".encode() not in body
    assert "Plateau importé".encode() not in server.get("/api/v1/sessions/?limit=100")[2]
    assert page.console_errors == []
