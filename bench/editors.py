"""Editors publishing at once: how soon each publish is purged and pushed, and a bulk publish seen.

    python -m bench.editors --database postgres://postgres@127.0.0.1:5432/assises_bench_editors
    python -m bench.editors --url http://127.0.0.1:8080      # a running `make stack`, its env

Three editor processes (`--editors`) each publish and unpublish a communiqué of their own,
continuously (`--interval`, 1 s), through Wagtail's publish path as `bench.load`'s editor does;
meanwhile, `--bulk-at` seconds in, another process publishes `--bulk` (300) draft communiqués in
one transaction, as Wagtail's bulk action does. Measured, from the moment each publish or
unpublish returned (committed):

- **first purge**: until the first `purge_surrogate_keys` task naming the communiqué finished
  (its `finished_at` in django-tasks' table, written by the worker);
- **webhook**: until a local receiver got the event (a webhook endpoint on loopback, allowed by
  `ASSISES_WEBHOOKS_ALLOW_PRIVATE=1`);
- **bulk**: until the API lists all the bulk's communiqués and every detail answers 200.

Targets (issue 22): first purge p95 < 2 s, webhook p95 < 5 s, bulk fully visible < 30 s.

Without `--url` it starts everything itself on the PostgreSQL database `--database` (created
if missing, migrated, the demo loaded if empty; kept afterwards): gunicorn, the production
settings over plain HTTP, the pipeline's lane worker(s) and the default queue's worker as in
`Procfile.stack` (`--single-worker`: one worker for every queue, as before the lanes), purges
sent to the local receiver (a stand-in for Varnish that answers every PURGE). With `--url`,
run it in the stack's environment (`set -a; . var/stack/env`) with webhooks allowed to
loopback (the stack started with `ASSISES_WEBHOOKS_ALLOW_PRIVATE=1`), or webhooks are skipped.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.load import get, get_json

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SLUG = "essai-editeur-{n}"
BULK_SLUG = "essai-en-masse-{n}"
PURGE = "cms.pipeline.tasks.purge_surrogate_keys"


class Receiver(ThreadingHTTPServer):
    """Webhook deliveries (POST) and purges (PURGE) on loopback, each with its arrival time."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.events: list[tuple[float, str, str]] = []  # (time, type, object id)
        self.purges = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        arrived = time.time()
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.events.append((arrived, body.get("type", ""), str(body["data"]["id"])))
        self._answer()

    def do_PURGE(self) -> None:
        self.server.purges += 1
        self._answer()

    def log_message(self, *args) -> None:
        pass


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
    return {"n": len(values), "p50": pick(0.5), "p95": pick(0.95), "max": values[-1]}


# --- the processes -------------------------------------------------------------------------


def run_editor(n: int, duration: float, interval: float) -> None:
    """Publish and unpublish a communiqué of our own; one JSON line per action."""
    import django

    django.setup()
    from django.utils import timezone

    from press.models import CommuniquePage, PressIndexPage

    slug = SLUG.format(n=n)
    page = CommuniquePage.objects.filter(slug=slug).first()
    if page is None:
        page = CommuniquePage(
            title=f"Essai éditeur {n}", slug=slug, publication_date=timezone.localdate(), live=False
        )
        PressIndexPage.objects.get().add_child(instance=page)
    deadline, count = time.monotonic() + duration, 0
    while time.monotonic() < deadline:
        started = time.time()
        page = CommuniquePage.objects.get(pk=page.pk)
        if page.live:
            page.unpublish()
            action = "unpublish"
        else:
            page.title = f"Essai éditeur {n}, n° {count}"
            page.save_revision().publish()
            action = "publish"
        done = time.time()
        print(json.dumps({"pk": page.pk, "action": action, "start": started, "done": done}))
        sys.stdout.flush()
        count += 1
        time.sleep(max(0.0, interval - (time.time() - started)))
    page = CommuniquePage.objects.get(pk=page.pk)
    if page.live:
        page.unpublish()


