"""Research notes quoted from the source files (English) were mixed into the bokmål note on the
membership tables: "membership assumed; not verified" beside "Videreført med kommunenummeret fra
2024". They move to their own field, shown labelled in one place. Only the exact texts of the source
files move: a note an adviser wrote stays where it is."""

import csv
from pathlib import Path

import core.validators
from django.db import migrations, models


DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SOURCE_FILES = {"viken_region_memberships.csv": "note", "innlandet_regions.csv": "note"}


def _source_notes():
    notes = set()
    for name, column in SOURCE_FILES.items():
        path = DATA_DIR / name
        if path.exists():
            with open(path, encoding="utf-8", newline="") as handle:
                notes |= {row[column].strip() for row in csv.DictReader(handle) if row.get(column, "").strip()}
    return sorted(notes, key=len, reverse=True)


def split_source_notes(apps, schema_editor):
    Membership = apps.get_model("regions", "RegionMembership")
    quoted = _source_notes()
    for membership in Membership.objects.exclude(note=""):
        note, moved = membership.note, []
        for text in quoted:
            if text in note:
                note = note.replace(text, " ")
                moved.append(text)
        if moved:
            membership.note = " ".join(note.split())
            membership.source_note = " ".join(moved)
            membership.save(update_fields=["note", "source_note"])


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0003_bokmal_loader_notes'),
    ]

    operations = [
        migrations.AddField(
            model_name='regionmembership',
            name='source_note',
            field=models.TextField(blank=True, help_text='What the research source says, quoted as written (in English); shown labelled, apart from the note.', max_length=10000, validators=[core.validators.ControlCharacterValidator(multiline=True), core.validators.LengthLimitValidator(10000)], verbose_name='source note'),
        ),
        migrations.RunPython(split_source_notes, migrations.RunPython.noop),
    ]
