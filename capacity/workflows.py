"""Allowed transitions of sessions, registrations and incubations. Services
in ``capacity.services`` run them; guards live in those services."""

from django.utils.translation import gettext_lazy as _

from purchase_portal.roles import is_officer
from purchase_portal.transitions import Transition, Workflow

from .models import Incubation, Registration, TrainingSession
from .rules import is_registration_org_admin

S = TrainingSession.Status
G = Registration.Status
I = Incubation.Status  # noqa: E741

SESSION_WORKFLOW = Workflow(
    model=TrainingSession,
    audit_prefix="training_session",
    transitions=[
        Transition("complete", (S.SCHEDULED,), S.COMPLETED, is_officer, _("Record attendance")),
        Transition("cancel", (S.SCHEDULED,), S.CANCELLED, is_officer, _("Cancel the session")),
    ],
)

REGISTRATION_WORKFLOW = Workflow(
    model=Registration,
    audit_prefix="training_registration",
    transitions=[
        Transition(
            "cancel",
            (G.REGISTERED,),
            G.CANCELLED,
            is_officer | is_registration_org_admin,
            _("Cancel the registration"),
        ),
        # Taken when the officer records attendance for the session.
        Transition("attend", (G.REGISTERED, G.ABSENT), G.ATTENDED, is_officer, _("Attended")),
        Transition("absent", (G.REGISTERED, G.ATTENDED), G.ABSENT, is_officer, _("Absent")),
    ],
)

INCUBATION_WORKFLOW = Workflow(
    model=Incubation,
    audit_prefix="incubation",
    transitions=[
        Transition("graduate", (I.INCUBATING,), I.GRADUATED, is_officer, _("Graduate")),
        Transition("withdraw", (I.INCUBATING,), I.WITHDRAWN, is_officer, _("Withdraw")),
    ],
)
