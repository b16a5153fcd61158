"""Every file the portal stores goes through the one upload check (core.uploads), and goes back out only
through a view that checks the user's right to its object.

The tests find the file fields and the upload forms themselves: a FileField or ImageField added to
any model of the project, or a file field added to any form, is tested without editing this file,
and fails until it uses core.uploads.
"""

import importlib
import inspect
import uuid
from pathlib import PurePosixPath

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from core.checks import check_upload_fields, project_app_configs, upload_field_errors
from core.uploads import MAX_NAME_LENGTH, UploadField, upload_extension, validate_upload
from tests.partnerships.factories import an_adviser
from tests.upload_samples import HOSTILE_NAMES, PDF, REFUSED, REFUSED_IDS, SMALL_LIMIT, download_name, upload

pytestmark = pytest.mark.django_db


def project_file_fields():
    return [
        field
        for config in project_app_configs()
        for model in config.get_models()
        for field in model._meta.local_fields
        if isinstance(field, models.FileField)
    ]


FILE_FIELDS = project_file_fields()
FIELD_IDS = [f"{field.model._meta.label}.{field.name}" for field in FILE_FIELDS]


def test_the_search_finds_the_file_fields_we_know():
    assert {"cases.Attachment.file", "partnerships.KnowledgeReference.attachment"} <= set(FIELD_IDS)


def _clean_field(field, uploaded):
    """full_clean() of a fresh instance holding `uploaded` in `field`, other fields left out."""
    instance = field.model()
    setattr(instance, field.attname, uploaded)
    others = [f.name for f in field.model._meta.get_fields() if f.name != field.name]
    instance.full_clean(exclude=others, validate_unique=False, validate_constraints=False)


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = SMALL_LIMIT


