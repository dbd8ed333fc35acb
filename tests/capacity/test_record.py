from decimal import Decimal

import pytest
from django.utils import timezone

from capacity import selectors
from tests.factories import AwardFactory, BidFactory, LotFactory, RoundFactory

from .helpers import attended, incubation, member, register, session

pytestmark = pytest.mark.django_db


def test_record_counts_opened_bids_final_wins_training_and_incubation(
    officer, org, org_admin, mentor, django_assert_max_num_queries
):
    year = timezone.localdate().year
    opened = RoundFactory(year=year - 1, status="final", opened_at=timezone.now())
    sealed = RoundFactory(year=year - 1)  # deadline not passed: bids sealed
    BidFactory(lot=LotFactory(round=opened), organization=org, status="not_awarded")
    AwardFactory(
        bid=BidFactory(lot=LotFactory(round=opened), organization=org, status="awarded"),
        amount=Decimal("120000.00"),
    )
    BidFactory(lot=LotFactory(round=sealed), organization=org, status="submitted")
    sess = session(officer, hours="2.5")
    registration = register(org_admin, sess, org, member(org))
    attended(officer, sess, [registration])
    incubation(officer, org, mentor_user=mentor)

    with django_assert_max_num_queries(8):
        record = selectors.organization_record(organization=org)
    by_year = {row.year: row for row in record.years}
    last = by_year[year - 1]
    assert (last.bids, last.wins, last.awarded) == (2, 1, Decimal("120000.00"))
    session_year = timezone.localtime(sess.starts_at).year
    assert by_year[session_year].training_hours == Decimal("2.5")
    assert by_year[session_year].people_trained == 1
    assert [i.status for i in record.incubations] == ["incubating"]
    assert [row.year for row in record.years] == sorted(by_year, reverse=True)


def test_record_of_an_organization_with_nothing_is_empty(org):
    record = selectors.organization_record(organization=org)
    assert record.years == [] and record.incubations == []
