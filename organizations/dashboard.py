"""Dashboard panels for organizations."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_officer

from .selectors import (
    credentials_expiring,
    organizations_awaiting_verification,
    user_organizations,
)


@register
def organizations_to_verify(request):
    if not is_officer(request.user):
        return None
    pending = organizations_awaiting_verification()
    return Panel(
        title=_("Organizations awaiting verification"),
        template="organizations/panels/to_verify.html",
        context={"organizations": pending[:10], "count": pending.count()},
        order=10,
    )


@register
def my_organizations(request):
    orgs = list(user_organizations(user=request.user))
    if not orgs:
        return None
    horizon = timezone.localdate() + timedelta(days=settings.PORTAL["CREDENTIAL_REMINDER_DAYS"])
    expiring = credentials_expiring(organizations=orgs, until=horizon)[:10]
    return Panel(
        title=_("My organization"),
        template="organizations/panels/mine.html",
        context={"organizations": orgs, "expiring": expiring, "today": timezone.localdate()},
        order=5,
    )
