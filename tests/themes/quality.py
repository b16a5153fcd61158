"""Theme group pages and objects for the shared quality suites (tests/security/extensions.py).

The world gets a theme group of region A and a third region (led by A) with A's submitted case and
A's meeting: leader_a (a member region's leader) reads it, leader_b (not a member) and staff get 404;
an adviser's step on it is forbidden to leader_a (403: visible, nothing to hide). docs/adr/0004."""

from tests.e2e.pages import A11yPage


def _setup(world):
    from tests.factories import MembershipFactory, MunicipalityFactory, RegionFactory
    from themes import services

    adviser = world.user("adviser")
    third = RegionFactory(name="Haldenregionen", slug="haldenregionen", host_county=world.county)
    MembershipFactory(region=third, municipality=MunicipalityFactory())
    group = services.theme_group_create(
        county=world.county,
        name="Samferdsel og kollektivtransport",
        description="Fylkesveier og busstilbud på tvers av regionene.",
        lead_region=world.region_a,
        regions=[world.region_a, third],
        actor=adviser,
    )
    world.objects["theme_group_a"] = group
    world.objects["theme_member_a"] = group.members.get(region=third)
    world.objects["theme_case_a"] = services.theme_case_add(group=group, case=world.case_a, actor=adviser)
    world.objects["theme_meeting_a"] = services.theme_meeting_add(group=group, meeting=world.meeting_a, actor=adviser)


WORLD_SETUP = [_setup]

_GROUP = lambda w: {"pk": w.theme_group_a.pk}  # noqa: E731

URL_KWARGS = {
    "themes:group-detail": _GROUP,
    "themes:group-edit": _GROUP,
    "themes:member-add": _GROUP,
    "themes:case-add": _GROUP,
    "themes:meeting-add": _GROUP,
    "themes:member-remove": lambda w: {"pk": w.theme_member_a.pk},
    "themes:case-remove": lambda w: {"pk": w.theme_case_a.pk},
    "themes:meeting-remove": lambda w: {"pk": w.theme_meeting_a.pk},
}

URL_OBJECTS = {
    "themes:group-detail": "theme_group_a",
    "themes:group-edit": "theme_group_a",
    "themes:member-add": "theme_group_a",
    "themes:case-add": "theme_group_a",
    "themes:meeting-add": "theme_group_a",
    "themes:member-remove": "theme_member_a",
    "themes:case-remove": "theme_case_a",
    "themes:meeting-remove": "theme_meeting_a",
}

_EVERYONE = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200}
_READ_MEMBER = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 404, "staff": 404}
_ADVISER_STEP_ON_MEMBER = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 404, "staff": 404}
_ADVISERS_ONLY = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403}
_POST_ONLY = dict.fromkeys(("adviser", "admin", "leader_a", "leader_b", "staff"), 405)

EXPECTED_STATUS = {
    "themes:index": _EVERYONE,
    "themes:group-create": _ADVISERS_ONLY,
    "themes:group-detail": _READ_MEMBER,
    "themes:group-edit": _ADVISER_STEP_ON_MEMBER,
    "themes:member-add": _ADVISER_STEP_ON_MEMBER,
    "themes:case-add": _ADVISER_STEP_ON_MEMBER,
    "themes:meeting-add": _ADVISER_STEP_ON_MEMBER,
    "themes:member-remove": _POST_ONLY,
    "themes:case-remove": _POST_ONLY,
    "themes:meeting-remove": _POST_ONLY,
}

PAGES = [
    A11yPage("themes-index-adviser", "themes:index", "adviser"),
    A11yPage("themes-group-adviser", "themes:group-detail", "adviser", kwargs=_GROUP),
    A11yPage("themes-group-leader_a", "themes:group-detail", "leader_a", kwargs=_GROUP),
    A11yPage("themes-group-create-adviser", "themes:group-create", "adviser"),
    A11yPage("themes-group-edit-adviser", "themes:group-edit", "adviser", kwargs=_GROUP),
]

FUZZ_PAGES = [("themes:index", "adviser", ["county", "region", "page"])]
