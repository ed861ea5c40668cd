"""What the public site shows of congresses: navigation, home page sections, programme views.

Everything here reads stored documents (`cms.documents`), never pages, so the site shows the
API's data with the API's visibility.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms import documents
from cms.pages import site_relative

from .models import PARIS

UPCOMING_SESSIONS = 5


def is_current() -> Q:
    """Edition documents under way or to come (not archived): the one rule for « current »."""
    return Q(date_end__gt=timezone.now(), archived=False)


def current_editions(queryset: QuerySet) -> QuerySet:
    """The edition under way, or else the next ones, first first (`/editions/current/`)."""
    return queryset.filter(is_current()).order_by("date_start", "pk")


def featured_edition(locale: str | None = None) -> dict[str, Any] | None:
    """The current edition (as `current_editions` says), or else the latest one: what a visitor
    looks for between congresses. One query: current ones first, soonest first, then the rest,
    latest first."""
    editions = documents.visible("edition")
    if locale:
        editions = editions.filter(locale=locale)
    current = is_current()
    ordered = editions.annotate(
        current=Case(When(current, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by(
        "-current",
        Case(When(current, then=F("date_start"))).asc(nulls_last=True),
        F("date_start").desc(),
        "-pk",
    )
    found = documents.read(ordered[:1])
    return found[0].data if found else None


def _edition_for(nav: Any) -> dict[str, Any] | None:
    return nav.memo("featured-edition", lambda: featured_edition(nav.locale))


def edition_path(nav: Any) -> str | None:
    edition = _edition_for(nav)
    return site_relative(edition["url"]) if edition else None


def programme_path(nav: Any) -> str | None:
    path = edition_path(nav)
    return f"{path}#programme" if path else None


def series_path(nav: Any) -> str | None:
    return nav.path_of_kind("series")


def speakers_path(nav: Any) -> str | None:
    return nav.path_of_page_type("assises_events.speakerindexpage")


def _when(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value).astimezone(PARIS)


def programme_days(sessions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """A document's sessions by day, with their times parsed (Paris time)."""
    days: list[dict[str, Any]] = []
    for session in sessions:
        start, end = _when(session["start"]), _when(session["end"])
        if not days or days[-1]["date"] != start.date():
            days.append({"date": start.date(), "sessions": []})
        days[-1]["sessions"].append({**session, "start_at": start, "end_at": end})
    return days


def participations_by_edition(participations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """A speaker document's participations grouped by edition, the latest edition first."""
    editions: dict[int, dict[str, Any]] = {}
    for participation in participations:
        edition = participation["edition"]
        group = editions.setdefault(edition["id"], {"edition": edition, "participations": []})
        session = participation["session"]
        group["participations"].append(
            {
                **participation,
                "start_at": _when(session["start"]),
                "end_at": _when(session["end"]),
                "url": f"{site_relative(edition['url'])}#session-{session['id']}",
            }
        )
    return sorted(editions.values(), key=lambda g: g["edition"]["start_date"], reverse=True)


def home_edition(request: Any, page: Any) -> dict[str, Any] | None:
    edition = featured_edition(get_language())
    if edition is None:
        return None
    today = timezone.localdate(timezone=PARIS)
    current = edition["end_date"] >= today.isoformat() and not edition["archived"]
    return {"edition": edition, "current": current}


def home_sessions(request: Any, page: Any) -> dict[str, Any] | None:
    """The next sessions of every edition; an empty list says so rather than hiding."""
    rows = documents.read(
        documents.visible("session")
        .filter(date_end__gt=timezone.now(), locale=get_language())
        .order_by("sort_date", "object_id")[:UPCOMING_SESSIONS]
    )
    sessions = [
        {
            **d.data,
            "start_at": _when(d.data["start"]),
            "end_at": _when(d.data["end"]),
            "url": site_relative(d.data["url"]),
        }
        for d in rows
    ]
    return {"sessions": sessions}


def register() -> None:
    from cms.registry import register_home_section, register_nav_item

    register_nav_item(20, "editions", _("Congresses"), series_path)
    register_nav_item(30, "programme", _("Programme"), programme_path)
    register_nav_item(40, "speakers", _("Speakers"), speakers_path)
    register_home_section(10, "edition", "assises/events/home_edition.html", home_edition)
    register_home_section(30, "sessions", "assises/events/home_sessions.html", home_sessions)
