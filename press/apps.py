from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    verbose_name = _("Press office")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.registry import register_demo_step, register_watched_model

        from . import demo
        from .models import PressContact, PressContactPhone, PressSettings

        for model in (PressContact, PressContactPhone, PressSettings):
            register_watched_model(model)
        register_demo_step(20, "press", demo.build_press)
