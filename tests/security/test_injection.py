"""Script typed into text fields comes back as text, never as markup."""

import pytest
from django.db import transaction
from django.urls import reverse

from notifications.sweep import message_sweep
from tests.outbox import notify

PAYLOADS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_login_form_echoes_the_user_name_escaped(client, db, payload):
    response = client.post(reverse("login"), {"username": payload, "password": "x"})

    page = response.content.decode()
    assert response.status_code == 200
    if "<" in payload:
        assert payload not in page
    assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page


def test_notification_text_and_link_are_rendered_inert(client, world):
    leader = world.user("leader_a")
    with transaction.atomic():
        for number, payload in enumerate(PAYLOADS):
            notify(user=leader, key=f"xss:{number}", subject=payload, body=payload, url=payload)
    message_sweep()
    client.force_login(leader)

    page = client.get(reverse("notifications:list")).content.decode()

    assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page, "a javascript: link must never become clickable"
