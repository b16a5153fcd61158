"""Links typed without a scheme are read as https on every form, the admin's too, and no model URL field
can go back to Django's own (whose form fields warn that the default changes in Django 6.0)."""

import warnings

from django.db import models
from django.forms import modelform_factory
from django.test.utils import isolate_apps

from core.checks import project_app_configs, url_field_errors
from core.fields import URLField


def _project_url_fields():
    return [
        (model, field)
        for config in project_app_configs()
        for model in config.get_models()
        for field in model._meta.local_fields
        if isinstance(field, models.URLField)
    ]


def test_every_model_url_field_reads_a_bare_address_as_https_without_a_warning():
    fields = _project_url_fields()
    assert len(fields) >= 7
    for model, field in fields:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            form_class = modelform_factory(model, fields=[field.name])
        form = form_class(data={field.name: "regionraadet.example.no/sak"})
        form.is_valid()
        assert form.cleaned_data.get(field.name) == "https://regionraadet.example.no/sak", (model, field.name)


def test_the_system_check_refuses_djangos_own_url_field():
    # Declared in an isolated registry: a throw-away model in the real one would be counted as the
    # project's own by every later test in the same process.
    with isolate_apps("core"):

        class Plain(models.Model):
            link = models.URLField()

            class Meta:
                app_label = "core"

            def __str__(self):
                return self.link

    assert [error.id for error in url_field_errors([Plain])] == ["core.E003"]
    project_models = [model for config in project_app_configs() for model in config.get_models()]
    assert url_field_errors(project_models) == []
    assert all(isinstance(field, URLField) for _model, field in _project_url_fields())
