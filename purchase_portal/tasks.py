"""Background work shared by every app."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from . import site
from .models import Notification


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(self, notification_ids: list[int]) -> int:
    """E-mail each notification once; running twice sends nothing twice."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            note = (
                Notification.objects.select_for_update()
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if note is None or not note.recipient.email:
                continue
            link = f"{settings.SITE_URL}{note.url}" if note.url.startswith("/") else note.url
            signature = f"--\n{site.federation_name()}"
            body = "\n\n".join(part for part in (note.body, link, signature) if part)
            send_mail(note.title, body, None, [note.recipient.email])
            note.emailed_at = timezone.now()
            note.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def publish_audit_anchor(self) -> int:
    """Daily: publish the audit chain head (page, auditors' e-mail, signed file)."""
    from .anchors import anchor_publish

    return anchor_publish().seq


@shared_task(acks_late=True)
def relay_outbox() -> int:
    """Every minute: send the tasks kept pending while the broker was down, oldest
    first, and remove rows sent more than a week ago."""
    from .outbox import purge_sent, relay

    sent = relay().sent
    purge_sent()
    return sent
