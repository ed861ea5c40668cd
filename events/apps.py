from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Congresses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.registry import register_demo_step

        from . import demo, signals

        signals.connect()
        register_demo_step(10, "events", demo.build_events)
