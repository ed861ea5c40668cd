"""`/api/v1/changes/`: every change of the public state, in commit order, for partner sites.

Modelled on Contentful's Sync API. A consumer starts with no cursor and first receives the whole
current state (a snapshot, paged by document id), then every later change read from the change
log (`cms.ChangeLogEntry`): upserts with the document as stored, and tombstones for anything
deleted, unpublished, made private, expired or embargoed back (their `reason` says which: a
deleted page's is `deleted`, live or withdrawn before). An entry's `id` is its document's `id`
as a string, the one its `api_url` answers. Replaying every page in order
from an empty cursor reaches exactly the live state; polling with the last `next` cursor returns
what changed since.

Cursors are opaque to consumers. Inside, `S<head>-<id>` pages through the snapshot taken when
the head of the log was `head` (anything changing meanwhile comes again from the log), and
`L<seq>` reads the log after entry `seq`. A cursor older than the last compaction's horizon
(`cms.pipeline.compaction`) is answered 410 Gone: the consumer must start again without one.

An upsert entry superseded by a later one is skipped (the later one carries the state), so a
page may hold fewer items than `limit` while `has_more` is true. Documents of kinds without an
endpoint (the small `page` documents of indexes) are not part of the feed.
"""

import base64
import binascii
import re
from typing import Any
from urllib.parse import urlencode

import orjson
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ..api.base import extend_schema
from ..api.errors import ParameterError, error_body
from ..api.root import PublicAPIView
from ..api.router import endpoints
from ..models import ChangeLogEntry, StoredDocument
from ..mount import api_path
from ..pipeline import changelog
from ..pipeline.compaction import horizon
from ..public import public_base_url
from ..visibility import settle, visible_documents

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class ChangeSerializer(serializers.Serializer):
    operation = serializers.ChoiceField(choices=["upsert", "delete"])
    kind = serializers.CharField()
    id = serializers.CharField(
        help_text="The document's id within its kind, as a string: `document.id` and the last "
        "segment of `api_url` (a slug for topics, a UUID for sessions, a number otherwise)."
    )
    locale = serializers.CharField()
    api_url = serializers.URLField()
    url = serializers.URLField(allow_null=True, help_text="The public page, when there is one.")
    etag = serializers.CharField(allow_blank=True, help_text="Empty for a deletion.")
    changed_at = serializers.DateTimeField()
    reason = serializers.CharField(
        help_text="published, updated, unpublished, deleted, expired, restriction, snapshot…"
    )
    document = serializers.JSONField(
        allow_null=True, help_text="As stored (or the `fields` asked for); null for a deletion."
    )


class ChangesPageSerializer(serializers.Serializer):
    items = ChangeSerializer(many=True)
    next = serializers.CharField(help_text="Opaque cursor: pass it as `since` next time.")
    next_url = serializers.URLField()
    has_more = serializers.BooleanField(help_text="True: ask for `next_url` at once.")


class ErrorSerializer(serializers.Serializer):
    errors = serializers.ListField(child=serializers.DictField())


def _encode(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, int, int]:
    """("S", head, last id) or ("L", seq, 0); ParameterError for anything else."""
    invalid = ParameterError.single("since", _("Invalid cursor: start again without `since`."))
    if len(cursor) > 64:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid from None
    snapshot = re.fullmatch(r"S(\d{1,18})-(\d{1,18})", raw)
    if snapshot:
        return "S", int(snapshot[1]), int(snapshot[2])
    log = re.fullmatch(r"L(\d{1,18})", raw)
    if log:
        return "L", int(log[1]), 0
    raise invalid


def api_url_for(kind: str, object_id: str) -> str:
    """The API URL of a document, also once it is gone (for tombstones)."""
    prefix = next(p for p, k in endpoints.items() if k == kind)
    return f"{public_base_url()}{api_path(prefix, str(object_id))}"


def _upsert(
    document: StoredDocument, at: Any, reason: str, fields: list[str] | None = None
) -> dict[str, Any]:
    body = orjson.loads(bytes(document.body))
    if fields is None:
        content: Any = orjson.Fragment(bytes(document.body))
    else:
        content = {name: body[name] for name in fields if name in body}
    return {
        "operation": ChangeLogEntry.UPSERT,
        "kind": document.kind,
        "id": document.object_id,
        "locale": document.locale,
        "api_url": body.get("api_url") or api_url_for(document.kind, document.object_id),
        "url": body.get("url"),
        "etag": document.etag,
        "changed_at": at,
        "reason": reason,
        "document": content,
    }


def _tombstone(entry: ChangeLogEntry) -> dict[str, Any]:
    return {
        "operation": ChangeLogEntry.DELETE,
        "kind": entry.kind,
        "id": entry.object_id,
        "locale": entry.locale,
        "api_url": api_url_for(entry.kind, entry.object_id),
        "url": None,
        "etag": "",
        "changed_at": entry.created_at,
        "reason": entry.reason,
        "document": None,
    }


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6 and low <= int(raw) <= high):
        raise ParameterError.single(
            name, _("Expected a number between %(low)d and %(high)d.") % {"low": low, "high": high}
        )
    return int(raw)


