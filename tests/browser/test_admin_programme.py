"""An edition built from the programme editor: ten sessions, ten speakers with their roles;
sessions collapsed on the next visit with a one-line summary; a session without a day is an
error on its field, never a 500."""

import json

from tests.browser.admin import choose_page, publish, success_message

ROLES = ["intervenant", "moderateur", "grand_temoin", "ouverture", "cloture", "rapporteur"]
EXTRA_SPEAKERS = ["Nadia Lemaire", "Paul Ferrand"]


def _ten_speakers(server) -> list[str]:
    """The demo's eight speakers and two more, published."""
    code = (
        "from events.models import SpeakerIndexPage, SpeakerPage;"
        "index = SpeakerIndexPage.objects.get();"
        f"names = {EXTRA_SPEAKERS!r};"
        "[index.add_child(instance=SpeakerPage(given_name=n.split()[0], family_name=n.split()[1]))"
        ".save_revision().publish() for n in names"
        " if not SpeakerPage.objects.filter(family_name=n.split()[1]).exists()];"
        "import json; print(json.dumps(sorted(SpeakerPage.objects.live()"
        ".values_list('title', flat=True))[:10]))"
    )
    return json.loads(server.shell(code))


def _add_session(page, index: int, speaker: str) -> None:
    panel = page.locator("#tab-programme")
    panel.get_by_title("Insérer un bloc").last.click()
    prefix = f"programme-{index}-value"
    page.locator(f"input[name='{prefix}-title']").fill(f"Table ronde n° {index + 1}")
    page.locator(f"input[name='{prefix}-date']").fill("2025-06-12" if index < 5 else "2025-06-13")
    page.locator(f"input[name='{prefix}-start_time']").fill(f"{9 + index % 5:02d}:00")
    page.locator(f"input[name='{prefix}-end_time']").fill(f"{9 + index % 5:02d}:45")
    page.locator(f"input[name='{prefix}-room']").click()  # closes the time picker
    count = page.locator(f"input[name='{prefix}-participants-count']")
    speaker_input = page.locator(f"input[name='{prefix}-participants-0-value-speaker']")
    for _attempt in range(3):
        count.locator("xpath=..").locator("button[title=Ajouter]").first.click()
        try:
            speaker_input.wait_for(state="attached", timeout=3000)
            break
        except Exception:  # noqa: BLE001 - the block was still being set up: click again
            continue
    opener = speaker_input.locator("xpath=..").get_by_role(
        "button", name="Choisissez une page (Intervenant)"
    )
    choose_page(page, opener, speaker.split()[-1], speaker)
    page.locator(f"select[name='{prefix}-participants-0-value-role']").select_option(
        ROLES[index % len(ROLES)]
    )


def test_admin_programme_edition_with_ten_sessions_and_speakers(admin_page, server, site_ids):
    speakers = _ten_speakers(server)
    assert len(speakers) == 10
    page = admin_page
    page.goto(f"/admin/pages/add/assises_events/congresseditionpage/{site_ids['series']}/")
    page.locator("input[name=title]").fill("Assises des petites villes — Blois 2025")
    page.locator("input[name=number]").fill("40")
    page.locator("input[name=start_date]").fill("2025-06-12")
    page.locator("input[name=end_date]").fill("2025-06-13")
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="Lieu").click()
    page.locator("input[name=host_town]").fill("Blois")
    page.get_by_role("tab", name="Programme").click()
    for index, speaker in enumerate(speakers):
        _add_session(page, index, speaker)
    publish(page)
    success_message(page)

    edition_id = int(
        server.shell(
            "from events.models import CongressEditionPage;"
            "print(CongressEditionPage.objects.get(number=40).pk)"
        )
    )
    document = json.loads(server.get(f"/api/v1/editions/{edition_id}/")[2])
    sessions = document["sessions"]
    assert len(sessions) == 10
    people = {(p["speaker"]["title"], p["role"]) for s in sessions for p in s["participants"]}
    assert {name for name, _role in people} == set(speakers)
    assert {role for _name, role in people} == set(ROLES)

    # On the next visit the ten sessions are collapsed, each summarised on one line.
    page.goto(f"/admin/pages/{edition_id}/edit/")
    page.get_by_role("tab", name="Programme").click()
    first = page.locator("input[name='programme-0-value-title']")
    assert not first.is_visible()
    summary = page.locator("#tab-programme").get_by_text("Table ronde n° 1", exact=False).first
    assert "2025-06-12" in summary.inner_text() or "09:00" in summary.inner_text()
    # Autosave refuses (400) a session still without its day while it is being typed; any
    # other console error is a bug.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


def test_admin_programme_session_without_day_is_a_field_error(admin_page, site_ids):
    page = admin_page
    page.goto(f"/admin/pages/add/assises_events/congresseditionpage/{site_ids['series']}/")
    page.locator("input[name=title]").fill("Assises — édition sans jour")
    page.locator("input[name=number]").fill("41")
    page.locator("input[name=start_date]").fill("2025-09-01")
    page.locator("input[name=end_date]").fill("2025-09-02")
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="Lieu").click()
    page.locator("input[name=host_town]").fill("Dole")
    page.get_by_role("tab", name="Programme").click()
    page.locator("#tab-programme").get_by_title("Insérer un bloc").last.click()
    page.locator("input[name='programme-0-value-title']").fill("Session sans jour")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.locator("footer").get_by_role("button", name="Enregistrer le brouillon").click()
    assert response.value.status == 200  # the form again with its errors, not a 500
    page.wait_for_load_state()
    page.get_by_role("tab", name="Programme").click()
    error = page.get_by_text("Indiquez le jour de la session.").first
    error.wait_for()
    assert error.is_visible()
    assert (
        page.locator("input[name='programme-0-value-title']").input_value() == "Session sans jour"
    )
