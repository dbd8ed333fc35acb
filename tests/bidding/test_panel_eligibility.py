"""Who may sit on a review panel, and how large it must be (财政部令第87号 Art 47, 48)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bidding.models import ExpertProfile, Lot, PanelDraw
from bidding.services import panels as panel_services
from organizations.models import Organization
from purchase_portal.errors import ApplicationError
from tests.factories import (
    ExpertProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    service_category,
)
from tests.helpers import as_user

from .review_setup import assignments, draw_panel, opened_round, pool

pytestmark = pytest.mark.django_db


def _staff_experts() -> list:
    """Pool profiles held by the federation's own staff, with the matching speciality
    so that, if they were eligible, they would be drawn first."""
    category = [service_category()]
    federation = OrganizationFactory(category=Organization.Category.FEDERATION)
    member = ExpertProfileFactory(specialities=category).user
    MembershipFactory(organization=federation, user=member)
    users = [member]
    for role in ("officer", "approver", "finance"):
        users.append(
            ExpertProfileFactory(
                user=UserFactory(roles=["expert", role]), specialities=category
            ).user
        )
    return users


def test_the_federations_own_staff_are_never_drawn_as_experts(officer):
    round_ = opened_round()
    staff = _staff_experts()
    independent = pool(5)
    draw = panel_services.panel_draw(round=round_, user=officer)
    candidates = draw.pool["preferred"] + draw.pool["others"]
    for user in staff:
        assert user.pk not in candidates
        assert user.pk not in draw.result
    assert sorted(draw.result) == sorted(u.pk for u in independent)
    assert "federation's own staff" in draw.rule


def test_staff_do_not_make_up_a_pool_that_is_too_small(officer):
    round_ = opened_round()
    _staff_experts()
    pool(3)
    with pytest.raises(ApplicationError) as exc:
        panel_services.panel_draw(round=round_, user=officer)
    assert exc.value.code == "pool_too_small"
    assert not PanelDraw.objects.exists()


def test_staff_are_never_drawn_as_replacements(officer):
    round_ = opened_round()
    draw_panel(round_, officer, extra=0)
    lot = round_.lots.get()
    staff = _staff_experts()
    seat = assignments(lot)[0]
    declared = panel_services.assignment_declare(
        assignment=seat, user=seat.expert, conflict="other", details="曾任该机构理事"
    )
    declared.refresh_from_db()
    assert declared.replaced_by_id is None
    assert not set(u.pk for u in staff) & set(lot.assignments.values_list("expert_id", flat=True))


def test_an_officer_cannot_be_added_to_the_pool(officer, approver):
    with pytest.raises(ApplicationError) as exc:
        panel_services.expert_save(user=officer, expert_user=approver)
    assert exc.value.code == "buyer_staff"
    assert "username" in exc.value.fields
    assert not ExpertProfile.objects.filter(user=approver).exists()


def test_the_pool_page_refuses_federation_staff_on_the_field(client, officer, finance):
    as_user(client, officer)
    response = client.post(
        reverse("bidding:expert-create"),
        {"username": finance.username, "employer": "区残联", "specialities": [], "active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not ExpertProfile.objects.filter(user=finance).exists()


# Panel size --------------------------------------------------------------------------


def _large_round(panel_size: int):
    round_ = opened_round(panel_size=panel_size)
    Lot.objects.filter(round=round_).update(cap=Decimal("10000000.00"))
    return round_


def test_a_lot_of_ten_million_needs_at_least_seven_experts(officer):
    round_ = _large_round(5)
    pool(9)
    with pytest.raises(ApplicationError) as exc:
        panel_services.panel_draw(round=round_, user=officer)
    assert exc.value.code == "panel_size"
    assert "7" in str(exc.value.fields["panel_size"])
    assert not PanelDraw.objects.exists()


def test_a_lot_of_ten_million_is_drawn_with_seven(officer):
    round_ = _large_round(7)
    pool(9)
    assert panel_services.panel_draw(round=round_, user=officer).size == 7


def test_a_lot_just_below_ten_million_keeps_five(officer):
    round_ = opened_round(panel_size=5)
    Lot.objects.filter(round=round_).update(cap=Decimal("9999999.99"))
    pool(6)
    assert panel_services.panel_draw(round=round_, user=officer).size == 5


def test_a_failed_large_lot_does_not_raise_the_minimum(officer):
    round_ = opened_round(panel_size=5, lots=2)
    Lot.objects.filter(round=round_, number=2).update(
        cap=Decimal("12000000.00"), status=Lot.Status.FAILED
    )
    assert panel_services.minimum_panel_size(round=round_) == 5
    Lot.objects.filter(round=round_, number=2).update(status=Lot.Status.OPEN)
    assert panel_services.minimum_panel_size(round=round_) == 7


def test_the_api_refuses_a_small_panel_for_a_large_lot(api, officer):
    round_ = _large_round(5)
    pool(9)
    as_user(api, officer)
    response = api.post("/api/v1/panels/draw/", {"round": round_.pk}, format="json")
    assert response.status_code == 400
    assert "panel_size" in str(response.json())
    assert not PanelDraw.objects.exists()


def test_the_review_page_states_the_eligibility_rule_and_the_minimum(client, officer):
    round_ = _large_round(7)
    as_user(client, officer)
    page = client.get(reverse("bidding:review-round", args=[round_.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="panel-eligibility"' in html
    assert "87" in html and "Art 47" in html
    assert "at least 7" in html


def test_the_admin_refuses_federation_staff_in_the_pool(client, django_user_model, approver):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-123")
    admin.groups.add(*UserFactory(roles=["officer"]).groups.all())
    client.force_login(admin)
    response = client.post(
        reverse("admin:bidding_expertprofile_add"),
        {"user": approver.pk, "employer": "区残联", "specialities": [], "active": "on"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"]
    assert not ExpertProfile.objects.filter(user=approver).exists()
