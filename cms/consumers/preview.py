"""Headless preview: editors see a draft in the partner site's own layout.

The pages that have API documents offer a second preview mode, « Site partenaire », in Wagtail's
preview panel. Choosing it freezes what the editor is looking at (the unsaved form included) in a
`PreviewSnapshot` and sends the panel to the site's preview URL template
(`PreviewSettings.url_template`, e.g. `https://partner.example/apercu?token={token}`). The partner
site asks `/api/v1/preview/?token=…` for the document, rendered by the same renderer as the live
document, so it has exactly the live shape.

Tokens are signed (Django's signing, with a salt of their own), scoped to one snapshot, and
expire after `ASSISES["PREVIEW_TOKEN_SECONDS"]` (one hour). An expired token is a 401, a
tampered one or one whose snapshot is gone a 403; a token opens that one snapshot and nothing
else.

Why not wagtail-headless-preview: its tokens never expire and its API serialises pages its own
way; we need expiry and the live document shape, which are the two things it would not give.
"""

from typing import Any

import orjson
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from ..conf import assises_settings
from ..models import PreviewSettings, PreviewSnapshot

SALT = "assises.preview"
PARTNER_MODE = "partner"


class PreviewError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def token_lifetime() -> int:
    return int(assises_settings.PREVIEW_TOKEN_SECONDS)


def make_token(page: Page) -> str:
    """Freeze `page` as it is now (saved or not) and sign a token for that snapshot."""
    PreviewSnapshot.objects.filter(
        created_at__lt=timezone.now() - timezone.timedelta(seconds=token_lifetime())
    ).delete()  # expired snapshots are of no use to anyone
    snapshot = PreviewSnapshot.objects.create(
        content_type=page.cached_content_type,
        content_json=page.to_json(),
    )
    return signing.dumps({"s": str(snapshot.pk)}, salt=SALT, compress=True)


def snapshot_for(token: str) -> Page:
    """The frozen page a token opens, or PreviewError (401 expired, 403 anything else)."""
    if not token or len(token) > 500:
        raise PreviewError(403, _("Missing or malformed preview token."))
    try:
        data = signing.loads(token, salt=SALT, max_age=token_lifetime())
    except signing.SignatureExpired:
        raise PreviewError(401, _("This preview token has expired: preview again.")) from None
    except signing.BadSignature:
        raise PreviewError(403, _("Invalid preview token.")) from None
    snapshot = None
    if isinstance(data, dict) and isinstance(data.get("s"), str):
        snapshot = (
            PreviewSnapshot.objects.filter(pk=data["s"]).select_related("content_type").first()
        )
    if snapshot is None:
        raise PreviewError(403, _("This preview no longer exists: preview again."))
    model = snapshot.content_type.model_class()
    return model.from_json(snapshot.content_json)


def render_preview(page: Page) -> dict[str, Any]:
    """The page's main document, rendered as publishing would render it."""
    from ..pipeline.batch import batch
    from ..pipeline.context import RenderContext
    from ..pipeline.registry import renderer_for

    renderer = renderer_for(page)
    if renderer is None:
        raise PreviewError(403, _("This kind of page has no API document."))
    ctx = RenderContext()
    with batch(), ctx.rendering():
        documents = renderer.render(page, ctx)
    main = next((d for d in documents if d.kind == renderer.kind), None)
    if main is None:
        raise PreviewError(403, _("This page has no document to preview."))
    return main.body


def preview_response(request: HttpRequest) -> HttpResponse:
    """`/api/v1/preview/?token=`: the draft document, never cached, never indexed."""
    try:
        body = render_preview(snapshot_for(request.GET.get("token", "")))
        response = HttpResponse(orjson.dumps(body), content_type="application/json")
    except PreviewError as error:
        response = HttpResponse(
            orjson.dumps({"errors": [{"parameter": "token", "message": error.message}]}),
            status=error.status,
            content_type="application/json",
        )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


class HeadlessPreviewMixin:
    """For page models with API documents: a « partner site » mode in the preview panel."""

    @property
    def preview_modes(self) -> list[tuple[str, str]]:
        return [*Page.DEFAULT_PREVIEW_MODES, (PARTNER_MODE, gettext_lazy("Partner site"))]

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        if mode_name != PARTNER_MODE:
            return super().serve_preview(request, mode_name)  # type: ignore[misc]
        token = make_token(self)  # type: ignore[arg-type]
        site = self.get_site() or None  # type: ignore[attr-defined]
        template = PreviewSettings.for_site(site).url_template if site else ""
        api_url = request.build_absolute_uri(reverse("api-preview") + f"?token={token}")
        if template and "{token}" in template:
            return HttpResponseRedirect(template.replace("{token}", token))
        return TemplateResponse(
            request, "assises/cms/preview_unconfigured.html", {"api_url": api_url, "page": self}
        )
