"""The case exports at national scale (issue 17: 200,000 rows, first byte within 1 s, done within 60 s,
memory flat), as the national administrator who sees every case, on the loaded national dataset:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rp_bench .venv/bin/python bench/exports.py

The CSV as the view streams it (the time to the first chunk, the header, and to the last; the
process's peak memory before and after); the Excel file as the Celery job builds it for a list
past CASE_EXPORT_SYNC_LIMIT (the write-only workbook into a temporary file)."""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "viken.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.http import QueryDict  # noqa: E402

from accounts.models import User  # noqa: E402
from cases import exports  # noqa: E402
from cases.filters import case_filter_for, filtered_cases  # noqa: E402
from cases.selectors import case_list_visible_to  # noqa: E402


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    admin = User.objects.get(username="admin")
    rows = case_list_visible_to(user=admin).count()
    print(f"{rows:,} cases visible to the national administrator")

    before = rss_mib()
    started = time.perf_counter()
    # What the view answers (the list as the user filtered it: here unfiltered), without its sign-in steps.
    response = exports.csv_response(filtered_cases(case_filter_for(user=admin, data=QueryDict(""))))
    first = None
    size = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
    total = time.perf_counter() - started
    print(
        f"CSV: first byte {first * 1000:.0f} ms, done {total:.1f} s, {size / 1024 / 1024:.1f} MiB; "
        f"process peak RSS {before:.0f} MiB before, {rss_mib():.0f} MiB after"
    )

    before = rss_mib()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as file:
        cases = filtered_cases(case_filter_for(user=admin, data=QueryDict("")))
        written = exports.write_xlsx(cases, file)
        file.seek(0, os.SEEK_END)
        size = file.tell()
    total = time.perf_counter() - started
    print(
        f"Excel (the job's build): {written:,} rows in {total:.1f} s, {size / 1024 / 1024:.1f} MiB; "
        f"process peak RSS {before:.0f} MiB before, {rss_mib():.0f} MiB after"
    )


if __name__ == "__main__":
    main()
