"""A PostgreSQL cluster of the harness's own: initdb into a temporary folder, started,
stopped, restarted, dumped and restored as an operator would."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

import psycopg

from .processes import (
    POSTGRES_USER,
    HarnessError,
    Server,
    child_pids,
    clean_environment,
    find_postgres_bindir,
    free_port,
    log_tail,
    process_alive,
    run_command,
    wait_until,
)


class PostgresCluster(Server):
    """A PostgreSQL cluster of its own: ``initdb`` into a fresh temporary folder, trust
    authentication, listening on 127.0.0.1 at a free port, its unix socket and its log
    (``postgres.log``) in the folder, and tuned for tests (no fsync, small buffers).

    The server binaries run as the OS user ``postgres`` when we are root (they refuse to
    run as root). Use it as a context manager, or call ``start()`` and, in the end,
    ``cleanup()``. Its port stays the same across ``stop()`` and ``start()``, so clients can
    reconnect to the same URL after a restart.
    """

    SETTINGS: Mapping[str, str] = {
        "listen_addresses": "'127.0.0.1'",
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "shared_buffers": "'16MB'",
        "max_connections": "100",
        "log_line_prefix": "'%m [%p] %a '",
        "log_min_messages": "warning",
    }

    def __init__(
        self, *, settings: Mapping[str, str] | None = None, bindir: Path | None = None
    ) -> None:
        """Make the folder (nothing runs yet). ``settings`` are added to or replace
        ``SETTINGS``, as postgresql.conf values (strings quoted as PostgreSQL wants)."""
        found = bindir or find_postgres_bindir()
        if found is None:
            raise HarnessError("no PostgreSQL binaries: set FAULTS_PG_BINDIR")
        self.bindir = found
        self.folder = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.folder / "data"
        self.log_path = self.folder / "postgres.log"
        self.port = free_port()
        self.settings = {**self.SETTINGS, **(settings or {})}
        self._started_once = False
        self._frozen: list[int] = []
        if os.geteuid() == 0:
            account = pwd.getpwnam(POSTGRES_USER)
            os.chown(self.folder, account.pw_uid, account.pw_gid)

    def __repr__(self) -> str:
        return f"<PostgresCluster 127.0.0.1:{self.port} {self.folder}>"

    # Running the server

    def start(self, timeout: float = 30) -> None:
        """Start the server (creating the cluster the first time) and return once it accepts
        connections; raise HarnessError with the end of its log if it does not."""
        if self.is_running:
            return
        if not (self.data / "PG_VERSION").exists():
            self._initdb()
        for attempt in range(3):
            self._write_settings()
            started = subprocess.run(
                self._as_postgres(
                    self._bin("pg_ctl"), "start", "-D", str(self.data), "-l",
                    str(self.log_path), "-w", "-t", str(int(timeout)),
                ),
                capture_output=True, text=True, check=False, timeout=timeout + 10,
            )  # fmt: skip
            if started.returncode == 0:
                break
            # The free port was taken meanwhile: before anyone knows our URL, take another.
            if (
                not self._started_once
                and attempt < 2
                and "could not bind" in log_tail(self.log_path)
            ):
                self.port = free_port()
                continue
            raise HarnessError(
                f"PostgreSQL did not start on port {self.port}: {started.stderr.strip()}\n"
                f"--- {self.log_path}:\n{log_tail(self.log_path)}"
            )
        wait_until(self._accepts_connections, timeout=timeout, what="PostgreSQL accepting")
        self._started_once = True

    def stop(self, mode: str = "fast", timeout: float = 60) -> None:
        """Stop the server: ``mode`` ``smart`` (wait for clients), ``fast`` (disconnect them,
        as a planned restart does) or ``immediate`` (as a crash: no shutdown checkpoint,
        clients cut off, recovery at the next start). Does nothing if it is not running."""
        if not self.is_running:
            return
        run_command(
            self._as_postgres(
                self._bin("pg_ctl"), "stop", "-D", str(self.data), "-m", mode, "-w",
                "-t", str(int(timeout)),
            ),
            what=f"pg_ctl stop -m {mode}", timeout=timeout + 10,
        )  # fmt: skip

    def restart(self, mode: str = "fast") -> None:
        """Stop (``mode`` as for ``stop()``) and start again on the same port."""
        self.stop(mode)
        self.start()

    def ensure_running(self) -> None:
        """Thaw the server if it is frozen, and start it if it is not running (after a test
        that stopped it)."""
        self.thaw()
        self.start()

    def freeze(self) -> None:
        """Stop the postmaster and every server process with SIGSTOP, as a server stuck on
        its disk would be: connections stay open, the kernel still accepts and acknowledges,
        nothing answers."""
        pid = self.pid
        if pid is None:
            raise HarnessError(f"{self!r} is not running")
        self._frozen = [pid, *child_pids(pid)]
        for member in self._frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(member, signal.SIGSTOP)

    def thaw(self) -> None:
        """Let the frozen processes go on (SIGCONT); nothing if none are frozen."""
        frozen, self._frozen = self._frozen, []
        for member in frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(member, signal.SIGCONT)

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while it runs, else None."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (FileNotFoundError, ValueError):
            return None
        return pid if process_alive(pid) else None

    @property
    def is_running(self) -> bool:
        """Whether the postmaster is alive."""
        return self.pid is not None

    def cleanup(self) -> None:
        """Stop the server however it can be stopped and remove the folder. Safe to call
        more than once, and after a failed start."""
        self.thaw()
        with contextlib.suppress(Exception):
            self.stop("immediate", timeout=20)
        pid = self.pid
        if pid is not None:  # pg_ctl could not stop it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            wait_until(lambda: not process_alive(pid), timeout=10, what="the postmaster dying")
        shutil.rmtree(self.folder, ignore_errors=True)

    # Talking to it

    def url(self, dbname: str = "postgres", **params: str | int) -> str:
        """``postgres://postgres@127.0.0.1:PORT/dbname``, with ``params`` as the query
        string (e.g. ``sslmode="disable"``, ``application_name="probe"``)."""
        query = f"?{urlencode(params)}" if params else ""
        return f"postgres://{POSTGRES_USER}@127.0.0.1:{self.port}/{dbname}{query}"

    def psql(self, dbname: str, sql: str, *, timeout: float = 60) -> str:
        """Run ``sql`` (any number of statements, each in its own transaction) in
        ``dbname``; return what psql printed (unaligned, tuples only). Stops at the first
        error and raises HarnessError with it."""
        return run_command(
            [
                self._bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                *self._client_args(dbname), "-f", "-",
            ],
            what=f"psql in {dbname}", env=self._client_env(), input=sql, timeout=timeout,
        ).stdout  # fmt: skip

    def create_database(self, name: str) -> None:
        """Create the database ``name`` (it must not exist)."""
        self.psql("postgres", f"CREATE DATABASE {quote_identifier(name)}")

    def drop_database(self, name: str, force: bool = True) -> None:
        """Drop the database ``name`` if it exists; with ``force``, disconnecting its
        clients first (otherwise PostgreSQL refuses while anyone is connected)."""
        option = " WITH (FORCE)" if force else ""
        self.psql("postgres", f"DROP DATABASE IF EXISTS {quote_identifier(name)}{option}")

    def dump(self, dbname: str, path: Path | str) -> Path:
        """Write a custom-format dump (``pg_dump -Fc``) of ``dbname`` to ``path``."""
        path = Path(path)
        run_command(
            [self._bin("pg_dump"), "-Fc", "-f", str(path), *self._client_args(dbname)],
            what=f"pg_dump of {dbname}", env=self._client_env(), timeout=300,
        )  # fmt: skip
        return path

    def restore(
        self, dbname: str, path: Path | str, clean: bool = True, *, check: bool = True
    ) -> str:
        """Restore the dump at ``path`` into the existing, running ``dbname``, as an operator
        would while clients stay connected: ``pg_restore --clean --if-exists`` (with
        ``clean``), object by object, not in one transaction. Return pg_restore's messages;
        with ``check``, raise HarnessError if it reports errors."""
        args = [self._bin("pg_restore"), *self._client_args(dbname)]
        if clean:
            args += ["--clean", "--if-exists"]
        done = subprocess.run(
            [*args, str(path)], env=self._client_env(), capture_output=True, text=True,
            timeout=300, check=False,
        )  # fmt: skip
        if check and done.returncode != 0:
            raise HarnessError(f"pg_restore into {dbname} failed:\n{done.stderr[-3000:]}")
        return done.stderr

    # Inside

    def _bin(self, name: str) -> str:
        return str(self.bindir / name)

    def _as_postgres(self, *args: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", POSTGRES_USER, "--", *args]
        return list(args)

    def _initdb(self) -> None:
        run_command(
            self._as_postgres(
                self._bin("initdb"), "-D", str(self.data), "-U", POSTGRES_USER,
                "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
                "--no-instructions",
            ),
            what="initdb",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\ninclude_if_exists = 'harness.conf'\n")

    def _write_settings(self) -> None:
        settings = {
            **self.settings,
            "port": str(self.port),
            "unix_socket_directories": f"'{self.folder}'",
        }
        path = self.data / "harness.conf"
        path.write_text("".join(f"{name} = {value}\n" for name, value in settings.items()))
        if os.geteuid() == 0:
            account = pwd.getpwnam(POSTGRES_USER)
            os.chown(path, account.pw_uid, account.pw_gid)

    def _client_args(self, dbname: str) -> list[str]:
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", POSTGRES_USER, "-d", dbname]

    def _client_env(self) -> dict[str, str]:
        return {**clean_environment(), "PGCONNECT_TIMEOUT": "5"}

    def _accepts_connections(self) -> bool:
        ready = subprocess.run(
            [self._bin("pg_isready"), "-q", "-t", "1", *self._client_args("postgres")],
            env=self._client_env(), check=False, timeout=10,
        )  # fmt: skip
        return ready.returncode == 0


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def probe_postgres(url: str, timeout: float = 2) -> bool:
    """Whether a new connection to ``url`` answers ``SELECT 1`` within about ``timeout``
    seconds (libpq's connect timeout is at least 2 s)."""
    try:
        with psycopg.connect(url, connect_timeout=max(2, int(timeout)), autocommit=True) as conn:
            return conn.execute("SELECT 1").fetchone() == (1,)
    except psycopg.Error:
        return False
