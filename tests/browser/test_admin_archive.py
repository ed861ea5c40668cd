"""« Archiver » is a visible button in a past edition's header; once archived, the edition can
be neither deleted nor moved, and the admin says why."""

from tests.browser.admin import success_message


def _past_edition(server) -> int:
    code = (
        "import datetime; from events.models import CongressSeriesPage, CongressEditionPage;"
        "series = CongressSeriesPage.objects.get(slug='assises');"
        "e = CongressEditionPage.objects.filter(number=42).first() or series.add_child("
        "instance=CongressEditionPage(title='Assises — Laval 2018', slug='laval-2018',"
        " number=42, start_date=datetime.date(2018, 6, 7), end_date=datetime.date(2018, 6, 8),"
        " host_town='Laval'));"
        "e.save_revision().publish(); print(e.pk)"
    )
    return int(server.shell(code))


def test_admin_archive_from_the_header_then_no_delete_or_move(admin_page, server):
    edition_id = _past_edition(server)
    page = admin_page
    page.goto(f"/admin/pages/{edition_id}/edit/")
    header = page.locator("header").first
    header.get_by_role("link", name="Archiver", exact=True).first.click()
    page.get_by_role("button", name="Oui, l'archiver").click()
    assert "archivée" in success_message(page)

    header = page.locator("header").first
    assert header.get_by_role("link", name="Désarchiver", exact=True).first.is_visible()
    header.get_by_role("button", name="Actions").click()
    menu_items = [item.inner_text().strip() for item in header.locator("[role=menuitem], a").all()]
    assert "Supprimer" not in menu_items and "Déplacer" not in menu_items
    assert page.get_by_text(
        "Désarchivez-la pour la modifier, la déplacer ou la supprimer."
    ).is_visible()

    # Typed by hand, the delete and move addresses are refused too.
    page.goto(f"/admin/pages/{edition_id}/delete/")
    assert f"/admin/pages/{edition_id}/delete/" not in page.url
    page.goto(f"/admin/pages/{edition_id}/move/")
    assert f"/admin/pages/{edition_id}/move/" not in page.url
    assert server.get("/api/v1/editions/?status=archived&limit=100")[0] == 200
    assert b"laval-2018" in server.get(f"/api/v1/editions/{edition_id}/")[2]
