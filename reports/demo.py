"""Demo content for `manage.py setup_demo` (DEBUG only): the adviser's text of Østfold's report for
2026, marked as an example; the figures come from the other apps' demo content. Idempotent."""

from accounts.models import User
from regions.models import County

from . import services
from .models import ReportText

YEAR = 2026


def load_demo(*, stdout):
    county = County.objects.filter(number="31").order_by("-valid_from").first()
    adviser = User.objects.filter(username="radgiver").first() or User.objects.filter(role=User.Role.ADVISER).first()
    if county is None or adviser is None:
        stdout.write("reports: no county 31 or no adviser; no demo report text.")
        return
    if ReportText.objects.filter(county=county, year=YEAR).exists():
        return
    services.report_text_save(
        county=county,
        year=YEAR,
        introduction=(
            "(Eksempel) Denne rapporten gjør rede for partnerskapet mellom fylkeskommunen og kommuneregionene "
            "i 2026: møter, saker og svartider, forankring i kommunestyrene og partnerskapsmidlene."
        ),
        assessment=(
            "(Eksempel) Administrasjonen vurderer at samarbeidet er godt forankret, men at svartiden fra "
            "rådsområdene bør ned."
        ),
        actor=adviser,
    )
    stdout.write(f"reports: the adviser's text of the {YEAR} report for {county.name}.")
