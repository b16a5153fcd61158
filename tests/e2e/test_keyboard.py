"""Keyboard only: the skip link comes first, and a person can log in without a mouse."""

import pytest

pytestmark = pytest.mark.e2e

MAX_TABS = 15


def _active(page):
    return page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " cls: document.activeElement.className, text: (document.activeElement.innerText || '').trim()})"
    )


def _tab_to(page, element_id, key="Tab"):
    """Press Tab (or Shift+Tab) until the element has focus; returns how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press(key)
        if _active(page)["id"] == element_id:
            return presses
    raise AssertionError(f"#{element_id} not reachable with {MAX_TABS} presses of {key}")


def _assert_skip_link_focused_and_visible(page):
    focused = _active(page)
    assert "skip-link" in focused["cls"], f"focus is on {focused}, not the skip link"
    assert focused["text"] == "Hopp til hovedinnholdet"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 1, "the skip link must be visible when focused"


def test_first_tab_on_a_public_page_reaches_a_visible_skip_link_to_main(browser_page, screenshot):
    page = browser_page
    page.goto("/tilgjengelighet/")

    page.keyboard.press("Tab")

    _assert_skip_link_focused_and_visible(page)
    screenshot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    assert _active(page)["id"] == "main"


def test_login_with_the_keyboard_alone(world, browser_page, screenshot):
    page = browser_page
    page.goto("/konto/logg-inn/")
    # Django's login form puts the focus in the user name field; going back, the first stop is the skip link.
    assert _active(page)["id"] == "id_username"
    page.keyboard.press("Shift+Tab")
    while "skip-link" not in _active(page)["cls"] and _active(page)["tag"] != "BODY":
        page.keyboard.press("Shift+Tab")
    _assert_skip_link_focused_and_visible(page)
    page.keyboard.press("Enter")  # skip link: straight to the main content

    assert _tab_to(page, "id_username") == 1, "after the skip link the user name field is the first stop"
    page.keyboard.type(world.user("leader_a").username)
    page.keyboard.press("Tab")
    assert _active(page)["id"] == "id_password"
    page.keyboard.type("Passord-for-test-1")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("h1").inner_text().startswith("Velkommen")
    assert "Indre Østfold" in page.locator("main").inner_text()
    # The redirect keeps the #main fragment the skip link added; a fresh visit starts at the top.
    page.goto("/")
    page.keyboard.press("Tab")
    _assert_skip_link_focused_and_visible(page)
    screenshot(page, "keyboard-login-done")


def test_focus_is_visible_on_every_tab_stop_of_the_login_page(browser_page):
    page = browser_page
    page.goto("/konto/logg-inn/")
    while "skip-link" not in _active(page)["cls"]:  # back from the autofocus field to the first stop
        page.keyboard.press("Shift+Tab")
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement; const s = getComputedStyle(el);
            return {tag: el.tagName, id: el.id, outline: s.outlineStyle !== 'none' && s.outlineWidth !== '0px',
                    shadow: s.boxShadow !== 'none'}; }"""
        )
        if focused["tag"] == "BODY":
            break
        seen.append(focused)
        assert focused["outline"] or focused["shadow"], f"no visible focus indicator on {focused}"
    assert {"id_username", "id_password", "language-select"} <= {f["id"] for f in seen}
