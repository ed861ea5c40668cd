"""Create the local demo administrator and print its credentials.

The password is random, generated once and kept in var/demo-admin.txt, so that re-running
`make demo` prints the same credentials instead of silently changing them.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create (or show) the local demo administrator account."

    def handle(self, *args, **options):
        path = Path(settings.VAR_DIR) / "demo-admin.txt"
        if path.exists():
            password = path.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(password + "\n")
        user_model = get_user_model()
        user, _created = user_model.objects.get_or_create(
            username="admin", defaults={"email": "admin@example.org"}
        )
        user.is_staff = user.is_superuser = True
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        self.stdout.write(
            _("Admin account — user: %(user)s  password: %(password)s")
            % {"user": "admin", "password": password}
        )
