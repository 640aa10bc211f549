"""A redis-server of the harness's own, to kill, freeze and thaw."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import redis

from .processes import HarnessError, Server, free_port, log_tail, wait_until


class RedisServer(Server):
    """A redis-server of its own on a free port of 127.0.0.1, with no persistence
    (``--save "" --appendonly no``), its working folder and log in a temporary folder.

    It can be killed (SIGKILL: everything in it is lost) and started again on the same port,
    or frozen (SIGSTOP: connections stay open and nothing answers) and thawed.
    """

    def __init__(self) -> None:
        """Make the folder and choose the port (nothing runs yet)."""
        executable = shutil.which("redis-server")
        if executable is None:
            raise HarnessError("redis-server is not on PATH")
        self.executable = executable
        self.folder = Path(tempfile.mkdtemp(prefix="faults-redis-"))
        self.log_path = self.folder / "redis.log"
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None
        self._frozen = False

    def __repr__(self) -> str:
        return f"<RedisServer 127.0.0.1:{self.port}>"

    def start(self, timeout: float = 10) -> None:
        """Start the server (again, on the same port, empty) and return once it answers
        PING; raise HarnessError with its log if it does not. Does nothing if it runs."""
        if self.is_running:
            return
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [
                    self.executable, "--port", str(self.port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", str(self.folder),
                    "--daemonize", "no",
                ],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        self._frozen = False
        try:
            wait_until(self._answers, timeout=timeout, what=f"Redis answering on {self.port}")
        except HarnessError as exc:
            self.kill()
            raise HarnessError(f"{exc}\n--- {self.log_path}:\n{log_tail(self.log_path)}") from None

    def kill(self) -> None:
        """Kill the server with SIGKILL, as the OOM killer would, and wait until it is gone."""
        process, self._process = self._process, None
        self._frozen = False
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)

    def freeze(self) -> None:
        """Stop the server with SIGSTOP: its connections stay open, nothing answers."""
        self._signal(signal.SIGSTOP)
        self._frozen = True

    def thaw(self) -> None:
        """Let a frozen server go on with SIGCONT; it answers what waited meanwhile."""
        self._signal(signal.SIGCONT)
        self._frozen = False

    def ensure_running(self) -> None:
        """Thaw the server if it is frozen and start it if it is not running."""
        if self._frozen:
            self.thaw()
        self.start()

    @property
    def is_running(self) -> bool:
        """Whether the server process is alive (frozen or not)."""
        return self._process is not None and self._process.poll() is None

    @property
    def is_frozen(self) -> bool:
        """Whether the server was frozen and not thawed since."""
        return self._frozen

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs, else None."""
        return self._process.pid if self.is_running and self._process else None

    def url(self, db: int = 0) -> str:
        """``redis://127.0.0.1:PORT/db``."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0, timeout: float = 1.0) -> redis.Redis:
        """A redis-py client whose connects and commands give up after ``timeout`` s."""
        return redis.Redis.from_url(
            self.url(db), socket_timeout=timeout, socket_connect_timeout=timeout
        )

    def cleanup(self) -> None:
        """Kill the server and remove the folder. Safe to call more than once."""
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _signal(self, signum: signal.Signals) -> None:
        if not self.is_running or self._process is None:
            raise HarnessError(f"Redis on {self.port} is not running")
        self._process.send_signal(signum)

    def _answers(self) -> bool:
        if not self.is_running:
            raise HarnessError(f"redis-server exited:\n{log_tail(self.log_path)}")
        client = self.client(timeout=0.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
