"""``seed_scale``: a city-sized database for load tests, here at a tiny scale."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from bidding.models import Award, Bid, Lot, Round
from contracts.models import Contract, PaymentTranche, ProgressReport
from opendata.models import ContractPublication, Release
from organizations.models import Organization, User
from purchase_portal.audit import verify_chain
from purchase_portal.models import AuditChainHead, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = [
    "--organizations=30",
    "--rounds=12",
    "--bids=300",
    "--progress-reports=900",
]


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_scale", *SIZES, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_seed_scale_builds_the_sizes_asked_for_with_a_verifying_audit_chain(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = _seed("--seed=7", "--as-of=2026-06-30")

    assert Organization.objects.filter(category=Organization.Category.SOCIAL).count() == 30
    assert Round.objects.count() == 12
    assert Bid.objects.count() == 300
    assert ProgressReport.objects.count() == 900
    # every final lot has one final award and one contract whose paid tranches
    # add up to what it records as paid (a database trigger checks it on PostgreSQL)
    final_lots = Lot.objects.filter(status=Lot.Status.FINAL).count()
    assert final_lots and Award.objects.count() == final_lots == Contract.objects.count()
    for contract in Contract.objects.all():
        paid = sum(
            t.amount for t in contract.tranches.all() if t.status == PaymentTranche.Status.PAID
        )
        assert paid == contract.paid_total
        assert sum(t.share for t in contract.tranches.all()) == 100
    # the history those rows represent is in the audit trail, and the chain verifies
    assert AuditEvent.objects.filter(action="bid.submit").count() == 300
    assert AuditEvent.objects.filter(action="report.accept").exists()
    assert AuditChainHead.objects.get().seq == AuditEvent.objects.count()
    assert verify_chain() is None
    assert "Audit chain verified" in output and "progress reports" in output
    assert "as of 2026-06-30" in output
    # the history leads up to the day given: nothing was published after it
    assert not Round.objects.filter(published_at__date__gt="2026-06-30").exists()
    # seeded users sign in with the password given; the placeholder files exist
    assert User.objects.get(username="scale7-officer").check_password("portal-scale")
    contract = Contract.objects.first()
    assert contract.pdf.open("rb").read(5) == b"%PDF-"
    # signed contracts are published, as the publishing task leaves them
    signed = Contract.objects.filter(activated_at__isnull=False)
    assert ContractPublication.objects.count() == signed.count() > 0
    assert not ContractPublication.objects.filter(published_at__lt=F("signed_at")).exists()
    # and their OCDS releases are built, as the nightly refresh builds them
    contract_releases = [tags for tags in Release.objects.values_list("tags", flat=True)]
    assert sum("contract" in tags for tags in contract_releases) >= signed.count()


def test_seed_scale_rows_depend_on_the_seed_and_a_seed_loads_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def fingerprint(seed):
        prefix = f"SC{seed}-"
        bids = Bid.objects.filter(lot__round__code__startswith=prefix).order_by("id")
        return [(str(b.price), b.status, b.submitted_at) for b in bids]

    _seed("--seed=3")
    _seed("--seed=4", "--force")
    assert fingerprint(3) != fingerprint(4)
    first = fingerprint(3)
    with pytest.raises(CommandError, match="already holds the city of --seed 3"):
        _seed("--seed=3", "--force")
    assert fingerprint(3) == first


def test_seed_scale_refuses_a_database_with_real_data_unless_forced(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    UserFactory(username="real-officer")
    with pytest.raises(CommandError, match="did not create"):
        _seed()
    assert not Round.objects.exists()
    _seed("--force")
    assert Round.objects.count() == 12
