"""Plan the archive messages of what was closed, adopted or approved before the hand-off existed."""

from django.core.management.base import BaseCommand

from archive.services import archive_plan_earlier


class Command(BaseCommand):
    help = (
        "Plan Fiks Arkiv messages for every closed case, adopted agreement and meeting with approved "
        "minutes that has none yet (from before the archive hand-off existed). Running it again plans "
        "nothing new; the sweep delivers what it planned."
    )

    def handle(self, *args, **options):
        planned = archive_plan_earlier()
        self.stdout.write(
            f"archive: planned the messages of {planned['cases']} closed case(s), "
            f"{planned['agreements']} adopted agreement(s) and {planned['meetings']} meeting(s) with approved minutes."
        )
