"""An organization's record over the years: training hours, incubation
history, qualifications, bids, wins, contracts and evaluation grades.

Bids count only in rounds that have been opened (sealed until then,
电子招标投标办法 Arts 26, 30); wins are final awards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from bidding.models import Award, Bid
from bidding.sealing import OPENED_STATES
from contracts.models import Contract
from evaluation.selectors import organization_grade_history
from organizations.models import Organization

from ..models import Incubation, StaffQualification
from .outcomes import training_hours_by_organization_year


@dataclass
class YearRow:
    year: int
    training_hours: Decimal = Decimal(0)
    people_trained: int = 0
    bids: int = 0
    wins: int = 0
    awarded: Decimal = Decimal(0)
    contracts: int = 0
    contracted: Decimal = Decimal(0)
    grades: list = field(default_factory=list)
    qualification: StaffQualification | None = None


@dataclass
class OrganizationRecord:
    organization: Organization
    years: list[YearRow]
    incubations: list[Incubation]


def organization_record(*, organization: Organization) -> OrganizationRecord:
    """A fixed number of queries, whatever the number of years."""
    org_id = organization.pk
    rows: dict[int, YearRow] = {}

    def row(year: int) -> YearRow:
        return rows.setdefault(year, YearRow(year=year))

    for item in training_hours_by_organization_year(organization_ids=[org_id]):
        r = row(item["year"])
        r.training_hours = item["hours"] or Decimal(0)
        r.people_trained = item["people"]
    bids = (
        Bid.objects.filter(
            organization_id=org_id,
            status__in=OPENED_STATES,
            lot__round__opened_at__isnull=False,
        )
        .values("lot__round__year")
        .annotate(n=Count("id"))
    )
    for item in bids:
        row(item["lot__round__year"]).bids = item["n"]
    wins = (
        Award.objects.filter(organization_id=org_id, status=Award.Status.FINAL)
        .values("lot__round__year")
        .annotate(n=Count("id"), total=Sum("amount"))
    )
    for item in wins:
        r = row(item["lot__round__year"])
        r.wins, r.awarded = item["n"], item["total"] or Decimal(0)
    contracts = (
        Contract.objects.filter(organization_id=org_id)
        .exclude(status=Contract.Status.DRAFT)
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(n=Count("id"), total=Sum("amount"))
    )
    for item in contracts:
        r = row(item["year"])
        r.contracts, r.contracted = item["n"], item["total"] or Decimal(0)
    for grade in organization_grade_history(organization_id=org_id):
        row(grade.year).grades.append(grade)
    for qualification in StaffQualification.objects.filter(organization_id=org_id):
        row(qualification.year).qualification = qualification
    incubations = list(
        Incubation.objects.filter(organization_id=org_id)
        .select_related("mentor_user", "mentor_organization")
        .annotate(mentoring_hours=Sum("mentoring_logs__hours"))
        .order_by("started_on")
    )
    for incubation in incubations:
        row(incubation.started_on.year)
    return OrganizationRecord(
        organization=organization,
        years=[rows[y] for y in sorted(rows, reverse=True)],
        incubations=incubations,
    )
