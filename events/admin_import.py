"""Admin « Importer » screen, programme tab: upload a programme, check it, make it a draft.

The same steps as the communiqué tab: the upload is analysed by a dry run of
`events.importers.import_programme` (the real import, rolled back), the preview shows the
sessions by day as they will be stored — time, title, room, speakers, what needs checking — and
the confirmation imports exactly the previewed bytes into a new draft revision of the edition.
Nothing is ever published from here: the editor reviews the draft, then publishes it.
"""

from __future__ import annotations

from itertools import groupby

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

from .blocks import PARTICIPANT_ROLES, SESSION_KINDS
from .importers import (
    FAILED,
    PROGRAMME_EXTENSIONS,
    ProgrammeImportResult,
    import_programme,
)
from .models import CongressEditionPage

SESSION_KEY = "events-import-programme-upload"
SIGNING_SALT = "events.admin_import"


def editions_for(user) -> list[CongressEditionPage]:
    """Editions whose programme ``user`` may change: editable, neither archived nor locked."""
    editions = CongressEditionPage.objects.filter(archived=False, locked=False)
    return [
        edition
        for edition in editions.order_by("-start_date", "path")
        if edition.permissions_for_user(user).can_edit()
    ]


class UploadForm(forms.Form):
    edition = forms.ModelChoiceField(
        label=gettext_lazy("Congress edition"),
        queryset=CongressEditionPage.objects.none(),
        empty_label=None,
    )
    file = forms.FileField(
        label=gettext_lazy("Programme"),
        help_text=gettext_lazy(
            "PDF, web page (.html), text (.txt, .md) or spreadsheet (.csv). The sessions become "
            "a draft of the edition; nothing is published."
        ),
    )

    def __init__(self, *args, editions: list[CongressEditionPage], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = CongressEditionPage.objects.filter(
            pk__in=[edition.pk for edition in editions]
        ).order_by("-start_date", "path")

    def clean_file(self):
        return check_upload(self.cleaned_data["file"], PROGRAMME_EXTENSIONS)


class ConfirmForm(ConfirmUploadForm):
    salt = SIGNING_SALT


def _context(request: HttpRequest, **extra) -> dict:
    return {
        "page_title": _("Import a programme"),
        "header_icon": "upload",
        "import_screens": import_screens_for(request.user),
        "current_import_screen": "programme",
        **extra,
    }


def _upload_page(request: HttpRequest, form: UploadForm, error: str = "") -> HttpResponse:
    context = _context(
        request,
        form=form,
        errors=[error] if error else [],
        upload_url=reverse("events_import_programme"),
    )
    return TemplateResponse(request, "assises/events/admin/programme_import_upload.html", context)


def _days(result: ProgrammeImportResult) -> list[dict]:
    """The planned sessions grouped by day, with their labels, for the preview."""
    kinds, roles = dict(SESSION_KINDS), dict(PARTICIPANT_ROLES)
    days = []
    # As the edition will list them: by day, then start (a two-column PDF may list days apart).
    planned = sorted(result.planned, key=lambda session: (session["day"], session["start"]))
    for day, sessions in groupby(planned, key=lambda session: session["day"]):
        rows = []
        for session in sessions:
            people = [
                {**person, "role_label": roles.get(person["role"], person["role"])}
                for person in session["participants"]
            ]
            rows.append(
                {**session, "kind_label": kinds.get(session["kind"], ""), "participants": people}
            )
        days.append({"day": day, "sessions": rows})
    return days


def _preview_page(
    request: HttpRequest, result: ProgrammeImportResult, edition: CongressEditionPage, token: str
) -> HttpResponse:
    context = _context(
        request,
        result=result,
        edition=edition,
        days=_days(result),
        flagged=sum(1 for session in result.planned if session["flags"]),
        confirm_form=ConfirmForm(initial={"token": token}),
    )
    return TemplateResponse(request, "assises/events/admin/programme_import_preview.html", context)


def _confirm(request: HttpRequest, editions: list[CongressEditionPage]) -> HttpResponse:
    form = ConfirmForm(request.POST)
    upload_form = UploadForm(editions=editions, initial={"edition": editions[0]})
    if not form.is_valid():
        return _upload_page(request, upload_form, form.errors["token"][0])
    payload = form.cleaned_data["token"]
    edition = next((e for e in editions if e.pk == payload.get("edition")), None)
    if edition is None:
        raise PermissionDenied
    data = take_upload(request, SESSION_KEY, payload)
    if data is None:
        expired = _("This upload has expired; please upload the file again.")
        return _upload_page(request, upload_form, expired)
    result = import_programme(edition, data, payload["name"], user=request.user)
    if result.status == FAILED:
        reason = _("%(file)s: %(reason)s") % {"file": payload["name"], "reason": result.reason}
        return _upload_page(request, upload_form, reason)
    messages.success(
        request,
        {
            "created": _(
                "The programme of “%(title)s” was imported as a draft: %(count)d sessions."
            ),
            "updated": _(
                "The programme of “%(title)s” was updated in a draft: %(count)d sessions."
            ),
            "unchanged": _("The programme of “%(title)s” was already imported; nothing changed."),
        }[result.status]
        % {"title": edition.title, "count": result.sessions},
    )
    return redirect("wagtailadmin_pages:edit", edition.pk)


def import_programme_view(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET, or POST with a file): upload and preview; step 2 (POST with token): import."""
    editions = editions_for(request.user)
    if not editions:
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, editions)
    if request.method != "POST":
        request.session.pop(SESSION_KEY, None)  # an abandoned preview does not linger
        chosen = next((e for e in editions if str(e.pk) == request.GET.get("edition")), None)
        form = UploadForm(editions=editions, initial={"edition": chosen or editions[0]})
        return _upload_page(request, form)
    form = UploadForm(request.POST, request.FILES, editions=editions)
    if not form.is_valid():
        return _upload_page(request, form)
    upload, edition = form.cleaned_data["file"], form.cleaned_data["edition"]
    data = upload.read()
    result = import_programme(edition, data, upload.name, dry_run=True, user=request.user)
    if result.status == FAILED:
        form.add_error(
            "file", _("%(file)s: %(reason)s") % {"file": upload.name, "reason": result.reason}
        )
        return _upload_page(request, form)
    token = keep_upload(
        request, SESSION_KEY, SIGNING_SALT, data, name=upload.name, edition=edition.pk
    )
    return _preview_page(request, result, edition, token)
