"""The outbox's e-mail: the MIME structure is built once per sweep batch for each distinct content.

A meeting reminder goes to hundreds of people with the same subject, text and .ics; only the
recipient, the date, the Message-ID and the outbox key differ. Building the MIME tree (encoding the
subject, the text parts and the attachment, choosing a boundary) is most of the cost of a send, so
the first message with a given content builds it through Django as usual and the others reuse that
tree with their own headers (a small bounded cache keyed on the whole content, so a change of any
part gives a new tree). The result is byte-for-byte what Django would build, apart from the
multipart boundary, which is chosen once per content instead of once per message.
"""

import copy
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME

KEY_HEADER = "X-Regionportalen-Message"
# Built MIME trees by content. Bounded: the sweep sends the same few contents to many recipients.
_TEMPLATES = {}
_TEMPLATES_MAX = 256
_PER_MESSAGE = ("To", "Date", "Message-ID", KEY_HEADER)
_PER_MESSAGE_LOWER = frozenset(name.lower() for name in _PER_MESSAGE)


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
