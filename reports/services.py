"""Writes of the yearly report: only the adviser's own text; the figures are read, never stored."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from regions.models import County

from . import permissions as perms
from .models import ReportText


@transaction.atomic
def report_text_save(*, county: County, year: int, introduction: str, assessment: str, actor: User) -> ReportText:
    """Keep the adviser's introduction and assessment for the county's report of the year."""
    if not perms.can_edit_report(actor, county):
        raise PermissionDenied(_("You may not write the yearly report."))
    text = ReportText.objects.select_for_update().filter(county=county, year=year).first() or ReportText(
        county=county, year=year
    )
    text.introduction, text.assessment, text.updated_by = introduction, assessment, actor
    text.full_clean()
    text.save()
    return text
