"""The open API (OParl 1.1): starting from the System object, a client follows every link of every
object and list page and finds no dead one; every object served validates against the official schema;
nothing exempt, internal or unpublished appears anywhere."""

import pytest
from django.conf import settings
from django.urls import reverse

from cases.models import Attachment

from .conftest import SECRET_MARKERS
from .walk import content_of, validate, walk

pytestmark = pytest.mark.django_db


def _api(name, **kwargs):
    return settings.SITE_URL + reverse(f"oparl:{name}", kwargs=kwargs)


def test_every_link_from_the_system_object_answers_and_every_object_validates(client, world):
    responses = walk(client)
    kinds = set()
    for response in responses.values():
        if response["Content-Type"].startswith("application/json"):
            data = response.json()
            for obj in data.get("data", [data]):
                kinds.update(validate(obj))
    # The walk reached every kind of object the portal has, and the public things themselves.
    assert kinds >= {
        "System",
        "Body",
        "Organization",
        "Person",
        "Membership",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
        "File",
        "Location",
        "LegislativeTerm",
    }
    assert _api("paper", kind="case", pk=world.public_case.pk) in responses
    assert _api("paper", kind="case", pk=world.county_case.pk) in responses
    assert _api("paper", kind="agreement", pk=world.agreement.pk) in responses
    public_pdf = responses[_api("file-download", kind="agreement", pk=world.agreement.pk)]
    assert content_of(public_pdf).startswith(b"%PDF")
    for meeting in world.meetings:
        assert _api("meeting", pk=meeting.pk) in responses


def test_nothing_exempt_internal_or_unpublished_appears_anywhere(client, world):
    responses = walk(client)
    for address, response in responses.items():
        text = content_of(response).decode("utf-8", errors="replace")
        for marker in SECRET_MARKERS:
            assert marker not in text, f"{marker} in {address}"
    # Nor can they be reached by guessing their addresses.
    exempt_attachment = Attachment.objects.get(case=world.secret_case)
    for address in (
        _api("paper", kind="case", pk=world.secret_case.pk),
        _api("paper", kind="case", pk=world.draft.pk),
        _api("paper", kind="agreement", pk=world.secret_agreement.pk),
        _api("file", kind="attachment", pk=world.secret_attachment.pk),
        _api("file-download", kind="attachment", pk=world.secret_attachment.pk),
        _api("file", kind="attachment", pk=exempt_attachment.pk),
        _api("file-download", kind="attachment", pk=exempt_attachment.pk),
        _api("file-download", kind="agreement", pk=world.secret_agreement.pk),
        _api("paper", kind="nonsense", pk=1),
        _api("body", pk=999999),
    ):
        assert address not in responses
        response = client.get(address.removeprefix(settings.SITE_URL))
        assert response.status_code == 404, address
        assert response.json() == {"error": "Ikke funnet."}


def test_people_are_names_in_their_roles_without_contact_details(client, world):
    responses = walk(client)
    people = [
        obj
        for response in responses.values()
        if response["Content-Type"].startswith("application/json")
        for obj in response.json().get("data", [response.json()])
        if obj.get("type", "").endswith("/Person")
    ]
    assert {"Ola Fylkesråd"} <= {person["name"] for person in people}
    assert all(set(person) <= {"id", "type", "name", "membership"} for person in people)


def test_the_api_needs_no_login_is_read_only_and_open_to_other_sites(client, world):
    url = reverse("oparl:system")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


def test_an_unchanged_object_answers_304_to_its_etag(client, world):
    url = reverse("oparl:paper", kwargs={"kind": "case", "pk": world.public_case.pk})
    first = client.get(url)
    assert first["ETag"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_an_exempted_case_leaves_the_api_at_once(client, world, adviser):
    from cases import services

    from .conftest import EXEMPT, NOW

    url = reverse("oparl:paper", kwargs={"kind": "case", "pk": world.public_case.pk})
    assert client.get(url).status_code == 200
    services.case_screening_set(case=world.public_case, actor=adviser, now=NOW, **EXEMPT)
    assert client.get(url).status_code == 404
    body = client.get(reverse("oparl:body-papers", kwargs={"pk": world.public_case.origin_region.host_county_id}))
    assert world.public_case.title not in body.content.decode()


def test_list_pages_follow_oparl_pagination(client, world, leader, region):
    from cases import services

    from .conftest import NOW

    for number in range(25):
        case = services.case_create(actor=leader, title=f"Sak nummer {number}", origin_region=region, now=NOW)
        services.case_submit(case=case, actor=leader, now=NOW)
    url = reverse("oparl:body-papers", kwargs={"pk": region.host_county_id})
    first = client.get(url).json()
    assert first["pagination"]["totalPages"] == 2 and first["pagination"]["currentPage"] == 1
    assert len(first["data"]) == first["pagination"]["elementsPerPage"]
    assert "prev" not in first["links"]
    second = client.get(first["links"]["next"].removeprefix(settings.SITE_URL)).json()
    assert second["links"]["prev"] == first["links"]["first"]
    ids = [obj["id"] for obj in first["data"] + second["data"]]
    assert len(ids) == len(set(ids)) == first["pagination"]["totalElements"]
    # A page number that is not one gives a page, never an error.
    assert client.get(url, {"page": "x"}).status_code == 200
    assert client.get(url, {"page": "99999999999999999999"}).status_code == 200


def test_the_body_embeds_its_election_terms_and_each_answers_on_its_own(client, world, region):
    body = client.get(reverse("oparl:body", kwargs={"pk": region.host_county_id})).json()
    terms = body["legislativeTerm"]
    assert [(term["name"], term["startDate"], term["endDate"]) for term in terms] == [
        ("2019–2023", "2019-10-01", "2023-09-30"),
        ("2023–2027", "2023-10-01", "2027-09-30"),
    ]
    for term in terms:
        alone = client.get(term["id"].removeprefix(settings.SITE_URL)).json()
        assert alone == term
        assert alone["body"] == body["id"]
    listed = client.get(body["legislativeTermList"].removeprefix(settings.SITE_URL)).json()
    assert [term["id"] for term in listed["data"]] == [term["id"] for term in terms]
    assert client.get(reverse("oparl:legislative-term", kwargs={"pk": 999999})).status_code == 404
