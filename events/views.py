"""Admin views of the archive: archive or unarchive an edition (with confirmation), download it.

Every view needs the `events.archive_congresseditionpage` permission; the work is done by
`events.services` and `cms.archive`, shared with the management commands.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cms.archive import BundleError
from cms.archive.exporter import bag_name, build_selection, write_bundle
from cms.visibility import public_pages

from . import services
from .models import CongressEditionPage


def _edition(request: HttpRequest, pk: int) -> CongressEditionPage:
    if not services.can_archive(request.user):
        raise PermissionDenied
    return get_object_or_404(CongressEditionPage, pk=pk)


def _confirm(request: HttpRequest, edition: CongressEditionPage, action: str, error: str = ""):
    titles = {
        "archive": _("Archive %(title)s") % {"title": edition.title},
        "unarchive": _("Unarchive %(title)s") % {"title": edition.title},
    }
    context = {
        "page_title": titles[action],
        "header_icon": "lock" if action == "archive" else "lock-open",
        "edition": edition,
        "action": action,
        "error": error,
    }
    return TemplateResponse(request, "assises/events/admin/archive_confirm.html", context)


def archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what archiving does, or why it is not possible; POST: archive."""
    edition = _edition(request, pk)
    try:
        services.check_archivable(edition)
    except services.ArchiveError as error:
        return _confirm(request, edition, "archive", str(error))
    if request.method != "POST":
        return _confirm(request, edition, "archive")
    try:
        services.archive_edition(edition, request.user)
    except services.ArchiveError as error:
        return _confirm(request, edition, "archive", str(error))
    messages.success(request, _("%(title)s is archived and locked.") % {"title": edition.title})
    return redirect("wagtailadmin_pages:edit", edition.pk)


def unarchive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: confirmation; POST: unlock and publish the edition without the archived flag."""
    edition = _edition(request, pk)
    if not edition.archived:
        return _confirm(request, edition, "unarchive", _("This edition is not archived."))
    if request.method != "POST":
        return _confirm(request, edition, "unarchive")
    services.unarchive_edition(edition, request.user)
    messages.success(
        request,
        _("%(title)s is no longer archived; it can be edited again.") % {"title": edition.title},
    )
    return redirect("wagtailadmin_pages:edit", edition.pk)


def export_view(request: HttpRequest, pk: int) -> FileResponse:
    """The edition's archive bundle, written to a temporary file and streamed from it."""
    edition = _edition(request, pk)
    if not public_pages(CongressEditionPage.objects.filter(pk=edition.pk)).exists():
        raise Http404(_("Only a published edition can be exported."))
    target = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes (and so deletes) it
    filename = f"{edition.get_parent().slug}-{edition.slug}-archive.zip"
    try:
        selection = build_selection({"edition": [str(edition.pk)]})
        write_bundle(target, selection, bag=bag_name(filename))
    except BundleError as error:
        target.close()
        messages.error(request, str(error))
        return redirect("wagtailadmin_pages:edit", edition.pk)
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=filename, content_type="application/zip"
    )
