"""Report pages for the shared quality suites (tests/security/extensions.py): only advisers (and
administrators) read a county's yearly report; everyone else gets 404, the index included, since the
report names internal figures (docs/adr/0004)."""

from tests.e2e.pages import A11yPage


def _setup(world):
    from reports import services

    world.objects["report_text"] = services.report_text_save(
        county=world.county,
        year=2026,
        introduction="Året var preget av NTP-arbeidet.",
        assessment="Forankringen er styrket.",
        actor=world.user("adviser"),
    )


WORLD_SETUP = [_setup]

_REPORT = lambda w: {"county": w.county.pk, "year": 2026}  # noqa: E731

URL_KWARGS = {
    "reports:report": _REPORT,
    "reports:report-pdf": _REPORT,
    "reports:report-docx": _REPORT,
    "reports:report-odt": _REPORT,
}

URL_OBJECTS = dict.fromkeys(URL_KWARGS, "no object")

_ADVISERS_ONLY = {"adviser": 200, "admin": 200, "leader_a": 404, "leader_b": 404, "staff": 404}

EXPECTED_STATUS = {"reports:index": _ADVISERS_ONLY, **dict.fromkeys(URL_KWARGS, _ADVISERS_ONLY)}

PAGES = [
    A11yPage("reports-index-adviser", "reports:index", "adviser"),
    A11yPage("reports-report-adviser", "reports:report", "adviser", kwargs=_REPORT),
]

FUZZ_PAGES = [("reports:index", "adviser", ["county", "year"])]
