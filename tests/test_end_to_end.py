"""The product as deployed: a worker renders documents, gunicorn serves them, Redis caches.

These tests run real processes on loopback against a throwaway SQLite file, so they exercise
exactly what `make demo` and a production install do, without touching the test database.
The gunicorn test needs Redis on 127.0.0.1:6379 and skips, saying so, without it.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.services import missing_gunicorn, missing_redis, skip_if

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.processes


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="demosite.settings.dev",
        ASSISES_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def _manage(
    env: dict[str, str], *args: str, timeout: int = 300, check: bool = True
) -> subprocess.CompletedProcess:
    """`manage.py *args` in `env`; with `check`, a non-zero exit fails the test."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def _count_documents(env: dict[str, str]) -> int:
    out = _manage(
        env,
        "shell",
        "-c",
        "from cms.models import StoredDocument; print(StoredDocument.objects.count())",
    )
    return int(out.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_publishing_renders_its_own_documents_and_the_worker_the_rest(tmp_path):
    env = _env(tmp_path, ASSISES_TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    _manage(env, "migrate", "--no-input")
    _manage(env, "load_demo")
    assert _count_documents(env) > 0  # each published object rendered on commit
    queued = _manage(
        env,
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.count())",
    )
    assert int(queued.stdout.split()[-1]) > 0  # what embeds them was left to the worker
    _manage(env, "run_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    _manage(env, "check_api_documents", "--no-progress")


@skip_if(missing_gunicorn() or missing_redis())
def test_gunicorn_serves_the_api_with_redis_cache(tmp_path):
    # a prefix of its own: another run (another Django, whose pickles this one cannot read)
    # may have left entries in that Redis database, or be using it now
    prefix = f"assises-test-{os.getpid()}-{time.time_ns()}"
    env = _env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15", CACHE_KEY_PREFIX=prefix)
    _manage(env, "migrate", "--no-input")
    _manage(env, "load_demo")
    _manage(env, "run_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "demosite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, _h, _b = _get(f"{base}/admin/login/")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200
        status, headers, body = _get(f"{base}/api/v1/editions/")
        assert status == 200
        assert json.loads(body)["count"] == 2
        status, _h, _b = _get(f"{base}/api/v1/editions/", {"If-None-Match": headers["ETag"]})
        assert status == 304
        status, _h, body = _get(f"{base}/api/v1/editions/?year=deux")
        assert status == 400
        assert json.loads(body)["errors"][0]["parameter"] == "year"
        status, _h, body = _get(f"{base}/feeds/communiques.rss")
        assert status == 200 and b"<rss" in body
    finally:
        server.terminate()
        server.wait(timeout=20)
