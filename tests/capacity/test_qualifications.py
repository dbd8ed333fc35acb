import pytest
from django.utils import timezone

from capacity import selectors, services
from capacity.models import RoundStaffMinimum, StaffQualification
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from tests.factories import BidFactory, LotFactory, OrganizationFactory, RoundFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def _counts(**kw):
    return {
        "assistant_social_workers": 0,
        "social_workers": 0,
        "senior_social_workers": 0,
        "other_certificates": 0,
        **kw,
    }


def test_org_admin_enters_and_corrects_a_years_counts(org, org_admin):
    services.qualification_save(
        user=org_admin, organization=org, year=THIS_YEAR, **_counts(assistant_social_workers=3)
    )
    services.qualification_save(
        user=org_admin, organization=org, year=THIS_YEAR, **_counts(social_workers=2)
    )
    row = StaffQualification.objects.get()
    assert (row.assistant_social_workers, row.social_workers) == (0, 2)


def test_only_the_organizations_admin_or_an_officer_updates_counts(
    org, org_member, other_admin, auditor, officer
):
    for user in (org_member, other_admin, auditor):
        with pytest.raises(PermissionDeniedError):
            services.qualification_save(user=user, organization=org, year=THIS_YEAR, **_counts())
    services.qualification_save(user=officer, organization=org, year=THIS_YEAR, **_counts())
    assert StaffQualification.objects.count() == 1


@pytest.mark.parametrize(
    ("year", "counts", "field"),
    [
        (THIS_YEAR + 1, {}, "year"),
        (1990, {}, "year"),
        (THIS_YEAR, {"social_workers": -1}, "social_workers"),
        (THIS_YEAR, {"social_workers": "many"}, "social_workers"),
        (THIS_YEAR, {"other_certificates": 2}, "other_description"),
    ],
)
def test_bad_counts_are_refused_with_a_field_message(org, org_admin, year, counts, field):
    with pytest.raises(ApplicationError) as exc:
        services.qualification_save(
            user=org_admin, organization=org, year=year, **_counts(**counts)
        )
    assert field in exc.value.fields
    assert not StaffQualification.objects.exists()


def _minimum(officer, round_, **kw):
    values = {"min_certified": 3, "min_social_workers_or_above": 1, "min_senior": 0, **kw}
    return services.round_minimum_set(user=officer, round=round_, **values)


def test_minimum_is_set_on_a_draft_round_only(officer):
    draft = RoundFactory(status="draft")
    minimum = _minimum(officer, draft)
    assert minimum.min_certified == 3
    published = RoundFactory()
    with pytest.raises(ConflictError):
        _minimum(officer, published)
    with pytest.raises(ApplicationError) as exc:
        _minimum(officer, draft, min_certified=1, min_social_workers_or_above=2)
    assert "min_certified" in exc.value.fields
    assert RoundStaffMinimum.objects.get().min_certified == 3


def test_staff_check_counts_levels_upwards_and_uses_the_previous_year(officer, org, org_admin):
    round_ = RoundFactory(status="draft", year=THIS_YEAR)
    minimum = _minimum(officer, round_, min_certified=3, min_social_workers_or_above=2)
    assert selectors.staff_check(minimum=minimum, organization_id=org.pk).met is None
    services.qualification_save(
        user=org_admin,
        organization=org,
        year=THIS_YEAR - 1,
        **_counts(assistant_social_workers=1, social_workers=1, senior_social_workers=1),
    )
    check = selectors.staff_check(minimum=minimum, organization_id=org.pk)
    assert check.met is True and check.record.year == THIS_YEAR - 1
    services.qualification_save(
        user=org_admin,
        organization=org,
        year=THIS_YEAR,
        **_counts(assistant_social_workers=3, social_workers=1),
    )
    check = selectors.staff_check(minimum=minimum, organization_id=org.pk)
    assert check.met is False and check.record.year == THIS_YEAR
    assert len(check.shortfalls) == 1


def test_bidders_are_checked_only_after_the_opening(officer, org, org_admin):
    round_ = RoundFactory(status="draft", year=THIS_YEAR)
    minimum = _minimum(officer, round_, min_certified=1, min_social_workers_or_above=0)
    lot = LotFactory(round=round_)
    BidFactory(lot=lot, organization=org, status="submitted")
    BidFactory(lot=lot, organization=OrganizationFactory(), status="submitted")
    services.qualification_save(
        user=org_admin, organization=org, year=THIS_YEAR, **_counts(social_workers=1)
    )
    minimum.refresh_from_db()
    assert selectors.round_staff_checks(minimum=minimum) == []  # sealed
    round_.opened_at = timezone.now()
    round_.save(update_fields=["opened_at"])
    minimum = RoundStaffMinimum.objects.select_related("round").get(pk=minimum.pk)
    results = {
        org_id: check.met for org_id, _name, check in selectors.round_staff_checks(minimum=minimum)
    }
    assert results[org.pk] is True
    assert list(results.values()).count(None) == 1
