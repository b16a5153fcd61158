"""An absurd year in an admin date-hierarchy filter is a bad filter, not a server error."""

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.mark.parametrize(
    "url",
    ["/admin/notifications/message/", "/admin/meetings/meeting/", "/admin/meetings/meetingmessage/"],
)
def test_overflowing_year_redirects_to_the_list_with_an_error_flag(db, url):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    field = "start" if url.endswith("/meeting/") else "due_at"
    response = client.get(f"{url}?{field}__year=99999999999")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
