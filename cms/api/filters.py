"""Query filters on stored documents, one small class per concern.

Every filter reads indexed columns of `StoredDocument` or its `DocumentLink` rows; none parses
JSON. Bad values become form errors, which the views turn into a 400 naming the parameter.
"""

import copy
import datetime
import re
import zoneinfo

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from wagtail.search.backends import get_search_backend

from ..models import DocumentLink, StoredDocument

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# The dates a filter may name. Python reaches years 1 and 9999, but a day added to 9999-12-31
# overflows, an offset of nearly a day pushes year 1 out of the calendar, and SQLite stores
# dates as text that sorts wrongly before year 1000: four-digit years, with a margin.
MIN_YEAR = 1000
MAX_YEAR = 9998
# What the search keeps: letters, digits, apostrophes and hyphens. The rest (quotes, `*`,
# parentheses, `:`) is query syntax to SQLite's FTS5, and a syntax error there is a 500.
_SEARCH_NOISE = re.compile(r"[^\w\s'’-]+")


class DateOrDateTimeField(forms.Field):
    """Accepts `2024-06-14` (midnight, Paris time) or a full ISO 8601 datetime."""

    default_error_messages = {
        "invalid": _("Expected a date (YYYY-MM-DD) or an ISO 8601 date and time."),
        "out_of_range": _("Expected a date between the years %(min)d and %(max)d."),
    }

    def to_python(self, value):
        if value in (None, ""):
            return None
        value = value.strip().replace(" ", "+")  # a `+` in an unencoded query arrives as space
        parsed = None
        try:
            parsed = parse_datetime(value)
            if parsed is None:
                day = parse_date(value)
                if day is not None:
                    parsed = datetime.datetime.combine(day, datetime.time(), tzinfo=PARIS)
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(parsed):
            parsed = parsed.replace(tzinfo=PARIS)
        try:  # an offset of nearly a day can push year 1 or 9999 out of the calendar
            in_utc = parsed.astimezone(datetime.UTC)
        except OverflowError:
            in_utc = None
        if in_utc is None or not MIN_YEAR <= in_utc.year <= MAX_YEAR:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )
        return parsed


@extend_schema_field(OpenApiTypes.STR)  # a date or a datetime: no single format
class DateFromFilter(django_filters.Filter):
    """`date_from=2024-06-01`: documents ending on or after that day (events overlap it)."""

    field_class = DateOrDateTimeField

    def filter(self, qs: QuerySet, value) -> QuerySet:
        return qs if value is None else qs.filter(date_end__gt=value)


@extend_schema_field(OpenApiTypes.STR)  # a date or a datetime: no single format
class DateToFilter(django_filters.Filter):
    """`date_to=2024-06-30`: documents starting on or before that day (a date includes the day)."""

    field_class = DateOrDateTimeField

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value is None:
            return qs
        raw = self.parent.data.get(self.field_name, "")
        if len(raw.strip()) == 10:  # a bare date: the whole day counts
            value = value + datetime.timedelta(days=1)
            return qs.filter(date_start__lt=value)
        return qs.filter(date_start__lte=value)


@extend_schema_field(OpenApiTypes.STR)  # a date or a datetime: no single format
class ModifiedSinceFilter(django_filters.Filter):
    """`modified_since=2024-04-03T10:00:00+02:00`: documents whose content changed since then."""

    field_class = DateOrDateTimeField

    def filter(self, qs: QuerySet, value) -> QuerySet:
        return qs if value is None else qs.filter(last_modified__gte=value)


