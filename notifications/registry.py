"""Renderers turn an outbox message into what is sent, at send time.

Each app registers a renderer per message kind in its AppConfig.ready() (usually by importing its
renderers.py). A renderer receives the Message and returns a Rendered, or None when the message no
longer applies (for example a reminder planned for a meeting start that has since moved): the
message is then cancelled instead of sent. A renderer need not make its text header-safe: the
outbox makes the subject and the file names single-line (notifications.mail.headers_safe). If it
raises, that message fails alone (notifications.faults); it must work without its kind's preparer.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from .faults import is_interruption, isolated

logger = logging.getLogger(__name__)

_renderers = {}
_preparers = {}
_batch_cache: ContextVar[dict | None] = ContextVar("notifications_batch_cache", default=None)


@dataclass
class Attachment:
    filename: str
    content: str | bytes
    mimetype: str


@dataclass
class Rendered:
    subject: str
    body: str
    url: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    in_app: bool = True
    # Where a reply should go (e.g. the adviser who organises a meeting); the outbox falls back to
    # settings.REPLY_TO_EMAIL (the coordination unit's mailbox), and with neither the e-mail says so.
    reply_to: str = ""


def register(kind):
    """Decorator: register the renderer for a message kind."""

    def decorator(func):
        _renderers[kind] = func
        return func

    return decorator


def get_renderer(kind):
    return _renderers.get(kind)


def register_prepare(kind):
    """Decorator: register a function that receives all of a sweep batch's messages of one kind
    before any of them is rendered, so it can load what they refer to in one query per batch
    (into batch_cache()) instead of one per message."""

    def decorator(func):
        _preparers[kind] = func
        return func

    return decorator


def prepare(messages):
    """Call each kind's preparer once with that kind's messages (used by the sweep per batch).

    A preparer only saves queries, so one that fails (a malformed payload, a bug) is logged and the
    batch goes on: each renderer, called alone, loads what it needs itself."""
    by_kind = {}
    for message in messages:
        by_kind.setdefault(message.kind, []).append(message)
    for kind, group in by_kind.items():
        preparer = _preparers.get(kind)
        if preparer is None:
            continue
        try:
            with isolated():
                preparer(group)
        except Exception as exc:
            if is_interruption(exc):
                raise
            logger.exception("Preparing %s %s message(s) failed; each is rendered on its own", len(group), kind)


@contextmanager
def batch():
    """Used by the sweep around each batch: renderers may keep what they loaded for the batch."""
    token = _batch_cache.set({})
    try:
        yield
    finally:
        _batch_cache.reset(token)


def batch_cache() -> dict:
    """A dict that lives for the current sweep batch (a fresh one outside a sweep), so a renderer
    loads a meeting once for the hundreds of reminders about it, not once per reminder."""
    cache = _batch_cache.get()
    return cache if cache is not None else {}
