"""Subscribe a partner's receiver to the change log's events; prints the secret once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.api.router import endpoints
from cms.consumers.webhooks import TargetRefused, subscribe
from cms.models import WebhookEndpoint


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class Command(BaseCommand):
    help = "Add a webhook endpoint (Standard Webhooks) and print its secret."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument(
            "--events",
            default="",
            help="Comma-separated, among: " + ", ".join(WebhookEndpoint.EVENTS) + " (all).",
        )
        parser.add_argument("--kinds", default="", help="Comma-separated kinds (all).")
        parser.add_argument("--description", default="")

    def handle(self, *args, **options):
        kinds = _list(options["kinds"])
        unknown = sorted(set(kinds) - set(endpoints.values()))
        if unknown:
            raise CommandError(
                _("Unknown kind %(kind)s; use: %(kinds)s.")
                % {"kind": unknown[0], "kinds": ", ".join(sorted(set(endpoints.values())))}
            )
        try:
            endpoint = subscribe(
                options["url"], _list(options["events"]), kinds, options["description"]
            )
        except (TargetRefused, ValueError) as error:
            raise CommandError(f"{options['url']}: {error}") from None
        self.stdout.write(
            _("Webhook %(id)d added for %(url)s. Its secret (shown once):")
            % {"id": endpoint.pk, "url": endpoint.url}
        )
        self.stdout.write(endpoint.secret)
