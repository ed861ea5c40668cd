"""Serving stored documents: lists (2 queries), details (1 query), conditional GET, sparse fields.

A `DocumentViewSet` subclass names a document `kind`, its filter set and the serializers that
describe its documents in the OpenAPI schema; it never serializes anything at request time.

The hot GETs — a cached list, a detail, their 304s — are answered in `dispatch`, before DRF's
machinery (request wrapping, negotiation, throttling hooks), which cost more than the work itself.
A detail costs one indexed query (its kind's version in the change log) when this process holds
it for that version, two otherwise.
"""

import hashlib
from typing import Any

import orjson
from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from ..conf import assises_settings
from ..http import not_modified, set_validators
from ..models import StoredDocument
from ..pipeline import changelog
from ..rows import first, rows
from ..visibility import document_is_visible, settle, visible_documents
from . import listcache
from .base import APIDefaults, extend_schema
from .errors import ParameterError
from .filters import DocumentFilterSet, LinkFilter
from .localcache import local_cache
from .pagination import DocumentPagination, page_links, parse_page
from .renderers import accepts_json

PAGE_PARAMETERS = {"limit", "offset", "fields", "format"}
# Parameters whose empty value still means something: `search=` and `fields=` (everything).
MAY_BE_EMPTY = {"search", "fields"}

# Hot details kept per process: ~1,000 rich documents are ~20 MB per gunicorn worker.
MAX_LOCAL_DETAILS = 1024
# An upper bound only: entries are keyed by their kind's version, so a change never waits for it.
DETAIL_CACHE_SECONDS = 600
_details = local_cache(MAX_LOCAL_DETAILS)

FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    OpenApiTypes.STR,
    description=(
        "Comma-separated top-level fields to return; `*` returns full documents in lists."
    ),
)


