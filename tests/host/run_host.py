#!/usr/bin/env python3
"""Proof that Assises installs into someone else's Wagtail site, from scratch.

    python tests/host/run_host.py --python python3.11 --django 'django>=5.2,<5.3' \
        --database sqlite|postgres

1. Builds the wheel and the sdist from this repository (`python -m build`, with the repository's
   .venv) and checks what the wheel carries: templates, static files, compiled translations and
   migrations, and neither the demo site nor the tests.
2. Creates a fresh virtualenv with the given Python and installs the wheel, the given Django,
   psycopg and gunicorn into it (from the configured pip index, through pip's cache).
3. Runs `wagtail start hostsite`: Wagtail's own project template, its `home` app and HomePage,
   Wagtail's default image model. The host gets an app of its own labelled `events`: Assises's
   import package is named `events` too (its app label is `assises_events`), and two Python
   packages cannot share one name in one environment, so the host's app is the package `agenda`
   with `AppConfig.label = "events"`, one model, a table and a migration of its own.
4. Applies the settings block and the URL block of docs/install.md, read word for word from the
   fenced blocks after `<!-- host-settings -->` and `<!-- host-urls -->`: the settings block is
   appended to hostsite/settings/base.py, the URL line goes first in the host's `urlpatterns`.
5. `check`, `migrate`, then `manage.py shell < seed_host.py`: under the host's HomePage, a
   congress series, an edition with sessions, a speakers' index with a speaker, a press room
   with a published communiqué and a draft.
6. Runs the task worker until idle (`run_worker --batch --queue-name "*"`), starts gunicorn on a
   free loopback port and reads through real HTTP: the API root, the lists and one detail each
   of communiqués, editions, sessions and speakers, the RSS feed, the edition's calendar, the
   change feed and the widget script. The documents must carry what was created; the draft must
   appear nowhere. The widget: `findstatic` and `collectstatic` must find it (how a production
   host serves it, from STATIC_ROOT through its own web server), and it is fetched through
   gunicorn from `/static/assises/widget.js`, served by the `staticfiles_urlpatterns()` that
   `wagtail start`'s urls.py adds while DEBUG is on (its dev settings): the host's own static
   serving, nothing added by the harness.
7. Removes exactly the lines added in step 4: `check` passes and the host's home page still
   answers 200 through gunicorn.

On PostgreSQL the host uses a database of its own, `assises_host_<random>` on 127.0.0.1:5432
(user postgres, trust), dropped at the end.

Exit status: 0 passed, 1 failed, 3 skipped (the Python or the Django version asked for is not
available here; the reason is printed). With --skip-unavailable a skip exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
INSTALL_DOC = REPO / "docs" / "install.md"
SKIPPED = 3
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}


class Skip(Exception):
    """The combination cannot run on this machine (not a failure of Assises or the harness)."""


class Failure(Exception):
    pass


def log(message: str) -> None:
    print(f"[host] {message}", flush=True)


class Steps:
    """Times each step; the summary is printed at the end, passed or not."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def __call__(self, name: str):
        log(f"-- {name}")
        start = time.monotonic()
        try:
            yield
        finally:
            self.timings.append((name, time.monotonic() - start))

    def summary(self) -> str:
        total = sum(seconds for _, seconds in self.timings)
        lines = [f"  {seconds:7.1f}s  {name}" for name, seconds in self.timings]
        return "\n".join([*lines, f"  {total:7.1f}s  total"])


def run(
    cmd: list[str],
    *,
    cwd: Path | None = None,
    env: dict | None = None,
    stdin=None,
    timeout: float = 900,
    check: bool = True,
) -> subprocess.CompletedProcess:
    shown = " ".join(str(c) for c in cmd)
    log(f"$ {shown}" + (f"   (in {cwd})" if cwd else ""))
    result = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise Failure(f"`{shown}` exited with {result.returncode}:\n{result.stdout[-6000:]}")
    return result


# --- 0. the Python asked for ----------------------------------------------------------------


