"""The archive's demo: every closed demo case (and anything else from before the hand-off) is planned
for the archive, so `make run` writes packages to var/archive/ as soon as the worker's sweep runs."""

from .services import archive_plan_earlier


def load_demo(*, stdout):
    planned = archive_plan_earlier()
    stdout.write(f"archive: planned the messages of {planned['cases']} closed demo case(s).")
