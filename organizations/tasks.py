"""Background work for organizations: invitation e-mail, credential expiry reminders."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from purchase_portal.notifications import remind_once

from .models import Credential, Invitation
from .selectors import organization_admins


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int, token: str) -> bool:
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return False
    link = settings.SITE_URL + reverse("organizations:invitation", args=[token])
    subject = _("Invitation to join %(org)s on the purchase portal") % {
        "org": invitation.organization.name
    }
    body = _(
        "%(who)s invites you to join %(org)s as %(role)s.\n\nOpen this link to accept (valid until %(until)s):\n%(link)s"
    ) % {
        "who": invitation.invited_by.display_name,
        "org": invitation.organization.name,
        "role": invitation.get_role_display(),
        "until": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
        "link": link,
    }
    send_mail(subject, body, None, [invitation.email])
    return True


@shared_task(acks_late=True)
def remind_expiring_credentials() -> int:
    """Remind organization admins of credentials that expire soon (once per credential and date)."""
    today = timezone.localdate()
    horizon = today + timedelta(days=settings.PORTAL["CREDENTIAL_REMINDER_DAYS"])
    credentials = Credential.objects.filter(
        expires_on__gte=today, expires_on__lte=horizon
    ).select_related("organization")
    sent = 0
    for credential in credentials.iterator(chunk_size=500):
        admins = organization_admins(credential.organization_id)
        sent += remind_once(
            obj=credential,
            kind="credential.expiring",
            due_on=credential.expires_on,
            recipients=admins,
            title=lambda: (
                _("%(credential)s of %(org)s expires on %(date)s")
                % {
                    "credential": credential,
                    "org": credential.organization.name,
                    "date": credential.expires_on,
                }
            ),
            url=reverse("organizations:detail", args=[credential.organization_id]),
        )
    return sent
