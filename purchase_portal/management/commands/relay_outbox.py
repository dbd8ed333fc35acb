"""Send the background tasks kept pending while the broker (Redis) was down.

Celery beat does it every minute; run it by hand after an outage to see at once
what was sent and what is still pending. Safe to run at any time.
"""

from django.core.management.base import BaseCommand, CommandError

from purchase_portal.outbox import relay


class Command(BaseCommand):
    help = "Send pending outbox tasks to the broker, oldest first."

    def handle(self, *args, **options):
        result = relay()
        self.stdout.write(f"Sent {result.sent} task(s); {result.pending} pending.")
        if result.error:
            raise CommandError(f"The broker refused: {result.error}")
