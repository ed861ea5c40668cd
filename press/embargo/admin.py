"""The editor's side: accredited journalists as snippets, and « Partager sous embargo ».

The share screen of a communiqué lists its links with every opening and a « Révoquer » button;
it is reached from the communiqué's header menu and from the page listing's « … » menu.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.widgets import AdminDateTimeInput, Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import CommuniquePage
from .models import EmbargoLink, EmbargoOpening, Journalist
from .services import go_live_at, revoke, share


class JournalistViewSet(SnippetViewSet):
    model = Journalist
    icon = "user"
    menu_label = _("Accredited journalists")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "outlet", "email"]
    search_fields = ["name", "outlet", "email"]


register_snippet(JournalistViewSet)


class ShareForm(forms.Form):
    journalists = forms.ModelMultipleChoiceField(
        label=_("Journalists"),
        queryset=Journalist.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    expires_at = forms.DateTimeField(
        label=_("Link expires"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_("Leave empty: the links expire at the go-live time."),
    )


def links_of(page) -> list[EmbargoLink]:
    """A communiqué's links with their journalists and openings (and the attachments opened):
    two queries, whatever the number of links and openings."""
    openings = EmbargoOpening.objects.select_related("document")
    return list(
        EmbargoLink.objects.filter(page=page)
        .select_related("journalist")
        .prefetch_related(Prefetch("openings", queryset=openings))
    )


def _communique_for(request: HttpRequest, page_id: int) -> CommuniquePage:
    page = get_object_or_404(CommuniquePage, pk=page_id)
    # sharing before go-live is a publication to a few: it needs the right to publish
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return page


def share_view(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _communique_for(request, page_id)
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shared = share(
                page,
                list(form.cleaned_data["journalists"]),
                expires_at=form.cleaned_data["expires_at"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Embargoed link sent to %(count)d journalist.",
                    "Embargoed links sent to %(count)d journalists.",
                    len(shared),
                )
                % {"count": len(shared)},
            )
            return redirect("press_embargo", page_id=page.pk)
    context = {
        "page_title": _("Share under embargo"),
        "header_icon": "mail",
        "communique": page,
        "go_live_at": go_live_at(page),
        "form": form,
        "links": links_of(page),
    }
    return TemplateResponse(request, "assises/press/embargo/admin_share.html", context)


@require_POST
def revoke_view(request: HttpRequest, page_id: int, link_id: int) -> HttpResponse:
    page = _communique_for(request, page_id)
    link = get_object_or_404(EmbargoLink, pk=link_id, page=page)
    if revoke(EmbargoLink.objects.filter(pk=link.pk)):
        messages.success(
            request, _("Link of %(journalist)s revoked.") % {"journalist": link.journalist}
        )
    return redirect("press_embargo", page_id=page.pk)


@hooks.register("register_admin_urls")
def register_embargo_urls():
    return [
        path("press/embargo/<int:page_id>/", share_view, name="press_embargo"),
        path(
            "press/embargo/<int:page_id>/revoke/<int:link_id>/",
            revoke_view,
            name="press_embargo_revoke",
        ),
    ]


def _share_button(page, user, priority: int) -> list[Button]:
    kind = page.specific_class
    if kind is None or not issubclass(kind, CommuniquePage):
        return []
    if not page.permissions_for_user(user).can_publish():
        return []
    return [
        Button(
            _("Share under embargo"),
            reverse("press_embargo", args=[page.pk]),
            icon_name="mail",
            priority=priority,
        )
    ]


@hooks.register("register_page_header_buttons")
def page_header_share_button(page, user, view_name=None, next_url=None):
    return _share_button(page, user, 60)


@hooks.register("register_page_listing_more_buttons")
def page_listing_share_button(page, user, next_url=None):
    return _share_button(page, user, 60)
