"""Sending email: through SMTP (``OMS_SMTP_URL``) or, with no SMTP configured, into a
maildir on disk, so no message is silently dropped on a development machine.

``OMS_SMTP_URL`` forms: ``smtp://host:25`` (plain, upgraded with STARTTLS when the server
offers it), ``smtp+starttls://user:pw@host:587`` (STARTTLS required), ``smtps://user:pw@host:465``
(TLS from the first byte). Every connection and command has a timeout.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.policy
import logging
import mailbox
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from oms.config import Settings
from oms.settings_check import SMTP_SCHEMES

logger = logging.getLogger("oms.mail")

SMTP_TIMEOUT_SECONDS = 20.0


# Headers whose few values recur in every mail (the store's addresses, the parts' MIME
# headers): parsed once. Header objects are immutable (a str and its parse tree, which
# folding copies), so one object may sit in many messages.
_RECURRING = frozenset({"from", "reply-to", "content-type", "content-transfer-encoding", "mime-version"})


class _HeaderClasses(HeaderRegistry):
    """The standard library's header registry, each header's class made once: its
    ``__getitem__`` makes a new class (``type(...)``) on every call, ~30 times a mail
    (issue 15); and the recurring headers parsed once. The same classes and parses, so
    the same headers and bytes."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type] = {}
        self._parsed: dict[tuple[str, str], Any] = {}

    def __call__(self, name: str, value: str) -> Any:
        # A multipart's boundary is new in every mail (set as it is written): not kept.
        if name.lower() not in _RECURRING or not isinstance(value, str) or "boundary" in value:
            return super().__call__(name, value)
        key = (name, value)
        header = self._parsed.get(key)
        if header is None:
            if len(self._parsed) >= 512:
                self._parsed.clear()
            header = self._parsed[key] = super().__call__(name, value)
        return header

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made

    def map_to_type(self, name: str, cls: type) -> None:
        super().map_to_type(name, cls)
        self._made.clear()
        self._parsed.clear()


# email.policy.default with the header classes made once: what every mail is built with.
POLICY = email.policy.default.clone(header_factory=_HeaderClasses())


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None: ...

    def describe(self) -> str: ...


@dataclasses.dataclass(frozen=True)
class SmtpMailer:
    hostname: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    start_tls: bool | None = None  # None: when the server offers it
    timeout: float = SMTP_TIMEOUT_SECONDS

    @classmethod
    def from_url(cls, url: str) -> SmtpMailer:
        parts = urlsplit(url)
        if parts.scheme not in SMTP_SCHEMES or not parts.hostname:  # checked at start (check_settings)
            raise ValueError(
                f"OMS_SMTP_URL: {parts.scheme or 'no'} scheme; use smtp://, smtp+starttls:// or smtps://host:port"
            )
        use_tls, start_tls, default_port = SMTP_SCHEMES[parts.scheme]
        return cls(
            hostname=parts.hostname,
            port=parts.port or default_port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=use_tls,
            start_tls=start_tls,
        )

    async def send(self, message: EmailMessage) -> None:
        import aiosmtplib

        await aiosmtplib.send(
            message,
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            start_tls=self.start_tls,
            timeout=self.timeout,
        )

    def describe(self) -> str:  # never the password
        return f"SMTP {self.hostname}:{self.port}"


@dataclasses.dataclass(frozen=True)
class MaildirMailer:
    path: Path

    async def send(self, message: EmailMessage) -> None:
        # File writes stay off the event loop.
        await asyncio.to_thread(self._add, message)

    def _add(self, message: EmailMessage) -> None:
        mailbox.Maildir(self.path, create=True).add(message)

    def describe(self) -> str:
        return f"the maildir {self.path} (OMS_SMTP_URL is not set)"


def mailer_for(settings: Settings) -> Mailer:
    if settings.smtp_url:
        return SmtpMailer.from_url(settings.smtp_url)
    return MaildirMailer(Path(settings.mail_dir))


def new_message(settings: Settings, *, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    return message
