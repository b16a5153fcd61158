"""Case topics as data: advisers add topics and stop offering them; the built-in ones keep working."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from cases import services
from cases.models import Case, Topic
from cases.topics import topic_choices, topic_labels

pytestmark = pytest.mark.django_db


def test_the_built_in_topics_are_seeded_in_order_with_their_translated_names():
    with translation.override("nn"):
        choices = topic_choices()
    assert [code for code, _label in choices][:2] == ["ntp", "regional_plan_strategy"]
    assert dict(choices)["joint_input"] == "Felles innspel til staten"
    assert set(Case.Topic.values) <= set(Topic.objects.values_list("code", flat=True))


def test_an_adviser_adds_a_topic_and_a_case_can_have_it(adviser, leader, region):
    topic = services.topic_create(actor=adviser, name="Kultur og frivillighet", name_nn="Kultur og frivilligheit")
    case = services.case_create(actor=leader, title="Felles kulturplan", origin_region=region, topic=topic.code)
    with translation.override("nn"):
        assert case.get_topic_display() == "Kultur og frivilligheit"
    with translation.override("nb"):
        assert case.get_topic_display() == "Kultur og frivillighet"


def test_a_topic_no_longer_offered_cannot_be_chosen_but_stays_on_its_cases(adviser, leader, region):
    case = services.case_create(actor=leader, title="Ny ferjerute", origin_region=region, topic="ntp")
    services.topic_update(actor=adviser, topic=Topic.objects.get(code="ntp"), active=False, order=10)
    with pytest.raises(ValidationError):
        services.case_create(actor=leader, title="Enda en", origin_region=region, topic="ntp")
    case.refresh_from_db()
    assert case.topic == "ntp" and case.get_topic_display() == str(Case.Topic.NTP.label)
    assert "ntp" not in dict(topic_choices())
    assert "ntp" in dict(topic_choices(current="ntp"))
    assert "ntp" in topic_labels()  # the filters still find the cases that have it


def test_a_built_in_topic_keeps_its_name(adviser):
    topic = services.topic_update(
        actor=adviser, topic=Topic.objects.get(code="other"), active=True, order=5, name="Noe annet"
    )
    assert topic.name == "Annet" and topic.order == 5


def test_two_topics_cannot_have_the_same_name(adviser):
    with pytest.raises(ValidationError):
        services.topic_create(actor=adviser, name="Regional plan")


def test_only_advisers_edit_topics(leader, client):
    with pytest.raises(PermissionDenied):
        services.topic_create(actor=leader, name="Kultur")
    client.force_login(leader)
    assert client.get(reverse("cases:topic-list")).status_code == 403


def test_the_adviser_adds_a_topic_on_the_page_and_the_case_form_offers_it(client, adviser, leader):
    client.force_login(adviser)
    response = client.post(reverse("cases:topic-create"), {"name": "Kultur", "name_nn": "Kultur", "order": "5"})
    assert response.status_code == 302
    assert "Kultur" in client.get(reverse("cases:topic-list")).content.decode()
    client.force_login(leader)
    assert 'value="kultur"' in client.get(reverse("cases:case-create")).content.decode()


def test_a_topic_without_a_name_is_refused_on_the_page(client, adviser):
    client.force_login(adviser)
    response = client.post(reverse("cases:topic-create"), {"name": "", "order": "5"})
    assert response.status_code == 400
    assert Topic.objects.count() == len(Case.Topic.values)


def test_the_topic_pages_answer_each_role_as_the_matrix_expects(client):
    from tests.security.world import build_world

    from .quality import EXPECTED_STATUS, URL_KWARGS

    world = build_world()
    for name in ("cases:topic-list", "cases:topic-create", "cases:topic-edit"):
        url = reverse(name, kwargs=URL_KWARGS.get(name, lambda w: {})(world))
        for role, status in EXPECTED_STATUS[name].items():
            client.force_login(world.user(role))
            assert client.get(url).status_code == status, (name, role)
