from django.core.management.base import BaseCommand, CommandError

from purchase_portal.audit import verify_chain
from purchase_portal.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; exit non-zero at the first broken event."

    def handle(self, *args, **options):
        problem = verify_chain()
        if problem is not None:
            where = f"event #{problem.seq}" + (
                f" (id {problem.event_id})" if problem.event_id else ""
            )
            raise CommandError(f"Audit chain broken at {where}: {problem.reason}")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events."))
