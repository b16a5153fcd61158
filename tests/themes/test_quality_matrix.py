"""The theme groups' rows of the permission matrix, checked here too so they hold before the shared
suite runs them: each role's status on GET, and the 404-or-403 rule for a POST on each object's URL."""

from tests.security.app_matrix import assert_expected_statuses, assert_posting_to_a_hidden_object_is_404

from . import quality


def test_permission_matrix(client, db):
    assert_expected_statuses(client, quality)


def test_posting_to_a_hidden_object_is_404_and_to_a_visible_one_never(client, db):
    assert_posting_to_a_hidden_object_is_404(client, quality)
