from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Assises core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.documents import get_document_model

        from . import demo, serializers, viewsets
        from .archive import register_archiver
        from .archive.core import CoreArchiver
        from .models import CreditedImage, OrganisationSettings, Topic
        from .pages import home_path
        from .pipeline import signals as pipeline_signals
        from .registry import register_demo_step, register_nav_item, register_watched_model

        pipeline_signals.connect()
        serializers.register()
        viewsets.register()
        for model in (Topic, OrganisationSettings, CreditedImage, get_document_model()):
            register_watched_model(model)
        register_demo_step(0, "cms", demo.build_site)
        register_nav_item(10, "home", _("Home"), home_path)
        register_archiver(CoreArchiver())
