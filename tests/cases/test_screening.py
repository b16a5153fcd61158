"""Screening (offentleglova) of cases and attachments: advisers set it on the case page, leaders see
it, and the public selectors never return what is exempt."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases import services
from cases.models import Case
from cases.selectors import public_attachments, public_cases, public_routings
from core.screening import Access, LegalBasis, public_title

from .conftest import NOW
from .factories import stored_pdf_attachment

pytestmark = pytest.mark.django_db

EXEMPT = {"access": Access.EXEMPT, "legal_basis": LegalBasis.OFFL_13_FVL_13}


def test_a_case_is_public_once_it_leaves_its_sender_and_a_draft_never_is(draft, leader):
    assert draft not in public_cases()
    services.case_submit(case=draft, actor=leader, now=NOW)
    assert list(public_cases()) == [draft]


def test_an_exempt_case_its_attachments_and_routings_never_reach_the_public(routed, adviser):
    attachment = stored_pdf_attachment(case=routed, actor=adviser, uploaded_at=NOW)
    assert attachment in public_attachments() and public_routings().filter(case=routed).exists()

    services.case_screening_set(case=routed, actor=adviser, now=NOW, **EXEMPT)

    assert not public_cases().filter(pk=routed.pk).exists()
    assert not public_attachments().exists()
    assert not public_routings().exists()
    routed.refresh_from_db()
    assert routed.legal_basis_display == "offl. § 13 jf. fvl. § 13"


def test_an_attachment_follows_its_case_unless_it_is_exempted_itself(submitted, adviser):
    kept = stored_pdf_attachment(case=submitted, actor=adviser, uploaded_at=NOW, original_name="vedtak.pdf")
    screened = stored_pdf_attachment(case=submitted, actor=adviser, uploaded_at=NOW, original_name="notat.pdf")
    services.attachment_screening_set(
        attachment=screened, actor=adviser, access=Access.EXEMPT, legal_basis=LegalBasis.OFFL_14, now=NOW
    )
    assert list(public_attachments()) == [kept]


def test_an_exemption_without_a_legal_basis_is_refused_and_changes_nothing(submitted, adviser):
    with pytest.raises(ValidationError) as refused:
        services.case_screening_set(case=submitted, actor=adviser, access=Access.EXEMPT, now=NOW)
    assert "legal_basis" in refused.value.message_dict
    submitted.refresh_from_db()
    assert submitted.access == Access.DEFAULT and submitted in public_cases()


def test_other_legal_basis_must_be_written_out(submitted, adviser):
    with pytest.raises(ValidationError):
        services.case_screening_set(
            case=submitted, actor=adviser, access=Access.EXEMPT, legal_basis=LegalBasis.OTHER, now=NOW
        )
    services.case_screening_set(
        case=submitted,
        actor=adviser,
        access=Access.EXEMPT,
        legal_basis=LegalBasis.OTHER,
        legal_basis_text="offl. § 24 tredje ledd",
        now=NOW,
    )
    submitted.refresh_from_db()
    assert submitted.legal_basis_display == "offl. § 24 tredje ledd"


def test_a_screened_title_is_what_the_public_sees(submitted, adviser):
    services.case_screening_set(
        case=submitted,
        actor=adviser,
        access=Access.PUBLIC,
        title_screened=True,
        screened_title="Sak om trafikksikkerhet",
        now=NOW,
    )
    case = public_cases().get()
    assert public_title(case, case.title) == "Sak om trafikksikkerhet"


def test_only_advisers_screen_a_case(submitted, leader):
    with pytest.raises(PermissionDenied):
        services.case_screening_set(case=submitted, actor=leader, now=NOW, **EXEMPT)
    assert Case.objects.get(pk=submitted.pk).access == Access.DEFAULT


def test_an_adviser_exempts_a_case_on_the_case_page_and_its_leader_sees_it(client, submitted, adviser, leader):
    client.force_login(adviser)
    response = client.post(
        reverse("cases:case-screening", kwargs={"pk": submitted.pk}),
        {"screening-access": "exempt", "screening-legal_basis": "offl_15"},
        follow=True,
    )
    assert response.status_code == 200
    assert not public_cases().exists()
    client.force_login(leader)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "offl. § 15" in page
    assert reverse("cases:case-screening", kwargs={"pk": submitted.pk}) not in page  # no form for a leader
    assert client.post(reverse("cases:case-screening", kwargs={"pk": submitted.pk}), EXEMPT).status_code == 403


def test_a_refused_screening_on_the_page_is_a_message_and_changes_nothing(client, submitted, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("cases:case-screening", kwargs={"pk": submitted.pk}),
        {"screening-access": "exempt", "screening-legal_basis": "no-such-basis"},
        follow=True,
    )
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert list(public_cases()) == [submitted]


def test_an_adviser_exempts_an_attachment_from_the_case_page(client, submitted, adviser):
    attachment = stored_pdf_attachment(case=submitted, actor=adviser, uploaded_at=NOW)
    client.force_login(adviser)
    assert (
        reverse("cases:attachment-screening", kwargs={"pk": attachment.pk})
        in client.get(submitted.get_absolute_url()).content.decode()
    )
    client.post(
        reverse("cases:attachment-screening", kwargs={"pk": attachment.pk}),
        {f"attachment-{attachment.pk}-access": "exempt", f"attachment-{attachment.pk}-legal_basis": "offl_14"},
    )
    assert not public_attachments().exists()


def test_another_regions_leader_gets_404_for_the_screening_of_an_internal_case(client, submitted, other_leader):
    client.force_login(other_leader)
    assert client.post(reverse("cases:case-screening", kwargs={"pk": submitted.pk}), EXEMPT).status_code == 404


def test_making_an_exempt_case_public_again_drops_its_legal_basis(client, submitted, adviser):
    services.case_screening_set(case=submitted, actor=adviser, now=NOW, **EXEMPT)
    client.force_login(adviser)
    # The form still shows the old basis; choosing "public" is enough.
    client.post(
        reverse("cases:case-screening", kwargs={"pk": submitted.pk}),
        {"screening-access": "public", "screening-legal_basis": "offl_13_fvl_13"},
    )
    submitted.refresh_from_db()
    assert submitted.access == Access.PUBLIC and submitted.legal_basis == ""
    assert list(public_cases()) == [submitted]
