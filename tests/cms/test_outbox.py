"""No lost work: the worker's tasks are written in the transaction of the change that needs them.

In-process tests use the database task backend in the test's own transaction; the last test
kills a real publishing process right after its commit, then runs a real worker.
"""

import subprocess
import sys

import orjson
import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cms.checks import tasks_commit_with_changes
from cms.models import StoredDocument
from cms.pipeline.signals import rendering_inline
from cms.pipeline.store import store_batch
from events.models import SpeakerPage
from tests.test_end_to_end import ROOT, _env, _manage

PROPAGATE = "cms.pipeline.tasks.propagate_changes"
PURGE = "cms.pipeline.tasks.purge_surrogate_keys"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS


def _tasks(path: str) -> list[dict]:
    return [task.args_kwargs["kwargs"] for task in DBTaskResult.objects.filter(task_path=path)]


def _names(edition_pk: int) -> set[str]:
    stored = StoredDocument.objects.get(kind="edition", object_id=str(edition_pk))
    edition = orjson.loads(bytes(stored.body))
    return {p["speaker"]["title"] for s in edition["sessions"] for p in s["participants"]}


def test_publish_writes_the_dependents_task_before_its_commit(
    db_tasks, amboise, django_capture_on_commit_callbacks
):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.family_name = "Berger-Outbox"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        berger.save_revision().publish()
        written = _tasks(PROPAGATE)  # nothing has run on commit yet
    assert [task["keys"] for task in written] == [[f"page:{berger.pk}"]]
    assert written[0]["reasons"] == {f"page:{berger.pk}": "published"}
    # The commit does not enqueue the change again (what rendering it inline finds further down,
    # such as the contacts of the communiqués naming him, may follow in tasks of its own).
    after = _tasks(PROPAGATE)
    assert after[0] == written[0]
    assert [t for t in after[1:] if f"page:{berger.pk}" in t["keys"]] == []


def test_transaction_writes_one_dependents_task_for_all_its_changes(db_tasks, amboise):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    borloo = SpeakerPage.objects.get(slug="jean-louis-borloo")
    with transaction.atomic():
        berger.save_revision().publish()
        borloo.unpublish()
    tasks = _tasks(PROPAGATE)
    assert len(tasks) == 1
    assert tasks[0]["reasons"] == {
        f"page:{berger.pk}": "published",
        f"page:{borloo.pk}": "unpublished",
    }


def test_rolled_back_savepoint_takes_its_keys_out_of_the_task(db_tasks, amboise):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    borloo = SpeakerPage.objects.get(slug="jean-louis-borloo")
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            borloo.unpublish()
            raise RuntimeError("editor's change refused")
        assert _tasks(PROPAGATE) == []
        berger.save_revision().publish()
    assert [task["keys"] for task in _tasks(PROPAGATE)] == [[f"page:{berger.pk}"]]


def test_change_retried_after_a_rolled_back_savepoint_is_in_the_task(db_tasks, amboise):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    borloo = SpeakerPage.objects.get(slug="jean-louis-borloo")
    with transaction.atomic():
        berger.save_revision().publish()
        with pytest.raises(RuntimeError), transaction.atomic():
            borloo.unpublish()
            raise RuntimeError("editor's change refused")
        SpeakerPage.objects.get(pk=borloo.pk).unpublish()  # tried again, and kept
    (task,) = _tasks(PROPAGATE)
    assert task["reasons"] == {f"page:{berger.pk}": "published", f"page:{borloo.pk}": "unpublished"}


def test_worker_task_renders_the_dependents_the_committing_process_left(db_tasks, amboise):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.family_name = "Berger-Rattrapé"
    with transaction.atomic():  # committed, but its on-commit work never runs (a crash)
        berger.save_revision().publish()
    assert "Laurent Berger-Rattrapé" not in _names(amboise.pk)
    (task,) = DBTaskResult.objects.filter(task_path=PROPAGATE)
    task.task.call(*task.task_result.args, **task.task_result.kwargs)
    assert "Laurent Berger-Rattrapé" in _names(amboise.pk)


def test_purge_is_written_with_the_documents_it_follows(
    db_tasks, settings, amboise, django_capture_on_commit_callbacks
):
    settings.ASSISES = {
        **settings.ASSISES,
        "PURGE_BACKENDS": {
            "varnish": {
                "BACKEND": "cms.consumers.purge.VarnishXkeyBackend",
                "LOCATION": "http://127.0.0.1:9",
            }
        },
    }
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    SpeakerPage.objects.filter(pk=berger.pk).update(family_name="Berger-Purgé")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        store_batch([f"page:{berger.pk}"])
    assert callbacks == []  # nothing left for the commit to enqueue
    (first, second) = _tasks(PURGE)
    assert f"speaker:{berger.pk}" in first["keys"] and first == second


def test_inline_command_removes_the_task_it_did_itself(db_tasks, amboise, committed):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.family_name = "Berger-Importé"
    with rendering_inline(), committed():
        with transaction.atomic():
            berger.save_revision().publish()
        assert len(_tasks(PROPAGATE)) == 1  # written with the change, in case of a crash
    assert _tasks(PROPAGATE) == []
    assert "Laurent Berger-Importé" in _names(amboise.pk)


def test_immediate_backend_renders_dependents_only_after_commit(
    amboise, django_capture_on_commit_callbacks
):
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.family_name = "Berger-Immédiat"
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        berger.save_revision().publish()
    assert "Laurent Berger-Immédiat" not in _names(amboise.pk)
    for callback in callbacks:
        callback()
    assert "Laurent Berger-Immédiat" in _names(amboise.pk)


