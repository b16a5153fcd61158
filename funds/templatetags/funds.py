from django import template

from funds.formatting import nok as format_nok

register = template.Library()


@register.filter
def nok(value):
    """An amount in kroner in the reader's language: 2 500 000,00 kr."""
    return format_nok(value)
