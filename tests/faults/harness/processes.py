"""Shared pieces of the harness: where the repository is, running commands and waiting
for conditions, free ports, and what this machine must have to run the fault tests."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Self

#: The repository root (this file is tests/faults/harness/processes.py).
ROOT = Path(__file__).resolve().parents[3]
#: The OS user that runs the PostgreSQL server binaries when we are root.
POSTGRES_USER = "postgres"
#: The environment variables the application reads: never inherited by its subprocesses.
APP_VARIABLES = re.compile(
    r"^(DJANGO_|DELIVERY_|RECOVERY_|DATABASE_|REDIS_|LOG_|REQUEST_LOG|CONTENT_DISCLAIMER|"
    r"AXES_|MEDIA_|PG)"
)


class Server:
    """A server of the harness used as a context manager: started on entry, stopped and its
    files removed (``cleanup()``) on exit."""

    def start(self) -> None:
        raise NotImplementedError

    def cleanup(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()


class HarnessError(RuntimeError):
    """A server would not start or stop, or a command failed; the message says which, with
    the end of its log."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(
    condition: Callable[[], bool], *, timeout: float, interval: float = 0.05, what: str
) -> None:
    """Return once ``condition()`` is true; raise HarnessError naming ``what`` after
    ``timeout`` seconds. Exceptions from ``condition`` count as false, except HarnessError
    (the condition knows it will never hold), which is raised at once."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except HarnessError:
            raise
        except Exception:  # not ready yet, whatever the reason
            pass
        if time.monotonic() > deadline:
            raise HarnessError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(interval)


def log_tail(path: Path, lines: int = 30) -> str:
    """The last ``lines`` lines of the log at ``path`` ('' if there is none yet)."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""


#: Where the harness's services keep pictures (the demo's): never the checkout's media/.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"recovery-faults-media-{os.getpid()}"


def clean_environment() -> dict[str, str]:
    """This process's environment without any variable the application or libpq reads, so
    that a subprocess gets only the configuration it is given (and the harness's own
    picture folder)."""
    clean = {name: value for name, value in os.environ.items() if not APP_VARIABLES.match(name)}
    return {**clean, "MEDIA_ROOT": str(MEDIA_ROOT)}


def run_command(
    args: Sequence[str],
    *,
    what: str,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
    timeout: float = 120,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` to completion; raise HarnessError with its output if it fails."""
    try:
        done = subprocess.run(
            list(args),
            env=dict(env) if env is not None else None,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=cwd,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise HarnessError(f"{what} took longer than {timeout:.0f} s") from exc
    if done.returncode != 0:
        raise HarnessError(
            f"{what} failed (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return done


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def find_postgres_bindir() -> Path | None:
    """The folder of the PostgreSQL server binaries: ``$FAULTS_PG_BINDIR``, else the newest
    ``/usr/lib/postgresql/<version>/bin`` that has ``initdb``; None if there is none."""
    configured = os.environ.get("FAULTS_PG_BINDIR")
    if configured:
        return Path(configured) if (Path(configured) / "initdb").exists() else None
    found = [path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    found.sort(key=lambda bindir: int(re.sub(r"\D", "", bindir.parent.name) or 0))
    return found[-1] if found else None


def missing_prerequisites() -> list[str]:
    """What this machine lacks to run the fault tests, in words (empty: nothing)."""
    missing = []
    if find_postgres_bindir() is None:
        missing.append("the PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server on PATH")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(POSTGRES_USER)
        except KeyError:
            missing.append(f"the OS user '{POSTGRES_USER}' (to run PostgreSQL, as we are root)")
        if shutil.which("runuser") is None:
            missing.append("runuser (to run PostgreSQL as another user)")
    return missing


def venv_executable(name: str) -> str:
    """The path of ``name`` in the project's virtualenv (else beside this Python)."""
    candidate = ROOT / ".venv" / "bin" / name
    return str(candidate if candidate.exists() else Path(sys.executable).parent / name)


def child_pids(parent: int) -> list[int]:
    """The process ids of ``parent``'s live (not zombie) children."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            children.append(int(stat.parent.name))
    return sorted(children)
