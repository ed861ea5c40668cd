"""manage.py embargo_link <communiqué id> <e-mail> — a journalist's embargoed link, or --revoke.

The same rules as « Partager sous embargo » in the admin (`press.embargo.services.share`).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from press.embargo.models import EmbargoLink, Journalist
from press.embargo.services import revoke, share
from press.models import CommuniquePage


class Command(BaseCommand):
    help = "Create (and e-mail) a journalist's embargoed link to a communiqué, or revoke it."

    def add_arguments(self, parser):
        parser.add_argument("communique_id", type=int, help="Id of the communiqué page.")
        parser.add_argument("email", help="E-mail of an accredited journalist.")
        parser.add_argument("--revoke", action="store_true", help="Revoke this journalist's links.")
        parser.add_argument("--no-email", action="store_true", help="Print the link, send nothing.")
        parser.add_argument(
            "--expires", help="Expiry (ISO 8601, Paris time if no offset); default: go-live."
        )
        parser.add_argument("--name", help="Accredit the journalist first, under this name.")
        parser.add_argument("--outlet", default="", help="The new journalist's outlet.")

    def handle(self, *args, **options):
        page = CommuniquePage.objects.filter(pk=options["communique_id"]).first()
        if page is None:
            raise CommandError(f"No communiqué has the id {options['communique_id']}.")
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{options['email']!r} is not an e-mail address.") from error
        journalist = Journalist.objects.filter(email=email).first()
        if options["revoke"]:
            if journalist is None:
                raise CommandError(f"No accredited journalist has the e-mail {email}.")
            count = revoke(EmbargoLink.objects.filter(page=page, journalist=journalist))
            self.stdout.write(f"{count} link(s) of {journalist} to communiqué {page.pk} revoked.")
            return
        if journalist is None:
            if not options["name"]:
                raise CommandError(
                    f"No accredited journalist has the e-mail {email}: "
                    "add --name (and --outlet) to accredit them."
                )
            journalist = Journalist.objects.create(
                name=options["name"], outlet=options["outlet"], email=email
            )
        try:
            (shared,) = share(
                page,
                [journalist],
                expires_at=_expiry(options["expires"]),
                send_email=not options["no_email"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(shared.url)


def _expiry(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(f"--expires {value!r} is not a date and time (2027-03-12T10:00).")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
