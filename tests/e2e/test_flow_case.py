"""A case's whole way through the portal in a real browser: one door in, one door out.

The region council leader drafts a case, attaches a PDF, records anchoring for two member
municipalities and submits it; the adviser finds it in the inbox and routes it to a council area;
the council area's staff answer; the adviser sends the answer; the leader reads it on the case page.
A second test fills in and sends the case form with the keyboard alone; a third sends a case with its
attachment from the start page in one form.
"""

import re

import pytest

from cases.models import Case

pytestmark = pytest.mark.e2e

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
TITLE = "Bedre bussforbindelse mellom Askim og Mysen"
ANSWER = "Samferdsel tar saken inn i arbeidet med neste handlingsprogram."
MAX_TABS = 60


def _relogin(page, login_as, user):
    page.context.clear_cookies()
    return login_as(page, user)


def _post(page, form):
    """Press a form's submit button and wait for the page the POST redirects to."""
    with page.expect_navigation():
        form.locator("button").last.click()
    return page


def test_a_case_goes_from_the_leader_through_the_inbox_and_a_council_area_and_back(
    world, browser_page, login_as, screenshot
):
    leader, adviser, staff = world.user("leader_a"), world.user("adviser"), world.user("staff")
    first, second = world.members_a[0], world.members_a[1]
    page = login_as(browser_page, leader)

    # The leader drafts the case with its PDF in one form (to record the anchoring before sending it).
    page.goto("/saker/ny/")
    screenshot(page, "flow-case-1-new-leader")
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "Regionrådet ber om halvtimesavganger hele dagen.")
    page.select_option("#id_topic", Case.Topic.CONCRETE_MATTER)
    page.locator("#id_attachment").set_input_files(
        {"name": "vedtak.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre som utkast").click()
    assert re.search(r"/saker/\d+/$", page.url), page.url
    assert page.locator("h1").inner_text() == TITLE
    case = Case.objects.get(title=TITLE)
    assert case.status == Case.Status.DRAFT
    assert case.origin_region == world.region_a
    assert page.get_by_role("link", name="vedtak.pdf").is_visible()

    # Anchoring in two member municipalities' councils.
    for municipality in (first, second):
        page.locator("main details summary").first.click()
        anchoring = page.locator("main form[action$='/forankring/']")
        anchoring.locator("select[name=municipality]").select_option(str(municipality.pk))
        anchoring.locator("select[name=body]").select_option("council")
        anchoring.locator("select[name=stance]").select_option("supports")
        anchoring.locator("input[name=decision_date]").fill("2026-10-01")
        anchoring.locator("input[name=reference]").fill(f"KS-sak {municipality.pk}/26")
        _post(page, anchoring)
        assert page.get_by_role("rowheader", name=municipality.name).is_visible()
    assert case.anchorings.count() == 2

    _post(page, page.locator("main form[action$='/steg/submit/']"))
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED
    assert case.reference, "a reference is assigned on submission"
    assert "2 av 3 kommunestyrer" in page.locator("main").inner_text()
    screenshot(page, "flow-case-2-submitted-leader")

    # The adviser finds it in the inbox and routes it to the council area.
    _relogin(page, login_as, adviser)
    page.goto("/saker/innboks/")
    screenshot(page, "flow-case-3-inbox-adviser")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=TITLE).first.click()
    route = page.locator("main form[action$='/steg/route/']")
    route.get_by_label(world.council_area.name).check()
    _post(page, route)
    case.refresh_from_db()
    assert case.status == Case.Status.ROUTED
    screenshot(page, "flow-case-4-routed-adviser")

    # The council area's staff answer.
    _relogin(page, login_as, staff)
    page.goto(case.get_absolute_url())
    answer = page.locator("main form[action*='/ruting/'][action$='/svar/']")
    answer.locator("textarea").fill(ANSWER)
    _post(page, answer)
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED
    screenshot(page, "flow-case-5-answered-staff")

    # The adviser sends the answer back to the region.
    _relogin(page, login_as, adviser)
    page.goto(case.get_absolute_url())
    send = page.locator("main form[action$='/steg/send-answer/']")
    send.locator("textarea").fill(ANSWER)
    _post(page, send)
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWER_SENT
    screenshot(page, "flow-case-6-answer-sent-adviser")

    # The leader reads the answer on the case page.
    _relogin(page, login_as, leader)
    page.goto(case.get_absolute_url())
    main = page.locator("main").inner_text()
    assert ANSWER in main
    assert "vedtak.pdf" in main
    screenshot(page, "flow-case-7-answer-leader")


def _active_id(page):
    return page.evaluate("() => document.activeElement.id")


def _tab_to(page, element_id):
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if _active_id(page) == element_id:
            return
    raise AssertionError(f"#{element_id} not reachable with {MAX_TABS} presses of Tab")


def test_the_leader_fills_in_and_saves_a_case_with_the_keyboard_alone(world, browser_page, login_as, screenshot):
    page = login_as(browser_page, world.user("leader_a"))
    page.goto("/saker/ny/")

    _tab_to(page, "id_title")
    page.keyboard.type("Tastatursak om gang- og sykkelvei")
    page.keyboard.press("Tab")
    assert _active_id(page) == "id_description"
    page.keyboard.type("Skrevet uten mus.")
    page.keyboard.press("Tab")
    assert _active_id(page) == "id_topic"
    page.keyboard.press("ArrowDown")  # no topic is chosen beforehand: the first in the list
    topic = page.eval_on_selector("#id_topic", "el => el.value")
    # On past the remaining fields to the first button, "Send til koordineringsenheten", and press it.
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type === 'submit'"):
            break
    else:
        raise AssertionError("the send button is not reachable with Tab")
    assert page.evaluate("() => document.activeElement.value") == "submit"
    screenshot(page, "flow-case-keyboard-send-focused")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    case = Case.objects.get(title="Tastatursak om gang- og sykkelvei")
    assert page.locator("h1").inner_text() == case.title
    assert case.description == "Skrevet uten mus."
    assert case.topic == topic != ""
    assert case.origin_region == world.region_a
    assert case.status == Case.Status.SUBMITTED and case.reference
    screenshot(page, "flow-case-keyboard-submitted")


def test_the_leader_sends_a_case_with_its_attachment_from_the_start_page_in_one_form(
    world, browser_page, login_as, screenshot
):
    """It took about seven clicks and three forms (create, attach, submit), with a "Retning" to choose
    from one option and a topic chosen beforehand."""
    page = login_as(browser_page, world.user("leader_a"))
    page.goto("/")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Ny sak").click()
    assert page.locator("#id_direction").get_attribute("type") == "hidden"
    assert page.eval_on_selector("#id_topic", "el => el.value") == ""
    assert "Fra Indre Østfold til fylkets koordineringsenhet." in page.locator("main").inner_text()
    page.fill("#id_title", "Innspill til regional planstrategi")
    page.select_option("#id_topic", Case.Topic.REGIONAL_PLAN_STRATEGY)
    page.locator("#id_attachment").set_input_files(
        {"name": "innspill.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Send til koordineringsenheten").click()
    case = Case.objects.get(title="Innspill til regional planstrategi")
    assert case.status == Case.Status.SUBMITTED and case.reference
    assert [a.original_name for a in case.attachments.all()] == ["innspill.pdf"]
    assert case.reference in page.locator("main").inner_text()
    assert page.get_by_role("link", name="innspill.pdf").is_visible()
    screenshot(page, "flow-case-one-form-submitted")
