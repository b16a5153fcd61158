"""Plan the archive messages of the cases closed before the archive hand-off existed."""

from django.core.management.base import BaseCommand

from archive.services import archive_plan_closed_cases


class Command(BaseCommand):
    help = (
        "Plan Fiks Arkiv messages for every closed case that has none yet (closed before the archive "
        "hand-off existed). Running it again plans nothing new; the sweep delivers what it planned."
    )

    def handle(self, *args, **options):
        planned = archive_plan_closed_cases()
        self.stdout.write(f"archive: planned the messages of {planned} closed case(s).")
