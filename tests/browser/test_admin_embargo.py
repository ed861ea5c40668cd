"""A communiqué under embargo two days ahead shows on no public channel until it is lifted
with « Publier maintenant », after which every channel shows it."""

import datetime
import json
import zoneinfo

from tests.browser.admin import action, publish, schedule, success_message

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TITLE = "Les petites villes demandent un moratoire sur les fermetures de classes"
SLUG = "les-petites-villes-demandent-un-moratoire-sur-les-fermetures-de-classes"
CHANNELS = [
    "/api/v1/communiques/?limit=100",
    "/feeds/communiques.json",
    "/feeds/communiques.rss",
    "/feeds/communiques.atom",
    "/sitemap.xml",
    "/sitemap-news.xml",
]


def _public_answers(server, page_id: int) -> dict[str, tuple[int, bool]]:
    """For every channel: its status and whether it shows the communiqué."""
    answers = {}
    for path in [*CHANNELS, f"/api/v1/communiques/{page_id}/", f"/presse/{SLUG}/"]:
        status, _headers, body = server.get(path)
        text = body.decode(errors="replace")
        answers[path] = (status, "moratoire sur les fermetures" in text or SLUG in text)
    return answers


def test_admin_embargo_hides_a_communique_until_published_now(admin_page, server, site_ids):
    page = admin_page
    page.goto(f"/admin/pages/add/assises_press/communiquepage/{site_ids['press']}/")
    page.locator("input[name=title]").fill(TITLE)
    printed = page.get_by_label("Date imprimée sur le communiqué")
    printed.fill(datetime.datetime.now(PARIS).date().isoformat())
    page.locator("textarea[name=lead]").fill("L'APVF demande un moratoire.")
    go_live = datetime.datetime.now(PARIS) + datetime.timedelta(days=2)
    schedule(page, go_live.strftime("%Y-%m-%d %H:%M"))
    publish(page)  # with a go-live date ahead, Wagtail schedules it
    scheduled = success_message(page)
    assert "planifiée" in scheduled, scheduled  # « … a été planifiée pour publication. »

    page_id = int(
        server.shell(
            "from press.models import CommuniquePage;"
            f"print(CommuniquePage.objects.get(slug={SLUG!r}).pk)"
        )
    )
    answers = _public_answers(server, page_id)
    assert {path: shown for path, (_status, shown) in answers.items() if shown} == {}
    assert answers[f"/api/v1/communiques/{page_id}/"][0] == 404
    assert answers[f"/presse/{SLUG}/"][0] == 404

    page.goto(f"/admin/pages/{page_id}/edit/")
    action(page, "Publier maintenant")
    assert "est en ligne" in success_message(page)

    answers = _public_answers(server, page_id)
    assert {path: status for path, (status, shown) in answers.items() if not shown} == {}
    detail = json.loads(server.get(f"/api/v1/communiques/{page_id}/")[2])
    assert detail["title"] == TITLE
    assert page.console_errors == []
