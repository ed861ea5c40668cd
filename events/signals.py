"""Keep the programme index in step with what is published."""

from wagtail.signals import page_published, page_unpublished

from . import services
from .models import CongressEditionPage


def on_edition_published(sender, instance, **kwargs) -> None:
    services.refresh_programme_index(instance)


def on_edition_unpublished(sender, instance, **kwargs) -> None:
    services.clear_programme_index(instance.pk)


def connect() -> None:
    page_published.connect(on_edition_published, sender=CongressEditionPage, weak=False)
    page_unpublished.connect(on_edition_unpublished, sender=CongressEditionPage, weak=False)
