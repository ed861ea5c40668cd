"""Admin « Importer » screen: upload a communiqué, check what was recognised, create the draft.

The two steps run the same `import_communique`, first as a dry run. Between them the uploaded
bytes wait in the editor's session (`cms.importing.uploads`), so what is confirmed is exactly
what was previewed. The preview shows the communiqué as it will be created: the body rendered
from the same blocks, phones as a French reader writes them, the page form's own field labels.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.importing.screens import import_screens_for
from cms.importing.uploads import ConfirmUploadForm, check_upload, keep_upload, take_upload

from .importers import SUPPORTED_EXTENSIONS, ImportResult, import_communique
from .importers.content import body_stream
from .models import CommuniquePage, PressIndexPage

SESSION_KEY = "press-import-upload"
SIGNING_SALT = "press.views.import"


def press_rooms_for(user) -> list[PressIndexPage]:
    """Press rooms where ``user`` may add communiqués: who may import, and where to."""
    return [
        room
        for room in PressIndexPage.objects.order_by("path")
        if room.permissions_for_user(user).can_add_subpage()
    ]


class UploadForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Press room"), queryset=PressIndexPage.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=gettext_lazy("Communiqué"),
        help_text=gettext_lazy(
            "PDF, Word (.docx), web page (.html), Markdown (.md) or text (.txt)."
        ),
    )

    def __init__(self, *args, rooms: list[PressIndexPage], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = PressIndexPage.objects.filter(
            pk__in=[room.pk for room in rooms]
        ).order_by("path")

    def clean_file(self):
        return check_upload(self.cleaned_data["file"], SUPPORTED_EXTENSIONS)


class ConfirmForm(ConfirmUploadForm):
    salt = SIGNING_SALT


def _context(request: HttpRequest, **extra) -> dict:
    return {
        "page_title": _("Import a communiqué"),
        "header_icon": "upload",
        "import_screens": import_screens_for(request.user),
        "current_import_screen": "communique",
        **extra,
    }


def _upload_page(request: HttpRequest, form: UploadForm, error: str = "") -> HttpResponse:
    """The upload form; ``error`` is a failure of the confirmation step, shown above it."""
    context = _context(
        request, form=form, errors=[error] if error else [], upload_url=reverse("press_import")
    )
    return TemplateResponse(request, "assises/press/admin/import_upload.html", context)


def _body(parsed: dict):
    """The body as the draft will hold it: the importer's blocks, rendered by the page's own
    StreamField, so that the editor sees headings, quotes, bold and links as they will be."""
    stream_block = CommuniquePage._meta.get_field("body").stream_block
    return stream_block.to_python(body_stream(parsed.get("body_html") or "", "preview"))


def _labels() -> dict:
    """The page form's own field labels, so the preview speaks its words (« Chapô »)."""
    fields = ("title", "dateline_place", "publication_date", "lead", "body")
    labels = {}
    for name in fields:
        label = str(CommuniquePage._meta.get_field(name).verbose_name)
        labels[name] = label[:1].upper() + label[1:]
    return labels


def _preview_page(request: HttpRequest, result: ImportResult, token: str) -> HttpResponse:
    confirm = ConfirmForm(initial={"token": token})
    parsed = result.parsed
    day = datetime.date.fromisoformat(parsed["date"])
    context = _context(
        request,
        result=result,
        parsed=parsed,
        date=day,
        body=_body(parsed),
        labels=_labels(),
        confirm_form=confirm,
    )
    return TemplateResponse(request, "assises/press/admin/import_preview.html", context)


def _confirm(request: HttpRequest, rooms: list[PressIndexPage]) -> HttpResponse:
    form = ConfirmForm(request.POST)
    upload_form = UploadForm(rooms=rooms, initial={"parent": rooms[0]})
    if not form.is_valid():
        return _upload_page(request, upload_form, form.errors["token"][0])
    payload = form.cleaned_data["token"]
    parent = next((room for room in rooms if room.pk == payload["parent"]), None)
    if parent is None:
        raise PermissionDenied
    data = take_upload(request, SESSION_KEY, payload)
    if data is None:
        expired = _("This upload has expired; please upload the file again.")
        return _upload_page(request, upload_form, expired)
    result = import_communique(data, payload["name"], parent=parent, user=request.user)
    if result.failed:
        reason = _("%(file)s: %(reason)s") % {"file": payload["name"], "reason": result.reason}
        return _upload_page(request, upload_form, reason)
    messages.success(
        request,
        {
            "created": _("The draft communiqué “%(title)s” was created."),
            "updated": _("The communiqué “%(title)s” was updated from the file."),
            "unchanged": _("The communiqué “%(title)s” was already imported; nothing changed."),
        }[result.status]
        % {"title": result.page.title},
    )
    return redirect("wagtailadmin_pages:edit", result.page.pk)


def import_view(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET, or POST with a file): upload and preview; step 2 (POST with token): import."""
    rooms = press_rooms_for(request.user)
    if not rooms:
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, rooms)
    if request.method != "POST":
        request.session.pop(SESSION_KEY, None)  # an abandoned preview does not linger
        return _upload_page(request, UploadForm(rooms=rooms, initial={"parent": rooms[0]}))
    form = UploadForm(request.POST, request.FILES, rooms=rooms)
    if not form.is_valid():
        return _upload_page(request, form)
    upload, parent = form.cleaned_data["file"], form.cleaned_data["parent"]
    data = upload.read()
    result = import_communique(data, upload.name, parent=parent, dry_run=True, user=request.user)
    if result.failed:
        form.add_error(
            "file", _("%(file)s: %(reason)s") % {"file": upload.name, "reason": result.reason}
        )
        return _upload_page(request, form)
    token = keep_upload(
        request, SESSION_KEY, SIGNING_SALT, data, name=upload.name, parent=parent.pk
    )
    return _preview_page(request, result, token)
