"""Surrogate keys on every public response, and the purge the worker sends after a change."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.test import override_settings

from cms.consumers.purge import purge_keys_for
from events.models import SpeakerPage


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/api/v1/communiques/", "list:communique"),
        ("/api/v1/editions/{amboise}/", "edition:{amboise}"),
        ("/api/v1/editions/{amboise}.jsonld", "edition:{amboise}"),
        ("/feeds/communiques.rss", "list:communique"),
        ("/calendars/editions/{amboise}.ics", "list:session"),
        ("/schedules/editions/{amboise}/schedule.xml", "list:session"),
        ("/sitemap.xml", "list:all"),
        ("/api/v1/find/?path=/assises/amboise-2024/", "list:all"),
    ],
)
def test_public_responses_carry_surrogate_keys(client, amboise, path, key):
    response = client.get(path.format(amboise=amboise.pk))
    assert response.status_code == 200
    expected = key.format(amboise=amboise.pk)
    assert expected in response["xkey"].split()
    assert expected in response["Surrogate-Key"].split()
    assert expected in response["Cache-Tag"].split(",")


def test_purge_keys_of_a_change():
    assert purge_keys_for([("speaker", "5"), ("edition", "14")]) == [
        "speaker:5",
        "list:speaker",
        "edition:14",
        "list:edition",
        "list:all",
    ]


class PurgeRecorder:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict, bytes]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                recorder.requests.append((self.command, headers, body))
                self.send_response(200)
                self.end_headers()

            do_PURGE = do_POST = _record  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_a_rename_purges_the_speaker_and_what_embeds_it(db, amboise, committed):
    recorder = PurgeRecorder()
    backends = {
        "varnish": {"BACKEND": "cms.consumers.purge.VarnishXkeyBackend", "LOCATION": recorder.url},
        "cloudflare": {
            "BACKEND": "cms.consumers.purge.CloudflareCacheTagBackend",
            "API_URL": recorder.url + "/zones/z/purge_cache",
            "API_TOKEN": "jeton",
        },
    }
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.family_name = "Berger-Purgé"
    with override_settings(ASSISES={**settings.ASSISES, "PURGE_BACKENDS": backends}), committed():
        berger.save_revision().publish()
    recorder.server.shutdown()
    varnish = [set(h["xkey-purge"].split()) for m, h, _b in recorder.requests if m == "PURGE"]
    purged = set().union(*varnish)
    assert {
        f"speaker:{berger.pk}",
        "list:speaker",
        f"edition:{amboise.pk}",
        "list:session",
    } <= purged
    assert "list:topic" not in purged and "list:series" not in purged
    tags = set()
    for method, headers, body in recorder.requests:
        if method == "POST":
            assert headers["authorization"] == "Bearer jeton"
            tags |= set(json.loads(body)["tags"])
    assert tags == purged


def test_every_purge_is_sent_again_later(db, amboise, committed, settings):
    """A response read before a change committed can reach a cache after the first purge; the
    second purge, a little later, drops it (the worker runs it when it falls due)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    backends = {
        "varnish": {
            "BACKEND": "cms.consumers.purge.VarnishXkeyBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    settings.ASSISES = {**settings.ASSISES, "PURGE_BACKENDS": backends}
    settings.ASSISES = {**settings.ASSISES, "PURGE_REPEAT_SECONDS": 10}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.family_name = "Berger-Purgé"
    before = timezone.now()
    with committed():
        berger.save_revision().publish()
    purges = DBTaskResult.objects.filter(task_path="cms.pipeline.tasks.purge_surrogate_keys")
    keys = [tuple(task.args_kwargs["kwargs"]["keys"]) for task in purges]
    assert len(keys) == 2 and keys[0] == keys[1] and f"speaker:{berger.pk}" in keys[0]
    later = [task.run_after for task in purges if task.run_after.year < 9999]
    assert len(later) == 1
    assert 9 <= (later[0] - before).total_seconds() <= 20
