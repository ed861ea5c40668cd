"""The browser suite: Debian's Chromium driven by Playwright against a real gunicorn.

The server is a separate process with a database of its own (a SQLite file, or a fresh
PostgreSQL database beside the one in DATABASE_URL), migrated and loaded with the demo once per
session: pytest-django's `live_server` would flush the shared test database after each test.
Tests therefore do not roll back; each one creates content under names of its own.

One browser per session, one context per test. A failed test leaves a full-page screenshot in
var/browser-failures/<test name>.png. `browser_page` records console errors and failed requests;
the test decides what to assert about them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.services import missing_gunicorn
from tests.test_end_to_end import BIN, ROOT, _free_port, _get

CHROMIUM = os.environ.get("ASSISES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FAILURES = ROOT / "var" / "browser-failures"
ADMIN_USER = "redaction"
ADMIN_PASSWORD = "mot-de-passe-du-test-navigateur"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests; skip them, saying why, where Chromium or Playwright is missing."""
    here = Path(__file__).parent
    ours = [item for item in items if Path(str(item.fspath)).is_relative_to(here)]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    reason = None
    if sync_playwright is None:
        reason = "playwright is not installed (pip install -e '.[dev]')"
    elif not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        reason = f"Chromium not found at {CHROMIUM} (apt install chromium; `make test` tries)"
    else:
        reason = missing_gunicorn()
    if reason is None:
        return
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=reason))


@dataclass
class Server:
    """A gunicorn serving the project on a free loopback port, with its own database."""

    var_dir: Path
    port: int = field(default_factory=_free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)
    database_url: str | None = None
    _drop_database: str | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.browser.settings",
            ASSISES_VAR_DIR=str(self.var_dir),
            ASSISES_BASE_URL=self.base,
            PYTHONPATH=str(ROOT),
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def manage(self, *args: str, timeout: int = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def shell(self, code: str) -> str:
        """Run Python in the server's database, in a process of its own; returns the last line."""
        out = self.manage("shell", "-c", code).strip()
        return out.splitlines()[-1] if out else ""

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        return _get(self.base + path, headers)

    def start(self) -> None:
        self._create_database()
        self.manage("migrate", "--no-input")
        self.manage("load_demo")
        self.shell(
            "from django.contrib.auth import get_user_model;"
            f"get_user_model().objects.create_superuser({ADMIN_USER!r}, "
            f"'redaction@example.org', {ADMIN_PASSWORD!r})"
        )
        log = open(self.var_dir / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
        self.processes.append(
            subprocess.Popen(
                [str(BIN / "gunicorn"), "demosite.wsgi", "--bind", f"127.0.0.1:{self.port}"]
                + ["--workers", "1", "--threads", "8", "--timeout", "120"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        )
        for _ in range(150):
            try:
                if self.get("/api/v1/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("gunicorn did not start: " + self.log()[-2000:])

    def log(self) -> str:
        path = self.var_dir / "gunicorn.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if self._drop_database:
            self._admin_sql(f'DROP DATABASE IF EXISTS "{self._drop_database}" WITH (FORCE)')

    def _create_database(self) -> None:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            return  # SQLite: the file lives in var_dir
        parts = urllib.parse.urlsplit(url)
        name = re.sub(r"\W", "_", f"{parts.path.lstrip('/') or 'assises'}_browser_{os.getpid()}")
        self._admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self._admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._admin_sql(f'CREATE DATABASE "{name}"')
        self._drop_database = name
        self.database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))

    def _admin_sql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self._admin_url, autocommit=True) as connection:
            connection.execute(sql)


@pytest.fixture(scope="package")
def server(tmp_path_factory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("browser-server"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed when they are done.

    Package scope, not session: Playwright's sync API keeps an event loop running in this
    thread while it is open, and Django then refuses ORM calls from ordinary tests run after
    these ones in the same process (SynchronousOnlyOperation).
    """
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass
class BrowserPage:
    """A Playwright page with what went wrong on it recorded."""

    page: object
    console_errors: list[str]
    failed_requests: list[str]
    requests: list[str]
    blocked_requests: list[str]  # refused by the page's Content-Security-Policy: never sent

    def __getattr__(self, name):
        return getattr(self.page, name)


def _open_page(context, server: Server) -> BrowserPage:
    context.set_default_timeout(15_000)
    page = context.new_page()
    recorded = BrowserPage(page, [], [], [], [])
    page.on(
        "console",
        lambda message: (
            recorded.console_errors.append(f"{message.text} ({message.location.get('url')})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: recorded.console_errors.append(str(error)))
    page.on(
        "requestfailed",
        lambda request: (
            recorded.blocked_requests
            if (request.failure or "") in {"csp", "net::ERR_BLOCKED_BY_CSP"}
            else recorded.failed_requests
        ).append(request.url),
    )
    page.on("request", lambda request: recorded.requests.append(request.url))
    return recorded


def _screenshot_on_failure(request, page) -> None:
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    FAILURES.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]", "_", request.node.nodeid.split("::")[-1])
    try:
        page.screenshot(path=str(FAILURES / f"{name}.png"), full_page=True)
        (FAILURES / f"{name}.html").write_text(page.content())
    except Exception as error:  # noqa: BLE001 - a screenshot must not hide the failure
        print(f"no screenshot for {name}: {error}")


@pytest.fixture
def browser_page(browser, server, request) -> Iterator[BrowserPage]:
    """An anonymous visitor's page (French), in a context of its own."""
    context = browser.new_context(base_url=server.base, locale="fr-FR")
    page = _open_page(context, server)
    try:
        yield page
    finally:
        _screenshot_on_failure(request, page.page)
        context.close()


@pytest.fixture(scope="package")
def admin_state(browser, server, tmp_path_factory) -> str:
    """Log in once through the login form; later contexts reuse the session cookie."""
    context = browser.new_context(base_url=server.base, locale="fr-FR")
    page = context.new_page()
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(ADMIN_USER)
    page.locator("input[name=password]").fill(ADMIN_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    path = tmp_path_factory.mktemp("browser-state") / "admin.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)


@pytest.fixture
def admin_page(browser, server, admin_state, request) -> Iterator[BrowserPage]:
    """A logged-in administrator's page in the French admin."""
    context = browser.new_context(
        base_url=server.base,
        locale="fr-FR",
        storage_state=admin_state,
        viewport={"width": 1400, "height": 1000},
    )
    page = _open_page(context, server)
    try:
        yield page
    finally:
        _screenshot_on_failure(request, page.page)
        context.close()


@pytest.fixture(scope="package")
def site_ids(server) -> dict[str, int]:
    """Ids of the demo's parent pages, to open the admin's « add » views directly."""
    import json

    return json.loads(
        server.shell(
            "import json; from wagtail.models import Page;"
            "pick = lambda model: Page.objects.filter("
            "content_type__model=model).values_list('pk', flat=True).first();"
            "print(json.dumps({'series': pick('congressseriespage'),"
            " 'speakers': pick('speakerindexpage'), 'press': pick('pressindexpage'),"
            " 'home': pick('homepage')}))"
        )
    )
