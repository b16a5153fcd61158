"""Screening (offentleglova) of partnership agreements: public once adopted, never a draft, never one
an adviser exempted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.screening import Access, LegalBasis
from partnerships import services
from partnerships.selectors import public_agreements

from .factories import adopted_agreement, adopted_general_part, draft_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements(region, other_region, adviser):
    adopted_general_part(region.host_county, adviser=adviser)
    if other_region.host_county_id != region.host_county_id:
        adopted_general_part(other_region.host_county, adviser=adviser)
    return draft_agreement(region, adviser=adviser), adopted_agreement(other_region, adviser=adviser)


def test_an_agreement_is_public_once_adopted_and_a_draft_never_is(agreements):
    draft, adopted = agreements
    assert list(public_agreements()) == [adopted]


def test_an_exempt_agreement_never_reaches_the_public(agreements, adviser):
    _draft, adopted = agreements
    services.agreement_screening_set(
        agreement=adopted, actor=adviser, access=Access.EXEMPT, legal_basis=LegalBasis.OFFL_23
    )
    assert not public_agreements().exists()


def test_only_advisers_screen_an_agreement(agreements, other_leader):
    _draft, adopted = agreements
    with pytest.raises(PermissionDenied):
        services.agreement_screening_set(
            agreement=adopted, actor=other_leader, access=Access.EXEMPT, legal_basis=LegalBasis.OFFL_23
        )


def test_an_adviser_sets_it_on_the_agreement_page_and_the_leader_sees_it(client, agreements, adviser, other_leader):
    _draft, adopted = agreements
    url = reverse("partnerships:agreement-screening", kwargs={"pk": adopted.pk})
    client.force_login(adviser)
    assert url in client.get(adopted.get_absolute_url()).content.decode()
    client.post(url, {"screening-access": "exempt", "screening-legal_basis": "offl_14"})
    assert not public_agreements().exists()
    client.force_login(other_leader)
    page = client.get(adopted.get_absolute_url()).content.decode()
    assert "offl. § 14" in page and url not in page
    assert client.post(url, {"screening-access": "public"}).status_code == 403
