"""Editors changing the page tree at once never get a database error, and the tree stays whole.

Real processes (`tree_editor.py`), each creating, moving, copying and deleting pages under the
same parents through Wagtail's actions, on a database of their own that they all see: on
PostgreSQL a database created for the test beside the test database (a transactional test would
flush the demo the other modules share), on SQLite a file. On SQLite the test runs too, although
SQLite already runs one writing transaction at a time: it still checks that each change reads
its pages' paths again under the lock.
"""

import json
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from cms.treelock import NAMESPACE, TreeBusy, TreeBusyMiddleware, lock_tree, tree_lock_key
from tests.test_end_to_end import ROOT, _env, _manage

pytestmark = pytest.mark.processes

EDITORS = 4
OPERATIONS = 60
SEED_TREE = """
from wagtail.models import Page
root = Page.objects.get(depth=1)
for n in range(3):
    parent = root.add_child(instance=Page(title=f"Parent {n}", slug=f"parent-{n}"))
    for m in range(4):
        parent.add_child(instance=Page(title=f"Page {n}.{m}", slug=f"p-{n}-{m}"))
"""
CHECK_TREE = """
import json
from django.db.models import Count
from wagtail.models import Page
problems = [sorted(p) for p in Page.find_problems()]
counted = {p.pk: p.numchild for p in Page.objects.all()}
real = {p.pk: len(p.get_children()) for p in Page.objects.all()}
print(json.dumps({"problems": problems, "numchild_wrong": sorted(
    pk for pk in counted if counted[pk] != real[pk]), "pages": len(counted)}))
"""


@pytest.fixture
def tree_env(tmp_path, django_db_setup):
    """Environment for processes sharing one fresh database, migrated, with three parents."""
    env = _env(tmp_path, DATABASE_CONN_MAX_AGE="0")
    settings = connection.settings_dict
    database = None
    if connection.vendor == "postgresql":
        database = f"{settings['NAME']}_tree"[:63]
        url = urlsplit(
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}"
            f"@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/postgres"
        )
        env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{database}"))
        _recreate(url, database)
    _manage(env, "migrate", "--no-input")
    _manage(env, "shell", "-c", SEED_TREE)
    yield env
    if database is not None:
        _drop(url, database)


def _admin(url) -> psycopg.Connection:
    return psycopg.connect(urlunsplit(url), autocommit=True)


def _recreate(url, database: str) -> None:
    _drop(url, database)
    with _admin(url) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def _drop(url, database: str) -> None:
    with _admin(url) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def test_editors_changing_one_tree_at_once_get_no_database_error(tree_env):
    editors = [
        subprocess.Popen(
            [sys.executable, "tests/cms/tree_editor.py", str(seed), str(OPERATIONS)],
            cwd=ROOT,
            env=tree_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(EDITORS)
    ]
    reports = []
    for editor in editors:
        out, err = editor.communicate(timeout=600)
        assert editor.returncode == 0, err[-3000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    errors = [report["errors"] for report in reports if report["errors"]]
    assert errors == []
    assert sum(report["done"] for report in reports) > EDITORS * OPERATIONS // 2
    tree = json.loads(_manage(tree_env, "shell", "-c", CHECK_TREE).stdout.strip().splitlines()[-1])
    assert tree["problems"] == [[]] * 5
    assert tree["numchild_wrong"] == []


def test_tree_lock_keys_are_stable_signed_32_bit_numbers():
    key = tree_lock_key("wagtailcore_page")
    assert key == tree_lock_key("wagtailcore_page") != tree_lock_key("wagtailcore_collection")
    assert -(2**31) <= key < 2**31


@pytest.mark.django_db
def test_a_change_waiting_too_long_answers_503_not_a_server_error(settings, rf):
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL has the advisory lock; SQLite queues writers itself")
    from django.db import transaction
    from wagtail.models import Page

    settings.ASSISES = {**settings.ASSISES, "TREE_LOCK_WAIT_SECONDS": 0.2}
    db = connection.settings_dict
    params = {"dbname": db["NAME"], "user": db["USER"], "password": db["PASSWORD"]}
    params |= {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432}
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute(
            "SELECT pg_advisory_lock(%s, %s)", [NAMESPACE, tree_lock_key(Page._meta.db_table)]
        )
        with pytest.raises(TreeBusy) as busy, transaction.atomic():
            lock_tree(Page, "default")
    response = TreeBusyMiddleware(lambda request: None).process_exception(rf.post("/"), busy.value)
    assert (response.status_code, response["Retry-After"]) == (503, "5")


def test_a_site_without_the_middleware_is_warned(settings):
    from cms.checks import tree_busy_middleware

    assert tree_busy_middleware(None) == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "TreeBusy" not in m]
    assert [message.id for message in tree_busy_middleware(None)] == ["assises.W022"]
