"""Factories for cases."""

import factory

from cases.models import Case
from tests.factories import RegionFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    title = factory.Sequence(lambda n: f"Sak {n}")
    description = "Beskrivelse"
    origin_region = factory.SubFactory(RegionFactory)
    created_by = factory.SubFactory(UserFactory)


WORLD_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WORLD_PDF_NAME = "cases/kvalitet-vedtak.pdf"


def stored_pdf_attachment(*, case, actor, uploaded_at, original_name="vedtak.pdf"):
    """An attachment whose file is stored once under a fixed name and shared by every world that is
    built, so the quality suites do not leave a new upload behind each time (attachment_add stores
    every upload under a fresh random name; its checks are tested in test_uploads.py)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from cases.models import Attachment

    name = WORLD_PDF_NAME
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(WORLD_PDF))
    attachment = Attachment(
        case=case,
        file=name,
        original_name=original_name,
        content_type="application/pdf",
        size=len(WORLD_PDF),
        uploaded_by=actor,
        uploaded_at=uploaded_at,
    )
    attachment.full_clean()
    attachment.save()
    return attachment


WORLD_EXPORT_NAME = "exports/kvalitet-eksport.xlsx"


def stored_export(*, owner, created_at):
    """A ready case export stored once under a fixed name and shared by every world that is built (as
    stored_pdf_attachment; the job that builds exports is tested in test_exports.py)."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from openpyxl import Workbook

    from cases.models import CaseExport

    name = WORLD_EXPORT_NAME
    if not default_storage.exists(name):
        workbook = Workbook(write_only=True)
        workbook.create_sheet("Saker").append(["Saksnummer", "Tittel"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        name = default_storage.save(name, ContentFile(buffer.getvalue()))
    export = CaseExport(
        owner=owner, file=name, state=CaseExport.State.READY, rows=0, created_at=created_at, finished_at=created_at
    )
    export.full_clean(exclude=["file"])
    export.save()
    return export
