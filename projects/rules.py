"""Permission predicates on projects and the purchase catalogue (django-rules).

Federation staff read projects and the catalogue; officers draft and edit
projects while they are drafts and keep the catalogue; approvers decide
(``workflows.PROJECT_WORKFLOW``). Services enforce these and pages ask them to
decide what to offer.
"""

import rules

from purchase_portal.duties import is_same_person
from purchase_portal.roles import is_approver, is_federation, is_finance, is_officer

#: Who reads projects, the annual plan and the catalogue.
can_see_projects = is_federation
#: Who drafts projects and keeps the catalogue.
can_draft_projects = is_officer
#: Officers describe catalogue items; finance sets their budgets (separation of
#: duties, 财会〔2012〕21号 Art 12: the buying officer does not set the budget).
can_manage_catalogue = is_officer | is_finance
can_set_catalogue_budget = is_finance


@rules.predicate
def can_approve_catalogue_budget(user, item) -> bool:
    """An approver approves a budget that someone else set."""
    return (
        item is not None
        and bool(is_approver(user))
        and item.budget_approved_at is None
        and not is_same_person(user, item.budget_set_by_id)
    )


@rules.predicate
def can_edit_project(user, project) -> bool:
    """An officer changes a project while it is a draft (approval freezes its terms)."""
    return project.is_editable and is_officer(user)
