"""Demo content: the 2023–2027 election term of the demo county (Østfold) with invented representatives
and councillors for its regions, every one of them a clearly named demo person. Idempotent: running it
twice adds nothing."""

import datetime

from django.db import transaction

from accounts.models import User

from . import services
from .models import County, ElectionTerm, SlotEntry, TermRow
from .selectors import term_region_list

DEMO_COUNTY = "31"  # Østfold, the demo adviser's county (portal.management.commands.setup_demo)
TERM_NAME = "2023–2027"
# Østfold's county council sat from the county's first day (1 January 2024) to the end of the term.
TERM_FROM, TERM_TO, ELECTED_ON = datetime.date(2024, 1, 1), datetime.date(2027, 10, 1), datetime.date(2023, 9, 11)
PARTIES = {"position": "Ap", "opposition": "H", "councillor": "Sp"}
NAMES = {"position": "Demo Posisjon", "opposition": "Demo Opposisjon", "councillor": "Demo Fylkesråd"}


def load_demo(*, stdout):
    county = County.objects.filter(number=DEMO_COUNTY).order_by("-valid_from").first()
    adviser = User.objects.filter(username="radgiver").first() or User.objects.filter(role=User.Role.ADVISER).first()
    if county is None or adviser is None:
        stdout.write("regions: no county 31 or no adviser; no demo election term.")
        return
    if ElectionTerm.objects.filter(county=county, valid_from=TERM_FROM).exists():
        return
    with transaction.atomic():
        term = services.term_create(
            actor=adviser,
            county=county,
            name=TERM_NAME,
            valid_from=TERM_FROM,
            valid_to=TERM_TO,
            election_date=ELECTED_ON,
            note="Demodata: personene er oppdiktet.",
        )
        rows = [
            TermRow(
                region=region,
                slots={slot: SlotEntry(name=f"{NAMES[slot]} ({region.name})", party=PARTIES[slot]) for slot in NAMES},
            )
            for region in term_region_list(term=term)
        ]
        services.term_record(actor=adviser, term=term, rows=rows)
    stdout.write(f"regions: election term {TERM_NAME} for {county.name} with {len(rows)} regions.")
