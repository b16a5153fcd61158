"""Create the demo users (one per role) and each app's demo content. Only when DEBUG is on."""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User

DEMO_PASSWORD = "Regionportalen-demo-2026"
DEMO_USERS = [
    # username, first name, last name, role, superuser
    ("admin", "Ada", "Administrator", User.Role.ADMIN, True),
    ("radgiver", "Randi", "Rådgiver", User.Role.ADVISER, False),
    ("leder", "Lars", "Leder", User.Role.REGION_LEADER, False),
    ("leder2", "Liv", "Leder", User.Role.REGION_LEADER, False),
    # The region side's portal role; what the secretariat may do comes from its appointment below.
    ("sekretariat", "Siri", "Sekretariat", User.Role.REGION_LEADER, False),
    ("saksbehandler", "Sara", "Saksbehandler", User.Role.COUNCIL_AREA_STAFF, False),
]
# Which region each demo leader leads, and which council area the demo staff member works for.
DEMO_LEADER_REGIONS = {"leder": "indre-ostfold", "leder2": "follo"}
# The secretariat of the first demo region: it acts for the region as its leader does (issue 14).
DEMO_SECRETARIAT_REGIONS = {"sekretariat": "indre-ostfold"}
# The demo adviser belongs to Østfold (a coordination-adviser appointment for the county), and the demo
# staff member works for Østfold's fylkesutvalg: the demo shows today's map, not Viken's.
DEMO_ADVISER_COUNTY = "31"
DEMO_STAFF_AREA = ("31", "fylkesutvalget")
# Two-factor sign-in for the demo users who must have it (advisers, staff, admin): one known TOTP secret,
# printed in the README, so the demo works with any authenticator app (or `manage.py demo_code`). Only
# with DEBUG, like the demo password; a real person sets up their own device at first login.
DEMO_TOTP_KEY = "52656769706e706f7274616c656e2d64656d6f21"  # base32: KJSWO2LQNZYG64TUMFWGK3RNMRSW23ZB
DEMO_APPS = [
    "regions",
    "partnerships",
    "cases",
    "meetings",  # after cases: a demo meeting decides on a demo case
    "archive",
    "funds",
    "rounds",
    "themes",
    "reports",
]  # the registry: an election term (regions.demo)


class Command(BaseCommand):
    help = "Create demo users (one per role) and demo content. Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo users or demo content are created.")
            return
        with transaction.atomic():
            users = self._users()
            self._appointments(users)
            self._second_factor(users)
        for app in DEMO_APPS:
            importlib.import_module(f"{app}.demo").load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo users (password for all: {DEMO_PASSWORD}):"))
        from regions.models import Appointment

        for username, _first, _last, role, _su in DEMO_USERS:
            label = Appointment.Role.REGION_SECRETARIAT.label if username in DEMO_SECRETARIAT_REGIONS else None
            self.stdout.write(f"  {username:<14} {label or User.Role(role).label}")
        self.stdout.write(
            "Two-factor sign-in (admin, radgiver, saksbehandler): add the key KJSWO2LQNZYG64TUMFWGK3RNMRSW23ZB "
            "to an authenticator app, or run `manage.py demo_code` for the current code."
        )

    def _users(self):
        users = {}
        for username, first, last, role, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.regionportalen.local",
                    "role": role,
                    "is_staff": superuser,
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            users[username] = user
        return users

    def _appointments(self, users):
        from regions.models import Appointment, CouncilArea, County, Person, Region

        start = timezone.localdate().replace(month=1, day=1)
        region_posts = [(DEMO_LEADER_REGIONS, Appointment.Role.REGION_COUNCIL_LEADER)]
        region_posts.append((DEMO_SECRETARIAT_REGIONS, Appointment.Role.REGION_SECRETARIAT))
        for posts, role in region_posts:
            for username, slug in posts.items():
                region = Region.objects.filter(slug=slug).first()
                if region is None:
                    continue
                Appointment.objects.get_or_create(
                    person=self._person(Person, users[username]),
                    role=role,
                    region=region,
                    defaults={"valid_from": start, "appointed_by": Appointment.AppointedBy.REGION},
                )
        county_number, slug = DEMO_STAFF_AREA
        area = CouncilArea.objects.filter(county__number=county_number, slug=slug).order_by("-valid_from").first()
        if area is not None:
            person = self._person(Person, users["saksbehandler"])
            Appointment.objects.get_or_create(
                person=person,
                role=Appointment.Role.COUNCIL_AREA_STAFF,
                council_area=area,
                defaults={"valid_from": start, "appointed_by": Appointment.AppointedBy.COUNTY_ADMINISTRATION},
            )

        county = County.objects.filter(number=DEMO_ADVISER_COUNTY).first()
        if county is not None:
            Appointment.objects.get_or_create(
                person=self._person(Person, users["radgiver"]),
                role=Appointment.Role.COORDINATION_ADVISER,
                county=county,
                defaults={"valid_from": start, "appointed_by": Appointment.AppointedBy.COUNTY_ADMINISTRATION},
            )

    @staticmethod
    def _second_factor(users):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.twofactor import second_factor_required

        for user in users.values():
            if second_factor_required(user) and not TOTPDevice.objects.filter(user=user).exists():
                TOTPDevice.objects.create(user=user, name="Demo", key=DEMO_TOTP_KEY, confirmed=True)

    @staticmethod
    def _person(person_model, user):
        person, _ = person_model.objects.get_or_create(
            user=user, defaults={"name": user.get_full_name(), "email": user.email}
        )
        return person
