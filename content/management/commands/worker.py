"""``manage.py worker``: the job worker. It runs the queued jobs (webhook deliveries,
scheduled publications) with django-tasks' database worker, and a clock that enqueues the
periodic jobs (``content.workflow.jobs.PERIODIC``) once per period, however many workers
run it: a ``PeriodicRun`` row per job and period is the ticket."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    transaction,
)
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker

from content.models import PeriodicRun
from content.workflow.jobs import PERIODIC

logger = logging.getLogger("content.worker")


class Clock:
    """Enqueues each periodic job once per period (``periodic``: module path -> seconds)."""

    def __init__(self, periodic: dict[str, int] = PERIODIC, *, tick: float = 1.0) -> None:
        self.periodic = periodic
        self.tick_seconds = tick
        self.stopped = threading.Event()

    def tick(self, now: datetime | None = None) -> list[str]:
        """Enqueue the jobs whose current period has no run yet; return their names."""
        now = now or timezone.now()
        enqueued = []
        for name, period in self.periodic.items():
            start = datetime.fromtimestamp(now.timestamp() // period * period, tz=UTC)
            try:
                with transaction.atomic():
                    PeriodicRun.objects.create(name=name, period_start=start)
                    import_string(name).enqueue()
            except IntegrityError:
                continue  # another worker's clock enqueued it for this period
            enqueued.append(name)
            PeriodicRun.objects.filter(name=name, period_start__lt=now - timedelta(days=1)).delete()
        return enqueued

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.tick()
            except OperationalError:  # the database is away or locked: try next tick
                logger.warning("The clock could not reach the database", exc_info=True)
            finally:
                close_old_connections()
            self.stopped.wait(self.tick_seconds)

    def stop(self) -> None:
        self.stopped.set()


def new_worker(*, interval: float = 0.25, worker_id: str | None = None) -> Worker:
    """django-tasks' database worker, for every queue."""
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id or get_random_string(32),
        excluded_queue_names=[],
    )


#: Seconds to wait before trying again after the database could not be reached.
RECONNECT_AFTER = 5.0


def run_until_stopped(worker: Worker) -> None:
    """Run ``worker`` until it is told to stop, through database outages: a restart or a
    failover of PostgreSQL pauses the jobs (they wait in the queue), it does not end the
    worker."""
    while worker.running:
        try:
            worker.run()
        except (OperationalError, InterfaceError):
            logger.warning(
                "The job worker cannot reach the database; trying again in %s s",
                RECONNECT_AFTER,
                exc_info=True,
            )
            close_old_connections()
            time.sleep(RECONNECT_AFTER)


class Command(BaseCommand):
    help = (
        "Run the job worker: webhook deliveries, scheduled publications at their time, and "
        "the periodic sweep. Run one or more beside the web servers."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval", type=float, default=0.25,
            help="Seconds between looks at the queue when it is empty (default 0.25).",
        )  # fmt: skip

    def handle(self, *args, interval: float, verbosity: int, **options) -> None:
        for name in ("django_tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(logging.INFO if verbosity > 1 else logging.WARNING)
        clock = Clock()
        threading.Thread(target=clock.run, name="clock", daemon=True).start()
        worker = new_worker(interval=interval)
        worker.configure_signals()
        self.stdout.write(f"Job worker {worker.worker_id} started.")
        try:
            run_until_stopped(worker)
        finally:
            clock.stop()
