"""`cms.rows`: stored bodies read in PostgreSQL's binary format give what the ORM gives, in one
counted query whose logged SQL carries its values; on SQLite the ORM answers unchanged."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import StoredDocument
from cms.rows import rows

COLUMNS = ("kind", "object_id", "body", "item", "etag", "last_modified", "expires_at", "archived")


def test_rows_are_what_the_orm_reads(db):
    queryset = StoredDocument.objects.order_by("-sort_date", "pk").values_list(*COLUMNS)
    expected = [
        (kind, object_id, bytes(body), bytes(item), *rest)
        for kind, object_id, body, item, *rest in queryset.all()
    ]
    assert len(expected) > 20
    with CaptureQueriesContext(connection) as captured:
        found = rows(queryset)
    assert len(captured) == 1
    assert [(k, o, bytes(b), bytes(i), *rest) for k, o, b, i, *rest in found] == expected
    for row in found:
        assert row[5].utcoffset() is not None  # aware, as the ORM's


def test_rows_keep_the_querysets_filters_and_order(db):
    ids = list(
        StoredDocument.objects.filter(kind="communique").order_by("pk").values_list("pk", flat=True)
    )[:3]
    queryset = StoredDocument.objects.filter(pk__in=ids).order_by("-pk").values_list("pk", "etag")
    with CaptureQueriesContext(connection) as captured:
        assert rows(queryset) == list(queryset)
    if connection.vendor == "postgresql":
        assert "$1" not in captured[0]["sql"] and str(ids[0]) in captured[0]["sql"]


def test_rows_of_an_impossible_condition_run_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows(StoredDocument.objects.filter(pk__in=[]).values_list("pk")) == []
