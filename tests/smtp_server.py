"""A real SMTP server that tests start in-process (aiosmtpd on 127.0.0.1), recording every
message it is given; ``override_settings(**smtp.settings())`` points Django's SMTP backend
at it::

    with SmtpServer() as smtp, override_settings(**smtp.settings()):
        send_mail("Subject", "Body", "from@example.com", ["to@example.com"])
        [mail] = smtp.wait_for(1)
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.servers import HOST, free_port

__all__ = ["ReceivedEmail", "SmtpServer"]


@dataclass(frozen=True)
class ReceivedEmail:
    """One message the SMTP server accepted: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes
    received_at: float

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def text(self) -> str:
        """The plain-text body with "\\n" line ends (SMTP carries "\\r\\n", which
        ``message`` keeps); "" if the message has none."""
        part = self.message.get_body(("plain",))
        return part.get_content().replace("\r\n", "\n") if part is not None else ""


class _SmtpHandler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        self.server._record(
            ReceivedEmail(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos),
                message=email.message_from_bytes(content, policy=email.policy.default),
                raw=content,
                received_at=time.monotonic(),
            )
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """A mail server on 127.0.0.1 (aiosmtpd, in its own thread) that accepts and records
    every message. Apply ``override_settings(**smtp.settings())`` to send to it."""

    def __init__(self) -> None:
        self.host = HOST
        self.port: int | None = None
        self._lock = threading.Condition()
        self._messages: list[ReceivedEmail] = []
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        """Listen on a free port."""
        if self._controller is not None:
            return self
        for attempt in range(5):  # another process may take the free port before we bind it
            port = free_port()
            controller = Controller(_SmtpHandler(self), hostname=self.host, port=port)
            try:
                controller.start()
            except Exception:
                if attempt == 4:
                    raise
                continue
            self._controller, self.port = controller, port
            return self
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Close the port; the messages stay."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def settings(self) -> dict[str, Any]:
        """Django settings sending email to this server: ``override_settings(**...)``."""
        if self.port is None:
            raise RuntimeError("the SMTP server has not been started: no port yet")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }

    @property
    def messages(self) -> list[ReceivedEmail]:
        """The messages so far, oldest first (a copy: safe while messages arrive)."""
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        """Forget the messages so far."""
        with self._lock:
            self._messages.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedEmail]:
        """Block until at least ``count`` messages have arrived and return them all; raise
        AssertionError saying how many arrived if they do not within ``timeout`` seconds."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._messages) >= count, timeout):
                raise AssertionError(
                    f"expected at least {count} email(s) within {timeout}s, "
                    f"{len(self._messages)} arrived"
                )
            return list(self._messages)

    def _record(self, message: ReceivedEmail) -> None:
        with self._lock:
            self._messages.append(message)
            self._lock.notify_all()
