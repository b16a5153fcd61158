"""Viken's agreements end with Viken (issue 13): an adopted agreement of a county that has ended gets the
county's end as its end and the status terminated, so it is shown as history
(partnerships.services.agreements_end_with_county does the same for later loads)."""

import datetime

from django.db import migrations
from django.db.models import Q


def end_with_county(apps, schema_editor):
    Agreement = apps.get_model("partnerships", "Agreement")
    County = apps.get_model("regions", "County")
    today = datetime.date.today()
    for county in County.objects.filter(valid_to__isnull=False, valid_to__lte=today):
        rows = Agreement.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lt=county.valid_to), county=county, status="adopted"
        )
        rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=county.valid_to)).update(valid_to=county.valid_to)
        rows.update(status="terminated")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0004_text_limits"),
        ("regions", "0009_region_counties"),
    ]

    operations = [migrations.RunPython(end_with_county, migrations.RunPython.noop)]
