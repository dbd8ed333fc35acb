"""Permission predicates on evaluations (django-rules).

- the assigned evaluator: a member of the evaluator organization, or an
  expert on the evaluation's panel;
- the contracted organization's members see their approved evaluation and
  may respond once;
- the officer plans, assigns and decides, but never decides an evaluation
  they submitted themselves: incompatible duties are separated
  (行政事业单位内部控制规范（试行）, 财会〔2012〕21号, 第十二条). Evaluations are
  done by a third party the purchaser reviews (财政部《关于推进政府购买服务第三方
  绩效评价工作的指导意见》, 财综〔2018〕42号).
"""

import rules

from organizations.models import Membership
from organizations.rules import memberships_of
from purchase_portal.roles import is_auditor, is_federation, is_officer


@rules.predicate
def is_assigned_evaluator(user, evaluation) -> bool:
    if evaluation is None or not user.is_authenticated:
        return False
    if evaluation.evaluator_organization_id in memberships_of(user):
        return True
    return evaluation.members.filter(expert_id=user.pk).exists()


@rules.predicate
def is_evaluation_org_member(user, evaluation) -> bool:
    return evaluation is not None and evaluation.contract.organization_id in memberships_of(user)


@rules.predicate
def is_evaluation_org_admin(user, evaluation) -> bool:
    return (
        evaluation is not None
        and memberships_of(user).get(evaluation.contract.organization_id) == Membership.Role.ADMIN
    )


@rules.predicate
def submitted_it(user, evaluation) -> bool:
    return evaluation is not None and evaluation.submitted_by_id == user.pk


can_manage = is_officer
#: An officer decides; not on their own submission.
can_decide = is_officer & ~submitted_it
can_read_all_reports = is_federation
can_order_archive = is_auditor | is_officer
can_respond = is_evaluation_org_member