@pytest.mark.parametrize("field", FILE_FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize("case_id,name,content,message,code", REFUSED, ids=REFUSED_IDS)
def test_every_model_file_field_refuses_what_the_portal_does_not_accept(
    small_limit, field, case_id, name, content, message, code
):
    with pytest.raises(ValidationError) as error:
        _clean_field(field, upload(name, content))
    assert [e.code for e in error.value.error_dict[field.name]] == [code]


@pytest.mark.parametrize("field", FILE_FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize("name", [name for _, name in HOSTILE_NAMES], ids=[i for i, _ in HOSTILE_NAMES])
def test_every_model_file_field_refuses_hostile_file_names(field, name):
    with pytest.raises(ValidationError) as error:
        _clean_field(field, upload(name, PDF))
    assert [e.code for e in error.value.error_dict[field.name]] == ["upload_name"]


@pytest.mark.parametrize("field", FILE_FIELDS, ids=FIELD_IDS)
def test_every_model_file_field_refuses_a_file_one_byte_over_the_limit(settings, field):
    """The real limit, not a small one: UPLOAD_MAX_BYTES itself passes, one byte more does not."""
    limit = settings.UPLOAD_MAX_BYTES
    _clean_field(field, upload("stor.pdf", PDF + b"0" * (limit - len(PDF))))
    with pytest.raises(ValidationError) as error:
        _clean_field(field, upload("stor.pdf", PDF + b"0" * (limit + 1 - len(PDF))))
    assert [e.code for e in error.value.error_dict[field.name]] == ["upload_size"]


@pytest.mark.parametrize("field", FILE_FIELDS, ids=FIELD_IDS)
def test_every_model_file_field_accepts_a_pdf_and_stores_it_under_a_random_name(field):
    name = "Budsjett for regionrådet 2030.PDF"
    _clean_field(field, upload(name, PDF))
    stored = [field.generate_filename(field.model(), name) for _ in range(2)]
    assert stored[0] != stored[1]
    for path in stored:
        assert "Budsjett" not in path and "2030" not in path
        assert PurePosixPath(path).suffix == ".pdf"
        assert uuid.UUID(PurePosixPath(path).stem)


@pytest.mark.parametrize("field", FILE_FIELDS, ids=FIELD_IDS)
def test_every_model_file_field_accepts_a_name_of_the_maximum_length(field):
    _clean_field(field, upload("n" * (MAX_NAME_LENGTH - 4) + ".pdf", PDF))


def test_the_system_check_passes_for_the_project_and_names_what_would_skip_the_check():
    assert check_upload_fields() == []
    with isolate_apps("cases"):

        class Unchecked(models.Model):
            document = models.FileField(upload_to="docs/")
            picture = models.ImageField(upload_to="pictures/")

            class Meta:
                app_label = "cases"

            def __str__(self):
                return self.document.name

        class NoDownloadView(models.Model):
            document = UploadField(folder="docs")

            class Meta:
                app_label = "cases"

            def __str__(self):
                return self.document.name

    errors = upload_field_errors([Unchecked, NoDownloadView])
    assert [(error.id, error.obj) for error in errors] == [
        ("core.E001", Unchecked._meta.get_field("document")),
        ("core.E001", Unchecked._meta.get_field("picture")),
        ("core.E002", NoDownloadView),
    ]


def test_an_upload_field_cannot_be_given_the_uploaders_path():
    with pytest.raises(TypeError):
        UploadField(upload_to="docs/%Y/")


# --- forms -------------------------------------------------------------------------------------------


def project_form_file_fields():
    """Every file field declared on a form class in the project's apps (forms, views, admin modules)."""
    found = {}
    for config in project_app_configs():
        for module_name in ("forms", "views", "admin", "filters"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__.startswith(config.name + "."):
                    for name, field in getattr(cls, "base_fields", {}).items():
                        if isinstance(field, forms.FileField):
                            found[f"{cls.__module__}.{cls.__name__}.{name}"] = field
    return found


FORM_FIELDS = project_form_file_fields()


def test_the_search_finds_the_upload_forms_we_know():
    assert {"cases.forms.AttachmentForm.file", "partnerships.forms.KnowledgeReferenceForm.attachment"} <= set(
        FORM_FIELDS
    )


@pytest.mark.parametrize("field", FORM_FIELDS.values(), ids=FORM_FIELDS.keys())
@pytest.mark.parametrize("case_id,name,content,message,code", REFUSED, ids=REFUSED_IDS)
def test_every_form_file_field_refuses_what_the_portal_does_not_accept(
    small_limit, field, case_id, name, content, message, code
):
    extension = upload_extension(name)
    if extension and extension not in field.allowed_extensions and code != "upload_name":
        # A field with its own allow-list (a CSV to import) refuses another type by its extension (after
        # the name, which every field checks first).
        code, message = "upload_type", f"Filer av typen {extension} kan ikke lastes opp."
    with pytest.raises(ValidationError) as error:
        field.clean(upload(name, content))
    assert [e.code for e in error.value.error_list] == [code]
    assert message in " ".join(error.value.messages)


def test_every_form_file_field_says_which_files_it_accepts():
    """Each upload field names its own allow-list, which the check above reads."""
    assert all(getattr(field, "allowed_extensions", None) for field in FORM_FIELDS.values())
    assert FORM_FIELDS["regions.forms.TermImportForm.csv_file"].allowed_extensions == {".csv"}


# --- served only through a permission check -----------------------------------------------------------


def _case_attachment(request):
    from cases import services as case_services
    from cases.models import Case
    from tests.cases.conftest import NOW

    region, leader = request.getfixturevalue("region"), request.getfixturevalue("leader")
    draft = case_services.case_create(
        actor=leader, title="Ny fylkesvei", topic=Case.Topic.CONCRETE_MATTER, origin_region=region, now=NOW
    )
    attachment = case_services.attachment_add(
        case=draft, actor=leader, uploaded_file=upload("Vedtak i regionrådet.pdf", PDF), now=NOW
    )
    return {
        "object": attachment,
        "url": attachment.get_absolute_url(),
        "stored": attachment.file.name,
        "filename": "Vedtak i regionrådet.pdf",
        "may": [leader],
        "may_not": [request.getfixturevalue("other_leader"), request.getfixturevalue("staff")],
    }


def _knowledge_attachment(request):
    from partnerships import services as partnership_services
    from tests.partnerships.factories import adopted_general_part, draft_agreement

    region = request.getfixturevalue("region")
    adopted_general_part(region.host_county)
    agreement = draft_agreement(region)
    ref = partnership_services.knowledge_reference_add(
        actor=an_adviser(),
        special_part=agreement.special_part,
        title="Regional analyse 2030",
        attachment=upload("analyse.pdf", PDF),
        owner_region=region,
    )
    return {
        "object": ref,
        "url": reverse("partnerships:knowledge-download", args=[ref.pk]),
        "stored": ref.attachment.name,
        "filename": "Regional analyse 2030.pdf",
        "may": [request.getfixturevalue("adviser"), request.getfixturevalue("leader")],
        "may_not": [request.getfixturevalue("other_leader"), request.getfixturevalue("staff")],
    }


def _case_export(request):
    from cases import services as case_services
    from cases.models import Case
    from tests.cases.conftest import NOW

    leader, region = request.getfixturevalue("leader"), request.getfixturevalue("region")
    case_services.case_create(actor=leader, title="Til eksport", topic=Case.Topic.OTHER, origin_region=region, now=NOW)
    export = case_services.case_export_request(actor=leader, query="", now=NOW)
    case_services.case_export_build(export_id=export.pk, now=NOW)
    export.refresh_from_db()
    with export.file.open("rb") as file:
        content = file.read()
    return {
        "object": export,
        "url": export.get_absolute_url(),
        "stored": export.file.name,
        "filename": "saker-2030-03-04.xlsx",
        "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "content": content,
        # Only the user who asked: an export holds what that user may see, not what others may.
        "may": [leader],
        "may_not": [request.getfixturevalue("adviser"), request.getfixturevalue("other_leader")],
    }


# One entry per model with a file field: a stored file, its download URL, who may and who may not.
def _round_attachment(request):
    from rounds import services as round_services
    from tests.rounds.factories import open_round

    region, leader = request.getfixturevalue("region"), request.getfixturevalue("leader")
    adviser = request.getfixturevalue("adviser")
    round_ = open_round([region], adviser=adviser)
    attachment = round_services.attachment_add(
        contribution=round_.contributions.get(), actor=leader, uploaded_file=upload("Uttalelse NTP.pdf", PDF)
    )
    return {
        "object": attachment,
        "url": attachment.get_absolute_url(),
        "stored": attachment.file.name,
        "filename": "Uttalelse NTP.pdf",
        "may": [leader, adviser],
        "may_not": [request.getfixturevalue("other_leader"), request.getfixturevalue("staff")],
    }


DOWNLOADS = {
    "cases.Attachment": _case_attachment,
    "rounds.ContributionAttachment": _round_attachment,
    "partnerships.KnowledgeReference": _knowledge_attachment,
    "cases.CaseExport": _case_export,
}


def test_every_model_with_a_file_field_has_a_download_test():
    assert {field.model._meta.label for field in FILE_FIELDS} == set(DOWNLOADS)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("label", DOWNLOADS)
def test_stored_files_go_out_only_through_a_permission_checked_download(client, media, request, label):
    stored = DOWNLOADS[label](request)
    assert (media / stored["stored"]).is_file()
    for user in stored["may"]:
        client.force_login(user)
        response = client.get(stored["url"])
        assert response.status_code == 200, user
        assert response["Content-Type"] == stored.get("content_type", "application/pdf")
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert download_name(response) == stored["filename"]
        assert b"".join(response.streaming_content) == stored.get("content", PDF)
    for user in stored["may_not"]:
        client.force_login(user)
        assert client.get(stored["url"]).status_code == 404, user
    client.logout()
    response = client.get(stored["url"])
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("label", DOWNLOADS)
def test_no_url_serves_the_media_folder_directly(client, media, request, settings, adviser, label):
    stored = DOWNLOADS[label](request)["stored"]
    client.force_login(adviser)
    for prefix in (settings.MEDIA_URL, "/media/", "/uploads/", "/static/", "/"):
        response = client.get(prefix.rstrip("/") + "/" + stored)
        assert response.status_code == 404, prefix


@pytest.mark.parametrize("label", DOWNLOADS)
def test_the_admin_links_a_stored_file_to_its_download_view(client, media, request, settings, admin_user, label):
    stored = DOWNLOADS[label](request)
    obj = stored["object"]
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{stored["url"]}"' in html
    assert settings.MEDIA_URL not in html


@pytest.mark.parametrize("memory_limit", [0, 10_000_000], ids=["temporary-file", "in-memory"])
def test_an_oversized_upload_is_cut_off_at_one_byte_over_the_limit_before_it_is_stored(rf, settings, memory_limit):
    """A 1 GB upload must not fill the disk before the size check refuses it."""
    settings.UPLOAD_MAX_BYTES = SMALL_LIMIT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    request = rf.post("/", {"file": upload("stor.pdf", PDF + b"0" * 50_000), "other": upload("liten.pdf", PDF)})
    assert request.FILES["file"].size == SMALL_LIMIT + 1
    assert request.FILES["other"].size == 0  # the request's budget is spent: refused as empty, not stored
    with pytest.raises(ValidationError) as error:
        validate_upload(request.FILES["file"])
    assert [e.code for e in error.value.error_list] == ["upload_size"]


def test_an_upload_within_the_limit_arrives_whole(rf, settings):
    settings.UPLOAD_MAX_BYTES = SMALL_LIMIT
    content = PDF + b"0" * (SMALL_LIMIT - len(PDF))
    request = rf.post("/", {"file": upload("vedtak.pdf", content)})
    assert request.FILES["file"].read() == content
