"""API endpoints of the shared core: topics and the organisation."""

from django.http import HttpResponse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from wagtail.models import Site

from .api import router
from .api.base import extend_schema
from .api.filters import DocumentFilterSet
from .api.views import DocumentViewSet
from .rows import first
from .serializers import OrganisationSerializer, TopicSerializer


class TopicFilterSet(DocumentFilterSet):
    class Meta(DocumentFilterSet.Meta):
        pass


class TopicViewSet(DocumentViewSet):
    """Topics (slugged themes) that sessions and communiqués are filed under."""

    kind = "topic"
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet
    default_ordering = ("sort_title",)
    lookup_value_regex = r"[a-z0-9-]+"


class SingleDocumentSchema(AutoSchema):
    """`organisation/` answers one document, not a paginated list."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


# `organisation/` and `organisation/{id}/` are both single documents: without names of their
# own, both would be called `organisation_retrieve` and the schema would log a collision.
@extend_schema_view(
    retrieve=extend_schema(
        schema_class=SingleDocumentSchema, operation_id="organisation_by_site_retrieve"
    )
)
class OrganisationViewSet(DocumentViewSet):
    """The publishing organisation (name, boilerplate, logo, address) of the default site."""

    kind = "organisation"
    serializer_class = OrganisationSerializer
    schema = SingleDocumentSchema()

    @extend_schema(schema_class=SingleDocumentSchema, responses=OrganisationSerializer)
    def list(self, request: Request, *args, **kwargs) -> HttpResponse:
        self.check_parameters(request, {"fields", "format"})
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise NotFound()
        row = first(
            self.get_queryset()
            .filter(object_id=str(site.pk))
            .values_list("body", "etag", "last_modified", "archived")
        )
        return self.document_response(request, row)


def register() -> None:
    router.register("topics", TopicViewSet, basename="topic")
    router.register("organisation", OrganisationViewSet, basename="organisation")
