"""What the process tests need on this machine, and the reason they give when it is missing.

Each `missing_*` function returns None when the service or program is there, else the reason a
test skips with, naming what to install or start: a fresh clone on a machine without Redis or
Varnish skips those tests, saying so, rather than failing. Checks are cheap (a program on the
PATH, one connection on loopback with a short timeout) and made once per run.
"""

import functools
import glob
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
REDIS = ("127.0.0.1", 6379)
# The PostgreSQL server the stack test makes its own database on: the suite's own server when
# it runs on PostgreSQL, else the local one as .ci/run starts it (trust authentication).
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def skip_if(reason: str | None) -> pytest.MarkDecorator:
    """A skip mark carrying `reason` when there is one, else a mark that does nothing."""
    return pytest.mark.skipif(reason is not None, reason=reason or "")


@functools.cache
def missing_program(name: str, hint: str) -> str | None:
    """`name` in the virtualenv's bin (gunicorn, supervisord) or on the PATH."""
    if (BIN / name).exists() or shutil.which(name):
        return None
    return f"{name} not installed ({hint})"


def missing_gunicorn() -> str | None:
    return missing_program("gunicorn", "pip install -e '.[demo]'; `make install` does")


@functools.cache
def missing_redis(host: str = REDIS[0], port: int = REDIS[1]) -> str | None:
    """A Redis answering PING on `host`:`port`."""
    try:
        with socket.create_connection((host, port), timeout=2) as connection:
            connection.settimeout(2)
            connection.sendall(b"PING\r\n")
            if connection.recv(16).startswith(b"+PONG"):
                return None
    except OSError:
        pass
    return f"Redis not answering on {host}:{port} (apt install redis-server, then start it)"


def postgres_server_url() -> str:
    """The maintenance database of the PostgreSQL server the process tests may use."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url.rpartition("/")[0] + "/postgres"
    return LOCAL_POSTGRES


@functools.cache
def missing_postgres(url: str) -> str | None:
    """A PostgreSQL server that accepts `url` and lets it create databases."""
    try:
        import psycopg
    except ImportError:
        return "psycopg not installed (pip install -e '.[postgres]')"
    shown = url.split("@")[-1]
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            (allowed,) = connection.execute(
                "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone()
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"PostgreSQL not reachable at {shown}: {first}"
    return None if allowed else f"PostgreSQL at {shown}: this role may not create databases"


@functools.cache
def missing_varnish() -> str | None:
    """varnishd and the xkey module the VCL imports (varnish-modules)."""
    if shutil.which("varnishd") is None:
        return "varnishd not installed (apt install varnish varnish-modules)"
    if not glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
        "/usr/lib/varnish/vmods/libvmod_xkey.so"
    ):
        return "Varnish's xkey module not installed (apt install varnish-modules)"
    return None
