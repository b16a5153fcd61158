"""On PostgreSQL the database itself refuses two adopted (or superseded) agreements for the same
county and region whose validity periods overlap; on SQLite partnerships.services checks the same
rule before saving."""

from django.db import migrations

POSTGRES_SQL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE partnerships_agreement ADD CONSTRAINT agreement_no_overlap
       EXCLUDE USING gist (county_id WITH =, region_id WITH =,
                           daterange(valid_from, valid_to, '[)') WITH &&)
       WHERE (status IN ('adopted', 'superseded'))""",
]
POSTGRES_REVERSE_SQL = [
    "ALTER TABLE partnerships_agreement DROP CONSTRAINT IF EXISTS agreement_no_overlap",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(_run(POSTGRES_SQL), _run(POSTGRES_REVERSE_SQL))]
