"""One shared setup for the quality suites: a user per role and the objects they act on.

The permission matrix, the accessibility pages and the fuzzing all use the same world, so a page
that works for "leader of A" and not for "leader of B" differs in one condition only.
"""

from dataclasses import dataclass, field

from accounts.models import User
from tests.conftest import make_leader
from tests.factories import (
    AppointmentFactory,
    CouncilAreaFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
)

from .extensions import collect_list

PASSWORD = "Passord-for-test-1"  # tests.factories.UserFactory's password
ROLES = ("anonymous", "adviser", "leader_a", "secretariat_a", "leader_b", "staff", "admin")
# A role that acts for a region as another does: the secretariat of region A has leader_a's rights
# (regions.selectors.REGION_SIDE_ROLES), so each expectation for leader_a holds for it too.
ACTS_AS = {"secretariat_a": "leader_a"}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def user(self, role):
        """The user acting in a role; None for anonymous."""
        return self.users.get(role)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def _lockout_records():
    """What django-axes records after failed logins, so the admin pages for them are requested too."""
    from axes.models import AccessAttempt, AccessFailureLog

    details = {"username": "ukjent", "ip_address": "192.0.2.10", "user_agent": "Testleser", "path_info": "/logg-inn/"}
    AccessAttempt.objects.create(**details, failures_since_start=3, get_data="", post_data="username=ukjent")
    AccessFailureLog.objects.create(**details, locked_out=False)


def build_world() -> World:
    """Users for every role, region A (led by leader_a, three members), region B, a council area."""
    from regions.models import Appointment

    region_a = RegionFactory(name="Indre Østfold", slug="indre-ostfold")
    region_b = RegionFactory(name="Follo", slug="follo")
    members_a = [MembershipFactory(region=region_a, municipality=MunicipalityFactory()).municipality for _ in range(3)]
    members_b = [MembershipFactory(region=region_b, municipality=MunicipalityFactory()).municipality for _ in range(2)]
    council_area = CouncilAreaFactory(name="Samferdsel", slug="samferdsel")
    staff = UserFactory(
        username="staff", role=User.Role.COUNCIL_AREA_STAFF, first_name="Sara", last_name="Saksbehandler"
    )
    AppointmentFactory(
        person=PersonFactory(user=staff, name="Sara Saksbehandler"),
        role=Appointment.Role.COUNCIL_AREA_STAFF,
        region=None,
        council_area=council_area,
    )
    secretariat = UserFactory(
        username="secretariat", role=User.Role.REGION_LEADER, first_name="Siri", last_name="Sekretariat"
    )
    AppointmentFactory(
        person=PersonFactory(user=secretariat, name="Siri Sekretariat"),
        role=Appointment.Role.REGION_SECRETARIAT,
        region=region_a,
    )
    users = {
        "anonymous": None,
        "adviser": UserFactory(username="adviser", role=User.Role.ADVISER, first_name="Randi", last_name="Rådgiver"),
        "leader_a": make_leader(region_a, "leader"),
        "secretariat_a": secretariat,
        "leader_b": make_leader(region_b, "other_leader"),
        "staff": staff,
        "admin": UserFactory(
            username="admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True, first_name="Ada"
        ),
    }
    objects = {
        "region_a": region_a,
        "region_b": region_b,
        "members_a": members_a,
        "members_b": members_b,
        "council_area": council_area,
        "county": region_a.host_county,
    }
    _lockout_records()
    world = World(users=users, objects=objects)
    for setup in collect_list("WORLD_SETUP"):
        setup(world)
    return world
