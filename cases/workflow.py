"""The case workflow as one table: for each step, who may take it in which statuses, for cases of which
direction, and the status it leads to. cases.permissions answers "may this user take this step now"
from it, cases.services uses it to tell "never yours" (403) from "not in this status" (a message), the
case page offers exactly what it allows, and docs/apps/cases.md shows it (a test keeps them equal).

Roles are relations between a user and a case, each a predicate in cases.permissions:
- sender: does the sender's own work (the origin region's leader, the origin council area's staff,
  or the adviser who wrote the draft);
- originator: acts for the sender (the origin region's leader or the origin area's staff);
- region leader: acts for the case's origin region now (its leader or its secretariat, whose rights
  are the leader's: regions.selectors.REGION_SIDE_ROLES);
- member region leader: acts now for a region the case also belongs to (cases.hooks.case_extra_regions: a
  theme group's member region), for a case that region may see (shared); records the anchoring of that
  region's own municipalities only (cases.permissions.anchoring_region_ids). Only the anchoring step names
  it, and it is worked out only where that step is asked about (it reads the case's other regions);
- adviser: the coordination unit.
"""

from dataclasses import dataclass

from .models import Case

S = Case.Status

# The statuses in which a case is with the county and not yet final (Case.is_open, overdue cases).
OPEN = frozenset(Case.OPEN_STATUSES)
NOT_FINAL = frozenset(S.values) - frozenset(Case.FINAL_STATUSES)
FROM_REGION, TO_REGIONS = Case.Direction.REGION_TO_COUNTY, Case.Direction.COUNTY_TO_REGIONS

SENDER, ORIGINATOR, REGION_LEADER, ADVISER = "sender", "originator", "region leader", "adviser"
MEMBER_REGION_LEADER = "member region leader"


@dataclass(frozen=True)
class Step:
    label: str
    allowed: dict  # role -> the statuses in which that role may take the step
    to: str = ""  # the status the step leads to ("" where it does not change the status)
    direction: str = ""  # only cases of this direction ("" for both)

    def statuses_for(self, role) -> frozenset:
        return frozenset(self.allowed.get(role, ()))


STEPS = {
    "edit": Step(
        "edit",
        {SENDER: {S.DRAFT, S.RETURNED}, ADVISER: NOT_FINAL - {S.DRAFT, S.RETURNED}},
    ),
    "submit": Step("submit", {SENDER: {S.DRAFT, S.RETURNED}}, to=S.SUBMITTED),
    "receive": Step("receive", {ADVISER: {S.SUBMITTED}}, to=S.RECEIVED),
    "assign": Step("assign", {ADVISER: OPEN}),
    "flag": Step("flag", {ADVISER: {S.SUBMITTED, S.RECEIVED}}, direction=FROM_REGION),
    "route": Step("route", {ADVISER: {S.SUBMITTED, S.RECEIVED, S.ROUTED}}, to=S.ROUTED, direction=FROM_REGION),
    "send-to-regions": Step(
        "send to regions", {ADVISER: {S.SUBMITTED, S.RECEIVED, S.ROUTED}}, to=S.ROUTED, direction=TO_REGIONS
    ),
    "return": Step("return", {ADVISER: {S.SUBMITTED, S.RECEIVED}}, to=S.RETURNED),
    "send-answer": Step("send answer", {ADVISER: {S.ANSWERED}}, to=S.ANSWER_SENT),
    "close": Step("close", {ADVISER: {S.ANSWER_SENT}, ORIGINATOR: {S.ANSWER_SENT}}, to=S.CLOSED),
    "withdraw": Step(
        "withdraw",
        {
            SENDER: {S.DRAFT, S.SUBMITTED, S.RECEIVED, S.RETURNED, S.ROUTED},
            ADVISER: {S.SUBMITTED, S.RECEIVED, S.RETURNED, S.ROUTED},  # on the sender's behalf, logged
        },
        to=S.WITHDRAWN,
    ),
    "attach": Step("add attachment", {ADVISER: NOT_FINAL, ORIGINATOR: NOT_FINAL}),
    "anchor": Step(
        "record anchoring",
        {ADVISER: NOT_FINAL, REGION_LEADER: NOT_FINAL, MEMBER_REGION_LEADER: NOT_FINAL - {S.DRAFT}},
        direction=FROM_REGION,
    ),
    "schedule": Step("put on a meeting agenda", {ADVISER: NOT_FINAL, REGION_LEADER: NOT_FINAL}, direction=FROM_REGION),
}


def allows(step: str, roles: set, case) -> bool:
    """The step is allowed for a user holding `roles` on the case, in the case's current status."""
    rule = STEPS[step]
    if rule.direction and case.direction != rule.direction:
        return False
    return any(case.status in rule.statuses_for(role) for role in roles)


def allows_in_some_status(step: str, roles: set, case) -> bool:
    """The step is the user's to take on this case in some status (so a refusal now is about the
    status, not about who they are)."""
    rule = STEPS[step]
    if rule.direction and case.direction != rule.direction:
        return False
    return any(rule.statuses_for(role) for role in roles)


def table_markdown() -> str:
    """The table as docs/apps/cases.md shows it (tests/cases/test_workflow_table.py keeps them equal)."""
    order = list(S.values)
    lines = ["| step | who, in which statuses | leads to | only cases |", "|---|---|---|---|"]
    for rule in STEPS.values():
        who = "; ".join(
            f"{role}: {', '.join(sorted(statuses, key=order.index))}" for role, statuses in rule.allowed.items()
        )
        direction = {FROM_REGION: "from a region", TO_REGIONS: "from the county"}.get(rule.direction, "")
        lines.append(f"| {rule.label} | {who} | {rule.to} | {direction} |")
    return "\n".join(lines)