def prepare_bulk(count: int) -> list[int]:
    """`count` draft communiqués (created once, unpublished again for a new run)."""
    from django.db import transaction
    from django.utils import timezone

    from press.models import CommuniquePage, PressIndexPage

    existing = list(CommuniquePage.objects.filter(slug__startswith="essai-en-masse-"))
    with transaction.atomic():
        for page in existing:
            if page.live:
                page.unpublish()
        press_room = PressIndexPage.objects.get()
        for n in range(len(existing), count):
            page = CommuniquePage(
                title=f"Essai en masse {n}",
                slug=BULK_SLUG.format(n=n),
                publication_date=timezone.localdate(),
                lead="Publié avec 299 autres par bench.editors.",
                live=False,
            )
            press_room.add_child(instance=page)
            page.save_revision()
    return list(
        CommuniquePage.objects.filter(slug__startswith="essai-en-masse-").values_list(
            "pk", flat=True
        )[:count]
    )


def run_bulk(ids: list[int]) -> None:
    """Publish the drafts in one transaction, as Wagtail's bulk publish action does."""
    import django

    django.setup()
    from django.db import transaction

    from press.models import CommuniquePage

    started = time.time()
    with transaction.atomic():
        for page in CommuniquePage.objects.filter(pk__in=ids):
            (page.get_latest_revision() or page.save_revision()).publish()
    print(json.dumps({"start": started, "done": time.time()}))


def wait_visible(base: str, ids: list[int], seconds: float) -> float | None:
    """Poll until the list counts them all and every detail answers 200; when that was."""
    wanted = set(ids)
    deadline = time.time() + seconds
    while time.time() < deadline:
        listed = set()
        url: str | None = f"{base}/api/v1/communiques/?limit=100"
        while url:
            page = get_json(url)
            listed.update(item["id"] for item in page["results"])
            url = page["next"]
        if wanted <= listed and all(
            get(f"{base}/api/v1/communiques/{pk}/")[0] == 200 for pk in ids
        ):
            return time.time()
        time.sleep(0.5)
    return None


# --- a stack of our own ----------------------------------------------------------------------


def own_stack(database: str, receiver: Receiver, single_worker: bool) -> tuple[str, list]:
    """Environment set, database ready, gunicorn and the workers started: (base URL, procs)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    var = tempfile.mkdtemp(prefix="assises-editors-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="demosite.settings.production",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ASSISES_HTTPS="0",
        ASSISES_VAR_DIR=var,
        ASSISES_BASE_URL=base,
        DATABASE_URL=database,
        ASSISES_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        ASSISES_VARNISH_URL=receiver.url,
        ASSISES_WEBHOOKS_ALLOW_PRIVATE="1",
        PYTHONPATH=str(ROOT),
    )
    os.environ.pop("REDIS_URL", None)
    create_database(database)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, check=True, capture_output=True)
    worker = ["--interval", "0.5", "--no-reload", "--no-startup-delay"]
    lanes = [["*"]] if single_worker else [["assises"], ["default"]]
    commands = [
        [str(BIN / "gunicorn"), "demosite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        *[[*manage, "run_worker", "--queue-name", queue, *worker] for [queue] in lanes],
    ]
    processes = [
        subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for c in commands
    ]
    for _ in range(150):
        try:
            if get(f"{base}/api/v1/")[0] == 200:
                return base, processes
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drain(seconds: float = 600) -> None:
    """Wait until no task of the pipeline's lane is due: the run starts from an idle lane (the
    default queue may still hold the drafts' index tasks, as it would on a busy day)."""
    from django_tasks_db.models import DBTaskResult

    from cms.pipeline.tasks import pipeline_queue

    due = DBTaskResult.objects.ready().filter(queue_name=pipeline_queue())
    deadline = time.monotonic() + seconds
    while due.exists() and time.monotonic() < deadline:
        time.sleep(1)


# --- the run -------------------------------------------------------------------------------


def purge_latencies(actions: list[dict]) -> tuple[list[float], int]:
    from django_tasks_db.models import DBTaskResult

    since = min(a["start"] for a in actions) - 1
    from datetime import UTC, datetime

    purges = [
        (enqueued.timestamp(), finished.timestamp(), set(kwargs["kwargs"]["keys"]))
        for enqueued, finished, kwargs in DBTaskResult.objects.filter(
            task_path=PURGE,
            status="SUCCESSFUL",
            enqueued_at__gte=datetime.fromtimestamp(since, UTC),
        ).values_list("enqueued_at", "finished_at", "args_kwargs")
    ]
    latencies, missing = [], 0
    for action in actions:
        key = f"communique:{action['pk']}"
        done = [f for e, f, keys in purges if key in keys and e >= action["start"] - 0.05]
        if done:
            latencies.append(max(0.0, min(done) - action["done"]))
        else:
            missing += 1
    return latencies, missing


