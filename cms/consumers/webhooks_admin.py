"""The webhooks in the Wagtail admin: subscribers (secret shown once, rotatable) and deliveries.

Only users with the model permissions (administrators) see them. Deliveries are a read-only log
(status, HTTP code, duration, attempts, response excerpt) with a redeliver action; a redelivery
sends the document as it is now, never the copy queued at the time (`webhooks.current_event`).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import require_admin_access
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ..api.router import endpoints
from ..models import WebhookDelivery, WebhookEndpoint
from ..pipeline.tasks import deliver_webhooks
from . import webhooks


class WebhookForm(WagtailAdminModelForm):
    url = forms.URLField(label=gettext_lazy("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"),
        choices=[(event, event) for event in WebhookEndpoint.EVENTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None checked: all events."),
    )
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("kinds"),
        choices=lambda: [(kind, kind) for kind in sorted(set(endpoints.values()))],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None checked: every kind of document."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "kinds", "active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            webhooks.check_target(url)
        except webhooks.TargetRefused as error:
            raise ValidationError(str(error)) from None
        return url


def _secret_message(request: HttpRequest, endpoint: WebhookEndpoint) -> None:
    messages.success(
        request,
        _("Secret of %(url)s, shown only now — copy it into the receiver: %(secret)s")
        % {"url": endpoint.url, "secret": endpoint.secret},
    )


class WebhookCreateView(generic.CreateView):
    def save_instance(self) -> WebhookEndpoint:
        return webhooks.start(self.form.save(commit=False))

    def save_action(self) -> HttpResponse:
        _secret_message(self.request, self.object)
        return redirect(self.get_success_url())


class WebhookViewSet(ModelViewSet):
    model = WebhookEndpoint
    add_view_class = WebhookCreateView
    icon = "link"
    menu_label = gettext_lazy("Webhooks")
    add_to_settings_menu = True
    list_display = ["url", "description", "active", "disabled_reason", "created_at"]
    name = "webhooks"

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return WebhookForm


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Deliveries are a log: viewed (and redelivered), never added or edited by hand."""

    def user_has_permission(self, user, action: str) -> bool:
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)


register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery))


class DeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    menu_label = gettext_lazy("Webhook deliveries")
    add_to_settings_menu = True
    name = "webhook_deliveries"
    inspect_view_enabled = True
    list_display = [
        "message_id",
        "event_type",
        "endpoint",
        "status",
        "response_code",
        "duration_ms",
        "attempts",
        "response_excerpt",
        "created_at",
    ]
    list_filter = ["status", "endpoint"]

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return forms.modelform_factory(self.model, form=WagtailAdminModelForm, fields=())


def _confirmed(
    request: HttpRequest, title: str, message: str, label: str, back: str, act
) -> HttpResponse:
    """A confirmation page on GET; on POST, `act()` then back to `back`. Administrators only."""
    if not request.user.has_perm("assises_cms.change_webhookendpoint"):
        return redirect("wagtailadmin_home")
    if request.method != "POST":
        return TemplateResponse(
            request,
            "assises/cms/admin/confirm_action.html",
            {"title": title, "message": message, "action_label": label, "cancel_url": back},
        )
    act()
    return redirect(back)


@require_admin_access
def rotate_secret(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)

    def rotate() -> None:
        endpoint.secret = webhooks.new_secret()
        endpoint.save(update_fields=["secret"])
        _secret_message(request, endpoint)

    return _confirmed(
        request,
        _("Rotate the secret of %(url)s") % {"url": endpoint.url},
        _("Deliveries will be signed with a new secret at once; the old one stops working."),
        _("Rotate"),
        reverse("webhooks:edit", args=[pk]),
        rotate,
    )


@require_admin_access
def redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)

    def send_again() -> None:
        webhooks.redeliver(delivery)
        deliver_webhooks.enqueue()
        messages.success(request, _("%(id)s queued for delivery.") % {"id": delivery.message_id})

    return _confirmed(
        request,
        _("Redeliver %(id)s") % {"id": delivery.message_id},
        _(
            "The event is sent again, with the same webhook-id, after any pending one. It "
            "carries the document as it is now; if it is no longer public, a deletion."
        ),
        _("Redeliver"),
        reverse("webhook_deliveries:index"),
        send_again,
    )


urlpatterns = [
    path("webhooks/<int:pk>/rotate/", rotate_secret, name="webhook_rotate"),
    path("webhooks/deliveries/<int:pk>/redeliver/", redeliver, name="webhook_redeliver"),
]
