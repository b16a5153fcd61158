"""The class-level proof of issue 11: every form the portal serves survives hostile input.

For each role, the forms are found by walking every URL pattern (tests/reliability/formwalk.py: the
shared quality world's objects, every HTML page the role gets, every <form> on it), so a new form is
covered without editing this test. Hypothesis then sends each form, as the role it was served to,
generated values: control characters, line breaks, very long strings, huge, negative and fractional
numbers, foreign and missing ids, odd Unicode, impossible dates, lists where one value is expected,
missing fields and odd files, mixed with the values the page itself would send so that the views'
deeper branches are reached. After every request:

* the answer is never a server error (a 4xx, a form with errors or a redirect with a message is fine);
* the outbox still delivers: a message planned afterwards with tests.outbox.notify is SENT
  by notifications.sweep.message_sweep (which also sends whatever the request planned).

Each example runs in a savepoint that is rolled back, so one example's writes never poison the next;
the world is built once per module and worker. The administrator gets the Django admin's add form of
every model (the portal's own forms are the adviser's, whom administrators act as), with the fixed
examples and a fifth of the random ones: those are Django's forms, and the models' validators they
run are proven field by field in tests/test_text_rules.py.

Every form first gets six fixed examples (_explicit_examples: every id field at once "²", a huge and a
negative number; every text field control characters, then 50 001 characters; every field twice),
then random ones: the number comes from the hypothesis profile (tests/conftest.py), a few locally and
more under CI=true; `--hypothesis-profile=portal-ci` runs the CI amount anywhere.
"""

import itertools

import hypothesis
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from notifications.models import Message
from notifications.sweep import message_sweep
from tests.outbox import notify
from tests.security.urlwalk import endpoints
from tests.security.world import ROLES, build_world

from .formwalk import served_forms

PORTAL_ROLES = [role for role in ROLES if role != "admin"]
OMIT = object()  # leave the field out of the request

CONTROL = st.sampled_from(
    ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\ufffe"]
)
ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "Linje én\nLinje to",
        "Linje én\r\nBcc: x@example.no",
        "\x1b[31mrød\x1b[0m",
        "Fylkesvei\x00",
        "\u202eevil.exe",  # right-to-left override
        "e\u0301\u0301\u0301",  # combining accents
        "😀👩‍👩‍👧",
        "\ufeffBOM",
        '=HYPERLINK("http://x")',
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "{{ request }}",
        "%(title)s %s {0}",
        "../../etc/passwd",
        "null",
        "NaN",
        "[]",
        "FREQ=SECONDLY",
        "FREQ=MONTHLY;BYDAY=2TU;UNTIL=99991231",
        "7,1,0,999",
        "javascript:alert(1)",
        "https://example.no/" + "x" * 300,
        "a@b",
        '"\x01"@example.no',
    ]
)
LONG_TEXT = st.builds(
    lambda unit, count: unit * count,
    st.sampled_from(["x", "æ", "\n", "😀", "\r\n"]),
    st.sampled_from([201, 256, 10_001, 50_001]),
)
TEXT = st.one_of(
    st.text(max_size=30),
    ODD_TEXT,
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=10), CONTROL, st.text(max_size=10)),
    LONG_TEXT,
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        ["-1", "0", "1.5", "-0", "1e3", "1e400", "١٢", "²", "0x10", " 7 ", "2147483648", "9223372036854775808"]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
IDS = st.one_of(st.integers(min_value=-3, max_value=120).map(str), NUMBERS)  # others' objects and missing ones
DATES = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2024-02-30", "0000-00-00", "0001-01-01", "9999-12-31", "31.12.2030", "2030-1-1", "2030-13-01"]),
)
TIMES = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), st.sampled_from(["24:00", "23:60", "-1:00", "9"]))
FILES = st.builds(
    lambda name, ext, head, tail: SimpleUploadedFile(name + ext, head + tail),
    st.text(st.characters(exclude_characters="/\\", exclude_categories=["Cs"]), max_size=12).map(lambda t: "f" + t),
    st.sampled_from([".pdf", ".docx", ".png", ".exe", ".html", ".svg", ""]),
    st.sampled_from([b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"<html><script>", b"MZ\x90\x00", b"PK\x03\x04", b""]),
    st.binary(max_size=64),
)
BY_KIND = {"number": NUMBERS, "date": DATES, "time": TIMES, "datetime-local": DATES}


