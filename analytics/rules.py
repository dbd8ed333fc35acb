"""Who may read which figures.

Federation staff (officers, approvers, finance) and auditors read every figure;
an organization's members read their own organization's figures and the public
aggregates; the public reads the aggregates only. Nobody changes anything here
except officers, who may rebuild the summary tables.
"""

import rules

from organizations.rules import memberships_of
from purchase_portal.roles import is_federation, is_officer

can_view_analytics = is_federation
can_refresh_summary = is_officer


@rules.predicate
def has_organization(user) -> bool:
    return bool(memberships_of(user))


def own_organization_ids(user) -> list[int]:
    return sorted(memberships_of(user))
