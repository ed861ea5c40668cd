"""An outside client's view: schemathesis fuzzes a real gunicorn of the project from its schema.

The API is run as deployed (gunicorn, DEBUG off) on a throwaway database loaded with the demo,
and schemathesis generates valid and invalid requests for every operation of the OpenAPI
document, then follows its OpenAPI links (list → detail, edition → its sessions, current
edition → the edition) in the stateful phase with ids from real responses. The run must end
without a single failure: no server error, every status code, content type and body as the
schema declares. SQLite by default;
with `DATABASE_URL=postgres://…` a throwaway database is created on that server.

Slow (a couple of minutes): marked `fuzz`, and `processes` like the other real-process tests.
"""

import json
import os
import re
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.services import missing_gunicorn, skip_if
from tests.test_end_to_end import BIN, ROOT, _env, _free_port, _get, _manage

pytestmark = [pytest.mark.fuzz, pytest.mark.processes, skip_if(missing_gunicorn())]

CHECKS = [
    "not_a_server_error",
    "response_schema_conformance",
    "status_code_conformance",
    "content_type_conformance",
]
MIN_REQUESTS = 1000
MIN_STATEFUL_REQUESTS = 50
# Per operation and phase; with ~20 operations this yields a few thousand requests.
MAX_EXAMPLES = 60
SEED = 20261202


def _throwaway_postgres(url: str, prefix: str = "assises_fuzz"):
    """A fresh database on the same PostgreSQL server as `url`, and how to drop it."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    base, _slash, _dbname = url.rpartition("/")
    admin = f"{base}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    port = _free_port()
    extra = {"DJANGO_SETTINGS_MODULE": "demosite.settings.test"}
    drop = None
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        extra["DATABASE_URL"], drop = _throwaway_postgres(database_url)
    env = _env(tmp_path, ASSISES_BASE_URL=f"http://127.0.0.1:{port}")
    env.update(extra)  # DEBUG off, as deployed; and the run's own database, if any
    process = None
    try:
        _manage(env, "migrate", "--no-input")
        _manage(env, "load_demo")
        log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "demosite.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                if _get(f"{base}/api/v1/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not start")
        yield base, tmp_path
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        if drop is not None:
            drop()


def test_schemathesis_finds_nothing(server):
    base, tmp_path = server
    report = tmp_path / "report.ndjson"
    result = subprocess.run(
        [
            str(BIN / "schemathesis"),
            "run",
            f"{base}/api/v1/schema/",
            "--checks",
            ",".join(CHECKS),
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            # One worker: Hypothesis describes strategies with ast.parse, which CPython 3.11
            # does not make thread-safe ("AST constructor recursion depth mismatch").
            "--workers",
            "1",
            "--request-timeout",
            "10",
            "--no-shrink",
            "--suppress-health-check",
            "all",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, output
    requests, operations, stateful = _count(report)
    assert requests >= MIN_REQUESTS, (requests, output)
    # The stateful phase follows the schema's links (list → detail, edition → sessions) with
    # ids taken from real responses: it must have run and opened real documents.
    assert stateful["requests"] >= MIN_STATEFUL_REQUESTS, (stateful, output)
    assert stateful["details"] >= 1, (stateful, output)
    schema = json.loads(_get(f"{base}/api/v1/schema/?format=json")[2] or b"{}")
    declared = {
        f"{method.upper()} {path}"
        for path, methods in schema.get("paths", {}).items()
        for method in methods
    }
    assert declared and declared <= operations, declared - operations


DETAIL = re.compile(r"/api/v1/[a-z]+/[0-9a-f-]+/$")


def _count(report: Path) -> tuple[int, set[str], dict[str, int]]:
    """Requests sent, operations covered, and the stateful phase's requests and documents
    opened (200 on a detail), read from schemathesis' event stream."""
    requests = 0
    operations: set[str] = set()
    stateful = {"requests": 0, "details": 0}
    for line in report.read_text().splitlines():
        event = json.loads(line)
        for name, payload in event.items():
            if name != "ScenarioFinished" or not isinstance(payload, dict):
                continue
            recorder = payload.get("recorder") or {}
            in_stateful = "stateful" in str(payload.get("phase", "")).lower()
            for interaction in (recorder.get("interactions") or {}).values():
                response = interaction.get("response")
                if response is not None:
                    requests += 1
                    request = interaction["request"]
                    if in_stateful:
                        stateful["requests"] += 1
                        path = urlsplit(request["uri"]).path
                        if response.get("status_code") == 200 and DETAIL.search(path):
                            stateful["details"] += 1
                        continue  # stateful scenarios are labelled by chain, not operation
                    operations.add(f"{request['method']} {_template(request['uri'], recorder)}")
    return requests, operations, stateful


def _template(uri: str, recorder: dict) -> str:
    label = recorder.get("label") or ""
    return label.split(" ", 1)[1] if " " in label else uri
