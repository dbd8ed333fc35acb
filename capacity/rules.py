"""Permission predicates for capacity building (django-rules).

Federation staff see everything; an auditor reads and changes nothing; an
organization's members see their own organization's registrations,
incubations and qualifications; its admins register their members and
update its qualification counts; a mentor writes logs for their incubations.
"""

import rules

from organizations.models import Membership
from organizations.rules import memberships_of
from purchase_portal.roles import is_federation, is_officer


def _organization_id(obj) -> int | None:
    return getattr(obj, "organization_id", None) if obj is not None else None


@rules.predicate
def is_registration_org_admin(user, obj) -> bool:
    return memberships_of(user).get(_organization_id(obj)) == Membership.Role.ADMIN


@rules.predicate
def is_capacity_org_member(user, obj) -> bool:
    return _organization_id(obj) in memberships_of(user)


@rules.predicate
def is_mentor(user, incubation) -> bool:
    if incubation is None or not user.is_authenticated:
        return False
    if incubation.mentor_user_id is not None and incubation.mentor_user_id == user.pk:
        return True
    return (
        incubation.mentor_organization_id is not None
        and incubation.mentor_organization_id in memberships_of(user)
    )


can_view_capacity_record = is_federation | is_capacity_org_member
can_view_incubation = is_federation | is_capacity_org_member | is_mentor
can_write_mentoring_log = is_officer | is_mentor
can_update_qualifications = is_officer | is_registration_org_admin


class OrgRef:
    """Lets the predicates above test an organization given by its id."""

    def __init__(self, organization_id: int):
        self.organization_id = organization_id
