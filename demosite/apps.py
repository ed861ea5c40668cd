from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoSiteConfig(AppConfig):
    """The demo site: one host of the Assises apps among others (settings, URLs, content)."""

    name = "demosite"
    label = "demosite"
    verbose_name = _("Demo site")
    default_auto_field = "django.db.models.BigAutoField"