class DocumentViewSet(APIDefaults, viewsets.GenericViewSet):
    """Read-only endpoint over one kind of stored document."""

    kind: str = ""
    item_serializer_class: Any = None
    filterset_class = DocumentFilterSet
    default_ordering: tuple[str, ...] = ("-sort_date",)
    queryset = StoredDocument.objects.all()
    filter_backends = [DjangoFilterBackend]  # used by the OpenAPI schema; lists filter below
    pagination_class = DocumentPagination
    lookup_field = "object_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = r"[0-9]{1,18}"  # fits a 64-bit integer on every database
    # Parameters that scope a list to one container (`edition` for sessions): such a list,
    # when every document in it is archived, never changes and is served as immutable.
    archive_scope_parameters: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet:
        return visible_documents(StoredDocument.objects.filter(kind=self.kind))

    def get_serializer_class(self):
        if self.action == "list":
            return self.item_serializer_class or self.serializer_class
        return self.serializer_class

    # -- helpers ------------------------------------------------------------------------
    @classmethod
    def repeatable_parameters(cls) -> set[str]:
        """Filters that take several values (`topic=a&topic=b` = `topic=a,b`): the link filters
        of this endpoint. Any other parameter given twice is ambiguous (which `limit` did the
        client mean?) and refused."""
        filters = cls.filterset_class.base_filters.items()
        return {name for name, f in filters if isinstance(f, LinkFilter)}

    def check_parameters(self, request: Request, allowed: set[str]) -> None:
        """400 for unknown parameters, and for empty ones: `limit=` is a client's mistake
        (a template with a missing value), never a request for the default."""
        empty = [
            name
            for name, values in request.query_params.lists()
            if name in allowed and name not in MAY_BE_EMPTY and any(not v.strip() for v in values)
        ]
        if empty:
            raise ParameterError(
                [
                    {"parameter": name, "message": _("This parameter cannot be empty.")}
                    for name in empty
                ]
            )
        repeatable = self.repeatable_parameters()
        repeated = [
            name
            for name, values in request.query_params.lists()
            if name in allowed and name not in repeatable and len(values) > 1
        ]
        if repeated:
            raise ParameterError(
                [
                    {"parameter": name, "message": _("This parameter may only be given once.")}
                    for name in repeated
                ]
            )
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ParameterError(
                [
                    {
                        "parameter": name,
                        "message": _("Unknown parameter. Allowed: %(allowed)s.")
                        % {"allowed": ", ".join(sorted(allowed))},
                    }
                    for name in unknown
                ]
            )

    def parse_fields(self, request: Request) -> list[str] | None:
        raw = request.query_params.get("fields")
        if raw is None or raw.strip() in ("", "*"):
            return None
        names = [name.strip() for name in raw.split(",") if name.strip()]
        if not names:
            raise ParameterError.single("fields", _("Expected one or more field names."))
        known = set(self.serializer_class().fields)
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ParameterError.single(
                "fields",
                _("Unknown field(s): %(unknown)s. Available: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(known))},
            )
        return names

    def document_response(self, request: Request, row: tuple | None) -> HttpResponse:
        """One stored document as stored (or its `fields=`); archived ones are immutable."""
        if row is None:
            raise NotFound()
        body, etag, last_modified, archived = row
        body = bytes(body)
        fields = self.parse_fields(request)
        if fields is not None:
            document = orjson.loads(body)
            body = orjson.dumps({name: document.get(name) for name in fields})
            etag = '"' + hashlib.sha256((etag + ",".join(fields)).encode()).hexdigest()[:32] + '"'
        if not_modified(request, etag, last_modified):
            return set_validators(HttpResponse(status=304), etag, last_modified, archived)
        response = HttpResponse(body, content_type="application/json")
        return set_validators(response, etag, last_modified, archived)

    def list_cache_key(self, request: HttpRequest) -> str:
        """Lists are cached per query and per version of their kind in the change log: the
        commit that adds, changes or removes a document of this kind invalidates them in
        every process at once. Computed once per request (looked up, then stored)."""
        key = getattr(request, "_assises_list_key", None)
        if key is not None:
            return key
        query = sorted((k, v) for k, values in request.GET.lists() for v in values)
        # the host shapes next/previous links; CommonMiddleware has already validated it
        host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        raw = f"{self.kind}|{host}|{query}|{self.kind_head(request).version}"
        key = request._assises_list_key = "assises:list:" + hashlib.sha256(raw.encode()).hexdigest()
        return key

    def kind_head(self, request: HttpRequest) -> changelog.Head:
        """The change log's latest entry for this kind, read once per request."""
        head = getattr(request, "_assises_kind_head", None)
        if head is None:
            # a passed expiry is acted upon first: the version then names the state without it
            head = settle([self.kind], changelog.kind_head(self.kind))
            request._assises_kind_head = head
        return head

    def hot_document(self, request: HttpRequest, object_id: str) -> tuple | None:
        """(body, etag, last_modified, archived) of a visible document, or None.

        Held in this process's memory under its kind's version, read from the change log first:
        a document read after the version can only be newer than the key says (harmless: the
        next request sees a newer version and reads it again), never older. The document's
        expiry is checked on every hit, so an expired page is never served from memory either.
        """
        key = f"{self.kind}|{object_id}|{self.kind_head(request).version}"
        now = timezone.now()
        if getattr(request, "_assises_missing", None) == key:
            return None  # already looked for in this request: the 404 reads its row once
        entry = _details.get(key)
        if entry is None:
            found = first(
                StoredDocument.objects.filter(kind=self.kind, object_id=object_id).values_list(
                    "body", "etag", "last_modified", "archived", "expires_at"
                )
            )
            if found is None:
                request._assises_missing = key
                return None
            body, etag, last_modified, archived, expires_at = found
            entry = (bytes(body), etag, last_modified, archived, expires_at)
            timeout = DETAIL_CACHE_SECONDS
            if expires_at is not None:
                timeout = min(timeout, (expires_at - now).total_seconds())
            if timeout > 0:
                _details.set(key, entry, timeout)
        if not document_is_visible(entry[4], now):
            return None
        return entry[:4]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """Answer the hot GETs before DRF's machinery (see `hot_response`), unless the hot URL
        patterns (`cms.api.hot`) already tried and handed the request on: trying again would
        read the shared cache, or a missing document's row, a second time."""
        if not getattr(request, "_assises_hot_tried", False):
            response = self.hot_response(request, self.action_map.get("get"), kwargs)
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def hot_response(self, request: HttpRequest, action: str | None, kwargs: dict) -> Any:
        """A cached list, a held detail or their 304, or None when DRF must answer.

        A 304 costs one indexed query (the version) and a cache lookup, no more. The
        validators are cached apart from the bytes so that a revalidation does not even load
        the body. Requests with parameters (`fields=`, mistakes to refuse with a 400), a
        missing document (404) and clients that do not take JSON (406) go through DRF.
        `cms.api.hot` calls this straight from its URL patterns, before DRF's view wrapper.
        """
        if request.method != "GET" or not accepts_json(request):
            return None
        if action == "retrieve" and not request.GET:
            row = self.hot_document(request, str(kwargs[self.lookup_url_kwarg]))
            if row is None:
                return None
            body, etag, last_modified, archived = row
            if not_modified(request, etag, last_modified):
                response = HttpResponse(status=304)
            else:
                response = HttpResponse(body, content_type="application/json")
            return set_validators(response, etag, last_modified, archived)
        if action == "list":
            revalidating = "HTTP_IF_NONE_MATCH" in request.META
            cached = listcache.get(self.list_cache_key(request), with_body=not revalidating)
            if cached is not None:
                etag, last_modified, immutable, body = cached
                if not_modified(request, etag, last_modified):
                    response = HttpResponse(status=304)
                    return set_validators(response, etag, last_modified, immutable)
                if body is not None:
                    response = HttpResponse(body, content_type="application/json")
                    return set_validators(response, etag, last_modified, immutable)
        return None

    def build_list(self, request: Request) -> tuple[str, Any, bytes, int, bool]:
        """Filter, count and page the stored documents: two queries, no JSON parsing.

        Returns the ETag, Last-Modified, response bytes, how long they may be cached (until
        the next document in the list expires, so an expired page never lingers in a cache)
        and whether the list is immutable (scoped to archived documents only).
        """
        params = request.query_params
        filtered = bool(set(params) - PAGE_PARAMETERS)
        if filtered:
            filterset = self.filterset_class(params, queryset=self.get_queryset(), request=request)
            filterset.kind = self.kind
            self.check_parameters(request, set(filterset.filters) | PAGE_PARAMETERS)
            if not filterset.is_valid():
                raise ParameterError.from_form_errors(filterset.errors)
            queryset, ranking = filterset.qs, filterset.search_ranking
        else:  # the common case skips building a filter form
            self.check_parameters(request, PAGE_PARAMETERS)
            queryset, ranking = self.get_queryset(), None
        limit, offset = parse_page(request)
        fields = self.parse_fields(request)
        if not params.get("ordering"):
            if ranking:
                rank = Case(
                    *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranking)],
                    output_field=IntegerField(),
                )
                queryset = queryset.order_by(rank)
            else:
                queryset = queryset.order_by(*self.default_ordering, "pk")
        column = "item" if fields is None and params.get("fields") != "*" else "body"
        now = timezone.now()
        # The count is exact up to ASSISES["LIST_COUNT_LIMIT"] matches (and always past the page
        # asked for, so `next` is right); beyond, it says "at least" (`count_exact: false`)
        # and costs the limit, not the archive. See docs/api.md (« Pagination »).
        count_limit = max(assises_settings.LIST_COUNT_LIMIT, offset + limit)
        counted = queryset.order_by().values("pk")[: count_limit + 1]
        aggregates = {
            "count": Count("pk"),
            "next_expiry": Min("expires_at", filter=Q(expires_at__gt=now)),
        }
        # Only scoped lists read `archived`: the others keep an index-only count.
        scoped = any(params.get(name) for name in self.archive_scope_parameters)
        if scoped:
            aggregates["current"] = Count("pk", filter=Q(archived=False))
        totals = counted.aggregate(**aggregates)
        matches = totals["count"]  # count_limit + 1 when there are more
        count_exact = matches <= count_limit
        count = min(matches, count_limit)
        # The page's ids first, then their rows: sorting the matches with their bodies made
        # SQLite copy every matching body into its sorter (4 ms for 300 matches of 22 KB).
        page = queryset.values("pk")[offset : offset + limit]
        page_rows = rows(
            StoredDocument.objects.filter(pk__in=page)
            .order_by(*queryset.query.order_by)
            .values_list(column, "etag", "last_modified", "expires_at")
        )
        signature = f"{count}|{count_exact}|{offset}|{limit}|{column}|{fields}|" + ",".join(
            r[1] for r in page_rows
        )
        etag = '"' + hashlib.sha256(signature.encode()).hexdigest()[:32] + '"'
        # The log moves when a document of this kind is removed too: a client holding a list
        # that showed it must not get a 304.
        head = self.kind_head(request)
        last_modified = max(
            [r[2] for r in page_rows] + ([head.at] if head.at else []), default=None
        )
        if fields is None:
            results: list = [orjson.Fragment(bytes(r[0])) for r in page_rows]
        else:
            documents = [orjson.loads(bytes(r[0])) for r in page_rows]
            results = [{name: doc.get(name) for name in fields} for doc in documents]
        next_url, previous_url = page_links(request, matches, limit, offset)
        body = orjson.dumps(
            {
                "count": count,
                "count_exact": count_exact,
                "next": next_url,
                "previous": previous_url,
                "results": results,
            }
        )
        timeout = assises_settings.LIST_CACHE_SECONDS
        # An inexact count read some matches only: the page's own expiries bound it too, so
        # an expired document never stays in a cached page.
        expiries = [totals["next_expiry"], *(r[3] for r in page_rows if r[3] and r[3] > now)]
        expiries = [moment for moment in expiries if moment is not None]
        if expiries:
            timeout = min(timeout, int((min(expiries) - now).total_seconds()))
        immutable = scoped and count_exact and count > 0 and totals["current"] == 0
        return etag, last_modified, body, timeout, immutable

    # -- actions ------------------------------------------------------------------------
    @extend_schema(parameters=[FIELDS_PARAMETER])
    def list(self, request: Request, *args, **kwargs) -> HttpResponse:
        etag, last_modified, body, timeout, immutable = self.build_list(request)
        if timeout > 0:
            key = self.list_cache_key(request)
            listcache.set(key, etag, last_modified, body, timeout, immutable)
        if not_modified(request, etag, last_modified):
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(body, content_type="application/json")
        return set_validators(response, etag, last_modified, immutable)

    @extend_schema(parameters=[FIELDS_PARAMETER])
    def retrieve(self, request: Request, *args, **kwargs) -> HttpResponse:
        self.check_parameters(request, {"fields", "format"})
        row = self.hot_document(request, str(kwargs[self.lookup_url_kwarg]))
        return self.document_response(request, row)
