"""A real Varnish (with xkey) in front of a real gunicorn: a rename purges exactly what shows it,
and a public page unpublished or expired is gone from the cache within seconds.

Needs Debian's `varnish` and `varnish-modules` (`.ci/run` installs them); skipped with a clear
message where varnishd is not installed.
"""

import subprocess
import time
from pathlib import Path

import pytest

from tests.services import missing_gunicorn, missing_varnish, skip_if
from tests.test_end_to_end import ROOT, _free_port, _get, _manage
from tests.test_processes import Stack, page_id

pytestmark = [pytest.mark.processes, skip_if(missing_varnish() or missing_gunicorn())]

VCL = ROOT / "deploy" / "varnish" / "default.vcl"


@pytest.fixture(scope="module")
def varnish_stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("varnish")
    varnish_port = _free_port()
    stack = Stack(tmp, ASSISES_VARNISH_URL=f"http://127.0.0.1:{varnish_port}")
    stack.env["DJANGO_SETTINGS_MODULE"] = "demosite.settings.demo"  # DEBUG off: our 404 page
    vcl = Path(tmp) / "default.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{stack.port}";'))
    varnish = None
    try:
        stack.start()
        varnish = subprocess.Popen(
            ["varnishd", "-F", "-j", "none", "-n", str(tmp / "varnish"), "-f", str(vcl)]
            + ["-a", f"127.0.0.1:{varnish_port}", "-s", "malloc,64m"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(100):
            try:
                if _get(f"http://127.0.0.1:{varnish_port}/api/v1/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        stack.front = f"http://127.0.0.1:{varnish_port}"
        yield stack
    finally:
        if varnish is not None:
            varnish.terminate()
            varnish.wait(timeout=20)
        stack.stop()


def _through_varnish(stack, path: str) -> tuple[int, dict, bytes]:
    status, headers, body = _get(stack.front + path)
    return status, {k.lower(): v for k, v in headers.items()}, body.replace(b"\r\n ", b"")


def test_a_rename_is_served_fresh_through_varnish_and_nothing_else_is_purged(varnish_stack):
    stack = varnish_stack
    edition = page_id(stack, "amboise-2024")
    related = [
        "/api/v1/speakers/?limit=100",
        f"/api/v1/editions/{edition}/",
        "/api/v1/sessions/?limit=100",
        f"/calendars/editions/{edition}.ics",
        f"/schedules/editions/{edition}/schedule.xml",
    ]
    unrelated = ["/api/v1/topics/", "/api/v1/contacts/", "/api/v1/organisation/"]
    # Loading the demo purged everything, and the worker sends each purge again later
    # (ASSISES_PURGE_REPEAT_SECONDS): wait until those have run, or one could drop a response
    # cached below and pass for a purge the rename made.
    _wait_for_tasks(stack)
    for path in related + unrelated:
        _through_varnish(stack, path)
        status, headers, body = _through_varnish(stack, path)
        assert status == 200 and headers["x-cache"] == "HIT", path
        assert b"Berger-Vernis" not in body

    stack.shell(
        "from events.models import SpeakerPage;"
        "p = SpeakerPage.objects.get(slug='laurent-berger'); p.family_name = 'Berger-Vernis';"
        "p.save_revision().publish()"
    )
    deadline = time.monotonic() + 30
    stale = related
    while stale and time.monotonic() < deadline:
        stale = [p for p in related if b"Berger-Vernis" not in _through_varnish(stack, p)[2]]
        time.sleep(0.3)
    assert not stale, f"still stale through Varnish: {stale}"
    for path in unrelated:
        assert _through_varnish(stack, path)[1]["x-cache"] == "HIT", path


COMMUNIQUE = "/presse/les-petites-villes-en-congres-a-amboise/"
LISTING_IT = ["/presse/", "/"]
LINK = f'href="{COMMUNIQUE}"'.encode()
GET_COMMUNIQUE = (
    "import datetime; from django.utils import timezone; from press.models import CommuniquePage;"
    "p = CommuniquePage.objects.get(slug='les-petites-villes-en-congres-a-amboise');"
)


def _wait_for_tasks(stack) -> None:
    """Until the worker has run every due task (purges of earlier changes included), not a
    scheduled go-live's or expiry's own task (`cms.pipeline.scheduled`), due at its moment."""
    stack.shell(
        "import time; from django_tasks_db.models import DBTaskResult\n"
        "ready = DBTaskResult.objects.filter(status='READY')\n"
        "ready = ready.exclude(task_path__startswith='cms.pipeline.scheduled.')\n"
        "for _ in range(600):\n"
        "    if not ready.exists(): break\n"
        "    time.sleep(0.1)"
    )


def _cached(stack, path: str, status: int = 200) -> tuple[dict, bytes]:
    """`path` through Varnish twice: the second answer must come from the cache."""
    _through_varnish(stack, path)
    code, headers, body = _through_varnish(stack, path)
    assert (code, headers["x-cache"]) == (status, "HIT"), path
    return headers, body


def _within(seconds: float, condition) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _status(stack, path: str) -> int:
    return _through_varnish(stack, path)[0]


def _still_listing(stack, seconds: float) -> list[str]:
    """The pages of LISTING_IT still linking to the communiqué through Varnish after `seconds`."""
    _within(seconds, lambda: all(LINK not in _through_varnish(stack, p)[2] for p in LISTING_IT))
    return [path for path in LISTING_IT if LINK in _through_varnish(stack, path)[2]]


def test_an_unpublished_page_is_gone_through_varnish_within_seconds(varnish_stack):
    stack = varnish_stack
    _wait_for_tasks(stack)
    headers, _body = _cached(stack, COMMUNIQUE)
    assert headers["cache-control"] == "public, max-age=60, stale-while-revalidate=600"
    for path in LISTING_IT:
        assert LINK in _cached(stack, path)[1], path

    stack.shell(GET_COMMUNIQUE + "p.unpublish()")
    assert _within(10, lambda: _status(stack, COMMUNIQUE) == 404), "still served by Varnish"
    assert _still_listing(stack, 10) == []

    # the 404 is kept by Varnish, and purged when the page is published again at its path
    _wait_for_tasks(stack)
    _cached(stack, COMMUNIQUE, status=404)
    stack.shell(GET_COMMUNIQUE + "p.get_latest_revision().publish()")
    assert _within(10, lambda: _status(stack, COMMUNIQUE) == 200), "the 404 is still served"


def test_an_expired_page_is_gone_through_varnish_at_its_expiry(varnish_stack):
    stack = varnish_stack
    out = stack.shell(
        GET_COMMUNIQUE + "p.expire_at = timezone.now() + datetime.timedelta(seconds=20);"
        "p.save_revision().publish(); print(p.expire_at.timestamp())"
    )
    expires = float(out.splitlines()[-1])
    _wait_for_tasks(stack)
    headers, _body = _cached(stack, COMMUNIQUE)
    assert int(headers["cache-control"].split("max-age=")[1].split(",")[0]) <= 20
    for path in LISTING_IT:
        assert LINK in _cached(stack, path)[1], path
    # no purge for the page itself: neither its fresh nor its stale copy outlives the expiry
    time.sleep(max(0.0, expires - time.time()) + 0.5)
    assert _status(stack, COMMUNIQUE) == 404, "served past its expiry"
    # the scheduler unpublishes it, which purges the pages listing it
    _manage(stack.env, "run_scheduler", "--once")
    assert _still_listing(stack, 10) == []


def test_an_api_detail_asked_for_before_its_communique_exists_follows_it_through_varnish(
    varnish_stack,
):
    """A webhook consumer fetching `api_url` through the cache: the 404 it got before the
    communiqué existed, or after it was unpublished, is purged by the next publish (the key on
    the 404 is the document's own), and the 200 by the unpublish, each within 2 s."""
    stack = varnish_stack
    # the id the next page will get (the stack's database is SQLite; checked when created)
    pk = int(
        stack.shell(
            "from django.db import connection; cursor = connection.cursor();"
            "cursor.execute(\"SELECT seq FROM sqlite_sequence WHERE name = 'wagtailcore_page'\");"
            "print(cursor.fetchone()[0] + 1)"
        ).splitlines()[-1]
    )
    path = f"/api/v1/communiques/{pk}/"
    find = f"from press.models import CommuniquePage; p = CommuniquePage.objects.get(pk={pk});"
    _wait_for_tasks(stack)
    headers, _body = _cached(stack, path, status=404)
    assert headers["cache-control"] == "public, max-age=10"

    # created as a draft: still no document, nothing logged, the cached 404 stands (rightly)
    created = stack.shell(
        "import datetime; from press.models import CommuniquePage, PressIndexPage;"
        "p = CommuniquePage(title='Communiqué attendu', slug='communique-attendu',"
        " publication_date=datetime.date.today(), live=False);"
        "PressIndexPage.objects.first().add_child(instance=p); p.save_revision(); print(p.pk)"
    )
    assert created.splitlines()[-1] == str(pk)
    _wait_for_tasks(stack)
    _cached(stack, path, status=404)

    for step, code, expected in [
        ("publish", "p.save_revision().publish()", 200),
        ("unpublish", "p.unpublish()", 404),
        ("republish", "p.get_latest_revision().publish()", 200),
    ]:
        stack.shell(find + code)
        assert _within(2, lambda e=expected: _status(stack, path) == e), (step, "stale")
        _wait_for_tasks(stack)  # the purge sent again later has run: what is cached now stays
        _cached(stack, path, status=expected)
