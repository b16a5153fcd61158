"""For the load benchmark only (bench/settings.py): how many SQL statements a request runs."""

import os

from django.db import connection


class QueryCountMiddleware:
    """Counts every SQL statement of a request (sessions and authentication included) and says how many
    in the X-Query-Count header. A streamed response runs its queries while it is sent, after the
    headers: its header says "streamed" and the count is appended to the file named by BENCH_QUERY_LOG
    ("<path>\\t<count>" per line) when the last byte has gone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        if response.streaming:
            response.streaming_content = self._counted(response.streaming_content, counter, request.get_full_path())
            response["X-Query-Count"] = "streamed"
        else:
            response["X-Query-Count"] = str(counter.count)
        return response

    def _counted(self, content, counter, path):
        with connection.execute_wrapper(counter):
            yield from content
        log = os.environ.get("BENCH_QUERY_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(f"{path}\t{counter.count}\n")


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
