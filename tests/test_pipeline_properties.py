"""Whatever editors do, in whatever order, the stored documents equal a fresh rendering.

Hypothesis draws sequences of publish, unpublish, move, rename, restrict and expire operations
over pages that embed each other (a speaker in a programme and in a communiqué, an edition in a
communiqué, a series around its editions); after each sequence `check_api_documents` must
report no difference, and the change log must end on each document's current state.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, PageViewRestriction

from cms.models import ChangeLogEntry, StoredDocument
from press.models import PressIndexPage

SLUGS = [
    "les-petites-villes-en-congres-a-amboise",
    "laurent-berger",
    "christophe-bechu",
    "amboise-2024",
    "uzes-2019",
    "assises",
]
OPERATIONS = ["publish", "unpublish", "rename", "move", "restrict", "unrestrict", "expire"]

_PKS: dict[str, int] = {}

operation = st.tuples(st.sampled_from(OPERATIONS), st.sampled_from(SLUGS), st.integers(0, 99))


def _apply(name: str, pk: int, number: int, rooms: list[Page]) -> None:
    page = Page.objects.get(pk=pk).specific
    slug = page.slug
    if name == "publish":
        Page.objects.filter(pk=page.pk).update(expire_at=None)
        page.refresh_from_db()
        page.save_revision().publish()
    elif name == "unpublish" and page.live:
        page.unpublish()
    elif name == "rename":
        if hasattr(page, "family_name"):
            page.family_name = f"Nom{number}"
        else:
            page.title = f"{page.title.split(' #')[0]} #{number}"
        page.save_revision().publish()
    elif name == "move":
        if page.specific_class.__name__ == "CommuniquePage":
            target = rooms[number % 2]
            if page.get_parent().pk != target.pk:
                page.move(target, pos="last-child")
        else:
            page.slug = f"{slug.split('--')[0]}--{number}"
            page.save_revision().publish()  # a new URL, as a move gives
    elif name == "restrict":
        PageViewRestriction.objects.get_or_create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    elif name == "unrestrict":
        for restriction in PageViewRestriction.objects.filter(page=page):
            restriction.delete()
    elif name == "expire":
        past = timezone.now() - datetime.timedelta(minutes=1)
        Page.objects.filter(pk=page.pk).update(expire_at=past)
        call_command("run_scheduler", "--once", stdout=io.StringIO())


def _log_ends_on_current_state() -> None:
    current = {
        (kind, object_id): etag
        for kind, object_id, etag in StoredDocument.objects.values_list("kind", "object_id", "etag")
    }
    last: dict[tuple[str, str], tuple[str, str]] = {}
    for kind, object_id, operation_, etag in ChangeLogEntry.objects.order_by("seq").values_list(
        "kind", "object_id", "operation", "etag"
    ):
        last[(kind, object_id)] = (operation_, etag)
    for key, etag in current.items():
        assert last.get(key) == (ChangeLogEntry.UPSERT, etag), key
    for key, (operation_, _etag) in last.items():
        if key not in current:
            assert operation_ == ChangeLogEntry.DELETE, key


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # shrinking 50 page operations takes too long
)
@given(operations=st.lists(operation, min_size=50, max_size=50))
def test_random_edits_leave_documents_equal_to_a_fresh_rendering(operations, home, committed):
    rooms = [PressIndexPage.objects.get(slug="presse")]
    second = PressIndexPage.objects.filter(slug="presse-archives").first()
    if second is None:
        second = PressIndexPage(title="Archives de presse", slug="presse-archives")
        with committed():
            home.add_child(instance=second)
            second.save_revision().publish()
    rooms.append(second)
    if not _PKS:  # examples share the test's transaction: slugs change, primary keys do not
        _PKS.update(Page.objects.filter(slug__in=SLUGS).values_list("slug", "pk"))
    pages = _PKS
    for name, slug, number in operations:
        with committed():
            _apply(name, pages[slug], number, rooms)
    out = io.StringIO()
    call_command("check_api_documents", "--no-progress", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] in ("0 différence(s).", "0 difference(s).")
    _log_ends_on_current_state()
