"""A trigram index on the case title (PostgreSQL), so the case list's search finds a part of a word
("vei" in "Fylkesvei", Norwegian compounds) through an index too, beside the full-text index. The
expression is the one Django's icontains lookup writes: UPPER("title"::text). SQLite: nothing."""

from django.db import migrations

INDEX = "case_title_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case USING gin (UPPER("title"::text) gin_trgm_ops)')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_export_sweep_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
