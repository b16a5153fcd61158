"""Renderers turn an outbox message into what is sent, at send time.

Each app registers a renderer per message kind in its AppConfig.ready() (usually by importing its
renderers.py). A renderer receives the Message and returns a Rendered, or None when the message no
longer applies (for example a reminder planned for a meeting start that has since moved): the
message is then cancelled instead of sent.
"""

from dataclasses import dataclass, field

_renderers = {}


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


def register(kind):
    """Decorator: register the renderer for a message kind."""

    def decorator(func):
        _renderers[kind] = func
        return func

    return decorator


def get_renderer(kind):
    return _renderers.get(kind)
