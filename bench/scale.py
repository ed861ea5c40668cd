"""Benchmark databases at scale: which database, the real communiqués, growing by clones.

Shared by `bench.api` (in-process) and `bench.http` (through gunicorn and wrk).
"""

import io
import os
import time

from tqdm import tqdm


def use_database_argument(argv: list[str]) -> None:
    """Honour `--database URL` before Django starts: settings read it from the environment."""
    for i, arg in enumerate(argv):
        url = None
        if arg.startswith("--database="):
            url = arg.split("=", 1)[1]
        elif arg == "--database" and i + 1 < len(argv):
            url = argv[i + 1]
        if url and url != "sqlite":
            os.environ["ASSISES_BENCH_DATABASE_URL"] = url


def prepare(real: int, reset: bool = True) -> None:
    """Migrate, load the demo, generate and render the real communiqués (once per database).

    A PostgreSQL database is emptied first unless `reset` is false (`--reuse`: grow further the
    archive a previous run left).
    """
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.content import expose_to_wagtail_api, generate_communiques
    from cms.models import StoredDocument

    if connection.vendor == "postgresql" and reset:
        reset_postgresql()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    from press.models import CommuniquePage

    if CommuniquePage.objects.count() < real:  # ASSISES_BENCH_DIR keeps a database
        started = time.perf_counter()
        with transaction.atomic():
            generate_communiques(real, progress=tqdm(total=real, desc="pages"), publish=False)
        call_command("rebuild_api_documents", "--no-progress", stdout=io.StringIO())
        print(
            f"{real} communiqués generated and rendered in {time.perf_counter() - started:.0f} s "
            f"({StoredDocument.objects.filter(kind='communique').count()} documents)"
        )
    expose_to_wagtail_api()


def reset_postgresql() -> None:
    """Empty the benchmark's PostgreSQL database: only a throwaway one (`bench` in its name)."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if "bench" not in name:
        raise SystemExit(f"Refusing to empty {name!r}: give a database with 'bench' in its name.")
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def grow(size: int) -> None:
    """Clone rendered communiqués up to `size` documents, then refresh the planner's statistics."""
    from django.db import connection

    from bench.content import clone_communiques

    started = time.perf_counter()
    added = clone_communiques(size, progress=tqdm(total=size, desc=f"to {size}", leave=False))
    if added > 0:
        print(f"{added} documents cloned in {time.perf_counter() - started:.1f} s")
    elif added < 0:
        print(f"{-added} cloned documents removed in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def in_growing_order(sizes: list[int]) -> list[int]:
    """Sizes in the order that clones least: descending when a reused database already holds
    the largest (removing clones is quick, adding them is not), else ascending."""
    from cms.models import StoredDocument

    held = StoredDocument.objects.filter(kind="communique").count()
    return sorted(sizes, reverse=held >= max(sizes))
