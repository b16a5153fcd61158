"""The notes and official names that `load_reference_data` wrote itself were English; the pages
show them as they are, so a bokmål reader met "Continued under the 2024 number (renumbering only)."
on nearly every member row. Rewrite what an earlier load stored (exact texts only: anything an
adviser or admin has changed is left alone). The research notes quoted from the source files stay."""

from django.db import migrations

OLD_CARRIED = "Continued under the 2024 number (renumbering only)."
NEW_CARRIED = "Videreført med kommunenummeret fra 2024 (bare nytt nummer)."
OLD_UNVERIFIED = "2024 number from SSB KLASS as recalled; not checked against a stored source."
NEW_UNVERIFIED = "Nummeret fra 2024 er fra SSB KLASS etter hukommelsen, ikke kontrollert mot en lagret kilde."
MEMBER_ON = {
    "Member on 2020-01-01: likely.": "Medlem 1.1.2020: sannsynlig.",
    "Member on 2020-01-01: uncertain.": "Medlem 1.1.2020: usikkert.",
}
HALDEN_GLOMMA = (
    "Whether Haldenregionen and Nedre Glomma were still two councils on 2020-01-01 "
    "(or already Søndre Viken regionråd) is not verified; by Nov 2023 they formed Søndre Østfold regionråd.",
    "Ikke bekreftet om Haldenregionen og Nedre Glomma fortsatt var to regionråd 1.1.2020 "
    "(eller allerede Søndre Viken regionråd); innen november 2023 dannet de Søndre Østfold regionråd.",
)
REGION_NOTES = dict(
    [
        HALDEN_GLOMMA,
        (
            "Council status during 2020-2021 not verified; the new Drammensregionen was signed on 2022-04-20.",
            "Regionrådets status i 2020–2021 er ikke bekreftet; den nye Drammensregionen ble undertegnet 20.4.2022.",
        ),
        (
            "Held its last meeting on 2020-10-30 and dissolved at the end of 2020.",
            "Holdt sitt siste møte 30.10.2020 og ble oppløst ved utgangen av 2020.",
        ),
        (
            "Exact 2020 membership not verified; Stor-Elvdal placed here only so that all 46 municipalities "
            "are assigned.",
            "Medlemskapet i 2020 er ikke bekreftet; Stor-Elvdal er plassert her bare for at alle 46 kommunene "
            "skal ha en region.",
        ),
        (
            "One region partnering with both Viken (Lunner, Jevnaker) and Innlandet (Gran).",
            "Én region i partnerskap med både Viken (Lunner, Jevnaker) og Innlandet (Gran).",
        ),
    ]
)
DESCRIPTIONS = {
    "Follorådet / Folloregionen (renamed Folloregionen IPR on 2021-06-11)": (
        "Follorådet / Folloregionen (Folloregionen IPR fra 11.6.2021)"
    ),
    "Rådet for Ringeriksregionen (IPR from 2021-01-01)": "Rådet for Ringeriksregionen (IPR fra 1.1.2021)",
}


def _rewrite(model, field, old, new):
    for obj in model.objects.filter(**{f"{field}__contains": old}).only("pk", field):
        setattr(obj, field, getattr(obj, field).replace(old, new))
        obj.save(update_fields=[field])


def forwards(apps, schema_editor):
    RegionMembership = apps.get_model("regions", "RegionMembership")
    Municipality = apps.get_model("regions", "Municipality")
    Region = apps.get_model("regions", "Region")
    _rewrite(RegionMembership, "note", OLD_CARRIED, NEW_CARRIED)
    for old, new in MEMBER_ON.items():
        _rewrite(RegionMembership, "note", old, new)
    Municipality.objects.filter(note=OLD_UNVERIFIED).update(note=NEW_UNVERIFIED)
    for old, new in REGION_NOTES.items():
        Region.objects.filter(notes=old).update(notes=new)
    for old, new in DESCRIPTIONS.items():
        Region.objects.filter(description=old).update(description=new)


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_postgres_exclusion_constraints")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
