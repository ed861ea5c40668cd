"""Changes to a page tree happen one at a time, so editors working at once never collide.

Wagtail's page tree is a django-treebeard materialised-path tree: creating a child page, moving,
copying and deleting compute new ``path`` values from the siblings they read. Two editors doing
so under one parent at once computed the same path, and one of them got an ``IntegrityError``
(11 moves in 79 failed with several editors); worse, a reorder shifting siblings beside another
one can leave a wrong ``numchild`` or a hole without any error. Nothing in Wagtail runs inside
the transaction before the path is computed (``pre_page_move`` is sent before it opens, and the
admin's create, move and copy views run in autocommit), so the lock is taken where the paths are
computed: treebeard's add, move and delete handlers are wrapped, for every materialised-path
tree of the site — a host's own page types share Wagtail's page table, and its collections are a
tree too — and Wagtail's page copy is wrapped whole (it writes the copy, its revisions and its
children in autocommit). Each change then:

- opens a transaction (or a savepoint in the caller's) and takes the tree's PostgreSQL advisory
  transaction lock, held until that transaction ends: the next change waits for this one to
  commit, up to ``ASSISES["TREE_LOCK_WAIT_SECONDS"]``, then gives up with `TreeBusy`, which
  `TreeBusyMiddleware` answers as a 503 asking to try again rather than a server error;
- reads the paths of the nodes it was handed again once it holds the lock: an editor's page
  loaded before another editor's move has a stale path, and treebeard would move the wrong
  branch.

SQLite already runs one writing transaction at a time (the demo's settings open them with
``BEGIN IMMEDIATE``), so there only the paths are read again. See docs/decisions.md.
"""

import functools
import zlib
from collections.abc import Callable
from typing import Any

from django.db import OperationalError, connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from treebeard import mp_tree

from .conf import assises_settings

# pg_advisory_xact_lock(namespace, key): the first half of the key names what locks are ours.
NAMESPACE = 0x41535349  # "ASSI"
TREE_FIELDS = ["path", "depth", "numchild"]
LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout ran out


class TreeBusy(Exception):
    """Another change of the tree held its lock longer than the wait allowed."""


def tree_lock_key(table: str) -> int:
    """A stable signed 32-bit key for one tree's table (advisory locks take int4 keys)."""
    value = zlib.crc32(table.encode())
    return value - 2**32 if value >= 2**31 else value


def lock_tree(model: type, using: str) -> None:
    """Wait for the lock of `model`'s tree, held until the current transaction ends.

    Must run inside a transaction (``transaction.atomic``). The wait is bounded with a
    transaction-local ``lock_timeout``, put back as it was once the lock is held.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    wait_ms = int(assises_settings.TREE_LOCK_WAIT_SECONDS * 1000)
    key = tree_lock_key(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
            [f"{wait_ms}ms"],
        )
        (previous, _set) = cursor.fetchone()
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [NAMESPACE, key])
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            # the enclosing atomic block rolls the failed statement back
            raise TreeBusy(_("The page tree is busy; try again in a moment.")) from error
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


def _refresh(*nodes: Any) -> None:
    for node in nodes:
        if node is not None and node.pk is not None:
            node.refresh_from_db(fields=TREE_FIELDS)
            node.__dict__.pop("_cached_parent_obj", None)


def _serialised(process: Callable, *attributes: str) -> Callable:
    """Wrap a treebeard handler's `process` to run under its tree's lock, with the handler's
    nodes (`attributes`) read again once the lock is held."""

    @functools.wraps(process)
    def locked(handler: Any) -> Any:
        model = handler.node_cls.tree_model()
        using = router.db_for_write(model)
        with transaction.atomic(using=using):
            lock_tree(model, using)
            _refresh(*(getattr(handler, name, None) for name in attributes))
            return process(handler)

    locked.assises_tree_lock = True
    return locked


def _serialised_delete(delete: Callable) -> Callable:
    @functools.wraps(delete)
    def locked(queryset: Any, *args: Any, **kwargs: Any) -> Any:
        model = queryset.model.tree_model()
        with transaction.atomic(using=queryset.db):
            lock_tree(model, queryset.db)
            return delete(queryset, *args, **kwargs)

    locked.assises_tree_lock = True
    return locked


def _serialised_copy(execute: Callable) -> Callable:
    """Wagtail's page copy, whole, under the tree's lock: it writes the copy, then its
    revisions, log entry and children, each in autocommit; another editor deleting the fresh
    copy in between left revisions pointing at nothing (an IntegrityError). Under the lock, in
    one transaction, a copy is all there or not at all, and deletes wait for it."""

    @functools.wraps(execute)
    def locked(action: Any, *args: Any, **kwargs: Any) -> Any:
        from wagtail.models import Page

        using = router.db_for_write(Page)
        with transaction.atomic(using=using):
            lock_tree(Page, using)
            _refresh(action.page, action.to)  # DoesNotExist if deleted meanwhile
            return execute(action, *args, **kwargs)

    locked.assises_tree_lock = True
    return locked


def install() -> None:
    """Wrap treebeard's materialised-path handlers and Wagtail's page copy (once; called
    from `CmsConfig.ready`)."""
    from wagtail.actions.copy_page import CopyPageAction

    if not getattr(CopyPageAction.execute, "assises_tree_lock", False):
        CopyPageAction.execute = _serialised_copy(CopyPageAction.execute)
    handlers = [
        (mp_tree.MP_AddChildHandler, ()),  # it reads the parent again itself, locked
        (mp_tree.MP_AddSiblingHandler, ("node",)),
        (mp_tree.MP_MoveHandler, ("node", "target")),
    ]
    for handler, attributes in handlers:
        if not getattr(handler.process, "assises_tree_lock", False):
            handler.process = _serialised(handler.process, *attributes)
    queryset = mp_tree.MP_NodeQuerySet
    if not getattr(queryset.delete, "assises_tree_lock", False):
        delete = _serialised_delete(queryset.delete)
        delete.alters_data = True
        delete.queryset_only = True
        queryset.delete = delete


def lock_page_tree(*args: Any, **kwargs: Any) -> None:
    """Take the page tree's lock at the start of the admin's delete view, whose transaction
    first writes log entries naming the pages: taken only at the delete, the lock would wait
    while those rows' locks made a move waiting for them deadlock."""
    from wagtail.models import Page

    request = args[0] if args else kwargs.get("request")
    if request is not None and request.method != "POST":
        return  # the confirmation page changes nothing
    using = router.db_for_write(Page)
    if connections[using].in_atomic_block:
        lock_tree(Page, using)


class TreeBusyMiddleware:
    """Answer `TreeBusy` with a 503 and Retry-After instead of a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TreeBusy):
            return None
        response = HttpResponse(str(exception), status=503, content_type="text/plain")
        response["Retry-After"] = "5"
        return response
