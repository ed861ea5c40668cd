"""« Publier maintenant »: a page scheduled for later goes live at once, in one click.

Wagtail locks a scheduled page and only offers to cancel the schedule, after which the editor
must publish again. Here the scheduled revision (what was approved for publication, not a later
draft) is published now through Wagtail's own publish action, so every `page_published`
receiver — the document pipeline, webhooks, the audit log — runs as for any publish.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log
from wagtail.models import Page, Revision


class NotScheduled(Exception):
    """The page has no publication scheduled any more (published meanwhile, or cancelled)."""


def publish_now(page: Page, user) -> Revision:
    """Cancel the page's scheduled publication and publish the scheduled revision now.

    The schedule is cancelled the way Wagtail's « Annuler la publication programmée » does it
    (and logged the same way); the revision is then saved again without its go-live date and
    published with `Revision.publish`, the path of the « Publier » button.
    """
    page = page.specific
    with transaction.atomic():
        scheduled = page.scheduled_revision
        if scheduled is None:
            raise NotScheduled
        scheduled.approved_go_live_at = None
        scheduled.save(update_fields=["approved_go_live_at"])
        log(
            instance=page,
            action="wagtail.schedule.cancel",
            data={"revision": {"id": scheduled.id, "created": scheduled.created_at.isoformat()}},
            revision=scheduled,
            user=user,
        )
        content = scheduled.as_object()
        content.go_live_at = None
        revision = content.save_revision(user=user, log_action=True, clean=False)
        revision.publish(user=user)
    return revision


def can_publish_now(page: Page, user) -> bool:
    perms = page.permissions_for_user(user)
    return perms.can_publish() and perms.can_unschedule()


@require_POST
def publish_now_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """POST from the edit page's action menu; back to the edit page with what happened."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not can_publish_now(page, request.user):
        raise PermissionDenied
    try:
        publish_now(page, request.user)
    except NotScheduled:
        messages.warning(request, _("This page has no scheduled publication any more."))
    else:
        messages.success(
            request,
            _("« %(title)s » is published now; its scheduled publication is cancelled.")
            % {"title": page.get_admin_display_title()},
        )
    return redirect("wagtailadmin_pages:edit", page.pk)
