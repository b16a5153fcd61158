"""Text helpers shared by the apps (core imports nothing of the project)."""

import re

from django.utils.text import slugify

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})

# What may not stand in a one-line text such as an e-mail header: C0 and C1 control characters
# (line feed, carriage return, vertical tab, form feed, NUL, escape, NEL U+0085 ...), DEL, and the
# Unicode line and paragraph separators. A run of them with the white space around it becomes one space.
_BREAKS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_LINE_BREAKING = re.compile(f"\\s*[{_BREAKS}][\\s{_BREAKS}]*")
# A lone surrogate cannot be encoded in UTF-8 (it can only come from a bug, never from the database).
_SURROGATE = re.compile("[\ud800-\udfff]")
ELLIPSIS = "…"


def norwegian_slugify(value: str) -> str:
    """slugify() that keeps Norwegian letters readable: "Indre Østfold" -> "indre-ostfold"."""
    return slugify(str(value).translate(_NORWEGIAN))


def single_line(value, *, max_length: int | None = None) -> str:
    """The text on one line, safe for an e-mail header or a title: line breaks and other control
    characters (with the spaces around them) become one space, the ends are trimmed, and a text longer
    than max_length is cut at a word where it can and ends with "…" (the result is never longer)."""
    text = str(value)
    if _LINE_BREAKING.search(text):
        text = _LINE_BREAKING.sub(" ", text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    text = text.strip()
    if max_length is not None and len(text) > max_length:
        text = _shorten(text, max_length)
    return text


def _shorten(text: str, max_length: int) -> str:
    if max_length <= len(ELLIPSIS):
        return text[:max_length]
    cut = text[: max_length - len(ELLIPSIS)]
    word_end = cut.rfind(" ")
    if word_end > len(cut) // 2:  # cut at a word unless that throws away more than half
        cut = cut[:word_end]
    return cut.rstrip() + ELLIPSIS
