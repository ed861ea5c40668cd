from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    label = "assises_events"  # hosts often have an app labelled "events" of their own
    verbose_name = _("Congresses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.archive import register_archiver
        from cms.importing.screens import ImportScreen, register_import_screen
        from cms.registry import (
            navigation_kinds,
            open_graph_types,
            register_path_kinds,
            register_schema_enum,
            register_urlpatterns,
            schema_links,
        )

        from . import admin_import, api, public, renderers, signals
        from .archive import EventsArchiver

        signals.connect()
        renderers.register()
        api.register()
        public.register()
        register_urlpatterns(import_module("events.urls").urlpatterns)
        # calendars and schedules are built from these kinds (surrogate keys, cache versions)
        programme = ["session", "edition", "series", "speaker", "organisation"]
        register_path_kinds("/calendars/", programme)
        register_path_kinds("/schedules/", programme)
        schema_links.append(api.schema_links)
        open_graph_types["speaker"] = "profile"
        navigation_kinds.append("series")  # each series is a section of the site
        register_schema_enum("SessionKindEnum", "events.blocks.SESSION_KIND_VALUES")
        register_schema_enum("ParticipantRoleEnum", "events.blocks.PARTICIPANT_ROLE_VALUES")
        register_archiver(EventsArchiver())
        register_import_screen(
            ImportScreen(
                "programme",
                _("Programme"),
                "events_import_programme",
                lambda user: bool(admin_import.editions_for(user)),
                order=20,
            )
        )
