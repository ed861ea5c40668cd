"""The API root (every endpoint and feed, with autodiscovery links), lookup by path, JSON-LD."""

import orjson
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..http import (
    conditional_response,
    not_modified,
    safe_methods_only,
    set_validators,
    strong_etag,
)
from ..models import StoredDocument
from ..mount import api_path
from ..pipeline import changelog
from ..registry import feed_links
from ..rows import first
from ..visibility import settle, visible_documents
from .base import APIDefaults, extend_schema
from .errors import ParameterError, error_body
from .router import endpoints


class PublicAPIView(APIDefaults, APIView):
    pass


def _feeds(request: HttpRequest) -> list[dict]:
    feeds = []
    for link in feed_links:
        try:
            href = request.build_absolute_uri(reverse(link.url_name))
        except NoReverseMatch:
            continue
        feeds.append({"title": str(link.title), "type": link.media_type, "href": href})
    return feeds


class RootView(PublicAPIView):
    """Where a developer starts: every endpoint, every feed, the schema and the docs."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        api = request.build_absolute_uri(api_path())
        feeds = _feeds(request)
        data = {
            "name": _("Assises API"),
            "version": "v1",
            "endpoints": {prefix: f"{api}{prefix}/" for prefix in endpoints},
            "lookup": f"{api}find/?path=",
            "changes": f"{api}changes/",
            "feeds": feeds,
            "schema": request.build_absolute_uri(reverse("api-schema")),
            "docs": request.build_absolute_uri(reverse("api-docs")),
            "redoc": request.build_absolute_uri(reverse("api-redoc")),
        }
        body = orjson.dumps(data)
        etag = strong_etag(body)
        response = Response(status=304) if not_modified(request, etag, None) else Response(data)
        links = [f'<{f["href"]}>; rel="alternate"; type="{f["type"]}"' for f in feeds]
        if links:
            response["Link"] = ", ".join(links)
        return set_validators(response, etag, None)


class FindView(PublicAPIView):
    """`find/?path=/assises/amboise-2024/`: the document of the page at that public path."""

    @extend_schema(
        parameters=[OpenApiParameter("path", OpenApiTypes.STR, required=True)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        unknown = sorted(set(request.query_params) - {"path", "format"})
        if unknown:
            raise ParameterError.single(unknown[0], _("Unknown parameter. Allowed: path."))
        path = (request.query_params.get("path") or "").strip()
        if not path:
            raise ParameterError.single("path", _("This parameter is required."))
        if "://" in path:
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        path = "/" + path.split("?")[0].split("#")[0].strip("/") + "/"
        path = path.replace("//", "/")
        row = first(
            visible_documents(StoredDocument.objects.filter(path=path)).values_list(
                "body", "etag", "last_modified", "archived"
            )
        )
        if row is None:
            return Response(error_body(_("No published page at this path."), "path"), status=404)
        body, etag, last_modified, archived = row
        if not_modified(request, etag, last_modified):
            return set_validators(Response(status=304), etag, last_modified, archived)
        response = Response(orjson.Fragment(bytes(body)))
        return set_validators(response, etag, last_modified, archived)


@safe_methods_only
def jsonld_view(request: HttpRequest, endpoint: str, object_id: str) -> HttpResponse:
    """`/api/v1/<endpoint>/<id>.jsonld`: the schema.org description stored with the document."""
    kind = endpoints.get(endpoint)
    if kind:  # the description embeds other pages: one that expired is gone from it first
        settle([kind], changelog.kinds_head([kind]))
    row = (
        first(
            visible_documents(
                StoredDocument.objects.filter(kind=kind, object_id=object_id)
            ).values_list("body", "last_modified", "archived")
        )
        if kind
        else None
    )
    jsonld = orjson.loads(bytes(row[0])).get("jsonld") if row else None
    if not jsonld:
        return HttpResponse(
            orjson.dumps(error_body(_("Not found."))), status=404, content_type="application/json"
        )
    return conditional_response(
        request,
        orjson.dumps(jsonld),
        "application/ld+json",
        last_modified=row[1],
        immutable=row[2],
    )
