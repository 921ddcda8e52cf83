"""The access policy's table itself (rakortek.core.access); what each page answers to each
role is in tests/test_url_roles.py."""

from meetings.models import Meeting
from rakortek.accounts.models import Role
from rakortek.core import access


def test_the_policy_knows_the_draft_meeting_status_by_its_stored_value():

    assert access.MEETING_DRAFT == Meeting.Status.DRAFT


def test_every_rule_names_a_read_and_a_write_scope_for_every_role():
    for thing, rule in access.RULES.items():
        assert set(rule) == set(Role.values), thing
        for read, write in rule.values():
            for scope in (read if isinstance(read, tuple) else (read,)) + (
                write if isinstance(write, tuple) else (write,)
            ):
                assert isinstance(scope, access.Scope), thing
