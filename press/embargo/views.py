"""The journalist's side: the communiqué under embargo, its photo and its attachments.

Every answer is private and unindexed (`_private`), and says nothing about a communiqué to a
link that does not open it. Order of the checks: an unknown token is a 404; a revoked link is
refused even after go-live (the editor closed it); a public communiqué sends the link to its
public page; an expired link is refused; otherwise the embargoed version is shown.
"""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.consumers.preview import PreviewError, render_preview
from cms.pagecache import PRIVATE
from cms.visibility import page_is_public

from .models import EmbargoLink, EmbargoOpening
from .services import (
    attachment_of,
    embargo_notice,
    embargoed_version,
    find_link,
    go_live_at,
    record_opening,
)

PHOTO_SPEC = "max-1600x1600"


def _private(response: HttpResponse) -> HttpResponse:
    """Neither a shared cache, nor a search engine, nor the next site visited gets the link."""
    response["Cache-Control"] = PRIVATE
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return _private(
        render(
            request,
            "assises/press/embargo/refused.html",
            {"message": message, "status": status},
            status=status,
        )
    )


def _unknown(request: HttpRequest) -> HttpResponse:
    return _refusal(request, 404, _("This link does not exist."))


def _gate(request: HttpRequest, link: EmbargoLink, what: str, document=None):
    """The answer for a link that may not show its embargoed version, else None."""
    if link.revoked_at is not None:
        record_opening(link, what, EmbargoOpening.REFUSED, document)
        return _refusal(request, 403, _("This link has been revoked by the press office."))
    page = link.page
    if page_is_public(page):
        record_opening(link, what, EmbargoOpening.PUBLIC, document)
        return _private(HttpResponseRedirect(page.get_url(request=request) or "/"))
    if not link.is_open():
        record_opening(link, what, EmbargoOpening.REFUSED, document)
        return _refusal(
            request,
            403,
            _(
                "This link has expired. The communiqué will be on the site once the embargo "
                "is lifted."
            ),
        )
    return None


def embargo_page(request: HttpRequest, token: str) -> HttpResponse:
    """The communiqué as it will be published, under the embargo banner."""
    link = find_link(token)
    if link is None:
        return _unknown(request)
    refusal = _gate(request, link, EmbargoOpening.PAGE)
    if refusal is not None:
        return refusal
    version = embargoed_version(link.page)
    try:
        document = render_preview(version)
    except PreviewError:
        document = {"title": version.title}
    attachments = [
        {
            **attachment,
            "url": reverse("embargo_file", args=[token, attachment["id"]]),
        }
        for attachment in document.get("attachments") or []
    ]
    record_opening(link, EmbargoOpening.PAGE, EmbargoOpening.SHOWN)
    context = {
        "c": document,
        "notice": embargo_notice(go_live_at(link.page)),
        "journalist": link.journalist,
        "expires_at": link.expires_at,
        "photo_url": reverse("embargo_photo", args=[token]) if version.hero_image_id else "",
        "photo": document.get("hero_image") or {},
        "attachments": attachments,
    }
    return _private(render(request, "assises/press/embargo/page.html", context))


def embargo_photo(request: HttpRequest, token: str) -> HttpResponse:
    """The communiqué's photo, served through the link rather than under a media URL."""
    link = find_link(token)
    if link is None:
        return _unknown(request)
    version = embargoed_version(link.page)
    if version.hero_image is None:
        return _unknown(request)
    refusal = _gate(request, link, EmbargoOpening.PHOTO)
    if refusal is not None:
        return refusal
    rendition = version.hero_image.get_rendition(PHOTO_SPEC)
    record_opening(link, EmbargoOpening.PHOTO, EmbargoOpening.SHOWN)
    response = FileResponse(rendition.file.open("rb"), content_type=_image_type(rendition))
    return _private(response)


def embargo_file(request: HttpRequest, token: str, document_id: int) -> HttpResponse:
    """An attachment of this link's communiqué; any other document id is a 404."""
    link = find_link(token)
    if link is None:
        return _unknown(request)
    document = attachment_of(embargoed_version(link.page), document_id)
    if document is None:
        return _unknown(request)
    refusal = _gate(request, link, EmbargoOpening.FILE, document)
    if refusal is not None:
        return refusal
    record_opening(link, EmbargoOpening.FILE, EmbargoOpening.SHOWN, document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type or "application/octet-stream",
    )
    return _private(response)


def _image_type(rendition) -> str:
    extension = rendition.file.name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}.get(
        extension, f"image/{extension}"
    )
