"""Production: every secret and host comes from the environment, and nothing starts without them.

bakerydemo falls back to a committed key; we refuse to start instead, because a silently
insecure site is worse than one that does not boot.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _flag(name: str, default: bool) -> bool:
    """A boolean from the environment: `1/true/yes/on` or `0/false/no/off`."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production "
            f"(see docs/operating/configuration.md)."
        )
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# HTTPS, safe by default. Behind a TLS-terminating proxy (nginx, a load balancer, a CDN) the
# proxy must set X-Forwarded-Proto and strip it from clients; set ASSISES_PROXY_SSL_HEADER to
# an empty value when Django faces clients directly, since a client could then forge it.
_proxy_header = os.environ.get("ASSISES_PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https") if _proxy_header else None
)
# Plain HTTP is redirected; a proxy that already redirects may turn this off. Health checks
# reach the app over plain HTTP from the load balancer or Varnish: /healthz is exempt (its
# body holds no secret and it sets no cookie); other paths may be listed (regexes, no
# leading slash).
SECURE_SSL_REDIRECT = _flag("ASSISES_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"] + [
    p.strip() for p in os.environ.get("ASSISES_SSL_REDIRECT_EXEMPT", "").split(",") if p.strip()
]
# HSTS: a year, subdomains included. Preloading is a commitment browsers make for the whole
# domain and that takes months to undo, so it is the domain owner's decision (off by default).
SECURE_HSTS_SECONDS = int(os.environ.get("ASSISES_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("ASSISES_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("ASSISES_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # preload is opt-in, see above
# Cookies only over HTTPS (nosniff, X-Frame-Options DENY and same-origin referrers and
# opener policy are Django's defaults, kept).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# `make stack` runs the production settings over plain HTTP on loopback, where there is no
# certificate to have: ASSISES_HTTPS=0 turns off the redirect, HSTS and secure cookies
# together. It is refused unless every allowed host is a loopback name, so that it cannot
# quietly serve a public site without TLS.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
if not _flag("ASSISES_HTTPS", True):
    if not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
        raise ImproperlyConfigured(
            "ASSISES_HTTPS=0 (plain HTTP) is only for a stack on loopback: ALLOWED_HOSTS "
            f"must list only {sorted(LOOPBACK_HOSTS)}, not {ALLOWED_HOSTS}."
        )
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Browsers fetch any http:// URL left in content over HTTPS (public pages' CSP).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True  # noqa: F405

# Mail (journalists' embargoed links): SMTP, configured from the environment.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = _flag("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
