"""/healthz with real parts: a closed port for the cache and the database, real task rows."""

import datetime
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _closed_port() -> int:
    """A loopback port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _task(enqueued_ago: float, run_after: datetime.datetime | None = None):
    from django_tasks_db.models import DBTaskResult, get_date_max

    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="cms.pipeline.tasks.deliver_webhooks",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    enqueued = timezone.now() - datetime.timedelta(seconds=enqueued_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=enqueued)
    return task


def test_healthz_all_parts_fine_answers_200_with_each_latency(client, db, settings):
    settings.TASKS = DB_TASKS
    _task(enqueued_ago=5)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "worker"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert check["latency_ms"] >= 0
    assert body["checks"]["worker"]["due_tasks"] == 1
    assert 4 <= body["checks"]["worker"]["lag_seconds"] < 60


def test_healthz_is_never_cached(client, db):
    response = client.get("/healthz")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"


def test_healthz_cache_on_a_closed_port_answers_503_naming_the_cache(client, db, settings):
    for ignore_exceptions in (True, False):
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{_closed_port()}/3",
                "OPTIONS": {"IGNORE_EXCEPTIONS": ignore_exceptions, "SOCKET_CONNECT_TIMEOUT": 1},
            }
        }
        response = client.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["failing"] == ["cache"]
        assert body["checks"]["database"]["status"] == "ok"
        assert str(body["checks"]["cache"]["error"])  # named, without the host and port
        assert "127.0.0.1" not in response.content.decode()


def test_healthz_task_waiting_past_the_threshold_answers_503_naming_the_worker(
    client, db, settings
):
    settings.TASKS = DB_TASKS
    settings.ASSISES = {**settings.ASSISES, "HEALTH_MAX_WORKER_LAG": 30}
    _task(enqueued_ago=5)
    _task(enqueued_ago=95)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"]["due_tasks"] == 2
    assert 94 <= body["checks"]["worker"]["lag_seconds"] < 150


def test_healthz_task_scheduled_for_later_is_not_lag(client, db, settings):
    """A webhook retry due in five minutes was enqueued long ago but is not late."""
    settings.TASKS = DB_TASKS
    settings.ASSISES = {**settings.ASSISES, "HEALTH_MAX_WORKER_LAG": 30}
    _task(enqueued_ago=3600, run_after=timezone.now() + datetime.timedelta(minutes=5))
    due_since = timezone.now() - datetime.timedelta(seconds=10)
    _task(enqueued_ago=3600, run_after=due_since)
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker"]["due_tasks"] == 1
    assert 9 <= response.json()["checks"]["worker"]["lag_seconds"] < 60


def test_healthz_claimed_task_is_not_lag(client, db, settings):
    settings.TASKS = DB_TASKS
    settings.ASSISES = {**settings.ASSISES, "HEALTH_MAX_WORKER_LAG": 30}
    task = _task(enqueued_ago=600)
    type(task).objects.filter(pk=task.pk).update(status="RUNNING")
    assert client.get("/healthz").status_code == 200


def test_healthz_check_parameter_runs_only_the_named_checks(client, db, settings):
    settings.TASKS = DB_TASKS
    settings.ASSISES = {**settings.ASSISES, "HEALTH_MAX_WORKER_LAG": 30}
    _task(enqueued_ago=600)
    response = client.get("/healthz?check=database")
    assert response.status_code == 200
    assert list(response.json()["checks"]) == ["database"]
    assert client.get("/healthz?check=database,worker").status_code == 503


def test_healthz_unknown_check_is_a_400_naming_the_parameter(client, db):
    response = client.get("/healthz?check=database,disk")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "check"
    assert "disk" in response.json()["errors"][0]["message"]


def test_healthz_refuses_writes(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthz_database_on_a_closed_port_answers_503_naming_the_database():
    """A process whose database is unreachable still answers, and says which part is down."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="demosite.settings.test")
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{_closed_port()}/assises"
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz?check=database,cache');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert '"failing": ["database"]' in body
    assert '"OperationalError"' in body


@pytest.mark.django_db
def test_healthz_reports_the_slowest_webhook_subscriber_without_failing(client, settings):
    from cms.models import WebhookEndpoint
    from cms.pipeline import changelog

    settings.TASKS = DB_TASKS
    WebhookEndpoint.objects.create(url="https://partner.example/hook", secret="s", cursor=0)
    response = client.get("/healthz?check=worker")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["webhook_backlog"] == changelog.head().seq > 0