class YearFilter(django_filters.NumberFilter):
    """`year=2024`: documents of that calendar year (start date)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, field_name="year", **kwargs)


class StatusFilter(django_filters.ChoiceFilter):
    """`status=upcoming|ongoing|past|archived`, computed against the current time.

    `past` is every finished congress, archived or not (an archived edition is a past one that
    was also frozen); `upcoming` and `ongoing` leave archived documents out.
    """

    def __init__(self, *args, **kwargs):
        choices = [
            ("upcoming", _("upcoming")),
            ("ongoing", _("ongoing")),
            ("past", _("past")),
            ("archived", _("archived")),
        ]
        super().__init__(*args, choices=choices, **kwargs)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        if value == "archived":
            return qs.filter(archived=True)
        now = timezone.now()
        if value == "past":
            return qs.filter(date_end__lte=now)
        qs = qs.filter(archived=False)
        if value == "upcoming":
            return qs.filter(date_start__gt=now)
        return qs.filter(date_start__lte=now, date_end__gt=now)  # ongoing


class CommaSeparatedField(forms.Field):
    """Repeated parameters and comma-separated values alike: `topic=a&topic=b` = `topic=a,b`."""

    widget = forms.SelectMultiple

    def __init__(self, *args, integer: bool = False, **kwargs):
        self.integer = integer
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        values = [v.strip() for raw in (value or []) for v in str(raw).split(",") if v.strip()]
        if self.integer and any(not v.isdigit() for v in values):
            raise forms.ValidationError(_("Expected one or more numeric ids."), code="invalid")
        if any(len(v) > 100 for v in values):
            raise forms.ValidationError(_("Value too long."), code="invalid")
        return values


@extend_schema_field(OpenApiTypes.STR)  # one value or several, comma-separated
class LinkFilter(django_filters.Filter):
    """`topic=logement`, `speaker=12`, `edition=5`: documents linked to any of the values (OR)."""

    field_class = CommaSeparatedField

    def __init__(self, *args, key: str, integer: bool = False, **kwargs):
        self.key = key
        super().__init__(*args, integer=integer, **kwargs)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        # EXISTS, not `id IN (…)`: SQLite then walks the list's own index in order and probes
        # the links, stopping at the page; with IN it fetched every linked row first, reading
        # past each body (28 ms for a page at 10,000 documents). PostgreSQL plans both alike.
        linked = DocumentLink.objects.filter(
            document_id=OuterRef("pk"), key=self.key, value__in=value
        )
        return qs.filter(Exists(linked))


class LocaleFilter(django_filters.ChoiceFilter):
    """`locale=fr|en`: documents in that content language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, field_name="locale", choices=settings.LANGUAGES, **kwargs)


class SearchFilter(django_filters.CharFilter):
    """`search=logement social`: full text, French stemming on PostgreSQL; best matches first.

    It goes through Wagtail's search backend (PostgreSQL full text with the French
    configuration, SQLite FTS), restricted to the documents of the endpoint.
    """

    def filter(self, qs: QuerySet, value) -> QuerySet:
        value = " ".join(_SEARCH_NOISE.sub(" ", value or "").split())
        if not value:
            return qs
        results = get_search_backend().search(
            value, StoredDocument.objects.filter(kind=self.parent.kind).only("pk"), operator="and"
        )
        ids = [doc.pk for doc in results[:1000]]
        self.parent.search_ranking = ids
        return qs.filter(pk__in=ids)


class DocumentFilterSet(django_filters.FilterSet):
    """Base of every endpoint's filter set: modified_since and search, ordering by subclasses."""

    modified_since = ModifiedSinceFilter(
        help_text=_("Only documents modified since this date or ISO 8601 datetime.")
    )
    search = SearchFilter(help_text=_("Full-text search (French)."))

    kind: str = ""  # set by the view: the document kind of the endpoint
    search_ranking: list[int] | None = None

    class Meta:
        model = StoredDocument
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None) -> None:
        """django-filter's own set-up, with each filter copied shallowly, not deeply: a deep
        copy of every filter (labels, choices, lazy translations) cost half a millisecond per
        uncached list. A copy gets its own attributes (`parent`, `model`, the `field` it
        builds), which is all a request changes; what it shares (`extra`) is never written."""
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        """One form class per filter set class. django-filter builds a new one, field by field,
        for every request: a tenth of what an uncached list cost once its SQL was cheap. The
        fields hold no state of a request (the form copies them when it is made)."""
        cls = type(self)
        form_class = cls.__dict__.get("_assises_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._assises_form_class = form_class
        return form_class
