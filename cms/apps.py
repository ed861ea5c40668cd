from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Assises core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import demo, serializers, signals, viewsets
        from .archive import register_archiver
        from .archive.core import CoreArchiver
        from .models import CreditedImage, OrganisationSettings, Topic
        from .pipeline import signals as pipeline_signals
        from .registry import register_demo_step, register_watched_model

        signals.connect()
        pipeline_signals.connect()
        serializers.register()
        viewsets.register()
        for model in (Topic, OrganisationSettings, CreditedImage):
            register_watched_model(model)
        register_demo_step(0, "cms", demo.build_site)
        register_archiver(CoreArchiver())
