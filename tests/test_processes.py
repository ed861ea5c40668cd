"""Several real processes agree: two gunicorn workers without a shared cache, two task workers.

This is the deployment `make demo` runs (honcho starts the same processes): each gunicorn worker
has its own in-memory cache, so any state kept per process would show as a stale answer from one
of them. Every channel must answer the new state from both workers within 2 s of a publish
committing (the published object's own documents), and the documents that embed it once the
task workers have run. Two task workers run at once and must never write a change twice.
"""

import collections
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.services import missing_gunicorn, skip_if
from tests.test_end_to_end import BIN, ROOT, _env, _free_port, _get, _manage

pytestmark = [pytest.mark.processes, skip_if(missing_gunicorn())]

# Own documents: rendered by the committing process itself.
OWN_DEADLINE = 2.0
# Dependents: queued, then rendered by a task worker polling every 0.2 s.
WORKER_DEADLINE = 20.0
# Each URL is asked this many times in a row: gunicorn hands connections to either worker.
POLLS = 6


class Stack:
    def __init__(self, tmp_path: Path, **extra: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = _env(
            tmp_path,
            ASSISES_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            ASSISES_BASE_URL=self.base,
            **extra,
        )
        self.processes: list[subprocess.Popen] = []

    def start(self) -> None:
        _manage(self.env, "migrate", "--no-input")
        _manage(self.env, "load_demo")
        _manage(self.env, "run_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
        gunicorn = [str(BIN / "gunicorn"), "demosite.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        self._spawn([*gunicorn, "--workers", "2"])
        # as the Procfile: the pipeline's lane (twice, racing) and Wagtail's default queue
        for queue in ("assises", "assises", "default"):
            self._spawn(
                [sys.executable, "manage.py", "run_worker", "--queue-name", queue]
                + ["--interval", "0.2", "--no-reload", "--no-startup-delay"]
            )
        for _ in range(150):
            try:
                if _get(f"{self.base}/api/v1/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    def _spawn(self, command: list[str]) -> None:
        self.processes.append(
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)

    def shell(self, code: str) -> str:
        """Run `code` in a separate process, as an editor's request in another worker would."""
        return _manage(self.env, "shell", "-c", code).stdout.strip()

    def answers(self, path: str) -> list[tuple[int, bytes]]:
        return [_get(self.base + path)[::2] for _ in range(POLLS)]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("stack"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def wait_until(stack: Stack, deadline: float, checks: dict[str, object]) -> None:
    """Poll until every check holds for every answer of every URL, or fail naming the stale."""
    started = time.monotonic()
    while True:
        stale = [path for path, check in checks.items() if not all(map(check, stack.answers(path)))]
        if not stale:
            return
        if time.monotonic() - started > deadline:
            raise AssertionError(f"still stale after {deadline} s: {stale}")
        time.sleep(0.1)


def _unfolded(body: bytes) -> bytes:
    return body.replace(b"\r\n ", b"")  # iCalendar folds lines at 75 octets


def contains(text: str):
    return lambda answer: answer[0] == 200 and text.encode() in _unfolded(answer[1])


def lacks(text: str):
    return lambda answer: answer[0] == 200 and text.encode() not in _unfolded(answer[1])


def status(code: int):
    return lambda answer: answer[0] == code


def page_id(stack: Stack, slug: str) -> int:
    code = f"from wagtail.models import Page; print(Page.objects.get(slug={slug!r}).pk)"
    return int(stack.shell(code).splitlines()[-1])


def test_every_channel_follows_a_publish_in_every_worker(stack):
    pk = page_id(stack, "les-petites-villes-en-congres-a-amboise")
    edition = page_id(stack, "amboise-2024")
    feeds = ["/feeds/communiques.json", "/feeds/communiques.rss", "/feeds/communiques.atom"]
    # warm every cache of every worker with the old state
    for path in [*feeds, "/api/v1/communiques/", f"/api/v1/communiques/{pk}/", "/sitemap.xml"]:
        stack.answers(path)

    stack.shell(
        "from press.models import CommuniquePage;"
        f"p = CommuniquePage.objects.get(pk={pk}); p.title = 'Titre rectifié au Congrès';"
        "p.save_revision().publish()"
    )
    wait_until(
        stack,
        OWN_DEADLINE,
        {
            path: contains("Titre rectifié au Congrès")
            for path in [*feeds, "/api/v1/communiques/", f"/api/v1/communiques/{pk}/"]
        },
    )

    stack.shell(f"from wagtail.models import Page; Page.objects.get(pk={pk}).unpublish()")
    gone = {path: lacks("Titre rectifié au Congrès") for path in [*feeds, "/api/v1/communiques/"]}
    gone[f"/api/v1/communiques/{pk}/"] = status(404)
    gone["/sitemap.xml"] = lacks("les-petites-villes-en-congres-a-amboise")
    gone[f"/feeds/communiques/editions/{edition}.json"] = lacks("Titre rectifié")
    wait_until(stack, OWN_DEADLINE, gone)


def test_a_speaker_rename_reaches_programmes_through_the_task_workers(stack):
    edition = page_id(stack, "amboise-2024")
    channels = [
        f"/api/v1/editions/{edition}/",
        f"/calendars/editions/{edition}.ics",
        f"/schedules/editions/{edition}/schedule.xml",
        f"/schedules/editions/{edition}/schedule.json",
        "/api/v1/sessions/?limit=100",
    ]
    for path in channels:
        stack.answers(path)
    stack.shell(
        "from events.models import SpeakerPage;"
        "p = SpeakerPage.objects.get(slug='laurent-berger'); p.family_name = 'Berger-Nouveau';"
        "p.save_revision().publish()"
    )
    wait_until(stack, OWN_DEADLINE, {"/api/v1/speakers/?limit=100": contains("Berger-Nouveau")})
    wait_until(stack, WORKER_DEADLINE, {path: contains("Berger-Nouveau") for path in channels})


def test_details_and_calendars_held_in_memory_follow_a_publish_in_every_worker(stack):
    """Both workers hold the edition's detail and calendar in memory (keyed by the change
    log's version): a publish in another process reaches both at once, and an unpublished
    speaker's detail and calendar are gone from both."""
    edition = page_id(stack, "amboise-2024")
    speaker = page_id(stack, "jean-louis-borloo")
    held = [
        f"/api/v1/editions/{edition}/",
        f"/calendars/editions/{edition}.ics",
        f"/api/v1/speakers/{speaker}/",
        f"/calendars/speakers/{speaker}.ics",
    ]
    for path in held:
        assert all(answer[0] == 200 for answer in stack.answers(path))
    stack.shell(
        "from events.models import CongressEditionPage;"
        "p = CongressEditionPage.objects.get(slug='amboise-2024');"
        "p.title = 'Assises d’Amboise (programme définitif)'; p.save_revision().publish()"
    )
    wait_until(
        stack,
        OWN_DEADLINE,
        {path: contains("programme définitif") for path in held[:2]},
    )
    stack.shell(f"from wagtail.models import Page; Page.objects.get(pk={speaker}).unpublish()")
    wait_until(stack, OWN_DEADLINE, {path: status(404) for path in held[2:]})


def test_two_task_workers_never_write_a_change_twice(stack):
    """After everything above, with two workers racing: documents fresh, no duplicate entry."""
    _manage(stack.env, "check_api_documents", "--no-progress")
    rows = json.loads(
        stack.shell(
            "import json; from cms.models import ChangeLogEntry as E;"
            "print(json.dumps(list(E.objects.order_by('seq')"
            ".values_list('kind', 'object_id', 'operation', 'etag'))))"
        ).splitlines()[-1]
    )
    last: dict[tuple[str, str], tuple[str, str]] = {}
    repeated = collections.Counter()
    for kind, object_id, operation, etag in rows:
        key = (kind, object_id)
        if last.get(key) == (operation, etag):
            repeated[key] += 1
        last[key] = (operation, etag)
    assert not repeated, f"the same state written twice: {dict(repeated)}"
