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
    ("saksbehandler", "Sara", "Saksbehandler", User.Role.COUNCIL_AREA_STAFF, False),
]
# Which region each demo leader leads, and which council area the demo staff member works for.
DEMO_LEADER_REGIONS = {"leder": "indre-ostfold", "leder2": "follo"}
# The demo adviser belongs to Østfold (a coordination-adviser appointment for the county), and the demo
# staff member works for Østfold's fylkesutvalg: the demo shows today's map, not Viken's.
DEMO_ADVISER_COUNTY = "31"
DEMO_STAFF_AREA = ("31", "fylkesutvalget")
DEMO_APPS = ["partnerships", "meetings", "cases", "funds"]  # the registry's demo is the users' appointments below


class Command(BaseCommand):
    help = "Create demo users (one per role) and demo content. Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo users or demo content are created.")
            return
        with transaction.atomic():
            users = self._users()
            self._appointments(users)
        for app in DEMO_APPS:
            importlib.import_module(f"{app}.demo").load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo users (password for all: {DEMO_PASSWORD}):"))
        for username, _first, _last, role, _su in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {User.Role(role).label}")

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
        for username, slug in DEMO_LEADER_REGIONS.items():
            region = Region.objects.filter(slug=slug).first()
            if region is None:
                continue
            person = self._person(Person, users[username])
            Appointment.objects.get_or_create(
                person=person,
                role=Appointment.Role.REGION_COUNCIL_LEADER,
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
    def _person(person_model, user):
        person, _ = person_model.objects.get_or_create(
            user=user, defaults={"name": user.get_full_name(), "email": user.email}
        )
        return person
