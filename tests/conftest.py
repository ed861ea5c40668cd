"""Shared fixtures: the demo site is loaded once into the test database.

Every test runs in a transaction rolled back at its end, so tests may change the demo freely.
"""

import io

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached lists of one test must not survive its rolled-back transaction."""
    from django.core.cache import cache

    from cms.api import listcache

    cache.clear()
    listcache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def home(db):
    from demosite.models import HomePage

    return HomePage.objects.get(depth=2)


@pytest.fixture
def series(db):
    from events.models import CongressSeriesPage

    return CongressSeriesPage.objects.get(slug="assises")


@pytest.fixture
def amboise(db):
    from events.models import CongressEditionPage

    return CongressEditionPage.objects.get(slug="amboise-2024")


@pytest.fixture
def speaker_index(db):
    from events.models import SpeakerIndexPage

    return SpeakerIndexPage.objects.get()


@pytest.fixture
def press_room(db):
    from press.models import PressIndexPage

    return PressIndexPage.objects.get()


@pytest.fixture
def communique(db):
    from press.models import CommuniquePage

    return CommuniquePage.objects.get(slug="les-petites-villes-en-congres-a-amboise")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the publish pipeline) as a real commit would.

    Tests run inside a transaction that is rolled back; this context manager executes what
    would have run at commit time.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def api(client, db):
    """A client for the JSON API that decodes JSON responses."""

    class Api:
        def get(self, url, **headers):
            response = client.get(url, headers=headers)
            response.json_body = response.json() if response.content else None
            return response

    return Api()


# Modules whose fixtures start a whole stack (gunicorn, workers, Varnish, Chromium) or build
# large scenarios once per module: with `--dist loadgroup` (the Makefile's), all their tests go
# to one xdist worker, so the stack is started once rather than once per worker.
XDIST_GROUPS = {
    "browser": "browser",
    "test_varnish.py": "varnish",
    "test_processes.py": "processes",
    "test_scheduled_processes.py": "processes",
    "test_stack.py": "stack",
    "test_leak_sweep.py": "sweep",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = item.path.parts
        group = next((g for part, g in XDIST_GROUPS.items() if part in parts), None)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
