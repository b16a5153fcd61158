"""System checks for rules the code must keep as it grows."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import models


def project_app_configs():
    """The portal's own apps: those whose code lives in the project, not in an installed package."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and "site-packages" not in Path(config.path).parts
    ]


def upload_field_errors(model_classes) -> list[Error]:
    """core.E001: a file or image field that is not a core.uploads.UploadField (its uploads would skip
    the check and keep the uploader's name); core.E002: a model with an UploadField but no
    get_download_url() (the permission-checked view its file's url points to)."""
    from .uploads import UploadField

    errors = []
    for model in model_classes:
        file_fields = [field for field in model._meta.local_fields if isinstance(field, models.FileField)]
        for field in file_fields:
            if not isinstance(field, UploadField):
                errors.append(
                    Error(
                        f"{model._meta.label}.{field.name} is a {type(field).__name__}, not a "
                        "core.uploads.UploadField: its uploads would skip the upload check.",
                        hint="Declare it as core.uploads.UploadField(..., folder=...).",
                        obj=field,
                        id="core.E001",
                    )
                )
        if any(isinstance(field, UploadField) for field in file_fields) and not callable(
            getattr(model, "get_download_url", None)
        ):
            errors.append(
                Error(
                    f"{model._meta.label} has an UploadField but no get_download_url().",
                    hint="Return the URL of a view that checks the user's right to the object (404 otherwise) "
                    "and answers with core.uploads.upload_response().",
                    obj=model,
                    id="core.E002",
                )
            )
    return errors


def url_field_errors(model_classes) -> list[Error]:
    """core.E003: a model URLField that is Django's own (its form fields would warn that the default
    scheme changes, and read "example.no" as http://)."""
    from .fields import URLField

    return [
        Error(
            f"{model._meta.label}.{field.name} is Django's URLField, not core.fields.URLField.",
            hint="Declare it as core.fields.URLField: links typed without a scheme are read as https.",
            obj=field,
            id="core.E003",
        )
        for model in model_classes
        for field in model._meta.local_fields
        if isinstance(field, models.URLField) and not isinstance(field, URLField)
    ]


@register(Tags.models)
def check_url_fields(app_configs=None, **kwargs):
    """Every URL field of the project's models reads a link without a scheme as https."""
    return url_field_errors(model for config in project_app_configs() for model in config.get_models())


@register(Tags.models)
def check_upload_fields(app_configs=None, **kwargs):
    """Every file field of the project's models goes through the one upload check and out through a
    permission-checked view."""
    configs = project_app_configs()
    if app_configs is not None:
        configs = [config for config in configs if config in app_configs]
    return upload_field_errors(model for config in configs for model in config.get_models())
