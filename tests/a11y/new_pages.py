"""Pages of the later apps (evaluation, capacity, analytics, open data), the
security pages and the sealing pages, per role, over the demo data."""

from __future__ import annotations

from bidding.models import Round
from capacity.models import Incubation, TrainingProgramme, TrainingSession
from contracts.models import Contract
from evaluation.models import AnnualReport, Evaluation, Template
from organizations.models import Membership, User


def _first(queryset):
    return queryset.order_by("pk").values_list("pk", flat=True).first()


def new_pages() -> dict[str, list[str]]:
    """``{username or "": [path, …]}``; "" is the anonymous visitor."""
    org1 = Membership.objects.get(user__username="org1admin").organization_id
    evaluation = _first(Evaluation.objects.filter(reports__isnull=False))
    template = _first(Template.objects.all())
    annual = _first(AnnualReport.objects.all())
    programme = _first(TrainingProgramme.objects.all())
    session = _first(TrainingSession.objects.all())
    incubation = _first(Incubation.objects.all())
    sealed_round = _first(Round.objects.filter(status="published"))
    opened_round = _first(Round.objects.filter(status__in=["in_review", "notice"]))
    contract = Contract.objects.order_by("-pk").values_list("number", flat=True).first()
    assert all(
        [
            evaluation,
            template,
            annual,
            programme,
            session,
            incubation,
            sealed_round,
            opened_round,
            contract,
        ]
    ), "the demo data lacks a page's object"
    assert User.objects.filter(username="evaluator").exists()
    return {
        "": [
            "/analytics/public/",
            "/open-data/",
            "/open-data/publication-policy/",
            "/public/contracts/",
            f"/public/contracts/{contract}/",
            "/verify/",
            "/capacity/certificates/verify/",
        ],
        "officer": [
            "/evaluations/",
            f"/evaluations/{evaluation}/",
            "/evaluations/templates/",
            "/evaluations/templates/new/",
            f"/evaluations/templates/{template}/",
            f"/evaluations/templates/{template}/edit/",
            "/evaluations/reports/",
            "/evaluations/annual/",
            f"/evaluations/annual/{annual}/",
            "/evaluations/renewable/",
            f"/evaluations/organizations/{org1}/",
            "/capacity/",
            f"/capacity/programmes/{programme}/",
            "/capacity/sessions/",
            f"/capacity/sessions/{session}/",
            "/capacity/incubations/",
            "/capacity/incubations/new/",
            f"/capacity/incubations/{incubation}/",
            f"/capacity/organizations/{org1}/",
            "/analytics/",
            "/analytics/concentration/",
            "/analytics/dependency/",
            "/analytics/conduct/",
            "/analytics/performance/",
            "/analytics/cultivation/",
            "/rounds/opening-key/",
            f"/rounds/{sealed_round}/key-holders/",
            f"/rounds/{sealed_round}/opening/",
            f"/rounds/{opened_round}/opening/",
            "/accounts/tokens/",
            "/organizations/profile/",
        ],
        "auditor": ["/audit/anchors/", f"/evaluations/{evaluation}/"],
        "evaluator": ["/evaluations/", f"/evaluations/{evaluation}/"],
        "org1admin": [
            "/evaluations/",
            "/capacity/",
            "/capacity/incubations/",
            f"/capacity/organizations/{org1}/",
            f"/capacity/organizations/{org1}/qualifications/",
            "/analytics/mine/",
            "/accounts/tokens/",
        ],
    }
