"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

# Production unless told otherwise: it refuses to start without SECRET_KEY and ALLOWED_HOSTS,
# so a forgotten setting never serves DEBUG pages signed with a known key.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demosite.settings.production")
application = get_asgi_application()
