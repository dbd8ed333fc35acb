"""Allowed transitions of evaluations and of background documents. Services in
``evaluation.services`` run them; guards (scores complete, roles) live there."""

from django.utils.translation import gettext_lazy as _

from purchase_portal.transitions import Transition, Workflow

from .models import AnnualReport, Evaluation, ReportArchive
from .rules import can_decide, is_assigned_evaluator

E = Evaluation.Status
J = ReportArchive.Status

EVALUATION_WORKFLOW = Workflow(
    model=Evaluation,
    audit_prefix="evaluation",
    transitions=[
        Transition(
            "start", (E.PLANNED, E.RETURNED), E.IN_PROGRESS, is_assigned_evaluator, _("Start")
        ),
        Transition("submit", (E.IN_PROGRESS,), E.SUBMITTED, is_assigned_evaluator, _("Submit")),
        Transition("approve", (E.SUBMITTED,), E.APPROVED, can_decide, _("Approve")),
        Transition("return", (E.SUBMITTED,), E.RETURNED, can_decide, _("Return with a reason")),
    ],
)


def _job_transitions():
    # Taken only by the background task (system=True): no user button.
    return [
        Transition("run", (J.QUEUED, J.FAILED), J.RUNNING, None, _("Build")),
        Transition("finish", (J.RUNNING,), J.DONE, None, _("Ready")),
        Transition("fail", (J.QUEUED, J.RUNNING), J.FAILED, None, _("Failed")),
    ]


ARCHIVE_WORKFLOW = Workflow(
    model=ReportArchive, audit_prefix="evaluation_archive", transitions=_job_transitions()
)
ANNUAL_REPORT_WORKFLOW = Workflow(
    model=AnnualReport, audit_prefix="annual_report", transitions=_job_transitions()
)
