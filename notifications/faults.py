"""How the outbox tells a message's own fault from a passing one, and writes the error down.

The rule (used for every step of a delivery: preparing, rendering, building, the in-app notification,
sending, marking sent):
- transient, retried with backoff up to MAX_ATTEMPTS: the mail server or the network (any SMTP
  error, OSError: refused connection, timeout, TLS) and a database that is unreachable or busy
  (OperationalError, InterfaceError). Trying again later may work.
- permanent, FAILED at once: everything else. A header the e-mail library refuses (BadHeaderError),
  a malformed address (ValidationError), ValueError, TypeError, UnicodeError, a value the database
  refuses (DataError, IntegrityError, a NUL character), any exception a renderer or preparer raises.
  The same message would fail the same way on every try: it is a bug or bad data, and retrying it
  only delays the others.
- interruptions (Celery's time limits, a shutdown: KeyboardInterrupt, SystemExit) are no message's
  fault: they are never caught per message, so they stop the batch, which releases what it has not
  finished (see delivery.message_deliver and sweep._deliver_claimed).
"""

import smtplib
from contextlib import nullcontext

from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.db import InterfaceError, OperationalError, connection, transaction

TRANSIENT = (smtplib.SMTPException, OSError, OperationalError, InterfaceError)
INTERRUPTIONS = (SoftTimeLimitExceeded, TimeLimitExceeded)
ERROR_MAX_LENGTH = 2000


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT)


def is_interruption(exc: BaseException) -> bool:
    """Not the message's fault and not to be swallowed: Celery's time limits, and every BaseException
    that is not an Exception (KeyboardInterrupt, SystemExit, GeneratorExit)."""
    return isinstance(exc, INTERRUPTIONS) or not isinstance(exc, Exception)


def error_text(stage: str, exc: BaseException | str) -> str:
    """ "<stage>: <exception class>: <message>" for Message.last_error. Control characters are written
    as escapes (the text often quotes the bad value), so the error is readable and any database
    stores it; cut at ERROR_MAX_LENGTH."""
    detail = exc if isinstance(exc, str) else f"{exc.__class__.__name__}: {exc}"
    text = f"{stage}: {detail}"
    if not text.isprintable():
        text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return text[:ERROR_MAX_LENGTH]


def isolated():
    """A savepoint around a step that may fail, when the sweep runs inside a transaction (tests, a
    caller's atomic block): on PostgreSQL a failed statement would otherwise spoil every statement
    after it. The sweep itself runs in autocommit, where each statement stands alone and a savepoint
    would only cost round trips."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()
