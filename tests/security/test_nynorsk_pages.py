"""Every URL the permission matrix walks, opened with nynorsk chosen, as every role: never a 500, and
every HTML page says it is nynorsk (<html lang="nn">), so no page falls back to another language."""

import pytest
from django.conf import settings
from django.test import Client

from .conftest import client_for
from .matrix import ANY_LOGGED_IN
from .test_permission_matrix import _urls_for
from .urlwalk import endpoints


def _check(client, urls, who):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    problems, pages = [], 0
    for endpoint, url in urls:
        response = client.get(url)
        if response.status_code == 500:  # /healthz answers 503 when no worker runs: not an error
            problems.append(f"{who} {endpoint.name} {url}: {response.status_code}")
            continue
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages += 1
            html = response.content.decode()
            # Django's admin pages included: they must say nynorsk too.
            if '<html lang="nn"' not in html:
                problems.append(f"{who} {endpoint.name} {url}: not marked lang=nn")
    return problems, pages


def test_anonymous_pages_in_nynorsk(db):
    urls = [(e, e.sample) for e in endpoints() if e.sample]
    problems, pages = _check(Client(raise_request_exception=False), urls, "anonymous")
    assert pages >= 3
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ANY_LOGGED_IN)
def test_every_page_of_every_role_in_nynorsk(role, world):
    urls, _ = _urls_for(world, endpoints())
    problems, pages = _check(client_for(world, role), urls, role)
    print(f"{role}: {len(urls)} URLs in nynorsk, {pages} HTML pages")
    assert pages >= 10
    assert not problems, "\n".join(problems)
