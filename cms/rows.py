"""Stored bodies read in PostgreSQL's binary format.

Stored documents keep their JSON as `bytea`. Django's psycopg cursors bind parameters on the
client, and such cursors only take results in the text format, in which PostgreSQL sends a
`bytea` as hexadecimal — twice its size — and psycopg decodes the hex back into bytes. For the 20
bodies of a cache-missing list page (26 KB each), that was 3.5 ms of a request; read in the
binary format, the same rows take 1.1–1.5 ms. Profiled in-process on PostgreSQL 15, 1,000
communiqués (docs/benchmarks.md).

`rows()` runs a `values_list()` queryset's own SQL, composed on the client as Django's cursors
do, through a psycopg cursor that reads binary results, inside Django's cursor wrapper so the
query is logged and counted like any other (tests pin query counts). Columns come back as
psycopg loads them: `bytea` as bytes, `timestamptz` as aware datetimes in the connection's time
zone (UTC), which is what the ORM gives for the columns read here; other databases go through
the ORM unchanged.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


@functools.cache
def _binary_cursor() -> type:
    """psycopg's cursor class reading binary results (imported here: a host on SQLite may not
    have psycopg at all)."""
    import psycopg

    class _BinaryCursor(psycopg.Cursor):
        """Results in the binary format, and never a server-side prepared statement.

        psycopg may prepare a statement it has run five times on a connection (the same held
        detail is read again and again); a prepared statement is named on one server connection,
        which a pool in transaction mode (PgBouncer, docs/deploy.md) does not keep for us.
        """

        def execute(
            self,
            query: Any,
            params: Any = None,
            *,
            prepare: bool | None = False,
            binary: bool | None = True,
        ) -> Any:
            return super().execute(query, params, prepare=prepare, binary=binary)

    return _BinaryCursor


def rows(queryset: QuerySet) -> list[tuple[Any, ...]]:
    """The rows of a `values_list()` queryset (not `flat`), in its order, in one query.

    Only for plain columns: expressions that need the ORM's converters must not go through here.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a condition no row can meet (`pk__in=[]`): the ORM runs nothing
        return []
    with connection.cursor() as cursor:
        client = cursor.cursor
        cursor.cursor = _binary_cursor()(
            connection.connection
        )  # the wrapper logs, counts, closes it
        client.close()
        # The statement is composed on the client, exactly as Django's own cursors send it, so
        # the same SQL runs (no parameter typing by the server) and is logged with its values.
        cursor.execute(connection.ops.compose_sql(sql, params))
        return cursor.fetchall()


def first(queryset: QuerySet) -> tuple[Any, ...] | None:
    """The first row of a `values_list()` queryset as `.first()` picks it (by primary key when
    the queryset has no order), read like `rows()`; None when there is none."""
    if not queryset.ordered:
        queryset = queryset.order_by("pk")
    found = rows(queryset[:1])
    return found[0] if found else None
