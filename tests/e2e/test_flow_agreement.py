"""An adviser records the adoption of a partnership agreement in the browser and downloads its PDF."""

import io
import re

import pytest
from pypdf import PdfReader

from partnerships.models import Agreement

pytestmark = pytest.mark.e2e

DECISION = "FT-sak 77/26"


def test_adviser_adopts_an_agreement_and_downloads_its_pdf_with_the_region_name(
    world, browser_page, login_as, screenshot
):
    agreement = world.agreement_a  # a draft for region A on the county's adopted general part
    assert agreement.status == Agreement.Status.DRAFT
    page = login_as(browser_page, world.user("adviser"))

    page.goto(agreement.get_absolute_url())
    screenshot(page, "flow-agreement-1-draft-adviser")
    with page.expect_navigation():
        page.locator(f"main a[href$='/{agreement.pk}/vedta/']").click()
    screenshot(page, "flow-agreement-2-adopt-form-adviser")

    # Without a decision reference the browser does not send the form, and the server would refuse it too.
    page.fill("#id_county_adopted_on", "2026-06-12")
    page.locator("main form [type=submit]").last.click()
    assert page.eval_on_selector("#id_county_decision_reference", "el => el.required && !el.validity.valid")
    page.evaluate("() => document.querySelector('#id_county_decision_reference').removeAttribute('required')")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert page.locator("main #id_county_decision_reference.is-invalid").count() == 1

    page.fill("#id_county_adopted_on", "2026-06-12")
    page.fill("#id_county_decision_reference", DECISION)
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ADOPTED
    assert agreement.county_decision_reference == DECISION
    assert str(agreement.county_adopted_on) == "2026-06-12"
    assert page.url.endswith(agreement.get_absolute_url())
    assert DECISION in page.locator("main").inner_text()
    screenshot(page, "flow-agreement-3-adopted-adviser")

    with page.expect_download() as download_info:
        page.locator(f"main a[href$='/{agreement.pk}/pdf/']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    text = "\n".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(data)).pages)
    assert world.region_a.name in text
    assert DECISION in re.sub(r"\s+", " ", text)
