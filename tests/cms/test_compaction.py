import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cms.models import ChangeLogCompaction, ChangeLogEntry, StoredDocument
from cms.pipeline import changelog
from cms.pipeline.compaction import compact, horizon
from press.models import CommuniquePage


def _age_everything(days: int) -> None:
    ChangeLogEntry.objects.update(created_at=timezone.now() - datetime.timedelta(days=days))


def _replay() -> dict[tuple[str, str], str]:
    state: dict[tuple[str, str], str] = {}
    for kind, object_id, operation, etag in ChangeLogEntry.objects.order_by("seq").values_list(
        "kind", "object_id", "operation", "etag"
    ):
        if operation == ChangeLogEntry.DELETE:
            state.pop((kind, object_id), None)
        else:
            state[(kind, object_id)] = etag
    return state


def test_compaction_keeps_the_live_state_and_the_head(communique, committed):
    for title in ("Premier titre", "Second titre"):
        communique.title = title
        with committed():
            communique.save_revision().publish()
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).unpublish()
    _age_everything(40)
    head = changelog.head()
    entries = ChangeLogEntry.objects.count()

    result = compact(datetime.timedelta(days=30))

    assert result.removed > 0 and ChangeLogEntry.objects.count() == entries - result.removed
    assert changelog.head() == head  # caches keyed on it stay valid
    assert _replay() == {
        (kind, object_id): etag
        for kind, object_id, etag in StoredDocument.objects.values_list("kind", "object_id", "etag")
    }
    # its old versions are gone; its tombstone stays only as the communiqués' head
    remaining = ChangeLogEntry.objects.filter(kind="communique", object_id=str(communique.pk))
    assert list(remaining.values_list("operation", flat=True)) == [ChangeLogEntry.DELETE]
    assert horizon() == result.horizon == ChangeLogCompaction.objects.get().horizon


def test_recent_entries_are_all_kept(communique, committed):
    communique.title = "Titre récent"
    with committed():
        communique.save_revision().publish()
    entries = ChangeLogEntry.objects.count()
    assert compact(datetime.timedelta(days=30)).removed == 0
    assert ChangeLogEntry.objects.count() == entries
    assert horizon() == 0


def test_command_dry_run_removes_nothing(db):
    _age_everything(40)
    entries = ChangeLogEntry.objects.count()
    out = io.StringIO()
    call_command("compact_change_log", "--dry-run", stdout=out)
    assert ChangeLogEntry.objects.count() == entries
    assert not ChangeLogCompaction.objects.exists()
    assert out.getvalue().split()[0] == str(
        compact(datetime.timedelta(days=30), dry_run=True).removed
    )


def test_command_refuses_a_retention_below_one_day(db):
    with pytest.raises(CommandError, match="keep-days"):
        call_command("compact_change_log", "--keep-days", "0")
