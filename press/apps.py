from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    verbose_name = _("Press office")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.registry import register_demo_step

        from . import demo

        register_demo_step(20, "press", demo.build_press)
