"""The service as it runs in production: its environment, gunicorn with several workers,
and single requests to it."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .processes import (
    ROOT,
    HarnessError,
    Server,
    child_pids,
    clean_environment,
    free_port,
    venv_executable,
    wait_until,
)


def production_env(database_url: str, redis_url: str, **extra: str | int) -> dict[str, str]:
    """The environment of the service under production settings against ``database_url``
    and ``redis_url``: a fresh random secret key, hosts 127.0.0.1 and localhost, HTTPS as
    reported by ``X-Forwarded-Proto``, warnings and worse logged. ``extra`` adds or replaces
    variables (e.g. ``DELIVERY_FRESHNESS="listen"``). Requests must then send
    ``X-Forwarded-Proto: https`` and an API key (``api_headers()``)."""
    return {
        **clean_environment(),
        "RECOVERY_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto,https",
        "LOG_LEVEL": "WARNING",
        **{name: str(value) for name, value in extra.items()},
    }


def development_env(database_url: str, **extra: str | int) -> dict[str, str]:
    """The environment of management commands and scripts against ``database_url`` under
    development settings (where ``load_demo`` and the demo accounts are allowed)."""
    return {
        **clean_environment(),
        "RECOVERY_ENV": "development",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        **{name: str(value) for name, value in extra.items()},
    }


def api_headers(api_key: str) -> dict[str, str]:
    """The headers of an app's request under production settings: its key, and HTTPS as the
    load balancer reports it."""
    return {"Authorization": f"Api-Key {api_key}", "X-Forwarded-Proto": "https"}


@dataclass(frozen=True)
class Reply:
    """One HTTP answer."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body, parsed as JSON."""
        return json.loads(self.body)


def fetch(
    base_url: str, path: str, headers: Mapping[str, str] | None = None, timeout: float = 10
) -> Reply:
    """GET ``path`` from ``base_url`` on a connection of its own; any status is returned,
    network errors and timeouts raise (OSError, http.client.HTTPException)."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    try:
        conn.request("GET", path, headers=dict(headers or {}))
        response = conn.getresponse()
        return Reply(response.status, dict(response.getheaders()), response.read())
    finally:
        conn.close()


class Gunicorn(Server):
    """``gunicorn recovery.wsgi`` with ``workers`` sync workers on a free port of 127.0.0.1,
    in the repository root, with exactly the environment ``env`` (see ``production_env``);
    its output (stdout and stderr) goes to ``log_path``, readable with ``logs()``.

    Its access log (beside it) has one line per request: the ``X-Request-ID`` it carried,
    the process id of the worker that answered, and the status; ``request_workers()`` reads
    it, so that a client that numbers its requests learns which worker answered each. No
    control socket is opened (gunicorn's default one is shared by every instance of a
    user)."""

    ACCESS_LOG_FORMAT = "%({x-request-id}i)s %(p)s %(s)s"

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        workers: int = 2,
        headers: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
        log_path: Path | None = None,
        root: Path = ROOT,
    ) -> None:
        """Prepare (nothing runs yet). ``headers`` are sent by the readiness probe (e.g.
        ``api_headers(key)``); ``args`` are added to gunicorn's command line (e.g.
        ``["--timeout", "10"]``)."""
        self.env = dict(env)
        self.workers = workers
        self.headers = dict(headers or {})
        self.args = list(args)
        self.root = root
        self.port = free_port()
        self._own_folder: Path | None = None
        if log_path is None:
            self._own_folder = Path(tempfile.mkdtemp(prefix="faults-gunicorn-"))
            log_path = self._own_folder / "gunicorn.log"
        self.log_path = log_path
        self.access_log_path = log_path.with_name(log_path.stem + ".access.log")
        self._process: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:
        return f"<Gunicorn {self.base_url} workers={self.workers}>"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        """Start gunicorn and return once all its workers run and ``/api/v1/goals/`` answers
        with any status; raise HarnessError with its log if it exits or does not answer
        within ``timeout`` s."""
        if self.is_running:
            return
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [
                    venv_executable("gunicorn"), "recovery.wsgi", "--workers", str(self.workers),
                    "--bind", f"127.0.0.1:{self.port}", "--no-control-socket",
                    "--access-logfile", str(self.access_log_path),
                    "--access-logformat", self.ACCESS_LOG_FORMAT, *self.args,
                ],
                env=self.env, cwd=self.root, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        try:
            wait_until(self._answers, timeout=timeout, interval=0.1, what=f"{self!r} answering")
            wait_until(
                lambda: len(self.worker_pids()) >= self.workers,
                timeout=timeout,
                what=f"{self!r} running all its workers",
            )
        except HarnessError as exc:
            self.stop()
            raise HarnessError(f"{exc}\n--- {self.log_path}:\n{self.logs()[-4000:]}") from None

    def stop(self, timeout: float = 10) -> None:
        """Stop gunicorn and its workers: SIGTERM (graceful), then SIGKILL after
        ``timeout`` s."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # workers left behind, if any
            os.killpg(process.pid, signal.SIGKILL)

    def cleanup(self) -> None:
        """Stop gunicorn and remove the log, if this object made its folder."""
        self.stop()
        if self._own_folder is not None:
            shutil.rmtree(self._own_folder, ignore_errors=True)

    @property
    def is_running(self) -> bool:
        """Whether the gunicorn master process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The master's process id while it runs, else None."""
        return self._process.pid if self.is_running and self._process else None

    def worker_pids(self) -> list[int]:
        """The process ids of the master's live workers."""
        master = self.pid
        return [] if master is None else child_pids(master)

    def logs(self) -> str:
        """Everything gunicorn and the application wrote so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def request_workers(self) -> dict[str, tuple[int, int]]:
        """For each request that carried an ``X-Request-ID`` and was answered so far: the
        process id of the worker that answered it, and the status."""
        found = {}
        try:
            lines = self.access_log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return {}
        for line in lines:
            parts = line.split()  # "<request id> <pid> <status>", the pid as "<1234>"
            if len(parts) != 3 or parts[0] == "-":
                continue
            pid, status = parts[1].strip("<>"), parts[2]
            if pid.isdigit() and status.isdigit():
                found[parts[0]] = (int(pid), int(status))
        return found

    def _answers(self) -> bool:
        if self._process is None or self._process.poll() is not None:
            raise HarnessError(f"gunicorn exited:\n{self.logs()[-4000:]}")
        fetch(self.base_url, "/api/v1/goals/", self.headers, timeout=2)
        return True
