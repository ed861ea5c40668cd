"""API endpoints for congresses: series, editions (+ current), sessions, speakers."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import OrderingFilter
from drf_spectacular.utils import OpenApiResponse
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from cms.api import router
from cms.api.base import extend_schema
from cms.api.filters import (
    DateFromFilter,
    DateToFilter,
    DocumentFilterSet,
    LinkFilter,
    LocaleFilter,
    StatusFilter,
    YearFilter,
)
from cms.api.renderers import accepts_json
from cms.api.views import DocumentViewSet
from cms.conf import assises_settings
from cms.inputs import error_response
from cms.rows import first

from .public import current_editions
from .serializers import (
    EditionItemSerializer,
    EditionSerializer,
    SeriesItemSerializer,
    SeriesSerializer,
    SessionItemSerializer,
    SessionSerializer,
    SpeakerItemSerializer,
    SpeakerSerializer,
)


class SeriesFilterSet(DocumentFilterSet):
    locale = LocaleFilter()
    ordering = OrderingFilter(fields=(("sort_title", "title"), ("last_modified", "modified")))


class EditionFilterSet(DocumentFilterSet):
    date_from = DateFromFilter(help_text="Editions ending on or after this date.")
    date_to = DateToFilter(help_text="Editions starting on or before this date.")
    year = YearFilter()
    status = StatusFilter()
    topic = LinkFilter(key="topic", help_text="Topic slug(s); several = OR.")
    speaker = LinkFilter(key="speaker", integer=True, help_text="Speaker id(s); several = OR.")
    series = LinkFilter(key="series", integer=True, help_text="Series id(s).")
    locale = LocaleFilter()
    ordering = OrderingFilter(
        fields=(
            ("sort_date", "start_date"),
            ("number", "number"),
            ("sort_title", "title"),
            ("last_modified", "modified"),
        )
    )


class SessionFilterSet(DocumentFilterSet):
    date_from = DateFromFilter(help_text="Sessions ending on or after this date.")
    date_to = DateToFilter(help_text="Sessions starting on or before this date.")
    year = YearFilter()
    status = StatusFilter()
    edition = LinkFilter(key="edition", integer=True, help_text="Edition id(s).")
    topic = LinkFilter(key="topic", help_text="Topic slug(s); several = OR.")
    speaker = LinkFilter(key="speaker", integer=True, help_text="Speaker id(s); several = OR.")
    kind = LinkFilter(key="kind", help_text="Session kind(s): table_ronde, atelier…")
    locale = LocaleFilter()
    ordering = OrderingFilter(
        fields=(("sort_date", "start"), ("sort_title", "title"), ("last_modified", "modified"))
    )


class SpeakerFilterSet(DocumentFilterSet):
    edition = LinkFilter(key="edition", integer=True, help_text="Speakers of these editions.")
    locale = LocaleFilter()
    ordering = OrderingFilter(fields=(("sort_title", "family_name"), ("last_modified", "modified")))


class SeriesViewSet(DocumentViewSet):
    """Congress series (« Assises des petites villes de France ») with all their editions."""

    kind = "series"
    serializer_class = SeriesSerializer
    item_serializer_class = SeriesItemSerializer
    filterset_class = SeriesFilterSet
    default_ordering = ("sort_title",)


class EditionViewSet(DocumentViewSet):
    """Congress editions; the detail embeds the whole programme."""

    kind = "edition"
    serializer_class = EditionSerializer
    item_serializer_class = EditionItemSerializer
    filterset_class = EditionFilterSet
    default_ordering = ("-sort_date",)

    @extend_schema(
        responses={
            200: EditionSerializer,
            404: OpenApiResponse(description="No edition is under way or announced."),
        }
    )
    @action(detail=False, url_path="current")
    def current(self, request: Request) -> HttpResponse:
        """The edition under way, or else the next one; 404 between congresses.

        The answer, found or not, is cached like a list: per version of the editions in the
        change log, and never past the end or expiry of the edition it names. Between two
        congresses partner sites poll this endpoint, and each poll then costs what a cached
        list does (one indexed query for the version, one cache read), not a scan.
        """
        self.check_parameters(request, {"fields", "format"})
        row = self.current_row(request)
        if not row:
            raise NotFound()
        return self.document_response(request, row)

    def current_row(self, request: HttpRequest) -> tuple:
        """The current edition's stored row, or ``()`` between congresses; cached (see above)."""
        key = f"assises:current:{self.kind}:{self.kind_head(request).version}"
        row = cache.get(key)
        if row is None:
            now = timezone.now()
            found = first(
                current_editions(self.get_queryset()).values_list(
                    "body", "etag", "last_modified", "archived", "date_end", "expires_at"
                )
            )
            timeout = assises_settings.LIST_CACHE_SECONDS
            if found is None:
                row = ()
            else:
                *kept, date_end, expires_at = found
                row = (bytes(kept[0]), *kept[1:])
                for moment in (date_end, expires_at):
                    if moment is not None:
                        timeout = min(timeout, int((moment - now).total_seconds()))
            if timeout > 0:
                cache.set(key, row, timeout)
        return row

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """The 404 between congresses, answered before DRF's machinery like a cached list."""
        if (
            request.method == "GET"
            and self.action_map.get("get") == "current"
            and not request.GET
            and accepts_json(request)
            and not self.current_row(request)
        ):
            return error_response([{"parameter": None, "message": _("Not found.")}], status=404)
        return super().dispatch(request, *args, **kwargs)


class SessionViewSet(DocumentViewSet):
    """Programme sessions of every published edition, with participants and their roles."""

    kind = "session"
    serializer_class = SessionSerializer
    item_serializer_class = SessionItemSerializer
    filterset_class = SessionFilterSet
    archive_scope_parameters = ("edition",)
    default_ordering = ("sort_date",)
    lookup_value_regex = r"[0-9a-f-]{36}"


class SpeakerViewSet(DocumentViewSet):
    """People who speak at congresses; the detail lists their participations across editions."""

    kind = "speaker"
    serializer_class = SpeakerSerializer
    item_serializer_class = SpeakerItemSerializer
    filterset_class = SpeakerFilterSet
    default_ordering = ("sort_title",)


def register() -> None:
    router.register("series", SeriesViewSet, basename="series")
    router.register("editions", EditionViewSet, basename="edition")
    router.register("sessions", SessionViewSet, basename="session")
    router.register("speakers", SpeakerViewSet, basename="speaker")


def schema_links(paths: dict, ids: dict, prefix: str) -> None:
    """OpenAPI links: from a list of editions to the first one's sessions, from the current
    edition to the same edition by id (clients and schemathesis' stateful phase follow them)."""
    editions = paths.get(f"{prefix}editions/", {}).get("get")
    if editions and ids.get(f"{prefix}sessions/"):
        editions["responses"]["200"].setdefault("links", {})["first-item-sessions"] = {
            "operationId": ids[f"{prefix}sessions/"],
            "parameters": {"edition": "$response.body#/results/0/id"},
            "description": "The programme of the first edition of the page.",
        }
    current = paths.get(f"{prefix}editions/current/", {}).get("get")
    if current and ids.get(f"{prefix}editions/{{id}}/"):
        current["responses"]["200"].setdefault("links", {})["edition"] = {
            "operationId": ids[f"{prefix}editions/{{id}}/"],
            "parameters": {"id": "$response.body#/id"},
            "description": "The same edition by its id.",
        }
