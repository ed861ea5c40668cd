"""Nothing abandoned: a task whose worker died is handed back and run again (`cms.pipeline.leases`),
and the pipeline's tasks run in a lane of their own (`cms.pipeline.tasks`).

In-process tests use real task rows; the last tests kill a real worker with SIGKILL in the
middle of a fan-out, on SQLite and on PostgreSQL, and watch the documents converge with nobody
typing a command.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core import checks
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from cms.checks import pipeline_queue_accepted
from cms.models import WorkerHeartbeat
from cms.pipeline import leases
from events.models import SpeakerPage
from tests.test_end_to_end import ROOT, _env, _manage
from tests.test_fuzzing import _throwaway_postgres

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LANES = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "assises"]}
}
PROPAGATE = "cms.pipeline.tasks.propagate_changes"


def _running(worker_id: str, started_ago: float = 1) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"keys": []}},
        task_path=PROPAGATE,
        backend_name="default",
        run_after=get_date_max(),
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(seconds=started_ago),
        worker_ids=["someone-before", worker_id],
    )


def _lease(worker_id: str, beat_ago: float) -> None:
    beat_at = timezone.now() - datetime.timedelta(seconds=beat_ago)
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, queues="assises", pid=1, started_at=beat_at, beat_at=beat_at
    )


def test_reap_hands_back_the_task_of_a_worker_that_stopped_beating(db, settings):
    settings.ASSISES = {**settings.ASSISES, "WORKER_LEASE_SECONDS": 30}
    _lease("dead", beat_ago=31)
    task = _running("dead")
    assert leases.abandoned() == [(str(task.pk), task.started_at)]
    assert leases.reap() == 1
    task.refresh_from_db()
    assert (task.status, task.started_at) == ("READY", None)
    assert task.worker_ids == ["someone-before", "dead"]  # who had it stays on record
    assert not WorkerHeartbeat.objects.filter(worker_id="dead").exists()
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # due at once


def test_reap_leaves_live_workers_and_workers_without_a_lease_alone(db, settings):
    settings.ASSISES = {**settings.ASSISES, "WORKER_LEASE_SECONDS": 30}
    _lease("alive", beat_ago=29)
    _lease("dead", beat_ago=31)
    alive = _running("alive", started_ago=3600)
    plain = _running("a-plain-db-worker", started_ago=3600)
    earlier = _running("dead")
    earlier.worker_ids = ["dead", "alive"]  # handed back before, claimed since by a live one
    earlier.save()
    assert leases.reap() == 0
    assert set(DBTaskResult.objects.running().values_list("pk", flat=True)) == {
        alive.pk,
        plain.pk,
        earlier.pk,
    }
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_forget_hands_back_what_a_leaving_worker_still_runs(db):
    _lease("leaving", beat_ago=0)
    task = _running("leaving")
    leases.forget("leaving")
    task.refresh_from_db()
    assert task.status == "READY"
    assert not WorkerHeartbeat.objects.exists()


def test_healthz_abandoned_task_answers_503_naming_the_worker(client, db, settings):
    settings.TASKS = DB_TASKS
    settings.ASSISES = {**settings.ASSISES, "WORKER_LEASE_SECONDS": 30}
    _lease("dead", beat_ago=31)
    _running("dead")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"]["abandoned_tasks"] == 1
    assert "abandonnée" in body["checks"]["worker"]["error"]  # the French site says so
    leases.reap()
    assert client.get("/healthz").status_code == 200  # handed back: due, not late yet


def test_healthz_task_running_past_the_bound_answers_503(client, db, settings):
    settings.TASKS = DB_TASKS
    settings.ASSISES = {**settings.ASSISES, "HEALTH_MAX_TASK_RUNNING": 600}
    _running("a-plain-db-worker", started_ago=590)
    assert client.get("/healthz").status_code == 200
    _running("a-plain-db-worker", started_ago=700)
    response = client.get("/healthz")
    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert (worker["running_tasks"], worker["abandoned_tasks"]) == (2, 0)
    assert 699 <= worker["longest_running_seconds"] < 800


def test_pipeline_tasks_go_to_their_own_queue_and_wagtails_stay_on_the_default(
    db, settings, amboise
):
    settings.TASKS = LANES
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.family_name = "Berger-Couloir"
    berger.save_revision().publish()
    queues: dict[str, set[str]] = {}
    for path, queue in DBTaskResult.objects.values_list("task_path", "queue_name"):
        queues.setdefault(path, set()).add(queue)
    assert queues[PROPAGATE] == {"assises"}
    assert queues["wagtail.tasks.update_reference_index_task"] == {"default"}
    assert pipeline_queue_accepted(None) == []


def test_purges_and_webhooks_run_ahead_of_rerendering_in_the_lane(db, settings):
    settings.TASKS = LANES
    from cms.pipeline.tasks import deliver_webhooks, propagate_changes, purge_surrogate_keys

    later = propagate_changes.enqueue(keys=["page:1"])
    purge = purge_surrogate_keys.enqueue(keys=["list:all"])
    push = deliver_webhooks.enqueue()
    repeat = purge_surrogate_keys.using(run_after=timezone.now()).enqueue(keys=["list:all"])
    assert [later.task.priority, purge.task.priority, push.task.priority] == [0, 50, 50]
    assert repeat.task.priority == 49  # due already, yet after the first purges
    first = DBTaskResult.objects.ready().filter(queue_name="assises").first()
    assert str(first.pk) in {purge.id, push.id}


def test_backend_refusing_the_pipeline_queue_keeps_it_on_the_default_and_warns(db, settings):
    settings.TASKS = DB_TASKS  # django-tasks accepts only "default" unless QUEUES says more
    from cms.pipeline.tasks import deliver_webhooks

    assert deliver_webhooks.enqueue().task.queue_name == "default"
    [warning] = pipeline_queue_accepted(None)
    assert (warning.level, warning.id) == (checks.WARNING, "assises.W003")
    settings.TASKS = {"default": {**DB_TASKS["default"], "QUEUES": []}}  # any queue
    assert deliver_webhooks.enqueue().task.queue_name == "assises"
    assert pipeline_queue_accepted(None) == []


# --- real processes ----------------------------------------------------------------------------

FANOUT = 400  # communiqués embedding every press contact: the rename's dependents

SETUP = """
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from bench.content import generate_communiques
with transaction.atomic():
    generate_communiques({count}, publish=False)