def webhook_latencies(actions: list[dict], events: list) -> tuple[list[float], int]:
    latencies, missing = [], 0
    for action in actions:
        unpublished = action["action"] == "unpublish"
        arrived = [
            t
            for t, kind, object_id in events
            if object_id == str(action["pk"])
            and t >= action["start"]
            and kind.endswith(".unpublished") == unpublished
        ]
        if arrived:
            latencies.append(max(0.0, min(arrived) - action["done"]))
        else:
            missing += 1
    return latencies, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.editors", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--url", help="a running site (its environment in ours)")
    parser.add_argument("--database", help="PostgreSQL URL of the self-started stack")
    parser.add_argument("--single-worker", action="store_true", help="one worker, every queue")
    parser.add_argument("--editors", type=int, default=3)
    parser.add_argument("--duration", type=float, default=60, help="seconds of editing (60)")
    parser.add_argument("--interval", type=float, default=1.0, help="between actions (1 s)")
    parser.add_argument("--bulk", type=int, default=300, help="communiqués published at once")
    parser.add_argument("--bulk-at", type=float, default=20, help="seconds into the run (20)")
    parser.add_argument("--settle", type=float, default=30, help="seconds to wait after (30)")
    parser.add_argument("--json", help="write every number to this file")
    args = parser.parse_args(argv)

    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    processes: list[subprocess.Popen] = []
    if args.url:
        base = args.url.rstrip("/")
    else:
        if not (args.database or "").startswith("postgres"):
            raise SystemExit("--database postgres://… (or --url of a running stack)")
        base, processes = own_stack(args.database, receiver, args.single_worker)
    import django

    django.setup()
    from cms.consumers.webhooks import subscribe

    endpoint = subscribe(receiver.url, [], ["communique"], "bench.editors")
    try:
        ids = prepare_bulk(args.bulk) if args.bulk else []
        drain()
        me = [sys.executable, "-m", "bench.editors"]
        editors = [
            subprocess.Popen(
                [*me, "editor", str(n), str(args.duration), str(args.interval)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(args.editors)
        ]
        bulk = {}
        if ids:
            time.sleep(args.bulk_at)
            out = subprocess.run(
                [*me, "bulk", ",".join(map(str, ids))],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            bulk = json.loads(out.strip().splitlines()[-1])
            seen = wait_visible(base, ids, 600)
            bulk["visible_s"] = None if seen is None else seen - bulk["done"]
        actions = []
        for editor in editors:
            out, _err = editor.communicate(timeout=args.duration + 300)
            actions += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        time.sleep(args.settle)
        purged, purge_missing = purge_latencies(actions)
        pushed, push_missing = webhook_latencies(actions, list(receiver.events))
    finally:
        endpoint.delete()
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    publish_s = [a["done"] - a["start"] for a in actions]
    report = {
        "editors": args.editors,
        "actions": len(actions),
        "single_worker": args.single_worker,
        "publish_call_s": percentiles(publish_s),
        "first_purge_s": {**percentiles(purged), "missing": purge_missing},
        "webhook_s": {**percentiles(pushed), "missing": push_missing},
        "bulk": {"count": len(ids), **bulk},
    }

    def fmt(d: dict) -> str:
        if not d["n"]:
            return "– | – | – | 0"
        return f"{d['p50']:.2f} | {d['p95']:.2f} | {d['max']:.2f} | {d['n']}"

    print("| from commit to | p50 s | p95 s | max s | n | missing | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    print(f"| first purge done | {fmt(report['first_purge_s'])} | {purge_missing} | p95 < 2 s |")
    print(f"| webhook received | {fmt(report['webhook_s'])} | {push_missing} | p95 < 5 s |")
    print(f"| (the publish call itself) | {fmt(report['publish_call_s'])} | | |")
    visible = bulk.get("visible_s")
    print(
        f"\nbulk: {len(ids)} communiqués published in one transaction in "
        f"{bulk.get('done', 0) - bulk.get('start', 0):.1f} s, all visible in the API "
        f"{'never' if visible is None else f'{visible:.1f} s'} after its commit (target < 30 s)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    met = (
        purged
        and report["first_purge_s"]["p95"] < 2
        and (not pushed or report["webhook_s"]["p95"] < 5)
        and (not ids or (visible is not None and visible < 30))
    )
    return 0 if met else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "editor":
        run_editor(int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "bulk":
        run_bulk([int(pk) for pk in sys.argv[2].split(",")])
    else:
        sys.exit(main())
