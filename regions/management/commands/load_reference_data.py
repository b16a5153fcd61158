"""Load counties, municipalities, regions, memberships and council areas from regions/data/."""

import time

from django.core.management.base import BaseCommand

from regions.reference import reference_data_load


class Command(BaseCommand):
    help = "Load the registry's reference data (idempotent: creates only what is missing)."

    def handle(self, *args, **options):
        started = time.monotonic()
        report = reference_data_load()
        self.stdout.write(f"{report} ({time.monotonic() - started:.1f} s)")
