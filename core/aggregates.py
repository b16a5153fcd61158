"""Aggregates the ORM lacks on both databases the portal runs on."""

from django.db.models import Aggregate, CharField


class IdList(Aggregate):
    """The values of a group as one comma-separated text, in no particular order (GROUP_CONCAT on SQLite,
    STRING_AGG on PostgreSQL); NULL for an empty group. For lists of ids, read back with ids_from()."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(CAST(%(expressions)s AS text), ',')",
            **extra_context,
        )


def ids_from(text) -> set[int]:
    """The ids of an IdList value."""
    return {int(part) for part in text.split(",") if part} if text else set()