def test_check_warns_when_tasks_cannot_commit_with_changes(settings):
    assert [message.id for message in tasks_commit_with_changes(None)] == ["assises.W002"]
    settings.TASKS = DB_TASKS
    assert tasks_commit_with_changes(None) == []


PUBLISH = """
import os, signal, sys
from django.db import transaction
from events.models import SpeakerPage
with transaction.atomic():
    # dies the moment its commit returns, before any on-commit work (render, enqueue)
    transaction.on_commit(lambda: os._exit(0))
    page = SpeakerPage.objects.get(slug="laurent-berger")
    page.family_name = {name!r}
    page.save_revision().publish()
    print("written", flush=True)
    sys.stdin.readline()
    {ending}
"""
BEFORE_COMMIT = "os.kill(os.getpid(), signal.SIGKILL)"

COUNT = """
from django_tasks_db.models import DBTaskResult
from cms.models import StoredDocument
from events.models import CongressEditionPage as E
edition = E.objects.get(slug="amboise-2024").pk
body = bytes(StoredDocument.objects.get(kind="edition", object_id=str(edition)).body)
tasks = DBTaskResult.objects.filter(task_path="{task}", status="READY").count()
print(tasks, {name!r}.encode() in body)
""".replace("{task}", PROPAGATE)


def _publisher(env: dict, name: str, ending: str) -> subprocess.Popen:
    code = PUBLISH.format(name=name, ending=ending)
    publisher = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in publisher.stdout:  # Django's shell may first say what it imported
        if line.strip() == "written":
            return publisher
    publisher.wait(timeout=60)
    raise AssertionError(publisher.stderr.read()[-3000:])


def _state(env: dict, name: str) -> tuple[int, bool]:
    tasks, embedded = _manage(env, "shell", "-c", COUNT.format(name=name)).stdout.split()[-2:]
    return int(tasks), embedded == "True"


@pytest.mark.processes
def test_publisher_killed_after_commit_leaves_a_task_the_worker_runs(tmp_path):
    env = _env(tmp_path, ASSISES_TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    _manage(env, "migrate", "--no-input")
    _manage(env, "load_demo")
    _manage(env, "run_worker", "--batch", "--no-startup-delay", "--queue-name", "*")

    # killed inside its transaction: nothing of it remains
    publisher = _publisher(env, "Berger-Perdu", BEFORE_COMMIT)
    assert _state(env, "Berger-Perdu") == (0, False)  # the open transaction's task is unseen
    publisher.communicate("\n", timeout=60)
    assert publisher.returncode == -9
    assert _state(env, "Berger-Perdu") == (0, False)

    # killed right after its commit: the task committed with the change
    publisher = _publisher(env, "Berger-Rescapé", "pass")
    publisher.communicate("\n", timeout=60)
    assert publisher.returncode == 0
    assert _state(env, "Berger-Rescapé") == (1, False)
    stale = _manage(env, "check_api_documents", "--no-progress", check=False)
    assert stale.returncode == 1  # the speaker and what embeds it were never rendered

    _manage(env, "run_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    assert _state(env, "Berger-Rescapé") == (0, True)
    _manage(env, "check_api_documents", "--no-progress")

    # as Wagtail's admin publishes (no outer transaction), to the end: the guard written before
    # the page's save is dropped once the pipeline's own task is written, which alone is left
    _manage(env, "shell", "-c", AUTOCOMMIT_PUBLISH.format(name="Berger-Admin", die=False))
    guards = _manage(env, "shell", "-c", GUARDS.replace("{task}", PROPAGATE)).stdout.split()
    assert guards[-2] == "0" and guards[-1] != "0"  # no guard left; the pipeline's task
    _manage(env, "run_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    assert _state(env, "Berger-Admin") == (0, True)

    # the same, killed between the page's save and `page_published`: the guard is left, due a
    # minute later
    code = AUTOCOMMIT_PUBLISH.format(name="Berger-Gardé", die=True)
    died = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "saved" in died.stdout and "published" not in died.stdout, died.stderr[-3000:]
    assert _state(env, "Berger-Gardé") == (1, False)
    _manage(env, "shell", "-c", LATER.replace("{task}", PROPAGATE))  # a minute passes
    _manage(env, "run_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    assert _state(env, "Berger-Gardé") == (0, True)
    _manage(env, "check_api_documents", "--no-progress")


AUTOCOMMIT_PUBLISH = """
import os
from django.db.models.signals import pre_save
from wagtail.models import PageLogEntry
from events.models import SpeakerPage

def die(sender, instance, **kwargs):
    # Wagtail logs the publish after `Page.save` committed, before `page_published`
    if {die} and instance.action == "wagtail.publish":
        print("saved", flush=True)
        os._exit(0)

pre_save.connect(die, sender=PageLogEntry, weak=False)
page = SpeakerPage.objects.get(slug="laurent-berger")
page.family_name = {name!r}
page.save_revision().publish()
print("published", flush=True)
"""
LATER = """
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
DBTaskResult.objects.filter(task_path="{task}", status="READY").update(run_after=timezone.now())
"""
GUARDS = """
from datetime import timedelta
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
ready = DBTaskResult.objects.filter(task_path="{task}", status="READY")
now = timezone.now()  # a task without run_after is stored as due in the year 9999
guards = ready.filter(run_after__gt=now, run_after__lt=now + timedelta(days=1))
print(guards.count(), ready.count())
"""
