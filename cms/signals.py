"""Signal wiring of the shared core: content-version bumps on every public change."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import bump_content_version


def watch(model: type) -> None:
    """Bump the content version whenever an instance of `model` is saved or deleted."""
    for signal in (post_save, post_delete):
        signal.connect(
            bump_content_version,
            sender=model,
            dispatch_uid=f"assises-bump-{model._meta.label}-{id(signal)}",
            weak=False,
        )


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_content_version, dispatch_uid=f"assises-bump-{id(signal)}", weak=False)
    post_delete.connect(
        bump_content_version, sender=Page, dispatch_uid="assises-bump-page-delete", weak=False
    )
    watch(PageViewRestriction)
