"""Settings of the server the browser suite drives: the test settings, served like production.

DEBUG stays off (French 404 page, no debug toolbar of errors) while static files come from the
finders (no collectstatic before each run) and media from Django (tests/browser/urls.py).
"""

from demosite.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.browser.urls"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Every process of the run (migrate, load_demo, gunicorn) shares one media folder.
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405

# Lets a test make publishing slow (tests/browser/slow.py); inert without its cookie.
MIDDLEWARE = [*MIDDLEWARE, "tests.browser.slow.SlowPublishMiddleware"]  # noqa: F405

# Mail goes to files that the tests read (the embargo links sent to journalists).
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"  # noqa: F405
