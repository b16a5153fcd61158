"""The workflow table is the one source of "who may take which step when": the permission predicates
answer from it, the docs show it as it is, and no status string is spelt out beside it."""

import itertools
from pathlib import Path

import pytest
from django.conf import settings

from cases import permissions as perms
from cases import workflow
from cases.models import Case

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

PREDICATES = {
    "edit": perms.can_edit_case,
    "submit": perms.can_submit_case,
    "receive": perms.can_receive_case,
    "assign": perms.can_assign_case,
    "flag": perms.can_flag_case,
    "route": perms.can_route_case,
    "send-to-regions": perms.can_send_to_regions_case,
    "return": perms.can_return_case,
    "send-answer": perms.can_send_answer_case,
    "close": perms.can_close_case,
    "withdraw": perms.can_withdraw_case,
    "attach": perms.can_add_attachment_case,
    "anchor": perms.can_record_anchoring_case,
    "schedule": perms.can_schedule_case,
}


def test_the_docs_show_the_table_as_it_is():
    docs = (Path(settings.BASE_DIR) / "docs" / "apps" / "cases.md").read_text(encoding="utf-8")
    assert workflow.table_markdown() in docs


def test_every_step_of_the_table_has_its_permission_and_every_permission_its_step():
    assert set(PREDICATES) == set(workflow.STEPS)


@pytest.mark.parametrize("status", Case.Status.values)
def test_each_role_may_take_exactly_the_steps_the_table_gives_it(status, adviser, leader, region, members):
    """For a region's case in every status: the adviser and the region's leader (who wrote it) are
    allowed exactly what the table says, through the predicates the pages and services use."""
    case = CaseFactory(origin_region=region, status=status, created_by=leader)
    for (step, predicate), (user, roles) in itertools.product(
        PREDICATES.items(),
        [
            (adviser, {workflow.ADVISER}),
            (leader, {workflow.SENDER, workflow.ORIGINATOR, workflow.REGION_LEADER}),
        ],
    ):
        assert predicate(user, case) == workflow.allows(step, roles, case), (step, user.username, status)
