"""Every choice field of the portal's models shows its label through core.choices (only its own label
translated, not every label of the field), in the reader's language, as Django's would."""

import pytest
from django.apps import apps
from django.utils import translation

from cases.models import Case, CaseEvent
from core.choices import choice_display, declared, is_djangos_own, project_models


def test_no_model_of_the_portal_is_left_with_djangos_get_foo_display():
    fields = [
        (model._meta.label, field.name)
        for model in project_models(apps.get_models())
        for field in model._meta.fields
        if field.choices is not None
    ]
    assert len(fields) > 60  # every app's models are seen (the cases app alone has 16 choice fields)
    left = [
        (label, name)
        for label, name in fields
        if is_djangos_own(declared(apps.get_model(label), f"get_{name}_display"))
    ]
    assert left == []
    # A model's own method stays: the topics are data (cases.topics).
    assert declared(Case, "get_topic_display").__qualname__ == "Case.get_topic_display"


def test_the_label_is_in_the_readers_language_and_an_unknown_value_is_shown_as_it_is():
    case = Case(status=Case.Status.ROUTED)
    with translation.override("nb"):
        assert case.get_status_display() == "Fordelt"
    with translation.override("en"):
        assert case.get_status_display() == "Routed"
    case.status = "no-such-status"
    assert case.get_status_display() == "no-such-status"
    assert CaseEvent(action=CaseEvent.Action.ROUTED).get_action_display() == choice_display(
        CaseEvent(action=CaseEvent.Action.ROUTED), CaseEvent._meta.get_field("action")
    )


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_choice_label_is_the_one_django_would_show(language):
    from django.db.models import Model

    with translation.override(language):
        for model in project_models(apps.get_models()):
            for field in model._meta.fields:
                if field.choices is None or not is_djangos_own_default(model, field):
                    continue
                for value, _label in field.flatchoices:
                    instance = model(**{field.attname: value})
                    assert getattr(instance, f"get_{field.name}_display")() == Model._get_FIELD_display(
                        instance, field
                    ), (model._meta.label, field.name, value)


def is_djangos_own_default(model, field):
    """The field's display is core.choices' (not a model's own method such as Case.get_topic_display)."""
    method = declared(model, f"get_{field.name}_display")
    return getattr(method, "func", None) is choice_display
