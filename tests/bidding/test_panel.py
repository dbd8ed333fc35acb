"""Expert pool, panel draws and conflict-of-interest declarations (回避)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bidding.models import ExpertProfile, LotAssignment, PanelDraw, Round, ScoreSheet
from bidding.services import panels as panel_services
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent
from purchase_portal.roles import Role, has_role
from tests.factories import (
    ExpertProfileFactory,
    MembershipFactory,
    UserFactory,
    service_category,
)
from tests.helpers import as_user

from .review_setup import (
    assignments,
    draw_panel,
    in_review_round,
    opened_round,
    pool,
)

A = LotAssignment.Status
pytestmark = pytest.mark.django_db


# Expert pool ----------------------------------------------------------------------


def test_an_officer_adds_a_user_to_the_pool_and_gives_them_the_expert_role(officer):
    person = UserFactory()
    profile = panel_services.expert_save(
        user=officer,
        expert_user=person,
        employer="华东师范大学",
        specialities=[service_category("rehabilitation")],
    )
    person.__dict__.pop("_portal_roles", None)
    assert profile.active
    assert has_role(person, Role.EXPERT)
    assert list(profile.specialities.values_list("code", flat=True)) == ["rehabilitation"]
    assert AuditEvent.objects.filter(action="expert.create", object_id=str(profile.pk)).exists()


def test_only_officers_manage_the_pool(approver):
    with pytest.raises(PermissionDeniedError):
        panel_services.expert_save(user=approver, expert_user=UserFactory())
    assert not ExpertProfile.objects.exists()


def test_the_pool_page_lets_officers_add_experts(client, officer):
    person = UserFactory(username="zhoumin")
    as_user(client, officer)
    response = client.post(
        reverse("bidding:expert-create"),
        {"username": "zhoumin", "employer": "上海大学", "specialities": [], "active": "on"},
    )
    assert response.status_code == 302
    assert ExpertProfile.objects.filter(user=person, employer="上海大学").exists()
    page = client.get(reverse("bidding:expert-pool"))
    assert "上海大学" in page.content.decode()


def test_the_pool_page_reports_an_unknown_user_on_the_field(client, officer):
    as_user(client, officer)
    response = client.post(reverse("bidding:expert-create"), {"username": "nobody"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_experts_and_organizations_cannot_open_the_pool(client, org_admin):
    expert = ExpertProfileFactory().user
    for user in (expert, org_admin):
        as_user(client, user)
        assert client.get(reverse("bidding:expert-pool")).status_code == 403
        assert client.get(reverse("bidding:expert-create")).status_code == 403


# Draws ---------------------------------------------------------------------------------


def test_the_draw_seats_the_panel_on_every_lot_and_is_reproducible_from_its_seed(officer):
    round_ = opened_round(lots=2)
    draw = draw_panel(round_, officer, extra=4)
    assert draw.kind == PanelDraw.Kind.PANEL
    assert len(draw.seed) == 32 and draw.size == 5
    assert len(draw.result) == len(set(draw.result)) == 5
    again = panel_services.draw_from(
        seed=draw.seed,
        preferred=draw.pool["preferred"],
        others=draw.pool["others"],
        size=draw.size,
    )
    assert again == draw.result
    assert panel_services.draw_verifies(draw)
    for lot in round_.lots.all():
        seated = sorted(a.expert_id for a in assignments(lot))
        assert seated == sorted(draw.result)
        assert {a.status for a in assignments(lot)} == {A.PENDING}
    assert AuditEvent.objects.filter(action="panel.draw", object_id=str(draw.pk)).exists()


def test_the_pool_is_sorted_by_id_so_a_tampered_result_does_not_verify(officer):
    round_ = opened_round()
    draw = draw_panel(round_, officer)
    assert draw.pool["preferred"] == sorted(draw.pool["preferred"])
    draw.result = list(reversed(draw.result))
    assert not panel_services.draw_verifies(draw)


def test_experts_with_a_matching_speciality_are_drawn_first(officer):
    round_ = opened_round()  # the lot's category: rehabilitation
    matching = pool(5, categories=[service_category("rehabilitation")])
    pool(6, categories=[service_category("employment")])
    draw = panel_services.panel_draw(round=round_, user=officer)
    assert sorted(draw.result) == sorted(u.pk for u in matching)
    assert "speciality-first" in draw.rule


def test_members_of_bidding_organizations_are_never_drawn(officer):
    round_ = opened_round()
    bidder = round_.lots.get().bids.first().organization
    insider = ExpertProfileFactory(specialities=[service_category()]).user
    MembershipFactory(organization=bidder, user=insider)
    pool(5)
    draw = panel_services.panel_draw(round=round_, user=officer)
    assert insider.pk not in draw.result
    assert insider.pk not in draw.pool["preferred"] + draw.pool["others"]


def test_pool_profiles_without_the_expert_role_are_never_drawn(officer):
    round_ = opened_round()
    roleless = ExpertProfileFactory(user=UserFactory(), specialities=[service_category()]).user
    assert not has_role(roleless, Role.EXPERT)
    pool(5)
    draw = panel_services.panel_draw(round=round_, user=officer)
    assert roleless.pk not in draw.result
    assert roleless.pk not in draw.pool["preferred"] + draw.pool["others"]


def test_a_too_small_pool_is_refused(officer):
    round_ = opened_round()
    pool(4)
    with pytest.raises(ApplicationError) as exc:
        panel_services.panel_draw(round=round_, user=officer)
    assert exc.value.code == "pool_too_small"
    assert not PanelDraw.objects.exists()


@pytest.mark.parametrize(("kind", "size"), [("bidding", 4), ("bidding", 3), ("venture", 4)])
def test_the_panel_must_be_odd_and_large_enough(officer, kind, size):
    round_ = opened_round(kind=kind, panel_size=size)
    pool(9)
    with pytest.raises(ApplicationError) as exc:
        panel_services.panel_draw(round=round_, user=officer)
    assert exc.value.code == "panel_size"


def test_a_venture_round_may_draw_three_experts(officer):
    round_ = opened_round(kind=Round.Kind.VENTURE, panel_size=3, prices=[Decimal("90000")] * 3)
    pool(4)
    assert panel_services.panel_draw(round=round_, user=officer).size == 3


def test_a_round_is_drawn_once(officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    with pytest.raises(ConflictError):
        panel_services.panel_draw(round=round_, user=officer)


def test_no_draw_before_the_opening(officer):
    round_ = opened_round(status=Round.Status.CLOSED)
    pool(6)
    with pytest.raises(ConflictError):
        panel_services.panel_draw(round=round_, user=officer)


def test_only_officers_draw(approver):
    round_ = opened_round()
    pool(6)
    with pytest.raises(PermissionDeniedError):
        panel_services.panel_draw(round=round_, user=approver)


def test_the_draw_through_the_api(api, officer, approver):
    round_ = opened_round()
    pool(6)
    as_user(api, approver)
    refused = api.post("/api/v1/panels/draw/", {"round": round_.pk}, format="json")
    assert refused.status_code == 403
    assert not PanelDraw.objects.exists()
    as_user(api, officer)
    response = api.post("/api/v1/panels/draw/", {"round": round_.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reproducible"] is True
    assert len(body["result"]) == 5
    assert api.post("/api/v1/panels/draw/", {"round": round_.pk}, format="json").status_code == 409
    draws = api.get("/api/v1/panels/draws/", {"round": round_.pk}).json()["results"]
    assert [d["seed"] for d in draws] == [body["seed"]]
    bad = api.post("/api/v1/panels/draw/", {"round": round_.pk, "size": 9}, format="json")
    assert bad.status_code == 400 and "size" in bad.json()


def test_experts_see_no_draw_records(api, officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    expert = assignments(round_.lots.get())[0].expert
    as_user(api, expert)
    assert api.get("/api/v1/panels/draws/").json()["results"] == []


# Declarations -------------------------------------------------------------------------


def test_no_conflict_activates_the_expert_and_opens_their_sheet(officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    assignment = assignments(round_.lots.get())[0]
    declared = panel_services.assignment_declare(
        assignment=assignment, user=assignment.expert, conflict="none"
    )
    assert declared.status == A.ACTIVE
    assert declared.declared_at is not None
    assert ScoreSheet.objects.filter(assignment=declared, status="draft").exists()
    assert AuditEvent.objects.filter(
        action="lot_assignment.accept", object_id=str(assignment.pk)
    ).exists()


def test_a_conflict_recuses_the_expert_and_draws_a_recorded_replacement(officer):
    round_ = opened_round()
    draw_panel(round_, officer, extra=3)
    lot = round_.lots.get()
    assignment = assignments(lot)[0]
    bidder = lot.bids.first().organization
    declared = panel_services.assignment_declare(
        assignment=assignment, user=assignment.expert, conflict="employment", organization=bidder
    )
    assert declared.status == A.RECUSED
    assert declared.conflict_organization == bidder
    replacement = declared.replaced_by
    assert replacement is not None and replacement.status == A.PENDING
    assert replacement.expert_id not in round_.panel_draws.get(kind="panel").result
    draw = replacement.draw
    assert draw.kind == PanelDraw.Kind.REPLACEMENT
    assert draw.replaces == declared and draw.lot == lot
    assert draw.result == [replacement.expert_id]
    assert panel_services.draw_verifies(draw)
    assert assignment.expert_id not in draw.pool["preferred"] + draw.pool["others"]


def test_without_a_free_expert_the_seat_waits_for_the_officer(officer):
    round_ = opened_round()
    draw_panel(round_, officer, extra=0)
    assignment = assignments(round_.lots.get())[0]
    declared = panel_services.assignment_declare(
        assignment=assignment, user=assignment.expert, conflict="other", details="曾参与方案编写"
    )
    assert declared.status == A.RECUSED and declared.replaced_by is None
    with pytest.raises(ApplicationError):
        panel_services.panel_replace(assignment=declared, user=officer)
    ExpertProfileFactory(specialities=[service_category()])
    replacement = panel_services.panel_replace(assignment=declared, user=officer)
    assert replacement.status == A.PENDING


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"conflict": "employment"}, "organization"),
        ({"conflict": "family"}, "organization"),
        ({"conflict": "other", "details": " "}, "details"),
        ({"conflict": "maybe"}, "conflict"),
    ],
)
def test_a_declaration_needs_its_grounds(officer, data, field):
    round_ = opened_round()
    draw_panel(round_, officer)
    assignment = assignments(round_.lots.get())[0]
    with pytest.raises(ApplicationError) as exc:
        panel_services.assignment_declare(assignment=assignment, user=assignment.expert, **data)
    assert field in exc.value.fields
    assignment.refresh_from_db()
    assert assignment.status == A.PENDING


def test_the_declared_organization_must_be_a_bidder_of_the_lot(officer, other_org):
    round_ = opened_round()
    draw_panel(round_, officer)
    assignment = assignments(round_.lots.get())[0]
    with pytest.raises(ApplicationError) as exc:
        panel_services.assignment_declare(
            assignment=assignment, user=assignment.expert, conflict="family", organization=other_org
        )
    assert "organization" in exc.value.fields


def test_an_expert_declares_only_once_and_only_for_themselves(officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    first, second = assignments(round_.lots.get())[:2]
    with pytest.raises(PermissionDeniedError):
        panel_services.assignment_declare(assignment=first, user=second.expert, conflict="none")
    panel_services.assignment_declare(assignment=first, user=first.expert, conflict="none")
    with pytest.raises(ConflictError):
        panel_services.assignment_declare(
            assignment=first, user=first.expert, conflict="other", details="x"
        )


def test_declaring_through_the_api_shows_bidder_names_only(api, officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    assignment = assignments(lot)[0]
    as_user(api, assignment.expert)
    bidders = api.get(f"/api/v1/panels/{assignment.pk}/bidders/").json()
    assert sorted(b["name"] for b in bidders) == sorted(b.organization.name for b in lot.bids.all())
    assert set(bidders[0]) == {"id", "name"}
    bad = api.post(
        f"/api/v1/panels/{assignment.pk}/declare/", {"conflict": "family"}, format="json"
    )
    assert bad.status_code == 400 and "organization" in bad.json()
    ok = api.post(f"/api/v1/panels/{assignment.pk}/declare/", {"conflict": "none"}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["status"] == "active"
    assert ok.json()["sheet"] is not None


def test_another_expert_cannot_see_or_declare_on_my_seat(api, officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    first = assignments(round_.lots.get())[0]
    stranger = ExpertProfileFactory().user
    as_user(api, stranger)
    assert api.get(f"/api/v1/panels/{first.pk}/").status_code == 404
    assert (
        api.post(
            f"/api/v1/panels/{first.pk}/declare/", {"conflict": "none"}, format="json"
        ).status_code
        == 404
    )
    assert api.get(f"/api/v1/panels/{first.pk}/bidders/").status_code == 404
    first.refresh_from_db()
    assert first.status == A.PENDING


def test_staff_see_the_declarations_but_cannot_declare(api, officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    first = assignments(round_.lots.get())[0]
    as_user(api, officer)
    assert api.get(f"/api/v1/panels/{first.pk}/").status_code == 200
    response = api.post(f"/api/v1/panels/{first.pk}/declare/", {"conflict": "none"}, format="json")
    assert response.status_code == 403


def test_an_expert_with_a_declared_conflict_cannot_read_the_lot(client, api, officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    recused = assignments(lot)[0]
    panel_services.assignment_declare(
        assignment=recused,
        user=recused.expert,
        conflict="family",
        organization=lot.bids.first().organization,
    )
    as_user(client, recused.expert)
    assert client.get(reverse("bidding:review-score", args=[lot.pk])).status_code == 403
    assert client.get(reverse("bidding:review-result", args=[lot.pk])).status_code == 403
    assert client.get(reverse("bidding:review-result-xlsx", args=[lot.pk])).status_code == 403
    assert client.get(reverse("bidding:bid-detail", args=[lot.bids.first().pk])).status_code in (
        403,
        404,
    )
    as_user(api, recused.expert)
    bid = lot.bids.first()
    response = api.post(
        "/api/v1/scores/",
        {"lot": lot.pk, "scores": [{"bid": bid.pk, "criterion": 1, "points": "1"}]},
        format="json",
    )
    assert response.status_code == 403
    assert api.get("/api/v1/scores/results/", {"lot": lot.pk}).status_code == 403
    # The bids themselves: the sealing rule lets only active assignments read them.
    assert api.get(f"/api/v1/bids/{bid.pk}/").status_code == 404


def test_an_undeclared_expert_cannot_read_the_bids_yet(client, officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    pending = assignments(lot)[0]
    as_user(client, pending.expert)
    response = client.get(reverse("bidding:review-score", args=[lot.pk]))
    assert response.status_code == 403
    assert lot.bids.first().service_plan not in response.content.decode()


def test_the_declaration_page(client, officer):
    round_ = opened_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    assignment = assignments(lot)[0]
    as_user(client, assignment.expert)
    page = client.get(reverse("bidding:review-declare", args=[assignment.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for bid in lot.bids.all():
        assert bid.organization.name in html
        assert bid.service_plan not in html
    invalid = client.post(
        reverse("bidding:review-declare", args=[assignment.pk]), {"conflict": "employment"}
    )
    assert invalid.status_code == 200
    assert invalid.context["form"].errors["organization"]
    done = client.post(
        reverse("bidding:review-declare", args=[assignment.pk]), {"conflict": "none"}
    )
    assert done.status_code == 302
    assert done.url == reverse("bidding:review-score", args=[lot.pk])


def test_my_assignments_lists_only_mine(api, client, officer):
    round_ = opened_round(lots=2)
    draw_panel(round_, officer)
    expert = assignments(round_.lots.first())[0].expert
    as_user(api, expert)
    mine = api.get("/api/v1/panels/mine/").json()["results"]
    assert {a["expert"] for a in mine} == {expert.pk}
    assert len(mine) == 2
    listed = api.get("/api/v1/panels/").json()["results"]
    assert {a["expert"] for a in listed} == {expert.pk}
    as_user(client, expert)
    page = client.get(reverse("bidding:review-assignments"))
    assert page.status_code == 200
    assert reverse("bidding:review-declare", args=[mine[0]["id"]]) in page.content.decode()


def test_the_pool_is_managed_in_the_admin_through_the_service(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-123")
    admin.groups.add(*UserFactory(roles=["officer"]).groups.all())
    person = UserFactory()
    client.force_login(admin)
    response = client.post(
        reverse("admin:bidding_expertprofile_add"),
        {
            "user": person.pk,
            "employer": "同济大学",
            "specialities": [service_category("education").pk],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content[:500]
    profile = ExpertProfile.objects.get(user=person)
    assert list(profile.specialities.values_list("code", flat=True)) == ["education"]
    assert AuditEvent.objects.filter(action="expert.create", actor=admin).exists()
    person.__dict__.pop("_portal_roles", None)
    assert has_role(person, Role.EXPERT)
    changelist = client.get(reverse("admin:bidding_lotassignment_changelist"))
    assert changelist.status_code == 200
