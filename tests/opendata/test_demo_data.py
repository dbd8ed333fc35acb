"""Everything the demo data publishes validates against the vendored OCDS 1.1.5
schemas (offline), and the demo's rounds keep sealed content sealed."""

import gzip
import io
import json

import pytest
from django.core.management import call_command

from bidding.models import Lot
from opendata import packages
from opendata.models import BulkFile, Release
from opendata.ocds import ocid_for

from .helpers import package_errors, releases_of

pytestmark = pytest.mark.django_db


def test_every_demo_release_and_record_package_validates_and_sealed_rounds_stay_sealed():
    call_command("seed_demo", stdout=io.StringIO())
    ocids = sorted(set(Release.objects.values_list("ocid", flat=True)))
    assert len(ocids) >= 5
    tags = {t for tagset in Release.objects.values_list("tags", flat=True) for t in tagset}
    assert {"planning", "tender", "tenderUpdate", "contract", "implementation"} <= tags
    for ocid in ocids:
        assert package_errors(ocid) == [], ocid

    lots = Lot.objects.exclude(round__status="draft").select_related("round")
    states = set()
    for lot in lots:
        releases = releases_of(ocid_for(round_code=lot.round.code, lot_number=lot.number))
        tender = [r for r in releases if r["tag"][0].startswith(("planning", "tender"))]
        text = json.dumps(tender, ensure_ascii=False)
        states.add((lot.round.status, lot.round.opened_at is not None))
        if lot.round.opened_at is None:
            assert "tenderer" not in text, lot
            for bid in lot.bids.select_related("organization"):
                assert bid.organization.credit_code not in text, lot
        else:
            opening = next(r for r in releases if r["tag"] == ["tenderUpdate"])
            submitted = lot.bids.exclude(status__in=["draft", "withdrawn"]).count()
            assert opening["tender"]["numberOfTenderers"] == submitted
    assert ("published", False) in states  # the demo has a round still sealed

    bulk = BulkFile.objects.get()
    with bulk.file.open("rb") as fh:
        lines = gzip.decompress(fh.read()).decode().splitlines()
    assert len(lines) == Release.objects.count() == bulk.release_count
    package = packages.release_package(
        uri="https://example.org/bulk", releases=[json.loads(line) for line in lines]
    )
    assert packages.errors(package, "release") == []
