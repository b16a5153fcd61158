"""On PostgreSQL the database itself refuses overlapping periods (exclusion constraints); on
SQLite the services check the same rules (regions.services)."""

from django.db import migrations

POSTGRES_SQL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    # One municipality cannot be in the same region twice at the same time.
    """ALTER TABLE regions_regionmembership ADD CONSTRAINT membership_no_overlap
       EXCLUDE USING gist (municipality_id WITH =, region_id WITH =,
                           daterange(valid_from, valid_to, '[)') WITH &&)""",
    # At a time, one position and one opposition county council representative per region.
    """ALTER TABLE regions_appointment ADD CONSTRAINT appointment_one_rep_per_side
       EXCLUDE USING gist (region_id WITH =, side WITH =, daterange(valid_from, valid_to, '[)') WITH &&)
       WHERE (role = 'county_council_rep')""",
    # At a time, one county councillor per region.
    """ALTER TABLE regions_appointment ADD CONSTRAINT appointment_one_councillor
       EXCLUDE USING gist (region_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&)
       WHERE (role = 'county_councillor')""",
]
POSTGRES_REVERSE_SQL = [
    "ALTER TABLE regions_appointment DROP CONSTRAINT IF EXISTS appointment_one_councillor",
    "ALTER TABLE regions_appointment DROP CONSTRAINT IF EXISTS appointment_one_rep_per_side",
    "ALTER TABLE regions_regionmembership DROP CONSTRAINT IF EXISTS membership_no_overlap",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(_run(POSTGRES_SQL), _run(POSTGRES_REVERSE_SQL))]
