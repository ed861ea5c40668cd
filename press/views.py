"""Admin « Importer » screen: upload a communiqué, check what was recognised, create the draft.

The two steps run the same `import_communique`, first as a dry run. Between them the uploaded
bytes wait in the editor's session (no temporary file), and the confirmation form carries a
signed token naming their checksum, so what is confirmed is exactly what was previewed.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.importing.limits import ImportLimitExceeded, check_file_size

from .importers import SUPPORTED_EXTENSIONS, ImportResult, import_communique
from .models import PressIndexPage

SESSION_KEY = "press-import-upload"
SIGNING_SALT = "press.views.import"
TOKEN_MAX_AGE = 60 * 60


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
        help_text=gettext_lazy("Word (.docx), web page (.html), Markdown (.md) or text (.txt)."),
    )

    def __init__(self, *args, rooms: list[PressIndexPage], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = PressIndexPage.objects.filter(
            pk__in=[room.pk for room in rooms]
        ).order_by("path")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file_size(upload.size)  # before the upload is read; .docx: see extract_text
        except ImportLimitExceeded as error:
            raise ValidationError(str(error)) from error
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in SUPPORTED_EXTENSIONS:
            raise ValidationError(
                _("Unsupported file type %(ext)s; use %(known)s.")
                % {"ext": suffix or "(none)", "known": ", ".join(SUPPORTED_EXTENSIONS)}
            )
        return upload


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_token(self) -> dict:
        try:
            return signing.loads(
                self.cleaned_data["token"], salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE
            )
        except signing.BadSignature as error:
            raise ValidationError(
                _("This upload has expired; please upload the file again.")
            ) from error


def _context(**extra) -> dict:
    return {"page_title": _("Import a communiqué"), "header_icon": "upload", **extra}


def _upload_page(request: HttpRequest, form: UploadForm, error: str = "") -> HttpResponse:
    """The upload form; ``error`` is a failure of the confirmation step, shown above it."""
    context = _context(form=form, errors=[error] if error else [])
    return TemplateResponse(request, "press/admin/import_upload.html", context)


def _preview_page(request: HttpRequest, result: ImportResult, token: str) -> HttpResponse:
    confirm = ConfirmForm(initial={"token": token})
    parsed = result.parsed
    day = datetime.date.fromisoformat(parsed["date"])
    context = _context(result=result, parsed=parsed, date=day, confirm_form=confirm)
    return TemplateResponse(request, "press/admin/import_preview.html", context)


def _keep(request: HttpRequest, data: bytes, filename: str, parent: PressIndexPage) -> str:
    """Hold the upload in the session (one per editor) and sign what the preview showed."""
    digest = hashlib.sha256(data).hexdigest()
    request.session[SESSION_KEY] = {"sha256": digest, "data": base64.b64encode(data).decode()}
    payload = {"sha256": digest, "name": filename, "parent": parent.pk}
    return signing.dumps(payload, salt=SIGNING_SALT)


def _take(request: HttpRequest, payload: dict) -> bytes | None:
    """The previewed bytes, if the session still holds exactly them; removed from the session."""
    stored = request.session.pop(SESSION_KEY, None)
    if not stored or stored.get("sha256") != payload["sha256"]:
        return None
    data = base64.b64decode(stored["data"])
    return data if hashlib.sha256(data).hexdigest() == payload["sha256"] else None


def _confirm(request: HttpRequest, rooms: list[PressIndexPage]) -> HttpResponse:
    form = ConfirmForm(request.POST)
    upload_form = UploadForm(rooms=rooms, initial={"parent": rooms[0]})
    if not form.is_valid():
        return _upload_page(request, upload_form, form.errors["token"][0])
    payload = form.cleaned_data["token"]
    parent = next((room for room in rooms if room.pk == payload["parent"]), None)
    if parent is None:
        raise PermissionDenied
    data = _take(request, payload)
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
    return _preview_page(request, result, _keep(request, data, upload.name, parent))
