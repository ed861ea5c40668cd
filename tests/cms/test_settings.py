import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_production(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="demosite.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_without_secret_key_refuse_to_start():
    result = _import_production({"ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is required in production" in result.stderr


def test_production_settings_without_allowed_hosts_refuse_to_start():
    result = _import_production({"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required in production" in result.stderr


def test_production_settings_with_secret_and_hosts_start():
    result = _import_production({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"})
    assert result.returncode == 0, result.stderr


def test_settings_are_french_first(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True
    assert settings.WAGTAIL_I18N_ENABLED is True
    assert [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES] == ["fr", "en"]


def _production(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISES_")}
    env.update(
        {"SECRET_KEY": "k3$" + "Zq8vN2pL7wR4tY9u" * 4, "ALLOWED_HOSTS": "assises.example.org"},
        **env_overrides,
        DJANGO_SETTINGS_MODULE="demosite.settings.production",
    )
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_passes_the_deployment_checklist(tmp_path):
    """`check --deploy` with warnings as errors: HSTS, SSL redirect, secure cookies.

    Since Django 6.1 `check` also runs the database checks (JSONField support) against every
    configured database: the default SQLite file gets a directory of its own, as a fresh
    checkout has no var/."""
    var_dir = {"ASSISES_VAR_DIR": str(tmp_path)}
    result = _production(var_dir, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]


PRINT_HTTPS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
)


def test_production_https_defaults_and_proxy_settings():
    default = _production({}, "-c", PRINT_HTTPS)
    assert default.stdout.split() == [
        "True", "('HTTP_X_FORWARDED_PROTO',", "'https')", "31536000", "False", "True", "True"
    ]  # fmt: skip
    proxied = _production(
        {
            "ASSISES_SSL_REDIRECT": "false",
            "ASSISES_PROXY_SSL_HEADER": "X-Forwarded-Scheme",
            "ASSISES_HSTS_SECONDS": "600",
        },
        "-c",
        PRINT_HTTPS,
    )
    assert proxied.stdout.split()[:4] == ["False", "('HTTP_X_FORWARDED_SCHEME',", "'https')", "600"]
    direct = _production({"ASSISES_PROXY_SSL_HEADER": ""}, "-c", PRINT_HTTPS)
    assert direct.stdout.split()[1] == "None"


def test_production_refuses_a_flag_it_cannot_read():
    result = _production({"ASSISES_SSL_REDIRECT": "peut-être"}, "-c", PRINT_HTTPS)
    assert result.returncode != 0
    assert "ASSISES_SSL_REDIRECT must be true or false" in result.stderr


def test_production_plain_http_switch_turns_off_https_on_loopback_only():
    loopback = _production(
        {"ASSISES_HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost"}, "-c", PRINT_HTTPS
    )
    assert loopback.returncode == 0, loopback.stderr[-2000:]
    assert loopback.stdout.split()[:1] + loopback.stdout.split()[3:] == [
        "False", "0", "False", "False", "False"
    ]  # fmt: skip
    public = _production({"ASSISES_HTTPS": "0"}, "-c", PRINT_HTTPS)
    assert public.returncode != 0
    assert "ASSISES_HTTPS=0 (plain HTTP) is only for a stack on loopback" in public.stderr


def test_production_health_check_is_exempt_from_the_https_redirect():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.SECURE_REDIRECT_EXEMPT)"
    result = _production({"ASSISES_SSL_REDIRECT_EXEMPT": "^status/"}, "-c", code)
    assert result.stdout.strip() == "['^healthz$', '^status/']"


def test_purge_backends_come_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(sorted((k, v['BACKEND']) for k, v in s.ASSISES['PURGE_BACKENDS'].items()))"
    result = _production(
        {
            "ASSISES_VARNISH_URL": "http://127.0.0.1:6081",
            "ASSISES_CLOUDFLARE_ZONE_ID": "zone",
            "ASSISES_CLOUDFLARE_API_TOKEN": "token",
        },
        "-c",
        code,
    )
    assert result.stdout.strip() == (
        "[('cloudflare', 'cms.consumers.purge.CloudflareCacheTagBackend'), "
        "('varnish', 'cms.consumers.purge.VarnishXkeyBackend')]"
    )


SERVE_MEDIA = """
import django, pathlib; django.setup()
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.views.static import serve
def served(path):
    try:
        return resolve(path).func is serve
    except Resolver404:
        return False
root = pathlib.Path(settings.MEDIA_ROOT)
for name in ("original_images/a.png", "images/a.width-320.png", "documents/private.pdf"):
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(b"x")
paths = ["original_images/a.png", "images/a.width-320.png", "documents/private.pdf", "a.png"]
print(*(served("/media/" + p) for p in paths))
print(Client().get("/media/images/a.width-320.png").status_code)
"""


def test_serve_media_serves_renditions_only_never_originals_or_documents():
    """Documents go through Wagtail's view and originals through `cms.files`, which check that
    a public page shows them; only renditions are plain files."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="demosite.settings.test", ASSISES_SERVE_MEDIA="1")
    result = subprocess.run(
        [sys.executable, "-c", SERVE_MEDIA], cwd=ROOT, env=env, capture_output=True, text=True
    )
    expected = ["False", "True", "False", "False", "200"]  # originals: cms.files, not a file
    assert result.stdout.split() == expected, result.stderr[-2000:]
    env.pop("ASSISES_SERVE_MEDIA")
    result = subprocess.run(
        [sys.executable, "-c", SERVE_MEDIA.rsplit("print(Client", 1)[0]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["False", "False", "False", "False"], result.stderr[-2000:]
