"""Scheduled changes on time: a go-live or an expiry writes a task due at its moment, which does
the scheduler's transition then, and nothing when the schedule was cancelled or moved.

In-process tests use the database task backend in the test's own transaction and call the
written tasks with the clock moved; `tests/test_scheduled_processes.py` runs a real worker.
"""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, PageLogEntry

from cms.models import ChangeLogEntry
from cms.pipeline.scheduled import publish_scheduled_revision, settle_expiries
from cms.pipeline.signals import rendering_inline

pytestmark = pytest.mark.django_db

GO_LIVE = "cms.pipeline.scheduled.publish_scheduled_revision"
EXPIRY = "cms.pipeline.scheduled.settle_expiries"


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _due(path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path, status="READY").order_by("run_after"))


def _clock(monkeypatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _entries(page) -> list[str]:
    entries = ChangeLogEntry.objects.filter(kind="communique", object_id=str(page.pk))
    return list(entries.order_by("seq").values_list("operation", flat=True))


def _schedule(page, committed, go_live_at: datetime.datetime) -> None:
    page.go_live_at = go_live_at
    with committed():
        page.save_revision().publish()


def _run(result: DBTaskResult):
    return result.task.call(*result.task_result.args, **result.task_result.kwargs)


@pytest.fixture
def embargoed(communique, committed):
    """The communiqué, unpublished, then scheduled to go live in an hour."""
    with committed():
        communique.unpublish()
    go_live_at = timezone.now() + datetime.timedelta(hours=1)
    _schedule(communique, committed, go_live_at)
    return communique


def test_scheduling_a_go_live_writes_a_task_due_at_its_date(db_tasks, embargoed):
    (task,) = _due(GO_LIVE)
    revision = embargoed.revisions.get(approved_go_live_at__isnull=False)
    assert task.run_after == revision.approved_go_live_at
    assert task.args_kwargs["kwargs"] == {"revision_id": revision.pk}


def test_go_live_task_publishes_through_wagtail_when_due(
    db_tasks, embargoed, committed, monkeypatch
):
    (task,) = _due(GO_LIVE)
    before = _entries(embargoed)
    _clock(monkeypatch, task.run_after + datetime.timedelta(seconds=1))
    with committed():
        assert _run(task) is True
    page = Page.objects.get(pk=embargoed.pk)
    assert page.live
    assert _entries(embargoed) == [*before, ChangeLogEntry.UPSERT]
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").exists()
    with committed():
        assert _run(task) is False  # a second run (the scheduler got there first) does nothing
    assert _entries(embargoed) == [*before, ChangeLogEntry.UPSERT]


def test_cancelled_go_live_task_does_nothing(db_tasks, embargoed, committed, monkeypatch):
    (task,) = _due(GO_LIVE)
    revision = embargoed.revisions.get(approved_go_live_at__isnull=False)
    revision.approved_go_live_at = None  # what Wagtail's « Annuler la programmation » saves
    revision.save(update_fields=["approved_go_live_at"])
    before = _entries(embargoed)
    _clock(monkeypatch, task.run_after + datetime.timedelta(seconds=1))
    with committed():
        assert _run(task) is False
    assert not Page.objects.get(pk=embargoed.pk).live
    assert _entries(embargoed) == before


def test_moved_go_live_runs_at_the_new_date_only(db_tasks, embargoed, committed, monkeypatch):
    first = timezone.now() + datetime.timedelta(hours=1)
    later = first + datetime.timedelta(hours=2)
    _schedule(Page.objects.get(pk=embargoed.pk).specific, committed, later)
    old, new = _due(GO_LIVE)
    assert new.run_after == later
    _clock(monkeypatch, old.run_after + datetime.timedelta(seconds=1))
    with committed():
        assert _run(old) is False  # its revision is no longer the scheduled one
    assert not Page.objects.get(pk=embargoed.pk).live
    _clock(monkeypatch, later + datetime.timedelta(seconds=1))
    with committed():
        assert _run(new) is True
    assert Page.objects.get(pk=embargoed.pk).live


def test_publishing_with_an_expiry_writes_a_task_due_then(db_tasks, communique, committed):
    expire_at = timezone.now() + datetime.timedelta(hours=1)
    communique.expire_at = expire_at
    with committed():
        communique.save_revision().publish()
    assert expire_at in [task.run_after for task in _due(EXPIRY)]
    # republishing without touching the expiry writes no second task
    count = len(_due(EXPIRY))
    communique.title += " (rectifié)"
    with committed():
        communique.save_revision().publish()
    assert len(_due(EXPIRY)) == count


def test_expiry_task_unpublishes_and_leaves_a_tombstone_on_time(
    db_tasks, communique, committed, monkeypatch
):
    communique.expire_at = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        communique.save_revision().publish()
    (task,) = [t for t in _due(EXPIRY) if t.run_after == communique.expire_at]
    _clock(monkeypatch, task.run_after + datetime.timedelta(seconds=1))
    with committed():
        assert _run(task) > 0
    page = Page.objects.get(pk=communique.pk)
    assert (page.live, page.expired) == (False, True)
    assert _entries(communique)[-1] == ChangeLogEntry.DELETE
    assert PageLogEntry.objects.filter(page=page, action="wagtail.unpublish.scheduled").exists()
    entries = ChangeLogEntry.objects.count()
    with committed():
        assert _run(task) == 0  # done: the next run writes nothing
    assert ChangeLogEntry.objects.count() == entries


def test_expiry_pushed_back_leaves_the_old_task_harmless(
    db_tasks, communique, committed, monkeypatch
):
    first = timezone.now() + datetime.timedelta(hours=1)
    communique.expire_at = first
    with committed():
        communique.save_revision().publish()
    communique.expire_at = first + datetime.timedelta(hours=2)
    with committed():
        communique.save_revision().publish()
    old = next(t for t in _due(EXPIRY) if t.run_after == first)
    assert communique.expire_at in [task.run_after for task in _due(EXPIRY)]
    entries = ChangeLogEntry.objects.count()
    _clock(monkeypatch, first + datetime.timedelta(seconds=1))
    with committed():
        assert _run(old) == 0
    assert Page.objects.get(pk=communique.pk).live
    assert ChangeLogEntry.objects.count() == entries


def test_rolled_back_schedule_leaves_no_task(db_tasks, communique):
    communique.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        communique.save_revision().publish()
        assert len(_due(GO_LIVE)) == 1
        raise RuntimeError("editor's change refused")
    assert _due(GO_LIVE) == []


def test_immediate_backend_writes_no_deferred_task(communique, committed):
    """The test settings' backend cannot defer: scheduling goes on, left to the scheduler."""
    communique.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    communique.expire_at = timezone.now() + datetime.timedelta(hours=2)
    with committed():
        communique.save_revision().publish()
    assert communique.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert settle_expiries.get_backend().supports_defer is False
    assert publish_scheduled_revision.get_backend().supports_defer is False


def test_expiring_contact_leaves_the_communiques_on_time(
    db_tasks, communique, committed, monkeypatch
):
    """A snippet's expiry is a boundary of every document showing it (`refresh_at`)."""
    from cms.models import StoredDocument
    from press.models import PressContact

    contact = PressContact.objects.get(pk=communique.contacts.first().contact_id)
    contact.expire_at = timezone.now() + datetime.timedelta(hours=1)
    with rendering_inline(), committed():  # the dependents too, not left to a worker
        contact.save_revision().publish()
    stored = StoredDocument.objects.get(kind="communique", object_id=str(communique.pk))
    assert stored.refresh_at == contact.expire_at
    (task,) = [t for t in _due(EXPIRY) if t.run_after == contact.expire_at]  # one per moment
    _clock(monkeypatch, contact.expire_at + datetime.timedelta(seconds=1))
    with rendering_inline(), committed():
        assert _run(task) > 0
    contact.refresh_from_db()
    assert (contact.live, contact.expired) == (False, True)
    stored = StoredDocument.objects.get(kind="communique", object_id=str(communique.pk))
    assert contact.name.encode() not in bytes(stored.body)
