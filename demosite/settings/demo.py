"""The demo (`make demo`): development settings, but pages as the public would see them.

DEBUG is off, so that a visitor of the demo never gets Django's traceback pages (they show
settings and code) but our French 404 and 500 pages. Without DEBUG, Django serves neither
static files nor media: WhiteNoise serves static files straight from the apps (no
`collectstatic` needed) and `ASSISES_SERVE_MEDIA` lets Django serve the uploaded media, which
a web server does in production.
"""

import os

from .dev import *  # noqa: F403

DEBUG = False
_host = os.environ.get("ASSISES_HOST", "")
if _host and _host not in ALLOWED_HOSTS and _host not in {"0.0.0.0", "::"}:  # noqa: F405
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _host]  # noqa: F405
WHITENOISE_USE_FINDERS = True
ASSISES_SERVE_MEDIA = True