# Wagtail's 4,000-odd index tasks for these pages: beside the point, minutes of work
DBTaskResult.objects.filter(queue_name="default", status="READY").delete()
"""

# Started before the worker: waits for the rename's task to run and for its first batches to
# be committed, then kills the worker with SIGKILL (no chance to record anything).
KILLER = """
import os, signal, time
from django_tasks_db.models import DBTaskResult
from cms.models import ChangeLogEntry
start = ChangeLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    task = DBTaskResult.objects.filter(task_path="{task}", status="RUNNING").first()
    if task and ChangeLogEntry.objects.filter(seq__gt=start, kind="communique").exists():
        os.kill({pid}, signal.SIGKILL)
        print("killed", task.pk, flush=True)
        break
    time.sleep(0.02)
"""

HEALTH = """
from django.test import Client
response = Client(HTTP_HOST="localhost").get("/healthz?check=worker")
print(response.status_code, response.content.decode())
"""

STATUS = """
import json
from django_tasks_db.models import DBTaskResult
task = DBTaskResult.objects.get(pk="{pk}")
print(json.dumps([task.status, task.worker_ids]))
"""


def _worker(env: dict, queue: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--queue-name", queue]
        + ["--interval", "0.2", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _health(env: dict) -> tuple[int, dict]:
    status, body = _manage(env, "shell", "-c", HEALTH).stdout.strip().splitlines()[-1].split(" ", 1)
    return int(status), json.loads(body)


def _task(env: dict, pk: str) -> list:
    return json.loads(_manage(env, "shell", "-c", STATUS.format(pk=pk)).stdout.splitlines()[-1])


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"not within {seconds} s: {what}")


@pytest.mark.processes
@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_worker_killed_mid_fanout_its_task_is_run_again_and_every_dependent_converges(
    tmp_path, database
):
    extra = {
        "ASSISES_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "ASSISES_WORKER_HEARTBEAT_SECONDS": "0.5",
        "ASSISES_WORKER_LEASE_SECONDS": "4",
    }
    drop = None
    url = os.environ.get("DATABASE_URL", "")
    if database == "sqlite" and url.startswith("postgres"):
        pytest.skip("run by the SQLite suite: each suite's processes use its own database")
    if database == "postgres":
        if not url.startswith("postgres"):
            pytest.skip("DATABASE_URL=postgres://… names the server to use")
        extra["DATABASE_URL"], drop = _throwaway_postgres(url, url.rpartition("/")[2] + "_leases")
    env = _env(tmp_path, **extra)
    processes: list[subprocess.Popen] = []
    try:
        _manage(env, "migrate", "--no-input")
        _manage(env, "load_demo")
        _manage(env, "shell", "-c", SETUP.format(count=FANOUT))
        _manage(env, "rebuild_api_documents", "--no-progress")
        _manage(env, "run_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
        _manage(env, "check_api_documents", "--no-progress")

        # a press contact, embedded by every communiqué, renamed: one task, 400+ dependents
        _manage(
            env,
            "shell",
            "-c",
            "from press.models import PressContact; c = PressContact.objects.first();"
            "c.name = 'Contact Rescapé'; c.save()",
        )
        doomed = _worker(env, "assises")
        processes.append(doomed)
        killer = _manage(env, "shell", "-c", KILLER.format(task=PROPAGATE, pid=doomed.pid))
        assert doomed.wait(timeout=30) == -signal.SIGKILL
        pk = killer.stdout.split("killed", 1)[1].split()[0]
        status, worker_ids = _task(env, pk)
        assert status == "RUNNING"  # and nobody will ever finish it but us
        stale = _manage(env, "check_api_documents", "--no-progress", check=False)
        assert stale.returncode == 1, "killed after the fan-out ended: make FANOUT larger"

        # no worker alive: once the lease runs out, /healthz says the task is abandoned
        time.sleep(4.5)
        code, body = _health(env)
        assert code == 503, body
        assert body["checks"]["worker"]["abandoned_tasks"] == 1

        # the worker of the other queue, still running in a real deployment, hands it back
        processes.append(_worker(env, "default"))
        _wait(lambda: _task(env, pk)[0] == "READY", 60, "handed back by the default worker")
        assert _health(env)[1]["checks"]["worker"]["abandoned_tasks"] == 0

        # a new worker of the lane (the process manager restarting it) runs it again
        processes.append(_worker(env, "assises"))
        _wait(lambda: _task(env, pk)[0] == "SUCCESSFUL", 120, "run again")
        assert _task(env, pk)[1][: len(worker_ids)] == worker_ids  # a second claim
        assert len(_task(env, pk)[1]) == len(worker_ids) + 1
        _manage(env, "check_api_documents", "--no-progress")  # every dependent converged
        code, body = _health(env)
        assert body["checks"]["worker"]["abandoned_tasks"] == 0
        assert code == 200, body
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(timeout=30)
        if drop is not None:
            drop()
