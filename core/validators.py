"""What text the portal accepts, in one place.

Two rules hold for every piece of text a user types, wherever it is stored:

* No control characters. A single line (a title, a name, a reference) has no line break either; text
  of several lines (a description, an answer, a note) may have line breaks and tabs, nothing else.
  Control characters are invisible, break the Excel export and e-mail headers, and are never meant.
* A maximum length, said in the message, so a 2 MB "description" is refused instead of stored.

Forms get both through core.forms.PortalForm (every form of the portal inherits it). Model fields
list the same validators in `validators=`, so full_clean() in the services, the admin and imports
refuse what the forms refuse. Text that is already stored is made safe for a download with
printable() (exports never fail on it).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

#: A single line: a title, a name, a reference (the form default for a one-line field).
LINE_MAX_LENGTH = 255
#: Text of several lines written in one go: a comment, an answer, a note, a reason, a description.
TEXT_MAX_LENGTH = 10_000
#: A document section: a general-part section, a special part's introduction, a proposed text.
DOCUMENT_MAX_LENGTH = 50_000

#: The dates the portal accepts in forms: the registry's history starts in 1838 (the first municipal
#: councils); far dates would overflow the date arithmetic of reminders and series.
EARLIEST_DATE = datetime.date(1800, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)

# What str.splitlines() splits on: none of it belongs in a single line.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Control characters (Unicode category Cc), surrogates and noncharacters: never text.
_NEVER = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)
)
_FORBIDDEN_IN_TEXT = re.compile(f"[{_NEVER}]")
_FORBIDDEN_IN_LINE = re.compile(f"[{_NEVER}\t\n\r\u2028\u2029]")


def forbidden_character(value: str, *, multiline: bool) -> str | None:
    """The first character the rule refuses in value, or None."""
    match = (_FORBIDDEN_IN_TEXT if multiline else _FORBIDDEN_IN_LINE).search(value)
    return match.group() if match else None


def printable(value, *, multiline: bool = True) -> str:
    """Stored text made safe for a download (Excel, PDF, calendar, e-mail): control characters are
    dropped, and in a single line every line break becomes a space. Text that follows the rules is
    returned unchanged."""
    text = "" if value is None else str(value)
    if multiline:
        return _FORBIDDEN_IN_TEXT.sub("", text)
    text = re.sub(f"(\r\n|[{LINE_BREAKS}])", " ", text)
    return _FORBIDDEN_IN_LINE.sub("", text.replace("\t", " "))


def spreadsheet_cell(value, *, multiline: bool = False) -> str:
    """A value for a CSV or Excel cell: printable() text that a spreadsheet never runs as a formula
    (a cell starting with = + - @ gets a leading apostrophe: CSV injection)."""
    text = printable(value, multiline=multiline)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@deconstructible
class ControlCharacterValidator:
    """Refuses control characters; a single line also refuses line breaks and tabs."""

    def __init__(self, *, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        if not isinstance(value, str):
            return
        char = forbidden_character(value, multiline=self.multiline)
        if char is None:
            return
        if not self.multiline and char in LINE_BREAKS:
            raise ValidationError(_("Write this on one line, without line breaks."), code="line_break")
        raise ValidationError(
            _("Remove the invisible control character (%(character)s) from the text."),
            code="control_character",
            params={"character": f"U+{ord(char):04X}"},
        )

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline

    def __hash__(self):
        return hash((ControlCharacterValidator, self.multiline))


@deconstructible
class LengthLimitValidator(MaxLengthValidator):
    """MaxLengthValidator whose message says the limit with grouped digits ("10 000"). A line break
    counts as one character, as in the browser's maxlength (which sends it as two: CR LF)."""

    message = _("Write at most %(limit)s characters (the text has %(length)s).")

    def clean(self, x):
        return len(x) - x.count("\r\n")

    def __call__(self, value):
        if not isinstance(value, str):
            return
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "limit": number_format(self.limit_value, force_grouping=True),
                    "length": number_format(length, force_grouping=True),
                    "limit_value": self.limit_value,
                    "show_value": length,
                    "value": value,
                },
            )


@deconstructible
class DateRangeValidator:
    """Refuses dates outside EARLIEST_DATE … LATEST_DATE (forms only; the models keep any date)."""

    def __call__(self, value):
        day = value.date() if isinstance(value, datetime.datetime) else value
        if isinstance(day, datetime.date) and not (EARLIEST_DATE <= day <= LATEST_DATE):
            raise ValidationError(
                _("Write a date between %(earliest)s and %(latest)s."),
                code="date_range",
                params={
                    "earliest": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                    "latest": date_format(LATEST_DATE, "SHORT_DATE_FORMAT"),
                },
            )

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator)

    def __hash__(self):
        return hash(DateRangeValidator)


single_line = ControlCharacterValidator(multiline=False)
multi_line = ControlCharacterValidator(multiline=True)


def text_validators(limit: int) -> list:
    """The validators of a model TextField holding at most `limit` characters (give the field the
    same max_length, so its form's textarea says the limit too)."""
    return [multi_line, LengthLimitValidator(limit)]


# Django's own bokmål for its length message reads badly ("Sørg for denne verdien har 1 tegn");
# naming the same msgid here puts a better one in core's catalogue, which takes precedence over
# Django's. It still shows where Django adds its own validator (a model CharField's max_length).
_DJANGO_MAX_LENGTH = ngettext_lazy(
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    "limit_value",
)