def resolve_python(spec: str) -> tuple[str, str]:
    """An interpreter that really runs (pyenv shims print an error for versions not selected)."""
    candidates = []
    if os.sep in spec:
        candidates.append(spec)
    else:
        found = shutil.which(spec)
        if found:
            candidates.append(found)
        match = re.fullmatch(r"python(\d+\.\d+)", spec)
        if match:
            pattern = f"{Path.home()}/.pyenv/versions/{match[1]}*/bin/python"
            candidates += sorted(glob.glob(pattern), reverse=True)
    tried = []
    for candidate in candidates:
        probe = subprocess.run(
            [candidate, "-c", "import sys, venv; print('%d.%d.%d' % sys.version_info[:3])"],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0:
            return candidate, probe.stdout.strip()
        tried.append(f"{candidate}: {(probe.stderr or probe.stdout).strip().splitlines()[:1]}")
    raise Skip(f"no working interpreter for {spec!r} (tried: {tried or 'nothing on PATH'})")


# --- 1. the wheel ---------------------------------------------------------------------------


def build_distributions(dist: Path) -> Path:
    python = REPO / ".venv" / "bin" / "python"
    if run([python, "-c", "import build"], check=False).returncode != 0:
        run([python, "-m", "pip", "install", "--quiet", "build>=1.2,<2"])
    run([python, "-m", "build", "--wheel", "--sdist", "--outdir", dist, REPO])
    wheels = sorted(dist.glob("assises-*.whl"))
    if len(wheels) != 1 or not list(dist.glob("assises-*.tar.gz")):
        raise Failure(f"expected one wheel and one sdist in {dist}: {os.listdir(dist)}")
    return wheels[0]


def check_wheel(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    required = [
        "cms/templates/assises/base.html",
        "cms/static/assises/widget.js",
        "cms/locale/fr/LC_MESSAGES/django.mo",
        "cms/migrations/0001_initial.py",
        "events/migrations/0001_initial.py",
        "press/migrations/0001_initial.py",
    ]
    missing = [name for name in required if name not in names]
    leaked = [n for n in names if n.startswith(("demosite/", "tests/", "bench/", "deploy/"))]
    if missing or leaked:
        raise Failure(f"wheel {wheel.name}: missing {missing}, should not contain {leaked[:10]}")
    log(f"wheel {wheel.name}: {len(names)} files, templates/static/locale/migrations present")


# --- 2. the host's environment --------------------------------------------------------------


def create_venv(python: str, venv: Path, wheel: Path, django: str) -> Path:
    run([python, "-m", "venv", venv])
    bin_dir = venv / "bin"
    result = run(
        [
            bin_dir / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",
            wheel,
            django,
            "psycopg[binary]",
            "gunicorn",
        ],
        check=False,
    )
    if result.returncode != 0:
        output = result.stdout
        unavailable = re.search(r"No matching distribution found for (django\S*)", output, re.I)
        if unavailable:
            versions = re.search(r"\(from versions: ([^)]*)\)", output)
            raise Skip(
                f"{django} cannot be installed with this Python from the configured index "
                f"(pip: no matching distribution for {unavailable[1]}; "
                f"available: ...{(versions[1] if versions else '?')[-80:]})"
            )
        raise Failure(f"pip install exited with {result.returncode}:\n{output[-6000:]}")
    freeze = run([bin_dir / "python", "-m", "pip", "freeze"]).stdout
    wanted = ("django==", "wagtail==", "assises", "psycopg", "django-tasks", "gunicorn")
    log(
        "installed: "
        + ", ".join(line for line in freeze.splitlines() if line.lower().startswith(wanted))
    )
    return bin_dir


# --- 3 and 4. the host project and the documented blocks ------------------------------------


def documented_block(marker: str) -> str:
    """The fenced python block right after `<!-- marker -->` in docs/install.md, as written."""
    text = INSTALL_DOC.read_text(encoding="utf-8")
    match = re.search(rf"^<!-- {re.escape(marker)} -->\n```python\n(.*?)^```$", text, re.M | re.S)
    if not match:
        raise Failure(f"docs/install.md has no ```python block right after <!-- {marker} -->")
    return match[1]


HOST_APP_CONFIG = """from django.apps import AppConfig


class AgendaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agenda"
    label = "events"  # the host's own app labelled "events", beside Assises's assises_events
"""

HOST_APP_MODELS = """from django.db import models


class Meeting(models.Model):
    title = models.CharField(max_length=100)
"""


def make_project(bin_dir: Path, work: Path) -> Path:
    project = work / "host"
    project.mkdir()
    run([bin_dir / "wagtail", "start", "hostsite", project])
    run([bin_dir / "python", "manage.py", "startapp", "agenda"], cwd=project, env=host_env())
    (project / "agenda" / "apps.py").write_text(HOST_APP_CONFIG)
    (project / "agenda" / "models.py").write_text(HOST_APP_MODELS)
    base = project / "hostsite" / "settings" / "base.py"
    text = base.read_text()
    if '"wagtail.images",' not in text or "WAGTAILIMAGES_IMAGE_MODEL" in text:
        raise Failure("unexpected wagtail start settings: Wagtail's image model is not the default")
    base.write_text(text.replace("INSTALLED_APPS = [\n", 'INSTALLED_APPS = [\n    "agenda",\n', 1))
    return project


def host_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ASSISES_"))}
    env.pop("DATABASE_URL", None)
    env.pop("VIRTUAL_ENV", None)
    env["DJANGO_SETTINGS_MODULE"] = "hostsite.settings.dev"
    return env


def apply_blocks(project: Path, port: int) -> tuple[str, str]:
    settings_block = documented_block("host-settings")
    urls_block = documented_block("host-urls")
    lines = [line for line in settings_block.splitlines() if line.strip()]
    if len(lines) > 12:
        raise Failure(f"the settings block of docs/install.md has {len(lines)} lines (12 at most)")
    added_settings = "\n" + settings_block.replace(
        "http://127.0.0.1:8000", f"http://127.0.0.1:{port}"
    )
    base = project / "hostsite" / "settings" / "base.py"
    base.write_text(base.read_text() + added_settings)

    # The URL block shows the host's list with Assises's line(s) first and the rest as `...`:
    # those lines go, as written, right after the host's own `urlpatterns = [`.
    opening = "urlpatterns = [\n"
    if not urls_block.startswith(opening) or "\n    ...," not in urls_block:
        raise Failure(
            f"the URL block of docs/install.md is not `urlpatterns = [ … ...,`: {urls_block}"
        )
    added_urls = urls_block[len(opening) : urls_block.index("    ...,")]
    urls = project / "hostsite" / "urls.py"
    text = urls.read_text()
    if not text.count(opening) or "include(wagtail_urls)" not in text:
        raise Failure(f"unexpected wagtail start urls.py:\n{text}")
    urls.write_text(text.replace(opening, opening + added_urls, 1))
    log(f"settings: +{len(lines)} lines; urls: +{added_urls.strip()}")
    return added_settings, added_urls


def remove_blocks(project: Path, added_settings: str, urls_block: str) -> None:
    for path, added in [
        (project / "hostsite" / "settings" / "base.py", added_settings),
        (project / "hostsite" / "urls.py", urls_block),
    ]:
        text = path.read_text()
        if text.count(added) != 1:
            raise Failure(f"{path.name}: the lines added are not there exactly once")
        path.write_text(text.replace(added, "", 1))


def use_postgres(project: Path, name: str) -> None:
    """The host moves to PostgreSQL, as its own choice (Assises or not): its database, and
    django.contrib.postgres, which Wagtail's search index needs there from Django 6.1 on (Django's
    check postgres.E005 on wagtailsearch.IndexEntry; `wagtail start` does not list it)."""
    local = project / "hostsite" / "settings" / "local.py"  # dev.py imports it (wagtail start)
    local.write_text(
        "from .base import INSTALLED_APPS\n\n"
        'INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]\n'
        "DATABASES = {\n"
        '    "default": {\n'
        '        "ENGINE": "django.db.backends.postgresql",\n'
        f'        "NAME": "{name}",\n'
        f'        "HOST": "{PG["host"]}",\n'
        f'        "PORT": "{PG["port"]}",\n'
        f'        "USER": "{PG["user"]}",\n'
        "    }\n"
        "}\n"
    )


def postgres(bin_dir: Path, sql: str) -> None:
    """Run one statement on the server's `postgres` database, with the host venv's psycopg."""
    code = (
        "import psycopg, sys\n"
        f"with psycopg.connect(host={PG['host']!r}, port={PG['port']}, user={PG['user']!r}, "
        "dbname='postgres', autocommit=True) as c:\n"
        "    c.execute(sys.argv[1])\n"
    )
    run([bin_dir / "python", "-c", code, sql])


def table_names(py: list, project: Path, env: dict) -> list[str]:
    code = "from django.db import connection; print(*connection.introspection.table_names())"
    out = run([*py, "shell", "-c", code], cwd=project, env=env).stdout
    return out.strip().splitlines()[-1].split()


# --- 6. HTTP --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Http:
    def __init__(self, base: str) -> None:
        self.base = base

    def get(self, path: str, status: int = 200) -> tuple[bytes, dict]:
        request = urllib.request.Request(self.base + path, headers={"Accept-Language": "fr"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                code, body, headers = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            code, body, headers = error.code, error.read(), dict(error.headers)
        if code != status:
            raise Failure(f"GET {path}: {code}, expected {status}: {body[:3000]!r}")
        log(f"GET {path} -> {code} ({len(body)} bytes, {headers.get('Content-Type')})")
        return body, headers

    def json(self, path: str) -> dict:
        return json.loads(self.get(path)[0])


def start_gunicorn(bin_dir: Path, project: Path, env: dict, port: int, logfile: Path):
    out = logfile.open("w")
    process = subprocess.Popen(
        [
            bin_dir / "gunicorn",
            "hostsite.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
        ],
        cwd=project,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failure(
                f"gunicorn exited with {process.returncode}:\n{logfile.read_text()[-4000:]}"
            )
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return process
        time.sleep(0.2)
    stop(process)
    raise Failure(f"gunicorn did not listen on {port}:\n{logfile.read_text()[-4000:]}")


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def name_of(document: dict) -> str | None:
    """A document's display name: `title`, or `name` for people."""
    return document.get("title", document.get("name"))


def results(body: dict) -> list[dict]:
    for key in ("results", "items", "data"):
        if isinstance(body.get(key), list):
            return body[key]
    raise Failure(f"no list of results in {list(body)}")


def check_documents(http: Http, seed: dict, project: Path, bin_dir: Path, env: dict) -> None:
    draft = seed["draft"]["title"]

    def no_draft(where: str, content: bytes | str) -> None:
        text = content.decode() if isinstance(content, bytes) else content
        if draft in text or "brouillon-secret" in text:
            raise Failure(f"the draft communiqué appears in {where}")

    root_bytes, _ = http.get("/api/v1/")
    root = json.loads(root_bytes)
    for name in ("communiques", "editions", "sessions", "speakers"):
        if name not in root_bytes.decode():
            raise Failure(f"the API root does not list {name}: {root}")

    expected = {
        "communiques": [seed["communique"]["title"]],
        "editions": [seed["edition"]["title"]],
        "sessions": seed["sessions"],
        "speakers": [seed["speaker"]["title"]],
    }
    for endpoint, titles in expected.items():
        raw, _ = http.get(f"/api/v1/{endpoint}/")
        no_draft(f"/api/v1/{endpoint}/", raw)
        items = results(json.loads(raw))
        listed = [name_of(item) for item in items]
        if sorted(listed) != sorted(titles):
            raise Failure(f"/api/v1/{endpoint}/ lists {listed}, expected {titles}")
        detail_raw, _ = http.get(f"/api/v1/{endpoint}/{items[0]['id']}/")
        detail = json.loads(detail_raw)
        if name_of(detail) != name_of(items[0]):
            raise Failure(f"/api/v1/{endpoint}/{items[0]['id']}/: title {name_of(detail)!r}")
        no_draft(f"/api/v1/{endpoint}/{items[0]['id']}/", detail_raw)
    edition = http.json(f"/api/v1/editions/{seed['edition']['id']}/")
    if seed["speaker"]["title"] not in json.dumps(edition, ensure_ascii=False):
        raise Failure("the edition's document does not embed its speaker (worker not run?)")
    http.get(f"/api/v1/communiques/{seed['draft']['id']}/", status=404)

    rss, headers = http.get("/feeds/communiques.rss")
    no_draft("the RSS feed", rss)
    try:
        import feedparser
    except ImportError:
        titles = [item.findtext("title") for item in ET.fromstring(rss).iter("item")]
        log("RSS parsed as XML (feedparser is not installed here)")
    else:
        feed = feedparser.parse(rss)
        if feed.bozo:
            raise Failure(f"the RSS feed does not parse: {feed.bozo_exception}")
        titles = [entry.title for entry in feed.entries]
    if titles != [seed["communique"]["title"]]:
        raise Failure(f"the RSS feed has {titles}")

    ics, headers = http.get(f"/calendars/editions/{seed['edition']['id']}.ics")
    if "text/calendar" not in headers.get("Content-Type", ""):
        raise Failure(f"calendar Content-Type {headers.get('Content-Type')}")
    try:
        import icalendar
    except ImportError:
        unfolded = re.sub(r"\r?\n[ \t]", "", ics.decode())
        summaries = re.findall(r"^SUMMARY[^:]*:(.*?)\r?$", unfolded, re.M)
        summaries = [s.replace("\\,", ",").replace("\\;", ";") for s in summaries]
        log("calendar parsed line by line (icalendar is not installed here)")
    else:
        calendar = icalendar.Calendar.from_ical(ics)
        summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    missing = [title for title in seed["sessions"] if not any(title in s for s in summaries)]
    if missing:
        raise Failure(f"the edition's calendar lacks {missing}: {summaries}")

    changes_raw, _ = http.get("/api/v1/changes/")
    no_draft("the change feed", changes_raw)
    changed = {(item.get("kind"), str(item.get("id"))) for item in results(json.loads(changes_raw))}
    for kind, key in [("communique", "communique"), ("edition", "edition"), ("speaker", "speaker")]:
        if (kind, str(seed[key]["id"])) not in changed:
            raise Failure(f"the change feed lacks the {kind} {seed[key]['id']}: {sorted(changed)}")
    if ("communique", str(seed["draft"]["id"])) in changed:
        raise Failure("the change feed lists the draft communiqué")

    found = run(
        [bin_dir / "python", "manage.py", "findstatic", "assises/widget.js"], cwd=project, env=env
    ).stdout
    if "widget.js" not in found:
        raise Failure(f"findstatic: {found}")
    run(
        [bin_dir / "python", "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=project,
        env=env,
    )
    collected = project / "static" / "assises" / "widget.js"
    if not collected.is_file():
        raise Failure(f"collectstatic did not copy the widget to {collected}")
    widget, headers = http.get("/static/assises/widget.js")
    if widget != collected.read_bytes():
        raise Failure("the widget served differs from the collected file")


# --- the run --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default="python3.11")
    parser.add_argument("--django", default="django>=5.2,<5.3")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workdir", help="where to work (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument(
        "--explicit-image-model",
        action="store_true",
        help="diagnosis only: write Wagtail's default WAGTAILIMAGES_IMAGE_MODEL into the host's "
        "settings (Assises's models read that setting, which a wagtail start project lacks)",
    )
    parser.add_argument(
        "--skip-unavailable",
        action="store_true",
        help="exit 0 when the Python or Django asked for is not available",
    )
    args = parser.parse_args(argv)

    label = f"{args.python} + {args.django} + {args.database}"
    steps = Steps()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="assises-host-"))
    work.mkdir(parents=True, exist_ok=True)
    bin_dir: Path | None = None
    database = None
    gunicorn = None
    outcome = 1
    try:
        with steps("resolve python"):
            python, version = resolve_python(args.python)
            log(f"{args.python}: {python} (Python {version})")
        with steps("build wheel and sdist"):
            wheel = build_distributions(work / "dist")
            check_wheel(wheel)
        with steps("virtualenv and pip install"):
            bin_dir = create_venv(python, work / "venv", wheel, args.django)
        with steps("wagtail start, the host's own app labelled events"):
            project = make_project(bin_dir, work)
        port = free_port()
        env = host_env()
        if args.database == "postgres":
            database = f"assises_host_{secrets.token_hex(4)}"
            postgres(bin_dir, f'CREATE DATABASE "{database}"')
            use_postgres(project, database)
        py = [bin_dir / "python", "manage.py"]
        with steps("settings and URLs from docs/install.md, check, makemigrations, migrate"):
            added_settings, urls_block = apply_blocks(project, port)
            if args.explicit_image_model:
                with (project / "hostsite" / "settings" / "base.py").open("a") as base:
                    base.write('WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"\n')
            run([*py, "makemigrations", "events"], cwd=project, env=env)  # the host's app
            if not (project / "agenda" / "migrations" / "0001_initial.py").is_file():
                raise Failure("the host's events app got no migration")
            run([*py, "check"], cwd=project, env=env)
            pending = run(
                [*py, "makemigrations", "--check", "--dry-run"], cwd=project, env=env, check=False
            )
            if pending.returncode != 0:
                raise Failure(f"Assises's models and migrations differ here:\n{pending.stdout}")
            run([*py, "migrate", "--no-input"], cwd=project, env=env)
            shown = run(
                [*py, "showmigrations", "events", "assises_events"], cwd=project, env=env
            ).stdout
            if "[ ] " in shown:
                raise Failure(f"unapplied migrations:\n{shown}")
            tables = table_names(py, project, env)
            if "events_meeting" not in tables or "assises_events_programmesession" not in tables:
                raise Failure(f"expected the host's events_meeting beside Assises's: {tables}")
        with steps("create and publish pages under the host's HomePage"):
            with (HERE / "seed_host.py").open() as seed_file:
                out = run([*py, "shell"], cwd=project, env=env, stdin=seed_file).stdout
            seed = json.loads(
                next(line[5:] for line in out.splitlines() if line.startswith("SEED "))
            )
            log(f"created: {seed}")
        with steps("task worker until idle"):
            run(
                [
                    *py,
                    "run_worker",
                    "--batch",
                    "--queue-name",
                    "*",
                    "--no-startup-delay",
                    "--no-reload",
                ],
                cwd=project,
                env=env,
            )
        with steps("gunicorn and HTTP reads"):
            gunicorn = start_gunicorn(bin_dir, project, env, port, work / "gunicorn.log")
            http = Http(f"http://127.0.0.1:{port}")
            check_documents(http, seed, project, bin_dir, env)
            stop(gunicorn)
        with steps("remove Assises as docs/install.md says, check, the host's home page"):
            with (HERE / "unseed_host.py").open() as unseed_file:
                run([*py, "shell"], cwd=project, env=env, stdin=unseed_file)
            for app in ("assises_press", "assises_events", "assises_cms"):
                run([*py, "migrate", app, "zero", "--no-input"], cwd=project, env=env)
            remove_blocks(project, added_settings, urls_block)
            tables = table_names(py, project, env)
            left = [t for t in tables if t.startswith("assises_")]
            if left or "events_meeting" not in tables:
                raise Failure(f"after removal: Assises tables {left}, host tables {tables}")
            run([*py, "check"], cwd=project, env=env)
            gunicorn = start_gunicorn(bin_dir, project, env, port, work / "gunicorn-after.log")
            home, _ = Http(f"http://127.0.0.1:{port}").get("/")
            stop(gunicorn)
        outcome = 0
    except Skip as skip:
        log(f"SKIPPED {label}: {skip}")
        outcome = 0 if args.skip_unavailable else SKIPPED
    except Failure as failure:
        log(f"FAILED {label}:\n{failure}")
    finally:
        stop(gunicorn)
        if database and bin_dir:
            with contextlib.suppress(Failure):
                postgres(bin_dir, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        print(f"[host] timings for {label}:\n{steps.summary()}", flush=True)
        if args.keep or outcome == 1:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if outcome == 0:
        log(f"PASSED {label}")
    return outcome


if __name__ == "__main__":
    sys.exit(main())
