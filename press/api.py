"""API endpoints of the press office: communiqués and press contacts."""

from django_filters import OrderingFilter

from cms.api import router
from cms.api.filters import (
    DateFromFilter,
    DateToFilter,
    DocumentFilterSet,
    LinkFilter,
    LocaleFilter,
    YearFilter,
)
from cms.api.views import DocumentViewSet

from .serializers import CommuniqueItemSerializer, CommuniqueSerializer, ContactSerializer


class CommuniqueFilterSet(DocumentFilterSet):
    date_from = DateFromFilter(help_text="Published on or after this date.")
    date_to = DateToFilter(help_text="Published on or before this date.")
    year = YearFilter()
    edition = LinkFilter(key="edition", integer=True, help_text="Related edition id(s).")
    topic = LinkFilter(key="topic", help_text="Topic slug(s); several = OR.")
    speaker = LinkFilter(key="speaker", integer=True, help_text="Mentioned speaker id(s).")
    locale = LocaleFilter()
    ordering = OrderingFilter(
        fields=(
            ("sort_date", "publication_date"),
            ("sort_title", "title"),
            ("last_modified", "modified"),
        )
    )


class ContactFilterSet(DocumentFilterSet):
    ordering = OrderingFilter(fields=(("sort_title", "name"),))


class CommuniqueViewSet(DocumentViewSet):
    """Press releases, newest first."""

    kind = "communique"
    serializer_class = CommuniqueSerializer
    item_serializer_class = CommuniqueItemSerializer
    filterset_class = CommuniqueFilterSet
    default_ordering = ("-sort_date",)


class ContactViewSet(DocumentViewSet):
    """Press contacts journalists can call."""

    kind = "contact"
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    default_ordering = ("sort_title",)


def register() -> None:
    router.register("communiques", CommuniqueViewSet, basename="communique")
    router.register("contacts", ContactViewSet, basename="contact")
