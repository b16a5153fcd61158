"""Conventions every page keeps, checked over the whole class (every template, every menu item), so a
new page that breaks one fails here without anyone naming it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from portal.context_processors import NAV_ITEMS

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    p for p in ROOT.glob("**/templates/**/*.html") if not {".venv", "node_modules", "staticfiles"} & set(p.parts)
)
# Grey buttons read as disabled (users tried to click around them). Only the footer's language button
# is grey on purpose: it sits on the grey footer with its own darker colours (static/css/portal.css).
GREY = re.compile(r"\bbtn-(outline-)?(secondary|light)\b")
FOOTER_EXCEPTION = 'class="btn btn-sm btn-outline-secondary">{% translate "Change language" %}'
VARIANT = re.compile(r"\bbtn-(primary|outline-primary|success|outline-success|danger|outline-danger|link|warning)\b")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_button_has_a_colour_that_does_not_look_disabled(template):
    text = template.read_text(encoding="utf-8").replace(FOOTER_EXCEPTION, "")
    assert not GREY.search(text), f"{template.relative_to(ROOT)} has a grey button"
    for classes in re.findall(r'class="([^"]*\bbtn\b[^"]*)"', text):
        assert VARIANT.search(classes), f"{template.relative_to(ROOT)}: a button without a colour: {classes!r}"


def test_one_menu_item_is_current_on_every_menu_page(client, admin_user):
    """On the inbox both "Saker" and "Innboks" were underlined."""
    client.force_login(admin_user)
    for name, _label, _audience in NAV_ITEMS:
        page = client.get(reverse(name)).content.decode()
        nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
        current = re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page"', nav)
        assert current == [reverse(name)], (name, current)


def test_the_meeting_list_writes_dates_the_norwegian_way(client, adviser, region):
    """It read "tir 8. Des 2026": Norwegian month names are not capitalised."""
    import datetime

    from meetings import services
    from meetings.models import OSLO

    start = datetime.datetime(2030, 12, 10, 9, 0, tzinfo=OSLO)
    services.meeting_create(
        actor=adviser, title="Regionråd", start=start, end=start + datetime.timedelta(hours=2), region=region
    )
    client.force_login(adviser)
    page = client.get(reverse("meetings:index")).content.decode()
    assert "tirsdag 10. desember 2030 09:00" in page
    assert "Des" not in page
