from django.core.management.base import BaseCommand, CommandError

from purchase_portal.anchors import anchor_problem, latest_anchor
from purchase_portal.audit import verify_chain
from purchase_portal.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit trail and check it against the latest "
        "published anchor; exit non-zero at the first problem."
    )

    def handle(self, *args, **options):
        problem = verify_chain()
        if problem is not None:
            where = f"event #{problem.seq}" + (
                f" (id {problem.event_id})" if problem.event_id else ""
            )
            raise CommandError(f"Audit chain broken at {where}: {problem.reason}")
        anchored = anchor_problem()
        if anchored is not None:
            raise CommandError(f"Audit chain does not match its anchor: {anchored}")
        count = AuditEvent.objects.count()
        anchor = latest_anchor()
        since = f", anchored up to #{anchor.seq}" if anchor is not None else ""
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events{since}."))
