from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Congresses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.archive import register_archiver
        from cms.importing.screens import ImportScreen, register_import_screen
        from cms.registry import register_demo_step, register_urlpatterns

        from . import admin_import, api, demo, public, renderers, signals
        from .archive import EventsArchiver

        signals.connect()
        renderers.register()
        api.register()
        public.register()
        register_demo_step(10, "events", demo.build_events)
        register_urlpatterns(import_module("events.urls").urlpatterns)
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