class ChangesView(PublicAPIView):
    """The change feed: the full state first, then every change, in commit order."""

    @extend_schema(
        operation_id="changes_list",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.STR,
                description="The `next` cursor of the previous page; omit it to start with "
                "the full current state.",
            ),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=f"1–{MAX_LIMIT}, default {DEFAULT_LIMIT}."
            ),
            OpenApiParameter(
                "fields",
                OpenApiTypes.STR,
                description="Only these fields of each document (e.g. id,title); the item "
                "still carries its API and page URLs.",
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                description="Only these kinds, comma-separated (communique, edition…).",
            ),
        ],
        responses={200: ChangesPageSerializer, 400: ErrorSerializer, 410: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        allowed = {"since", "limit", "kind", "fields", "format"}
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ParameterError.single(unknown[0], _("Unknown parameter."))
        limit = _int(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        kinds = sorted(set(endpoints.values()))
        if "kind" in request.query_params:
            asked = [k for k in request.query_params["kind"].split(",") if k]
            if not asked or any(k not in kinds for k in asked):
                raise ParameterError.single(
                    "kind", _("Unknown kind; use: %(kinds)s.") % {"kinds": ", ".join(kinds)}
                )
            kinds = asked
        fields = None
        if "fields" in request.query_params:
            fields = [f for f in request.query_params["fields"].split(",") if f.strip()]
            if not fields or any(len(f) > 50 or not f.replace("_", "").isalnum() for f in fields):
                raise ParameterError.single(
                    "fields", _("A comma-separated list of document fields, e.g. id,title.")
                )
        self.fields = fields
        since = request.query_params.get("since", "")
        head = settle(None, changelog.head()).seq  # expiries passed are in the log first
        mode, position, last_id = _decode(since) if since else ("S", head, 0)
        if position > head:
            raise ParameterError.single("since", _("Invalid cursor: start again without `since`."))
        if position < horizon():
            return Response(
                error_body(
                    _(
                        "This cursor is older than the change log's retention: start again "
                        "without `since`."
                    ),
                    "since",
                ),
                status=410,
            )
        if mode == "S":
            items, cursor, more = self._snapshot(kinds, position, last_id, limit)
        else:
            items, cursor, more = self._log(kinds, position, limit)
        query = {"since": cursor}
        if "kind" in request.query_params:
            query["kind"] = ",".join(kinds)
        if "limit" in request.query_params:
            query["limit"] = limit
        if fields is not None:
            query["fields"] = ",".join(fields)
        # percent-encoded: a field name is the client's text, and `next_url` is a URI
        next_url = request.build_absolute_uri(request.path) + "?" + urlencode(query, safe=",")
        response = Response(
            {"items": items, "next": cursor, "next_url": next_url, "has_more": more}
        )
        response["Cache-Control"] = "no-cache"
        return response

    def _snapshot(
        self, kinds: list[str], head: int, last_id: int, limit: int
    ) -> tuple[list[dict], str, bool]:
        rows = list(
            visible_documents(StoredDocument.objects.filter(kind__in=kinds, id__gt=last_id))
            .order_by("id")
            .only("id", "kind", "object_id", "locale", "body", "etag", "last_modified")[: limit + 1]
        )
        more = len(rows) > limit
        rows = rows[:limit]
        items = [_upsert(row, row.last_modified, "snapshot", self.fields) for row in rows]
        if more:
            return items, _encode(f"S{head}-{rows[-1].id}"), True
        # the snapshot is complete: what changed since it began comes from the log
        return items, _encode(f"L{head}"), ChangeLogEntry.objects.filter(seq__gt=head).exists()

    def _log(self, kinds: list[str], after: int, limit: int) -> tuple[list[dict], str, bool]:
        entries = list(ChangeLogEntry.objects.filter(seq__gt=after).order_by("seq")[: limit + 1])
        more = len(entries) > limit
        entries = entries[:limit]
        wanted = [e for e in entries if e.kind in kinds]
        current: dict[tuple[str, str], StoredDocument] = {}
        upserts = [e for e in wanted if e.operation == ChangeLogEntry.UPSERT]
        if upserts:
            condition = Q()
            for kind in {e.kind for e in upserts}:
                ids = [e.object_id for e in upserts if e.kind == kind]
                condition |= Q(kind=kind, object_id__in=ids)
            for document in visible_documents(StoredDocument.objects.filter(condition)):
                current[(document.kind, document.object_id)] = document
        items = []
        for entry in wanted:
            if entry.operation == ChangeLogEntry.DELETE:
                items.append(_tombstone(entry))
                continue
            document = current.get((entry.kind, entry.object_id))
            if document is not None and document.etag == entry.etag:
                items.append(_upsert(document, entry.created_at, entry.reason, self.fields))
            # else superseded (or expired, its tombstone to come): a later entry carries it
        position = entries[-1].seq if entries else after
        return items, _encode(f"L{position}"), more
