"""Site visits and rectifications (整改)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import User
from organizations.selectors import organization_members
from purchase_portal import audit
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, is_officer, users_with_role

from ..models import Contract, Rectification, RectificationResponse, SiteVisit
from ..rules import is_contract_org_member
from ..workflows import RECTIFICATION_WORKFLOW
from .common import checked_file


def rectification_url(rectification: Rectification) -> str:
    return reverse("contracts:rectification-detail", args=[rectification.pk])


@transaction.atomic
def site_visit_create(
    *,
    contract: Contract,
    user: User,
    visit_date: dt.date | None,
    findings: str,
    rating: str,
    rectifications: list[dict] | None = None,
    inspector: User | None = None,
) -> SiteVisit:
    if not is_officer(user):
        raise PermissionDeniedError()
    inspector = inspector or user
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if locked.status != Contract.Status.ACTIVE:
        raise ConflictError(_("Site visits are recorded while the contract is in force."))
    errors: dict = {}
    findings = (findings or "").strip()
    if not isinstance(visit_date, dt.date):
        errors["visit_date"] = [_t("Enter the visit date.")]
    elif visit_date > timezone.localdate():
        errors["visit_date"] = [_t("The visit date cannot be in the future.")]
    if not findings:
        errors["findings"] = [_t("Record the findings.")]
    if rating not in SiteVisit.Rating.values:
        errors["rating"] = [_t("Choose a rating.")]
    if not is_officer(inspector):
        errors["inspector"] = [_t("The inspector must be an officer.")]
    items, problems = [], []
    for i, item in enumerate(rectifications or [], start=1):
        description = (item.get("description") or "").strip()
        deadline = item.get("deadline")
        if not description:
            problems.append(_t("Rectification %(i)s: describe what must be put right.") % {"i": i})
        if not isinstance(deadline, dt.date):
            problems.append(_t("Rectification %(i)s: give a deadline.") % {"i": i})
        elif isinstance(visit_date, dt.date) and deadline < visit_date:
            problems.append(
                _t("Rectification %(i)s: the deadline cannot be before the visit.") % {"i": i}
            )
        items.append((description, deadline))
    if problems:
        errors["rectifications"] = problems
    if errors:
        raise invalid(errors)
    visit = SiteVisit.objects.create(
        contract=locked,
        visit_date=visit_date,
        inspector=inspector,
        findings=findings,
        rating=rating,
    )
    created = Rectification.objects.bulk_create(
        Rectification(
            visit=visit,
            contract=locked,
            description=description,
            deadline=deadline,
            status=Rectification.Status.OPEN,
        )
        for description, deadline in items
    )
    audit.record(
        actor=user,
        action="site_visit.create",
        obj=visit,
        after={
            **audit.snapshot(visit),
            "rectifications": [[r.description, r.deadline] for r in created],
        },
    )
    notify(
        recipients=organization_members(locked.organization_id),
        kind="site_visit.recorded",
        title=(
            lambda: (
                _t("Site visit of %(number)s: %(n)s finding(s) to rectify")
                % {"number": locked.number, "n": len(created)}
                if created
                else _t("Site visit of %(number)s recorded") % {"number": locked.number}
            )
        ),
        url=reverse("contracts:detail", args=[locked.pk]) + "#visits",
        obj=visit,
    )
    return visit


@transaction.atomic
def rectification_respond(
    *, rectification: Rectification, user: User, text: str, file=None
) -> RectificationResponse:
    text = (text or "").strip()
    if not is_contract_org_member(user, rectification):
        raise PermissionDeniedError()
    if not text:
        raise invalid({"text": [_t("Describe what was done.")]})
    checked = checked_file(file) if file is not None else None
    response = RectificationResponse(rectification=rectification, text=text, responded_by=user)

    def attach(locked: Rectification) -> None:
        if checked is not None:
            response.original_name = checked.safe_name
            response.content_type = checked.content_type
            response.size = checked.size
            response.file.save(file.name, file, save=False)
        response.rectification = locked
        response.save()
        audit.record(
            actor=user,
            action="rectification.response",
            obj=locked,
            after=audit.snapshot(response),
        )
        notify(
            recipients=users_with_role(Role.OFFICER),
            kind="rectification.responded",
            title=lambda: (
                _t("Rectification response received for %(number)s")
                % {"number": locked.contract.number}
            ),
            url=rectification_url(locked),
            obj=locked,
        )

    RECTIFICATION_WORKFLOW.run("respond", obj=rectification, user=user, notify=attach)
    return response


def rectification_close(
    *, rectification: Rectification, user: User, comment: str = ""
) -> Rectification:
    return RECTIFICATION_WORKFLOW.run(
        "close",
        obj=rectification,
        user=user,
        changes={
            "closed_at": timezone.now(),
            "closed_by": user,
            "officer_comment": (comment or "").strip(),
        },
        notify=lambda locked: notify(
            recipients=organization_members(locked.contract.organization_id),
            kind="rectification.closed",
            title=lambda: (
                _t("Rectification closed for %(number)s") % {"number": locked.contract.number}
            ),
            url=rectification_url(locked),
            obj=locked,
        ),
    )


def rectification_reopen(
    *, rectification: Rectification, user: User, comment: str
) -> Rectification:
    comment = (comment or "").strip()
    if not comment:
        raise invalid({"comment": [_t("Say what is still missing.")]})
    return RECTIFICATION_WORKFLOW.run(
        "reopen",
        obj=rectification,
        user=user,
        changes={"closed_at": None, "closed_by": None, "officer_comment": comment},
        notify=lambda locked: notify(
            recipients=organization_members(locked.contract.organization_id),
            kind="rectification.reopened",
            title=lambda: (
                _t("Rectification reopened for %(number)s") % {"number": locked.contract.number}
            ),
            body=comment,
            url=rectification_url(locked),
            obj=locked,
        ),
    )
