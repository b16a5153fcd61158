"""Amounts in kroner as the reader's language writes them (bokmål and nynorsk: 2 500 000,00)."""

from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _


def nok(value) -> str:
    """An amount as "2 500 000,00 kr" (the language's separators); empty for no value."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return _("%(amount)s NOK") % {"amount": formats.number_format(amount, 2, force_grouping=True)}
