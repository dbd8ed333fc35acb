"""At each key stage of the lifecycle, the wrong role gets 403, another
organization (or anyone who may not see the object) gets 404, and nothing
changes: the objects keep their state and no audit event or notification is
written. The lifecycle itself is driven through the API (``steps``); the
refusals are checked on the pages and the API."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from bidding.models import (
    Award,
    Bid,
    BidSubmission,
    Lot,
    LotAssignment,
    Notice,
    Objection,
    Round,
    ScoreSheet,
)
from bidding.tasks import close_due_rounds, finalize_notices
from contracts.models import Contract, ContractSignature, PaymentTranche, Rectification
from projects.models import PurchaseProject
from purchase_portal.audit import snapshot, verify_chain
from purchase_portal.calendar import SHANGHAI
from purchase_portal.models import AuditEvent, Notification
from tests.factories import MembershipFactory, UserFactory

from . import steps
from .api import Api
from .browser import Browser
from .helpers import notification_links_open, start_monday


@contextmanager
def nothing_changes(*objects):
    """The objects keep every field, and no audit event or notification is written."""
    before = [snapshot(type(o).objects.get(pk=o.pk)) for o in objects]
    events, notes = AuditEvent.objects.count(), Notification.objects.count()
    yield
    assert [snapshot(type(o).objects.get(pk=o.pk)) for o in objects] == before
    assert AuditEvent.objects.count() == events
    assert Notification.objects.count() == notes


@pytest.mark.chinese_default
def test_sealed_bids_stay_sealed_for_every_staff_role_until_the_opening(cast):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    with time_machine.travel(start_monday(), tick=True) as clock:
        officer, approver = Api(cast.officer), Api(cast.approver)
        project = steps.approved_project(cast, officer, approver)
        round_id, lot_id = steps.published_round(officer, project)
        bidders = [Api(admin) for admin in cast.admins[:3]]
        bid_ids = [
            steps.submitted_bid(api, lot_id, price)
            for api, price in zip(bidders, steps.PRICES, strict=True)
        ]
        bids = list(Bid.objects.filter(pk__in=bid_ids).order_by("pk"))
        attachments = [b.attachments.get().pk for b in bids]
        staff = [cast.officer, cast.approver, cast.auditor, cast.finance, superuser]
        apis = {u.username: Api(u) for u in staff}
        browsers = {u.username: Browser(u) for u in staff}
        outsider = Api(cast.outsider)
        names = [b.organization.name for b in bids]
        # Encrypted at submission: the rows hold no price; the bidders' prices are these.
        assert all(b.price is None for b in bids)
        prices = [str(p) for p in steps.PRICES]

        with nothing_changes(*bids, Round.objects.get(pk=round_id)):
            for user in staff:
                api, browser = apis[user.username], browsers[user.username]
                # API: no rows, no detail, no receipt, no attachment, no audit events.
                assert api.results("/bids/", {"round": round_id}) == []
                assert api.results("/bids/", {"ordering": "-submitted_at"}) == []
                for bid, attachment in zip(bids, attachments, strict=True):
                    for path in (
                        f"/bids/{bid.pk}/",
                        f"/bids/{bid.pk}/receipt/",
                        f"/bids/{bid.pk}/attachments/",
                        f"/bids/{bid.pk}/attachments/{attachment}/",
                    ):
                        api.get(path, expect=404)
                    assert api.download(f"/bids/{bid.pk}/receipt-pdf/", expect=404)
                    api.post(f"/bids/{bid.pk}/withdraw/", expect=404)
                    api.post(f"/bids/{bid.pk}/qualify/", steps.CHECKS, expect=404)
                    # Pages: the bid, its receipt, its files do not exist for staff.
                    for url in (
                        reverse("bidding:bid-detail", args=[bid.pk]),
                        reverse("bidding:bid-receipt", args=[bid.pk]),
                        reverse("bidding:bid-receipt-pdf", args=[bid.pk]),
                        reverse("bidding:bid-attachment", args=[bid.pk, attachment]),
                    ):
                        browser.download(url, expect=404)
                if user in (cast.officer, cast.auditor):  # the readers of the audit trail
                    for kind in ("bidding.bid", "bidding.bidsubmission"):
                        assert api.results("/audit-events/", {"object_type": kind}) == []
                else:
                    api.get("/audit-events/", expect=403)
                # Staff who manage rounds see how many bids there are, nothing more.
                if user in (cast.officer, cast.approver, cast.auditor, cast.finance):
                    assert api.get(f"/rounds/{round_id}/bid-counts/")["total"] == 3
                    page = browser.get(reverse("bidding:round-detail", args=[round_id]))
                    for text in (*names, *prices):
                        assert text not in page.text
                    workbook = load_workbook(
                        io.BytesIO(browser.download(f"/rounds/{round_id}/bids.xlsx").body)
                    )
                    cells = " ".join(
                        str(c.value)
                        for ws in workbook.worksheets
                        for row in ws.iter_rows()
                        for c in row
                        if c.value is not None
                    )
                    for text in (*names, *prices):
                        assert text not in cells
                if user in (cast.officer, cast.auditor):
                    page = browser.get(reverse("audit-trail") + "?object_type=bidding.bid")
                    for text in names:
                        assert text not in page.text
            # The admin site: the superuser sees no bid row and cannot open one.
            admin = browsers["root"]
            receipts = list(
                BidSubmission.objects.filter(bid__in=bids).values_list("receipt_number", flat=True)
            )
            assert len(receipts) == 3
            for url in (
                "/admin/bidding/bid/",
                f"/admin/bidding/bid/?q={names[0]}",
                "/admin/bidding/bidsubmission/",
            ):
                page = admin.get(url)
                for text in (*names, *prices, *receipts):
                    assert text not in page.text, (url, text)
            for bid in bids:
                admin.download(f"/admin/bidding/bid/{bid.pk}/change/", expect=404)

            # Another organization: not found, and cannot withdraw.
            outsider.get(f"/bids/{bids[0].pk}/", expect=404)
            outsider.post(f"/bids/{bids[0].pk}/withdraw/", expect=404)
            Browser(cast.outsider).download(
                reverse("bidding:bid-detail", args=[bids[0].pk]), expect=404
            )
            # The opening is refused before the deadline.
            officer.post(f"/rounds/{round_id}/open/", expect=409)

        # After the deadline and the opening act, the officer and the auditor read
        # the bids; finance (not part of the procedure) still does not.
        clock.move_to(Round.objects.get(pk=round_id).opening_at + dt.timedelta(minutes=5))
        steps.opened_and_in_review(officer, round_id, bid_ids)
        for name in ("officer", "auditor"):
            assert apis[name].get(f"/bids/{bids[0].pk}/")["price"] == str(steps.PRICES[0])
            browsers[name].get(reverse("bidding:bid-detail", args=[bids[0].pk]))
        apis["finance"].get(f"/bids/{bids[0].pk}/", expect=404)
        assert len(apis["officer"].results("/audit-events/", {"object_type": "bidding.bid"})) > 0
    assert verify_chain() is None


@pytest.mark.chinese_default
def test_wrong_roles_are_refused_from_project_to_final_award(cast):
    steps.expert_pool(cast.expert_users)
    member = MembershipFactory(organization=cast.orgs[0], role="member").user
    with time_machine.travel(start_monday(), tick=True) as clock:
        officer, approver, finance = Api(cast.officer), Api(cast.approver), Api(cast.finance)
        org = Api(cast.admins[0])

        # Projects: an approver does not draft or submit; an officer does not approve.
        project = steps.approved_project(cast, officer, approver)
        with nothing_changes():
            approver.post(
                "/projects/",
                {
                    "title": "领导起草的项目",
                    "catalogue_item": project["catalogue_item"],
                    "budget_ceiling": "1000.00",
                    "duration_months": 6,
                },
                expect=403,
            )
        org.get(f"/projects/{project['id']}/", expect=404)
        with nothing_changes():
            officer.post("/projects/", {}, expect=400)
        second = officer.post(
            "/projects/",
            {
                "title": "第二个项目",
                "catalogue_item": project["catalogue_item"],
                "need": "辅具适配需求",
                "target_disability_categories": ["1"],
                "target_grades": ["1"],
                "streets": [cast.street.pk],
                "planned_beneficiaries": 10,
                "budget_ceiling": "1000.00",
                "duration_months": 6,
                "targets": [
                    {"kind": "output", "indicator": "适配人数", "target_value": "10", "unit": "人"}
                ],
            },
            expect=201,
        )
        draft = PurchaseProject.objects.get(pk=second["id"])
        with nothing_changes(draft):
            approver.post(f"/projects/{draft.pk}/submit/", expect=403)
            Browser(cast.approver).post(
                reverse("projects:transition", args=[draft.pk, "submit"]), expect=403
            )
        officer.post(f"/projects/{draft.pk}/submit/")
        draft.refresh_from_db()
        with nothing_changes(draft):
            officer.post(f"/projects/{draft.pk}/approve/", expect=403)
            Browser(cast.officer).post(
                reverse("projects:transition", args=[draft.pk, "approve"]), expect=403
            )
            org.post(f"/projects/{draft.pk}/approve/", expect=404)

        # Rounds: only officers set up and publish; organizations cannot create one.
        org.post("/rounds/", {"title": "x", "kind": "bidding"}, expect=403)
        round_id, lot_id = steps.published_round(officer, project)
        round_ = Round.objects.get(pk=round_id)
        with nothing_changes(round_):
            approver.post(f"/rounds/{round_id}/cancel/", {"reason": "不需要"}, expect=403)
            Browser(cast.approver).post(
                reverse("bidding:round-action", args=[round_id, "cancel"]),
                {"reason": "不需要"},
                expect=403,
            )

        bid_ids = [
            steps.submitted_bid(Api(admin), lot_id, price)
            for admin, price in zip(cast.admins[:3], steps.PRICES, strict=True)
        ]
        clock.move_to(round_.opening_at + dt.timedelta(minutes=5))
        assert close_due_rounds.delay().get() == [round_id]
        round_.refresh_from_db()
        with nothing_changes(round_):
            approver.post(f"/rounds/{round_id}/open/", expect=403)
            Browser(cast.auditor).post(
                reverse("bidding:round-action", args=[round_id, "open"]), expect=403
            )
            # Only the round's opening officers present shares of its key.
            approver.post(
                f"/rounds/{round_id}/present-share/", {"password": steps.KEY_PASSWORD}, expect=403
            )
        steps.present_shares(round_id)
        assert officer.post(f"/rounds/{round_id}/open/")["all_digests_ok"]
        bid = Bid.objects.get(pk=bid_ids[0])
        with nothing_changes(bid):
            approver.post(f"/bids/{bid.pk}/qualify/", steps.CHECKS, expect=403)
            org.post(f"/bids/{bid_ids[1]}/qualify/", steps.CHECKS, expect=404)
        for bid_id in bid_ids:
            officer.post(f"/bids/{bid_id}/qualify/", steps.CHECKS)
        officer.post(f"/lots/{lot_id}/complete-qualification/")
        officer.post(f"/rounds/{round_id}/start-review/")

        # The panel: only an officer draws it.
        with nothing_changes(round_):
            approver.post("/panels/draw/", {"round": round_id}, expect=403)
        draw = officer.post("/panels/draw/", {"round": round_id}, expect=201)
        drawn = [u for u in cast.expert_users if u.pk in draw["result"]]

        # An expert with a conflict of interest: recused, a replacement is drawn;
        # the expert then reads nothing of the lot and cannot score it.
        conflicted = Api(drawn[0])
        (seat,) = conflicted.results("/panels/mine/")
        # Before declaring, nothing of the bids is shown.
        conflicted.get(f"/bids/{bid_ids[0]}/", expect=404)
        conflicted.post(
            f"/panels/{seat['id']}/declare/",
            {"conflict": "employment", "organization": cast.orgs[1].pk},
        )
        assignment = LotAssignment.objects.get(pk=seat["id"])
        assert assignment.status == LotAssignment.Status.RECUSED
        assert assignment.replaced_by is not None
        criterion = next(
            c["id"]
            for c in officer.get(f"/rounds/{round_id}/")["criteria"]
            if c["kind"] == "technical"
        )
        with nothing_changes(assignment):
            conflicted.get(f"/bids/{bid_ids[1]}/", expect=404)
            conflicted.get("/scores/results/", {"lot": lot_id}, expect=403)
            conflicted.post(
                "/scores/",
                {
                    "lot": lot_id,
                    "scores": [{"bid": bid_ids[0], "criterion": criterion, "points": "50"}],
                },
                expect=403,
            )
            conflicted.post(f"/panels/{seat['id']}/declare/", {"conflict": "none"}, expect=409)
            page_user = Browser(drawn[0])
            page_user.download(reverse("bidding:review-score", args=[lot_id]), expect=403)
            page_user.download(reverse("bidding:review-result", args=[lot_id]), expect=403)
            page_user.download(reverse("bidding:bid-detail", args=[bid_ids[0]]), expect=404)
        assert not ScoreSheet.objects.filter(assignment_id=seat["id"]).exists()

        active = [a.expert for a in LotAssignment.objects.filter(lot_id=lot_id, status="active")]
        pending = [a.expert for a in LotAssignment.objects.filter(lot_id=lot_id, status="pending")]
        steps.score_and_sign(active + pending, lot_id, bid_ids, criterion)

        # Awards: the officer proposes, only the approver confirms.
        with nothing_changes():
            approver.post("/awards/propose/", {"lot": lot_id}, expect=403)
        (award,) = officer.post("/awards/propose/", {"lot": lot_id}, expect=201)
        proposed = Award.objects.get(pk=award["id"])
        with nothing_changes(proposed):
            officer.post(f"/awards/{award['id']}/confirm/", expect=403)
            finance.post(f"/awards/{award['id']}/confirm/", expect=403)
            Browser(cast.officer).post(reverse("bidding:review-confirm", args=[lot_id]), expect=403)
            org.get(f"/awards/{award['id']}/", expect=200)  # the winner sees its own
            Api(cast.admins[1]).get(f"/awards/{award['id']}/", expect=404)
        approver.post(f"/awards/{award['id']}/confirm/")

        # The notice: only an officer publishes; only participants object.
        with nothing_changes(round_):
            approver.post("/notices/", {"round": round_id}, expect=403)
        notice = officer.post("/notices/", {"round": round_id}, expect=201)
        with nothing_changes(Notice.objects.get(pk=notice["id"])):
            Api(cast.outsider).post(
                "/objections/",
                {
                    "notice": notice["id"],
                    "lot": lot_id,
                    "organization": cast.outsider_org.pk,
                    "grounds": "不服",
                },
                expect=403,
            )
            Api(member).post(
                "/objections/",
                {
                    "notice": notice["id"],
                    "lot": lot_id,
                    "organization": cast.orgs[1].pk,
                    "grounds": "冒名",
                },
                # another organization is not found for this user, as everywhere in the API
                expect=404,
            )
        objection = Api(cast.admins[1]).post(
            "/objections/",
            {
                "notice": notice["id"],
                "lot": lot_id,
                "organization": cast.orgs[1].pk,
                "grounds": "请复核价格分。",
            },
            expect=201,
        )
        filed = Objection.objects.get(pk=objection["id"])
        with nothing_changes(filed):
            approver.post(
                f"/objections/{filed.pk}/answer/", {"decision": "uphold", "answer": "x"}, expect=403
            )
            org.post(
                f"/objections/{filed.pk}/answer/",
                {"decision": "dismiss", "answer": "x"},
                expect=404,
            )
        # While the objection is open, the period's end does not make the awards final.
        clock.move_to(
            dt.datetime.fromisoformat(notice["objections_until"]) + dt.timedelta(minutes=1)
        )
        assert finalize_notices.delay().get() == []
        officer.post(
            f"/objections/{filed.pk}/answer/",
            {"decision": "dismiss", "answer": "价格分按公式计算，维持原结果。"},
        )
        assert finalize_notices.delay().get() == [notice["id"]]
        # After the period, objections are refused.
        with nothing_changes():
            Api(cast.admins[2]).post(
                "/objections/",
                {
                    "notice": notice["id"],
                    "lot": lot_id,
                    "organization": cast.orgs[2].pk,
                    "grounds": "逾期质疑",
                },
                expect=400,
            )
    assert verify_chain() is None


@pytest.mark.chinese_default
def test_contracts_and_payments_refuse_other_organizations_and_double_approvals(cast):
    steps.expert_pool(cast.expert_users[:5])
    member = MembershipFactory(organization=cast.orgs[0], role="member").user
    with time_machine.travel(start_monday(), tick=True) as clock:
        officer, approver, finance = Api(cast.officer), Api(cast.approver), Api(cast.finance)
        org, outsider = Api(cast.admins[0]), Api(cast.outsider)
        project = steps.approved_project(cast, officer, approver)
        round_id, lot_id = steps.published_round(officer, project)
        bid_ids = [
            steps.submitted_bid(Api(admin), lot_id, price)
            for admin, price in zip(cast.admins[:3], steps.PRICES, strict=True)
        ]
        clock.move_to(Round.objects.get(pk=round_id).opening_at + dt.timedelta(minutes=5))
        steps.opened_and_in_review(officer, round_id, bid_ids)
        officer.post("/panels/draw/", {"round": round_id}, expect=201)
        criterion = Round.objects.get(pk=round_id).criteria.get(kind="technical").pk
        steps.score_and_sign(cast.expert_users[:5], lot_id, bid_ids, criterion)
        contract = steps.final_contract(officer, approver, round_id, lot_id, clock)
        detail = f"/contracts/{contract.pk}"

        # The draft: only officers complete it; others cannot see it.
        with nothing_changes(contract):
            org.patch(f"{detail}/", {"deliverables": "自定"}, expect=403)
            outsider.get(f"{detail}/", expect=404)
            Api(cast.admins[1]).get(f"{detail}/", expect=404)
            org.post(f"{detail}/send_for_signature/", expect=403)
        officer.patch(f"{detail}/", {"deliverables": "入户康复服务900人次"})
        officer.post(f"{detail}/send_for_signature/")
        contract.refresh_from_db()

        # Signing: another organization's admin gets 404 (API and page); a plain
        # member of the winner and finance get 403; nothing is signed.
        with nothing_changes(contract):
            outsider.post(f"{detail}/sign/", {"side": "organization"}, expect=404)
            Browser(cast.outsider).post(
                reverse("contracts:action", args=[contract.pk, "sign"]),
                {"side": "organization"},
                expect=404,
            )
            Api(member).post(f"{detail}/sign/", {"side": "organization"}, expect=403)
            finance.post(f"{detail}/sign/", {"side": "federation"}, expect=403)
            org.post(f"{detail}/sign/", {"side": "federation"}, expect=403)
            officer.patch(f"{detail}/", {"deliverables": "改"}, expect=409)
        assert not ContractSignature.objects.filter(contract=contract).exists()
        approver.post(f"{detail}/sign/", {"side": "federation"})
        assert org.post(f"{detail}/sign/")["status"] == "active"
        outsider.download(f"{detail}/pdf/", expect=404)
        assert org.download(f"{detail}/pdf/").startswith(b"%PDF")

        # Payments: the first tranche (125,000 CNY, above the threshold).
        first = contract.tranches.get(order=1)
        second = contract.tranches.get(order=2)
        with nothing_changes(first, second):
            outsider.post(f"/payments/{first.pk}/request/", expect=404)
            Api(member).post(f"/payments/{first.pk}/request/", expect=403)
            org.post(f"/payments/{second.pk}/request/", expect=409)  # not eligible
            finance.post(f"/payments/{first.pk}/approve/", expect=409)  # not requested
        org.post(f"/payments/{first.pk}/request/")
        first.refresh_from_db()
        with nothing_changes(first):
            org.post(f"/payments/{first.pk}/approve/", expect=403)
            finance.post(
                f"/payments/{first.pk}/pay/",
                {"paid_on": "2020-01-01", "reference": "x"},
                expect=409,
            )
        finance.post(f"/payments/{first.pk}/approve/")
        first.refresh_from_db()
        assert first.status == PaymentTranche.Status.REQUESTED
        # Finance approving twice: refused on the API, no button on the page,
        # refused when posted anyway; the tranche still waits for the approver.
        with nothing_changes(first):
            finance.post(f"/payments/{first.pk}/approve/", expect=409)
            page = Browser(cast.finance).get(reverse("contracts:detail", args=[contract.pk]))
            approve_url = reverse("contracts:tranche-action", args=[first.pk, "approve"])
            assert not page.has_link(href=approve_url)
            page = page.browser.post(approve_url)
            assert any("already approved" in m for m in page.messages), page.messages
        approver.post(f"/payments/{first.pk}/approve/")
        with nothing_changes(first):
            approver.post(f"/payments/{first.pk}/approve/", expect=409)
            approver.post(
                f"/payments/{first.pk}/pay/",
                {"paid_on": "2020-01-01", "reference": "x"},
                expect=403,
            )
        with nothing_changes(first):
            # Finance approved it: separation of duties keeps it from recording the payment.
            finance.post(
                f"/payments/{first.pk}/pay/",
                {"paid_on": dt.datetime.now(SHANGHAI).date().isoformat(), "reference": "ZF-1"},
                expect=403,
            )
        Api(cast.cashier).post(
            f"/payments/{first.pk}/pay/",
            {"paid_on": dt.datetime.now(SHANGHAI).date().isoformat(), "reference": "ZF-1"},
        )
        first.refresh_from_db()
        assert first.status == PaymentTranche.Status.PAID
        with nothing_changes(first):
            finance.post(
                f"/payments/{first.pk}/pay/",
                {"paid_on": dt.datetime.now(SHANGHAI).date().isoformat(), "reference": "ZF-2"},
                expect=409,
            )

        # Reports and visits: the organization does not accept its own report;
        # another organization does not see it.
        report = contract.reports.order_by("number").first()
        org.post(
            f"/progress-reports/{report.pk}/submit/",
            {"activities": "开展服务", "activity_count": 3},
        )
        report.refresh_from_db()
        with nothing_changes(report):
            org.post(f"/progress-reports/{report.pk}/accept/", expect=403)
            outsider.get(f"/progress-reports/{report.pk}/", expect=404)
            outsider.post(f"/progress-reports/{report.pk}/accept/", expect=404)
            org.post(
                "/site-visits/",
                {
                    "contract": contract.pk,
                    "visit_date": "2020-01-01",
                    "findings": "x",
                    "rating": "good",
                },
                expect=403,
            )
        # Completion is the officer's.
        with nothing_changes(contract):
            org.post(f"{detail}/complete/", expect=403)
            approver.post(f"{detail}/complete/", expect=403)
    assert verify_chain() is None


@pytest.mark.chinese_default
def test_every_page_answers_every_person_in_chinese(cast):
    """Once a round has led to a contract in force (with a report, a site visit
    and a rectification), each person opens every page of the lifecycle in the
    portal's default language: no page fails, none shows an untranslated
    placeholder, and what a person may not see is refused, never an error."""
    steps.expert_pool(cast.expert_users[:5])
    with time_machine.travel(start_monday(), tick=True) as clock:
        # The officer's client asks for English; the portal's language is Chinese.
        officer, approver = Api(cast.officer, language="en"), Api(cast.approver)
        org = Api(cast.admins[0])
        project_data = steps.approved_project(cast, officer, approver)
        second_project = steps.approved_project(cast, officer, approver)
        round_id, lot_id = steps.published_round(officer, project_data, second_project)
        bid_ids = [
            steps.submitted_bid(Api(admin), lot_id, price)
            for admin, price in zip(cast.admins[:3], steps.PRICES, strict=True)
        ]
        round_ = Round.objects.get(pk=round_id)
        second_lot = round_.lots.get(number=2)
        # Two bids only on the second lot: it fails at the opening, unopened (87号令
        # Art 43); the round goes on.
        bid_ids += [
            steps.submitted_bid(Api(admin), second_lot.pk, price)
            for admin, price in zip(cast.admins[:2], steps.PRICES, strict=False)
        ]
        clock.move_to(round_.opening_at + dt.timedelta(minutes=5))
        steps.opened_and_in_review(officer, round_id, bid_ids)
        second_lot.refresh_from_db()
        assert second_lot.status == Lot.Status.FAILED
        with translation.override("zh-hans"):
            assert second_lot.status_reason == str(
                _(
                    "%(n)d bid(s) submitted by the deadline; a lot needs at least %(m)d. "
                    "The lot fails without being opened and may be re-tendered or bought by "
                    "another method (87号令 Art 43)."
                )
                % {"n": 2, "m": 3}
            )
        officer.post("/panels/draw/", {"round": round_id}, expect=201)
        criterion = round_.criteria.get(kind="technical").pk
        steps.score_and_sign(cast.expert_users[:5], lot_id, bid_ids[:3], criterion)
        contract = steps.final_contract(officer, approver, round_id, lot_id, clock)
        assert Contract.objects.count() == 1  # none for the failed lot
        notice = Notice.objects.get(round_id=round_id)
        assert notice.content["lots"][1]["reason"] == second_lot.status_reason
        page = Browser(language="zh-hans").get(reverse("bidding:notice-detail", args=[notice.pk]))
        assert second_lot.status_reason in page.text
        officer.patch(f"/contracts/{contract.pk}/", {"deliverables": "入户康复服务900人次"})
        officer.post(f"/contracts/{contract.pk}/send_for_signature/")
        approver.post(f"/contracts/{contract.pk}/sign/", {"side": "federation"})
        org.post(f"/contracts/{contract.pk}/sign/")
        report = contract.reports.order_by("number").first()
        org.post(
            f"/progress-reports/{report.pk}/submit/", {"activities": "服务", "activity_count": 2}
        )
        today = dt.datetime.now(SHANGHAI).date()
        officer.post(
            "/site-visits/",
            {
                "contract": contract.pk,
                "visit_date": today.isoformat(),
                "findings": "档案不全",
                "rating": "needs_improvement",
                "rectifications": [
                    {
                        "description": "补齐档案",
                        "deadline": (today + dt.timedelta(days=7)).isoformat(),
                    }
                ],
            },
            expect=201,
        )
        round_.refresh_from_db()
        assert notification_links_open() > 30
        lot = round_.lots.get(number=1)
        bid = Award.objects.get(lot=lot).bid
        report = contract.reports.order_by("number").first()
        rectification = Rectification.objects.get(contract=contract)
        notice = Notice.objects.get(round=round_)
        project = lot.project
        urls = [
            reverse("home"),
            reverse("dashboard"),
            reverse("notifications"),
            reverse("projects:list"),
            reverse("projects:plan"),
            reverse("projects:plan-export"),
            reverse("projects:catalogue"),
            reverse("projects:detail", args=[project.pk]),
            reverse("bidding:round-list"),
            reverse("bidding:round-detail", args=[round_.pk]),
            reverse("bidding:round-lots", args=[round_.pk]),
            reverse("bidding:round-rubric", args=[round_.pk]),
            reverse("bidding:round-tranches", args=[round_.pk]),
            reverse("bidding:round-questions", args=[round_.pk]),
            reverse("bidding:round-opening", args=[round_.pk]),
            reverse("bidding:round-qualification", args=[round_.pk]),
            reverse("bidding:round-export", args=[round_.pk]),
            reverse("bidding:call-list"),
            reverse("bidding:call-detail", args=[round_.pk]),
            reverse("bidding:call-clarifications", args=[round_.pk]),
            reverse("bidding:my-bids"),
            reverse("bidding:bid-detail", args=[bid.pk]),
            reverse("bidding:bid-receipt", args=[bid.pk]),
            reverse("bidding:expert-pool"),
            reverse("bidding:review-index"),
            reverse("bidding:review-round", args=[round_.pk]),
            reverse("bidding:review-assignments"),
            reverse("bidding:review-result", args=[lot.pk]),
            reverse("bidding:review-result-xlsx", args=[lot.pk]),
            reverse("bidding:notice-list"),
            reverse("bidding:notice-detail", args=[notice.pk]),
            reverse("bidding:objection-list"),
            reverse("contracts:list"),
            reverse("contracts:payments"),
            reverse("contracts:reports"),
            reverse("contracts:detail", args=[contract.pk]),
            reverse("contracts:export-payments", args=[contract.pk]),
            reverse("contracts:export-reports", args=[contract.pk]),
            reverse("contracts:report-detail", args=[report.pk]),
            reverse("contracts:rectification-detail", args=[rectification.pk]),
            reverse("audit-trail"),
        ]
        people = [
            cast.officer,
            cast.approver,
            cast.finance,
            cast.auditor,
            cast.admins[0],
            cast.admins[1],
            cast.outsider,
            LotAssignment.objects.filter(lot=lot).first().expert,
            None,
        ]
        notification_links_open()

        for person in people:
            browser = Browser(person, language="zh-hans")
            for url in urls:
                page = browser.get(url, expect=None)
                who = person.username if person else "anonymous"
                assert page.status in (200, 403, 404), (who, url, page.status)
                if page.status == 200 and page.is_html:
                    html = page.html
                    assert 'lang="zh-Hans"' in html, (who, url)
                    assert "%(" not in html and "{{" not in html, (who, url)
        # What each may not see is refused, not shown.
        refused = {
            cast.outsider: [
                reverse("bidding:bid-detail", args=[bid.pk]),
                reverse("contracts:detail", args=[contract.pk]),
                reverse("contracts:report-detail", args=[report.pk]),
                reverse("contracts:rectification-detail", args=[rectification.pk]),
            ],
            cast.admins[1]: [reverse("contracts:detail", args=[contract.pk])],
            cast.finance: [reverse("bidding:bid-detail", args=[bid.pk])],
        }
        for person, forbidden in refused.items():
            browser = Browser(person, language="zh-hans")
            for url in forbidden:
                assert browser.get(url, expect=None, follow=False).status == 404, (
                    person.username,
                    url,
                )
