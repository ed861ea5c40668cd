"""`make stack` as it runs: deploy/stack/up, supervisord and every line of Procfile.stack.

The stack starts on a database of its own (created on the suite's PostgreSQL server, dropped at
the end) and a state folder of its own, with the settings a person would give `make stack`.
A task worker killed outright is started again while gunicorn keeps answering and the other
processes keep their pids (under honcho, that one exit stopped the whole stack); the settings
given reach every process and var/stack/env; SIGINT (Ctrl+C) stops everything.

Needs PostgreSQL, Redis's and Varnish's programs (the stack runs its own), supervisord and
gunicorn; skipped, saying which is missing, without them.
"""

import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.services import (
    BIN,
    missing_gunicorn,
    missing_postgres,
    missing_program,
    missing_varnish,
    postgres_server_url,
    skip_if,
)
from tests.test_end_to_end import ROOT, _env, _free_port, _get


def _missing() -> str | None:
    for tool in ("pg_ctlcluster", "pg_isready", "redis-server"):
        if shutil.which(tool) is None:
            package = "redis-server" if tool == "redis-server" else "postgresql"
            return f"{tool} not installed (apt install {package}): deploy/stack/up needs it"
    return (
        missing_varnish()
        or missing_program("supervisord", "pip install -e '.[stack]'; `make install` does")
        or missing_gunicorn()
        or missing_postgres(postgres_server_url())
    )


pytestmark = [pytest.mark.processes, skip_if(_missing())]

# What a person would pass: `make stack ASSISES_WEBHOOKS_ALLOW_PRIVATE=1 …`. The second value
# has what breaks naive quoting (a quote, a space, a dollar, a comma, a percent sign).
GIVEN = {
    "ASSISES_WEBHOOKS_ALLOW_PRIVATE": "1",
    "ASSISES_STACK_TEST_NOTE": 'l\'équipe "presse", $HOME 100%',
}
STARTUP_SECONDS = 600  # migrate, load the demo and render it on a loaded two-core machine


class RunningStack:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.database = f"assises_stack_{uuid.uuid4().hex[:8]}"
        self.server = postgres_server_url()
        self.database_url = self.server.rpartition("/")[0] + "/" + self.database
        self.env = _env(
            tmp,
            BIN=str(BIN),
            DATABASE_URL=self.database_url,
            STACK_PORT=str(self.port),
            STACK_WORKERS="1",
            STACK_TASK_WORKERS="1",
            **GIVEN,
        )
        self.state = tmp / "stack"
        self.log = tmp / "stack.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(ROOT / "deploy" / "stack" / "up")],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # as a terminal's Ctrl+C reaches only supervisord
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise AssertionError(f"the stack exited ({code}):\n{self.tail()}")
            try:
                if _get(f"{self.base}/healthz?check=database")[0] == 200 and self.running():
                    return
            except OSError:
                pass
            time.sleep(1)
        raise AssertionError(f"the stack did not start:\n{self.tail()}")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def status(self) -> dict[str, tuple[str, int]]:
        """Each supervised process: its state and pid, as `supervisorctl status` tells."""
        result = subprocess.run(
            [str(BIN / "supervisorctl"), "-c", str(self.state / "supervisord.conf"), "status"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        found = {}
        for line in result.stdout.splitlines():
            name, state, *rest = line.split()
            pid = int(rest[1].rstrip(",")) if rest[:1] == ["pid"] else 0
            found[name] = (state, pid)
        return found

    def running(self) -> bool:
        status = self.status()
        return bool(status) and all(state == "RUNNING" for state, _pid in status.values())

    def stack_env(self) -> dict[str, str]:
        """var/stack/env as `make load` reads it: sourced by sh."""
        code = f'set -a; . "{self.state / "env"}"; env -0'
        out = subprocess.run(["sh", "-c", code], capture_output=True, env={}, check=True).stdout
        return dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)

    def stop(self) -> None:
        """Ctrl+C, then what is left is killed (a failed test may leave a stack behind)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)

    def drop_database(self) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = RunningStack(tmp_path_factory.mktemp("stack"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        stack.drop_database()


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


def _alive(pid: int) -> bool:
    """Running, or stopped: neither gone nor a zombie left for init to reap."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_the_stack_runs_every_line_of_the_procfile(stack):
    programs = {name.split(":")[0] for name in stack.status()}
    procfile = ROOT / "Procfile.stack"
    lines = [line for line in procfile.read_text().splitlines() if line and line[0] != "#"]
    assert programs == {line.split(":")[0] for line in lines}


def test_a_killed_task_worker_is_started_again_while_gunicorn_keeps_answering(stack):
    before = stack.status()
    worker = next(name for name in before if name.startswith("worker:"))
    app = f"http://127.0.0.1:{stack.stack_env()['STACK_APP_PORT']}/healthz?check=database"
    answers: list[int | str] = []
    done = threading.Event()

    def ask() -> None:  # gunicorn itself, not Varnish's copy
        while not done.is_set():
            try:
                answers.append(_get(app)[0])
            except OSError as error:
                answers.append(repr(error))
            time.sleep(0.1)

    asking = threading.Thread(target=ask)
    asking.start()
    try:
        os.kill(before[worker][1], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state, pid = stack.status().get(worker, ("", 0))
            if state == "RUNNING" and pid not in (0, before[worker][1]):
                break
            time.sleep(0.2)
        time.sleep(1)  # a few more answers once the worker is back
    finally:
        done.set()
        asking.join(timeout=30)

    after = stack.status()
    assert after[worker][0] == "RUNNING" and after[worker][1] != before[worker][1], stack.tail()
    assert "run_worker" in Path(f"/proc/{after[worker][1]}/cmdline").read_text()
    assert not _alive(before[worker][1])
    assert {name: after[name] for name in before if name != worker} == {
        name: state for name, state in before.items() if name != worker
    }  # the others neither stopped nor restarted
    assert len(answers) >= 5 and set(answers) == {200}, answers


def test_settings_given_to_make_stack_reach_every_process_and_the_env_file(stack):
    # Redis writes its process title over its environment's memory: /proc cannot show it
    pids = {name: pid for name, (_state, pid) in stack.status().items() if name != "redis"}
    pids |= {f"web (worker {pid})": pid for pid in _children(pids["web"])}  # gunicorn's workers
    file = stack.stack_env()
    assert {name: file.get(name) for name in GIVEN} == GIVEN
    assert file["DATABASE_URL"] == stack.database_url
    assert oct(os.stat(stack.state / "env").st_mode & 0o777) == "0o600"
    for name, pid in pids.items():
        environ = _environ(pid)
        for variable in [*GIVEN, "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ASSISES_BASE_URL"]:
            assert environ.get(variable) == file[variable], (name, variable)
        assert environ["DJANGO_SETTINGS_MODULE"] == "demosite.settings.production", name
    assert {"scheduler", "web", "housekeeping"} <= set(pids)


def test_ctrl_c_stops_every_process(stack):
    pids = [pid for _state, pid in stack.status().values()]
    pids += [child for pid in pids for child in _children(pid)]
    stack.stop()
    assert stack.process.returncode == 0, stack.tail()
    left = [pid for pid in pids if _alive(pid)]
    assert left == [], stack.tail()
