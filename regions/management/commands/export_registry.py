"""Export the registry as of a date: `manage.py export_registry --as-of 2020-01-01 --format json`."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regions.models import County
from regions.selectors import registry_export, registry_export_rows
from regions.views import write_export_csv


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of must be a date YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = "Write the registry as of a date (default today) as JSON or CSV to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--county", help="county number, e.g. 30 (default: every county)")
        parser.add_argument("--output", help="file to write (default: stdout)")

    def handle(self, *args, **options):
        day = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        county = None
        if options["county"]:
            county = County.objects.filter(number=options["county"]).order_by("-valid_from").first()
            if county is None:
                raise CommandError(f"No county with number {options['county']!r}.")
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as stream:
                self._write(stream, options["format"], day, county)
        else:
            self._write(self.stdout, options["format"], day, county)

    @staticmethod
    def _write(stream, fmt, day, county):
        if fmt == "json":
            stream.write(json.dumps(registry_export(on=day, county=county), ensure_ascii=False, indent=2))
        else:
            write_export_csv(stream, registry_export_rows(on=day, county=county))
