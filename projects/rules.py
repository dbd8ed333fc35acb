"""Permission predicates on projects and the purchase catalogue (django-rules).

Federation staff read projects and the catalogue; officers draft and edit
projects while they are drafts and keep the catalogue; approvers decide
(``workflows.PROJECT_WORKFLOW``). Services enforce these and pages ask them to
decide what to offer.
"""

import rules

from purchase_portal.roles import is_federation, is_officer

#: Who reads projects, the annual plan and the catalogue.
can_see_projects = is_federation
#: Who drafts projects and keeps the catalogue.
can_draft_projects = is_officer
can_manage_catalogue = is_officer


@rules.predicate
def can_edit_project(user, project) -> bool:
    """An officer changes a project while it is a draft (approval freezes its terms)."""
    return project.is_editable and is_officer(user)