def _field_values(field):
    """What Hypothesis sends for one field: first what the page would send (so the form gets past
    it and deeper branches run), then hostile values, lists, or nothing."""
    if field.kind == "file":
        return st.one_of(st.just(OMIT), FILES)
    if field.kind in ("select", "checkbox", "radio", "submit"):
        offered = st.sampled_from(field.options) if field.options else st.just(field.value)
        one = st.one_of(offered, IDS, TEXT)
        if field.multiple:
            return st.one_of(st.lists(offered, max_size=3, unique=True), st.lists(one, max_size=4), st.just(OMIT))
        current = st.just(field.value) if field.value else offered
        return st.one_of(current, one, st.just(OMIT), st.lists(one, min_size=2, max_size=3))
    own = BY_KIND.get(field.kind, TEXT)
    return st.one_of(st.just(field.value), own, TEXT, NUMBERS, st.just(OMIT), st.lists(own, min_size=2, max_size=3))


def _request_data(form):
    return st.fixed_dictionaries({field.name: _field_values(field) for field in form.fields})


CHOICE_KINDS = {"select", "checkbox", "radio", "hidden", "number", "submit"}
DATE_KINDS = {"date", "datetime-local"}


def _explicit_examples(form):
    """What every form gets first, whatever Hypothesis draws: one kind of hostile value in every field
    of a kind at once (ids that int() refuses or the database cannot hold, control characters, text
    past every limit, far dates, lists), the other fields as the page sends them."""
    page = {f.name: (OMIT if f.kind == "file" else f.value) for f in form.fields}
    texts = {f.kind for f in form.fields} - CHOICE_KINDS - DATE_KINDS - {"file", "time"}

    def with_values(**by_kinds):
        data = dict(page)
        for kinds, value in by_kinds.values():
            data.update({f.name: value for f in form.fields if f.kind in kinds})
        return data

    # A formset told it has a huge number of forms builds (and shows again) Django's cap of 2,000 per
    # formset: no error, but seconds per request in the admin's add forms with their inlines.
    huge = with_values(ids=(CHOICE_KINDS, "99999999999999999999"))
    huge.update({name: page[name] for name in page if name.endswith("_FORMS")})
    return [
        with_values(ids=(CHOICE_KINDS, "²")),
        huge,
        with_values(ids=(CHOICE_KINDS, "-1")),
        with_values(text=(texts, "Linje\x00\x1b\r\nto\u2028"), dates=(DATE_KINDS, "9999-12-31")),
        with_values(text=(texts, "x" * 50_001), dates=(DATE_KINDS, "0001-01-01")),
        {name: OMIT if value is OMIT else [value, value] for name, value in page.items()},
    ]


class FuzzWorld:
    """The shared world, built once per module, and the forms each role is served (found once)."""

    def __init__(self, world):
        self.world = world
        self._forms = {}
        self._keys = itertools.count()

    def forms_for(self, role):
        if role not in self._forms:
            with transaction.atomic():  # the pages' GET requests leave nothing behind
                self._forms[role] = served_forms(self.world, role)
                transaction.set_rollback(True)
        return self._forms[role]

    def fresh_key(self):
        return f"reliability:fuzz-forms:{next(self._keys)}"


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The world in a transaction that is rolled back when the module's tests are done."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield FuzzWorld(build_world())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _groups():
    """Where forms can write to, known before the world exists: URL namespaces, and the admin per app."""
    portal, admin = set(), set()
    for endpoint in endpoints():
        name = endpoint.name
        if name.startswith("admin:") and name.endswith("_add"):
            admin.add("admin/" + name.removeprefix("admin:").split("_", 1)[0])
        elif not name.startswith(("admin:", "<unnamed")):
            portal.add(name.split(":", 1)[0] if ":" in name else "accounts")
    params = [pytest.param(role, group, id=f"{role}-{group}") for role in PORTAL_ROLES for group in sorted(portal)]
    return params + [pytest.param("admin", group, id=f"admin-{group}") for group in sorted(admin)]


