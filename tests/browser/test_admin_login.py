"""An editor logs in to the French admin and lands on a dashboard without errors."""


def test_admin_login_shows_the_french_dashboard(admin_page):
    admin_page.goto("/admin/")
    assert admin_page.locator("html").get_attribute("lang") == "fr"
    assert admin_page.get_by_role("link", name="Pages").first.is_visible()
    assert admin_page.console_errors == []


def test_admin_login_refuses_a_wrong_password_in_french(browser_page):
    browser_page.goto("/admin/login/")
    browser_page.locator("input[name=password]").fill("faux")
    browser_page.locator("input[name=username]").fill("personne")
    browser_page.locator("form button[type=submit]").click()
    message = browser_page.get_by_text("ne correspondent à aucun utilisateur")
    message.wait_for()
    assert message.is_visible()
