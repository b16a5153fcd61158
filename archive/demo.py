"""The archive's demo: every closed demo case is planned for the archive, so `make run` writes packages
to var/archive/ as soon as the worker's sweep runs."""

from .services import archive_plan_closed_cases


def load_demo(*, stdout):
    planned = archive_plan_closed_cases()
    stdout.write(f"archive: planned the messages of {planned} closed demo case(s).")
