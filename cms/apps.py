from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Assises core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import demo, signals
        from .models import CreditedImage, OrganisationSettings, Topic
        from .registry import register_demo_step, register_watched_model

        signals.connect()
        for model in (Topic, OrganisationSettings, CreditedImage):
            register_watched_model(model)
        register_demo_step(0, "cms", demo.build_site)
