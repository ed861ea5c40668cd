"""`manage.py run_worker`: django-tasks-db's `db_worker`, with a lease, on the pipeline's queue.

Everything `db_worker` takes (`--queue-name`, `--interval`, `--batch`, …) works the same; the
differences: without `--queue-name` it serves the pipeline's queue (`ASSISES["TASK_QUEUE"]`),
so run one more with `--queue-name default` for Wagtail's tasks; it beats and hands back the
tasks of workers that died (`cms.pipeline.leases`); and a task it is stopped in the middle of
(Ctrl+C twice, a second SIGTERM) is handed back to READY, to run again, rather than recorded as
failed with the signal's exit.
"""

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from ...pipeline import leases
from ...pipeline.tasks import pipeline_queue

# What a stopping worker raises inside the task it interrupts: not the task's failure.
INTERRUPTIONS = {"builtins.SystemExit", "builtins.KeyboardInterrupt"}


class LeasedWorker(db_worker.Worker):
    """`db_worker`'s loop with a heartbeat thread beside it."""

    def run(self) -> None:
        heartbeat = leases.Heartbeat(self.worker_id, self.queue_names)
        heartbeat.tick()  # the lease exists before the first claim; dead workers' tasks back
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if (
            db_task_result.status == TaskResultStatus.FAILED
            and db_task_result.exception_class_path in INTERRUPTIONS
        ):
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                status=TaskResultStatus.READY,
                started_at=None,
                finished_at=None,
                exception_class_path="",
                traceback="",
            )


class Command(db_worker.Command):
    help = "Run a task worker with a lease (default: the pipeline's queue)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name=pipeline_queue())

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        **options: Any,
    ) -> None:
        """As `db_worker`'s `handle`, with our worker."""
        self.configure_logging(verbosity)
        worker = LeasedWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
