from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "assises_cms"  # "cms" is django CMS's label; a host may have either
    verbose_name = _("Assises core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        from . import checks, serializers, viewsets
        from .archive import register_archiver
        from .archive.core import CoreArchiver
        from .models import OrganisationSettings, Topic
        from .ordering import fill_sort_order
        from .pages import home_path
        from .pipeline import scheduled
        from .pipeline import signals as pipeline_signals
        from .registry import register_nav_item, register_watched_model
        from .treelock import install as serialise_tree_changes

        checks.register()
        serialise_tree_changes()
        pre_save.connect(fill_sort_order, dispatch_uid="assises-fill-sort-order")
        pipeline_signals.connect()
        scheduled.connect()
        serializers.register()
        viewsets.register()
        for model in (Topic, OrganisationSettings, get_image_model(), get_document_model()):
            register_watched_model(model)
        register_nav_item(10, "home", _("Home"), home_path)
        register_archiver(CoreArchiver())
