"""Staff qualification counts per organization and year, and a round's
minimum as a qualification item (资格条件: 政府采购法 Art 22 lets the buyer set
specific conditions that the service requires)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t

from bidding.models import Round
from organizations.models import Organization, User
from purchase_portal import audit
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.roles import is_officer

from ..models import RoundStaffMinimum, StaffQualification
from ..rules import OrgRef, can_update_qualifications
from .common import count, text

COUNT_FIELDS = (
    "assistant_social_workers",
    "social_workers",
    "senior_social_workers",
    "other_certificates",
)
MINIMUM_FIELDS = ("min_certified", "min_social_workers_or_above", "min_senior")
#: How many past years an organization may still enter or correct.
YEARS_BACK = 5


def qualification_years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - YEARS_BACK - 1, -1))


@transaction.atomic
def qualification_save(
    *, user: User, organization: Organization, year, other_description: str = "", **counts
) -> StaffQualification:
    """Enter or correct the counts for one year (an organization admin or an officer)."""
    if not can_update_qualifications(user, OrgRef(organization.pk)):
        raise PermissionDeniedError()
    errors: dict = {}
    unknown = set(counts) - set(COUNT_FIELDS)
    if unknown:
        raise invalid({name: [_t("Unknown field.")] for name in sorted(unknown)})
    values = {name: count(counts.get(name, 0), name, errors) for name in COUNT_FIELDS}
    other_description = text(
        other_description, "other_description", errors, required=False, max_length=300
    )
    if isinstance(year, bool) or year not in qualification_years():
        errors["year"] = [
            _t("Enter a year from %(min)s to %(max)s.")
            % {"min": min(qualification_years()), "max": max(qualification_years())}
        ]
    if (
        values["other_certificates"]
        and not other_description
        and "other_certificates" not in errors
    ):
        errors["other_description"] = [_t("Say which other certificates are held.")]
    if errors:
        raise invalid(errors)
    row = (
        StaffQualification.objects.select_for_update()
        .filter(organization=organization, year=year)
        .first()
    )
    before = audit.snapshot(row, [*COUNT_FIELDS, "other_description"]) if row else None
    if row is None:
        row = StaffQualification(organization=organization, year=year)
    for name, value in values.items():
        setattr(row, name, value)
    row.other_description = other_description
    row.updated_by = user
    row.save()
    audit.record(
        actor=user,
        action="staff_qualification.save",
        obj=row,
        before=before,
        after=audit.snapshot(row, [*COUNT_FIELDS, "other_description"]),
    )
    return row


@transaction.atomic
def round_minimum_set(*, user: User, round: Round, **minimums) -> RoundStaffMinimum:
    """An officer sets the round's minimum of qualified staff before publishing."""
    if not is_officer(user):
        raise PermissionDeniedError()
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if locked.status != Round.Status.DRAFT:
        raise ConflictError(
            _t("Qualification items can be set only while the round is a draft."),
            code="round_not_draft",
        )
    errors: dict = {}
    unknown = set(minimums) - set(MINIMUM_FIELDS)
    if unknown:
        raise invalid({name: [_t("Unknown field.")] for name in sorted(unknown)})
    values = {
        name: count(minimums.get(name, 0), name, errors, maximum=1000) for name in MINIMUM_FIELDS
    }
    if not errors:
        if values["min_social_workers_or_above"] < values["min_senior"]:
            errors["min_social_workers_or_above"] = [
                _t("Cannot be lower than the minimum of 高级社会工作师.")
            ]
        if values["min_certified"] < values["min_social_workers_or_above"]:
            errors["min_certified"] = [_t("Cannot be lower than the minimum at a higher level.")]
    if errors:
        raise invalid(errors)
    row = RoundStaffMinimum.objects.filter(round=locked).first()
    before = audit.snapshot(row, list(MINIMUM_FIELDS)) if row else None
    row = row or RoundStaffMinimum(round=locked)
    for name, value in values.items():
        setattr(row, name, value)
    row.set_by = user
    row.save()
    audit.record(
        actor=user,
        action="round_staff_minimum.set",
        obj=row,
        before=before,
        after=audit.snapshot(row, list(MINIMUM_FIELDS)),
    )
    return row
