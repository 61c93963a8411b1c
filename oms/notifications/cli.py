"""``oms email preview|resend``: look at the mails an order's event sends, and send an
UNCERTAIN one again."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from oms.config import Settings


def add_commands(commands: Any) -> None:
    """Register ``email`` on ``oms``'s sub-command parser."""
    mail = commands.add_parser("email", help="transactional email: preview a message, resend an uncertain one")
    mail_commands = mail.add_subparsers(dest="email_command", required=True)
    preview = mail_commands.add_parser("preview", help="print the mails an order's event sends (nothing is sent)")
    preview.add_argument("order", help="the order number, e.g. 1001")
    preview.add_argument("event", help="a timeline event type (order.paid) or a message name (shipped)")
    preview.add_argument("--html", action="store_true", help="print the HTML part instead of the text")
    preview.set_defaults(func=cmd_email_preview)
    resend = mail_commands.add_parser("resend", help="send an UNCERTAIN email again (its id is on the timeline)")
    resend.add_argument("id", type=int)
    resend.set_defaults(func=cmd_email_resend)


def cmd_email_preview(args: argparse.Namespace, settings: Settings) -> int:
    from oms.cli import _ready_settings, _with_database
    from oms.core_plugins import CORE_PLUGINS
    from oms.errors import DomainError
    from oms.notifications.preview import preview
    from oms.plugins import PluginHost

    plugins = PluginHost.load(core_plugins=CORE_PLUGINS)
    settings = _ready_settings(settings, migrated=True)

    async def work() -> Any:
        return await preview(args.order, args.event, settings=settings, plugins=plugins)

    try:
        previews = asyncio.run(_with_database(settings, work))
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not previews:
        print(f"No email is sent about {args.event}.")
    for item in previews:
        print(f"To: {item.recipient}\nSubject: {item.rendered.subject}\nMessage: {item.message}")
        for attachment in item.attachments:
            print(f"Attachment: {attachment.filename} ({attachment.content_type}, {len(attachment.data)} bytes)")
        print()
        print(item.rendered.html if args.html else item.rendered.text)
    return 0


def cmd_email_resend(args: argparse.Namespace, settings: Settings) -> int:
    from oms.cli import _ready_settings, _with_database
    from oms.errors import DomainError
    from oms.notifications.sending import resend_email

    settings = _ready_settings(settings, migrated=True)
    try:
        row = asyncio.run(_with_database(settings, lambda: resend_email(args.id)))
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Email '{row.subject}' to {row.recipient} queued again (the worker sends it).")
    return 0
