"""Dashboard panels for organizations."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from purchase_portal.calendar import local_date, nth_workday_after
from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_officer

from .models import Credential, Organization
from .selectors import (
    credential_kinds_of,
    credentials_expiring,
    organizations_awaiting_verification,
    user_organizations,
)


@register
def organizations_to_verify(request):
    if not is_officer(request.user):
        return None
    pending = organizations_awaiting_verification().only("id", "name", "created_at")
    return Panel(
        title=_("Organizations awaiting verification"),
        template="organizations/panels/to_verify.html",
        context={"organizations": pending[:10], "count": pending.count()},
        order=10,
    )


@register
def my_organizations(request):
    orgs = list(user_organizations(user=request.user).only("id", "name", "status", "status_reason"))
    if not orgs:
        return None
    horizon = timezone.localdate() + timedelta(days=settings.PORTAL["CREDENTIAL_REMINDER_DAYS"])
    expiring = credentials_expiring(organizations=orgs, until=horizon).only(
        "id", "kind", "year", "expires_on", "organization__name"
    )[:10]
    return Panel(
        title=_("My organization"),
        template="organizations/panels/mine.html",
        context={"organizations": orgs, "expiring": expiring, "today": timezone.localdate()},
        order=5,
    )


#: What an applicant uploads, in the order the officer reads them; the
#: registration certificate is required before verification.
APPLICATION_DOCUMENTS = [
    (Credential.Kind.REGISTRATION, True),
    (Credential.Kind.ANNUAL_INSPECTION, False),
    (Credential.Kind.AUDIT_REPORT, False),
    (Credential.Kind.RATING, False),
]


@register
def pending_application(request):
    """An applicant whose organization awaits verification: what happens next,
    by when it usually happens (working days) and what to upload."""
    pending = list(
        user_organizations(user=request.user)
        .filter(status=Organization.Status.PENDING)
        .only("id", "name", "status", "created_at")
    )
    if not pending:
        return None
    days = settings.PORTAL["VERIFICATION_WORKING_DAYS"]
    kinds = credential_kinds_of(organizations=pending)
    rows = []
    for org in pending:
        rows.append(
            {
                "org": org,
                "expected": nth_workday_after(local_date(org.created_at), days),
                "documents": [
                    {
                        "label": Credential.Kind(kind).label,
                        "required": required,
                        "done": (org.pk, kind) in kinds,
                    }
                    for kind, required in APPLICATION_DOCUMENTS
                ],
            }
        )
    return Panel(
        title=_("Your application: what happens next"),
        template="organizations/panels/pending.html",
        context={"rows": rows, "days": days},
        order=3,
    )
