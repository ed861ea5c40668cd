"""Files of pages (attachments, original images) are served only while a public page shows them.

A file has no publication state of its own: Wagtail serves a document to anyone who knows its
sequential id, and an original image to anyone who knows its upload name, whatever the page that
uses it. Here the answer comes from the one rule (`cms.visibility.showing_documents`): a file is
public while a visible stored document shows it. The stored documents are the natural source
because the pipeline writes them for public pages only and records every image and document a
renderer embeds (`RenderContext.image`, `.document`, document links in rich text) as a
dependency; a draft, an embargoed or expired page, a private one, and the later draft of a live
page (kept in revisions, never rendered) show nothing. No plugin has to declare its file fields.

Wiring: Wagtail's `before_serve_document` hook (`cms/wagtail_hooks.py`) decides and refuses;
`serve_document` (mounted by `cms.document_urls` in place of Wagtail's document URLs) gives an
allowed download its cache headers, which a hook cannot; `serve_original_image` answers for
`/media/original_images/` where the application serves media.

- A public file is served with `Cache-Control: public, max-age=FILE_MAX_AGE` (never past the
  expiry of the pages showing it) and the surrogate keys of those documents (`communique:17`),
  so the purge that follows a change of the page drops the file from the caches too.
- Editors who may change or choose the file in the admin get it with `private, no-store`.
- Documents of the host's own keep Wagtail's rule when the host names their collections
  (`ASSISES["OPEN_DOCUMENT_COLLECTIONS"]`, empty by default). "Used by no page" is not the test:
  a later draft's attachment lives only in a revision, a deleted embargoed communiqué leaves its
  attachment in the library, a fresh upload is used by nothing until the draft is saved; none
  may count as the host's. A collection is a choice an administrator makes on purpose.
- Anything else is the site's 404, exactly as an unknown id gets it (the same headers: in the
  demo, the public 404's short `max-age` and the `list:all` key every change purges), so a
  refusal does not even tell that the file exists.

Uploaded images get unguessable names (`UnguessableFileNameMixin`), and their renditions inherit
them, so the name of an embargoed photo cannot be guessed from its subject either.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime

from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import get_resolver
from django.utils import timezone
from django.utils.cache import get_conditional_response
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from .conf import assises_settings
from .pagecache import PRIVATE
from .visibility import showing_documents

ORIGINAL_IMAGES = "original_images/"


def public_uses(obj: Model) -> list[tuple[str, str, datetime | None]]:
    """(kind, object id, expiry) of each visible stored document showing `obj` (one query)."""
    return list(showing_documents(obj).values_list("kind", "object_id", "expires_at"))


def make_public(response: HttpResponse, uses: list[tuple[str, str, datetime | None]]) -> None:
    """Cache headers of a public file: kept at most until the last page showing it expires,
    tagged with those pages' documents so that their purge reaches it."""
    from .consumers.purge import tag_response  # the API's modules: not while models load

    max_age = assises_settings.FILE_MAX_AGE
    expiries = [expires for _, _, expires in uses]
    if expiries and None not in expiries:
        remaining = (max(expiries) - timezone.now()).total_seconds()
        max_age = max(0, min(max_age, int(remaining)))
    response["Cache-Control"] = f"public, max-age={max_age}"
    tag_response(response, sorted(f"{kind}:{object_id}" for kind, object_id, _ in uses))


def may_edit(request: HttpRequest, obj: Model) -> bool:
    """Editors see the files they may change or choose in the admin, whatever their state."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], obj)


def not_found(request: HttpRequest) -> HttpResponse:
    """The site's own 404, what an unknown id gets, headers included."""
    handler = get_resolver().resolve_error_handler(404)
    return handler(request, exception=Http404())


def before_serve_document(document: Model, request: HttpRequest) -> HttpResponse | None:
    """Wagtail's `before_serve_document` hook: refuses a document no public page shows.

    What it allows is noted on the request, for `serve_document` to give the response its
    cache headers (a hook may answer instead of Wagtail's view, but not change its answer, and
    Wagtail ignores a hook's streamed file)."""
    uses = public_uses(document)
    if uses:
        request._assises_file_uses = uses
        return None
    if may_edit(request, document):
        request._assises_file_private = True
        return None
    if _in_open_collection(document):
        return None  # the host's own document: Wagtail's rule, Wagtail's headers
    return not_found(request)


def serve_document(request: HttpRequest, document_id: int, document_filename: str) -> HttpResponse:
    """Wagtail's document view (the hook above runs in it), with the cache headers it decided.

    Mounted before Wagtail's own document URLs, under the same name (`wagtaildocs_serve`):
    without it, refusals still apply but a public document carries no surrogate key, so a
    cache in front would keep it after its page is unpublished (`assises.W021`)."""
    from wagtail.documents.views.serve import serve

    response = serve(request, document_id, document_filename)
    if response.status_code in (200, 304):
        if getattr(request, "_assises_file_uses", None):
            make_public(response, request._assises_file_uses)
        elif getattr(request, "_assises_file_private", False):
            response["Cache-Control"] = PRIVATE
    return response


def _in_open_collection(document: Model) -> bool:
    names = assises_settings.OPEN_DOCUMENT_COLLECTIONS
    return bool(names) and document.collection.name in names


def serve_original_image(request: HttpRequest, path: str) -> HttpResponse:
    """An original image file (`/media/original_images/<path>`) for a host whose application
    serves its media: only while a public page shows the image (editors: always, privately).

    Pages use renditions; the original is what the API's `image.url` names. Mount it with
    `re_path(r"^media/original_images/(?P<path>.+)$", serve_original_image)`.
    """
    image = get_image_model().objects.filter(file=ORIGINAL_IMAGES + path).first()
    if image is None:
        return not_found(request)
    uses = public_uses(image)
    if not uses and not may_edit(request, image):
        return not_found(request)
    etag = f'"{image.file_hash}"' if image.file_hash else None
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            response = FileResponse(image.file.open("rb"))
        except FileNotFoundError:
            return not_found(request)
        response["X-Content-Type-Options"] = "nosniff"
        if etag:
            response["ETag"] = etag
    if uses:
        make_public(response, uses)
    else:
        response["Cache-Control"] = PRIVATE
    return response


def unguessable_name(filename: str) -> str:
    """A random file name (144 bits) keeping the upload's extension: `Jx3…Qa.jpg`."""
    extension = os.path.splitext(filename)[1].lower()
    return secrets.token_urlsafe(18) + extension


class UnguessableFileNameMixin:
    """For a host's image model (before `AbstractImage`): uploads are stored under a random name.

    Wagtail keeps the upload's name (`original_images/embargo-usine.jpg`) and renditions derive
    theirs from it, so the subject of an unpublished photo could be guessed and fetched from a
    web server that serves the media folder. The title keeps the upload's name for editors.
    """

    def get_upload_to(self, filename: str) -> str:
        return super().get_upload_to(unguessable_name(filename))  # type: ignore[misc]
