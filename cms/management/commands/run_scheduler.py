"""The safety net of the site's clock: scheduled publishing, expiry, webhook retries.

Go-lives and expiries are carried out at their moment by deferred tasks
(`cms.pipeline.scheduled`, run by the task worker). This command catches what those tasks do
not cover — a task backend that cannot defer, schedules written before the tasks existed, a task
that failed: every `--interval` seconds it runs Wagtail's `publish_scheduled`, then renders again
the documents whose page or embedded relation expired, and sends the webhook retries that are
due. `make demo` starts it beside the web server and the worker; in production run it under the
process manager (or `--once` from cron every minute). Until anything runs, an expired page is
already hidden at read time.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.consumers.webhooks import deliver_due
from cms.pipeline.store import refresh_due


class Command(BaseCommand):
    help = "Publish and unpublish scheduled pages, and refresh what expiry changed, periodically."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs.")
        parser.add_argument("--once", action="store_true", help="Run once and exit.")

    def handle(self, *args, **options):
        while True:
            self.tick()
            if options["once"]:
                return
            time.sleep(max(1, options["interval"]))

    def tick(self) -> None:
        call_command("publish_scheduled", stdout=self.stdout)
        touched = refresh_due()
        deliver_due()  # webhook retries whose time has come
        if touched:
            self.stdout.write(
                _("%(count)d document(s) refreshed after an expiry.") % {"count": len(touched)}
            )
