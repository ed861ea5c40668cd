"""A visitor who follows a dead link gets the site's French 404 page."""


def test_public_404_is_french(browser_page):
    response = browser_page.goto("/cette-page-n-existe-pas/")
    assert response.status == 404
    assert browser_page.locator("html").get_attribute("lang") == "fr"
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Page introuvable"
    assert browser_page.get_by_role("link", name="Retour à l’accueil").is_visible()
