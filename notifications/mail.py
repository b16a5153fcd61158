"""The outbox's e-mail: the MIME structure is built once per sweep batch for each distinct content.

A meeting reminder goes to hundreds of people with the same subject, text and .ics; only the
recipient, the date, the Message-ID and the outbox key differ. Building the MIME tree (encoding the
subject, the text parts and the attachment, choosing a boundary) is most of the cost of a send, so
the first message with a given content builds it through Django as usual and the others reuse that
tree with their own headers (a small bounded cache keyed on the whole content, so a change of any
part gives a new tree). The result is byte-for-byte what Django would build, apart from the
multipart boundary, which is chosen once per content instead of once per message.

Every header is made from single-line text here, at the outbox's boundary, whatever app rendered
the message (headers_safe, recipient_address): a title typed with a line break can neither inject a
header nor make the e-mail library refuse the message.
"""

import copy
import dataclasses
import re
from email.utils import formatdate, make_msgid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.core.validators import validate_email
from django.utils.functional import Promise

from core.text import single_line

KEY_HEADER = "X-Regionportalen-Message"
# Built MIME trees by content. Bounded: the sweep sends the same few contents to many recipients.
_TEMPLATES = {}
_TEMPLATES_MAX = 256
_PER_MESSAGE = ("To", "Date", "Message-ID", KEY_HEADER)
_PER_MESSAGE_LOWER = frozenset(name.lower() for name in _PER_MESSAGE)

# The longest Subject (and in-app title: both are stored in 255 characters) and attachment file name.
SUBJECT_MAX_LENGTH = 255
FILENAME_MAX_LENGTH = 100
KEY_MAX_LENGTH = 200
# A plain address ("name@example.no") is accepted without Django's full validator (about 7 µs, a few
# per cent of a whole send); the pattern accepts only what validate_email accepts too, and everything
# else goes through validate_email.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def header_text(value, max_length=SUBJECT_MAX_LENGTH) -> str:
    """Text for a header: one line, no control characters, at most max_length characters. Anything but
    text (a renderer returning None or a number) is a bug: TypeError, and the message fails."""
    if not isinstance(value, str | Promise):
        raise TypeError(f"a header must be text, not {type(value).__name__}")
    return single_line(value, max_length=max_length)


def attachment_filename(value) -> str:
    """A file name for a Content-Disposition header: one line, no folders, its extension kept when cut."""
    name = header_text(value, max_length=None).replace("\\", "/").rsplit("/", 1)[-1].strip() or "vedlegg"
    if len(name) > FILENAME_MAX_LENGTH:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 10 else ""
        name = single_line(name[: -len(suffix) or None], max_length=FILENAME_MAX_LENGTH - len(suffix)) + suffix
    return name


def headers_safe(rendered):
    """The rendered message with a single-line Subject (also the in-app title and the logged subject)
    and single-line attachment file names; the same object when nothing needed a change."""
    subject = header_text(rendered.subject)
    names = [attachment_filename(attachment.filename) for attachment in rendered.attachments]
    if subject == rendered.subject and all(n == a.filename for n, a in zip(names, rendered.attachments, strict=True)):
        return rendered
    attachments = [
        dataclasses.replace(attachment, filename=name)
        for attachment, name in zip(rendered.attachments, names, strict=True)
    ]
    return dataclasses.replace(rendered, subject=subject, attachments=attachments)


def recipient_address(email: str) -> str:
    """The address for To, or ValidationError when it is not one address (a line break in it would
    add headers): the message then fails for good, alone."""
    if not _PLAIN_ADDRESS.fullmatch(email):
        validate_email(email)
    return email


class OutboxEmail(EmailMultiAlternatives):
    def __deepcopy__(self, memo):
        """Django's in-memory backend keeps a deep copy of each e-mail. Everything an outbox e-mail
        holds is a str, bytes or a tuple of them, so copying the containers is a deep copy; the
        connection is shared, as a copy of a mail connection is of no use."""
        clone = copy.copy(self)
        for name in ("to", "cc", "bcc", "reply_to", "attachments", "alternatives"):
            setattr(clone, name, list(getattr(self, name)))
        clone.extra_headers = dict(self.extra_headers)
        return clone

    def _content_key(self):
        """Everything the shared MIME tree is made of; None when an attachment is a MIME object."""
        if not all(isinstance(a, tuple) for a in self.attachments):
            return None
        return (
            self.subject,
            self.body,
            self.from_email,
            tuple(self.cc),
            tuple(self.reply_to),
            tuple(self.alternatives),
            tuple(self.attachments),
            tuple(sorted((k, v) for k, v in self.extra_headers.items() if k != KEY_HEADER)),
        )

    def message(self):
        key = self._content_key()
        template = _TEMPLATES.get(key) if key else None
        if template is None:
            template = super().message()
            for part in template.walk():
                if part.is_multipart() and part.get_boundary() is None:
                    # Fix the boundaries once: otherwise each copy would scan its parts for new ones.
                    part.set_boundary(_boundary())
            if key:
                if len(_TEMPLATES) >= _TEMPLATES_MAX:
                    _TEMPLATES.clear()
                _TEMPLATES[key] = template
        msg = copy.copy(template)
        # The copy gets its own header list without the per-message headers; parts are shared, read-only.
        msg._headers = [header for header in template._headers if header[0].lower() not in _PER_MESSAGE_LOWER]
        values = {
            "To": ", ".join(str(v) for v in self.to),
            "Date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            "Message-ID": make_msgid(domain=DNS_NAME),
            KEY_HEADER: self.extra_headers.get(KEY_HEADER, ""),
        }
        for name in _PER_MESSAGE:
            if values[name]:
                msg[name] = values[name]  # Django's SafeMIME classes refuse header injection here
        return msg


def _boundary():
    from email.generator import Generator

    return Generator._make_boundary()
