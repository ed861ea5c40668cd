"""Public calendars and schedule exports of the programme (mounted by `EventsConfig.ready`)."""

from django.urls import path

import cms.inputs  # noqa: F401  (registers the `id` path converter)
from cms.exporters import export_view

from .exporters import load_edition, load_series, load_session, load_speaker

urlpatterns = [
    path(
        "calendars/editions/<id:edition_id>.ics",
        export_view("edition.ics", load_edition),
        name="edition_ical",
    ),
    path(
        "calendars/sessions/<uuid:session_uuid>.ics",
        export_view("session.ics", load_session),
        name="session_ical",
    ),
    path(
        "calendars/speakers/<id:speaker_id>.ics",
        export_view("speaker.ics", load_speaker),
        name="speaker_ical",
    ),
    path(
        "calendars/series/<id:series_id>.ics",
        export_view("series.ics", load_series),
        name="series_ical",
    ),
    path(
        "schedules/editions/<id:edition_id>/schedule.xml",
        export_view("edition.schedule.xml", load_edition),
        name="edition_schedule_xml",
    ),
    path(
        "schedules/editions/<id:edition_id>/schedule.json",
        export_view("edition.schedule.json", load_edition),
        name="edition_schedule_json",
    ),
]