def _keep_only_the_session(client):
    for name in list(client.cookies):
        if name != django_settings.SESSION_COOKIE_NAME:
            del client.cookies[name]


def _fuzz(form, client, fuzz_world):
    recipient = fuzz_world.world.user("leader_a")

    def example(data):
        with transaction.atomic():
            _keep_only_the_session(client)
            values = {name: value for name, value in data.items() if value is not OMIT}
            if form.method == "post":
                response = client.post(form.action, values)
            else:
                response = client.get(form.action.split("?", 1)[0], values)
            assert response.status_code < 500, f"answered {response.status_code}"
            key = fuzz_world.fresh_key()
            notify(user=recipient, key=key, subject="Fortsatt i drift", body="Utboksen leverer.", url="/")
            message_sweep()
            assert Message.objects.get(key=key).state == Message.State.SENT, "the outbox no longer delivers"
            transaction.set_rollback(True)

    for data in _explicit_examples(form):
        example = hypothesis.example(data=data)(example)
    # No example database: every form's examples share this function's name, so they would be replayed
    # against each other's fields. No shrinking: each attempt is a request and a sweep, and shrinking a
    # failure can take minutes per form; the failing values are reported as they were sent.
    examples = settings.default.max_examples
    if form.url_name.startswith("admin:"):
        examples = max(2, examples // 5)  # Django's own forms, checked by the models' validators: fewer
    rules = settings(database=None, phases=[Phase.explicit, Phase.generate], max_examples=examples)
    rules(given(data=_request_data(form))(example))()


@pytest.mark.parametrize("role,group", _groups())
def test_every_form_survives_hostile_input_and_the_outbox_still_delivers(role, group, fuzz_world, db):
    forms = [form for form in fuzz_world.forms_for(role) if form.group == group]
    client = Client(raise_request_exception=False)
    if fuzz_world.world.user(role) is not None:
        client.force_login(fuzz_world.world.user(role))  # outside the examples' savepoints: it stays
    problems = []
    for form in forms:
        try:
            _fuzz(form, client, fuzz_world)
        except Exception as error:  # noqa: BLE001 - every failing form is reported, not only the first
            notes = "\n    ".join(getattr(error, "__notes__", []))
            problems.append(f"{form}\n    {type(error).__name__}: {error}\n    {notes}")
    print(f"{role} {group}: {len(forms)} forms:", *forms, sep="\n  ")
    assert not problems, "\n".join(problems)


def test_the_walk_finds_the_forms_of_every_part_of_the_portal(fuzz_world, db):
    """A guard for the proof above: if the walk stopped finding forms, every test there would pass."""
    found = {(form.role, form.url_name) for role in ROLES for form in fuzz_world.forms_for(role)}
    expected = {
        ("anonymous", "login"),
        ("anonymous", "password_reset"),
        ("leader_a", "cases:case-create"),
        ("leader_a", "meetings:agenda-propose"),
        ("leader_a", "partnerships:special-part-negotiation"),
        ("staff", "cases:case-create"),
        ("adviser", "cases:case-step"),
        ("adviser", "cases:topic-mapping"),
        ("adviser", "meetings:series-create"),
        ("adviser", "meetings:minutes-edit"),
        ("adviser", "partnerships:special-part-instruments"),
        ("adviser", "regions:appointment-start"),
        ("adviser", "cases:index"),  # a GET form: the case list's filters
        ("admin", "admin:cases_case_add"),
        ("admin", "admin:regions_region_add"),
    }
    assert expected <= found, sorted(expected - found)
    assert len(found) > 100
