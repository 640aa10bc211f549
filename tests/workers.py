"""The job worker as it runs in production (django-tasks' database worker and the periodic
clock of ``manage.py worker``), in threads of the test process, on the test database."""

from __future__ import annotations

import threading

import pytest

from content.management.commands.worker import Clock, new_worker, run_until_stopped


class RunningWorker:
    def __init__(self) -> None:
        self._build()

    def _build(self) -> None:
        self.worker = new_worker(interval=0.05)
        self.clock = Clock(tick=0.2)
        self.threads = [
            threading.Thread(
                target=self._run, args=(lambda: run_until_stopped(self.worker),), daemon=True
            ),
            threading.Thread(target=self._run, args=(self.clock.run,), daemon=True),
        ]
        self.errors: list[BaseException] = []

    def _run(self, target) -> None:
        from django.db import connection

        try:
            target()
        except BaseException as exc:
            self.errors.append(exc)
        finally:
            connection.close()

    def start(self) -> RunningWorker:
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        self.worker.running = False
        self.clock.stop()
        for thread in self.threads:
            thread.join(timeout=15)
        assert not self.errors, self.errors

    def restart(self) -> RunningWorker:
        """A new worker (and clock) after ``stop()``, as after a restart."""
        self._build()
        return self.start()


@pytest.fixture
def worker(transactional_db):
    """A job worker running beside the test, stopped (and checked for crashes) after it."""
    running = RunningWorker().start()
    yield running
    running.stop()
