"""A public bidding round (公开招标) from the first idea of a project to a completed
contract, on the pages only: each person signs in on the sign-in page and uses
the links and forms the pages render (CSRF enforced). Time passes with
time_machine; the scheduled tasks that time passing would trigger are run as
the beat schedule would run them. The mid-term and final evaluations belong to
the evaluation app, not built yet: their outcome is applied through the
contracts service the evaluation app will call."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from bidding.models import Award, Bid, BidSubmission, Lot, LotAssignment, Notice, Objection, Round
from bidding.tasks import close_due_rounds, finalize_notices
from contracts import services as contract_services
from contracts.models import Contract, PaymentTranche, ProgressReport, Rectification
from projects.models import CatalogueItem, PurchaseProject
from purchase_portal.audit import verify_chain
from purchase_portal.calendar import SHANGHAI
from purchase_portal.models import AuditEvent
from purchase_portal.roles import Role
from tests.factories import UserFactory

from .browser import Browser
from .helpers import (
    PDF_BYTES,
    actions_of,
    local_input,
    notification_links_open,
    notified,
    run_beat,
    start_monday,
)
from .steps import KEY_PASSWORD

PRICES = [Decimal("268000.00"), Decimal("279000.00"), Decimal("290000.00")]


@pytest.mark.chinese_default
def test_a_bidding_round_runs_from_project_to_completed_contract_on_screen(cast):
    t0 = start_monday()
    with time_machine.travel(t0, tick=True) as clock:
        officer = Browser(cast.officer)
        approver = Browser(cast.approver)
        project = establish_project(cast, officer, approver)
        round_ = set_up_round(cast, officer, project)
        clarify(cast, officer, round_)
        clock.move_to(t0 + dt.timedelta(days=1))
        bids, cheapest = bid(cast, round_)

        clock.move_to(round_.submission_deadline + dt.timedelta(hours=2))
        experts = review(cast, officer, approver, round_, bids, cheapest)
        notice = award_and_notice(cast, officer, approver, round_, bids, experts)

        clock.move_to(notice.objections_until + dt.timedelta(minutes=5))
        contract = finalize(cast, round_, bids, notice)
        run_contract(cast, officer, approver, contract, clock)

        assert notification_links_open() > 50

    problem = verify_chain()
    assert problem is None, problem
    call_command("verify_audit_chain", verbosity=0)


# Project establishment (立项) ----------------------------------------------------------


def establish_project(cast, officer: Browser, approver: Browser) -> PurchaseProject:
    page = officer.get(reverse("projects:catalogue"))
    page = page.follow(href=reverse("projects:catalogue-create"))
    page = (
        page.form(reverse("projects:catalogue-create"))
        .fill(code="E2E-01", name="社区康复服务", category="rehabilitation")
        .submit()
    )
    assert "E2E-01" in page.text, page.messages
    item = CatalogueItem.objects.get(code="E2E-01")
    assert item.year == dt.datetime.now(SHANGHAI).year
    # Separation of duties: finance sets the budget, the approver approves it.
    page = Browser(cast.finance).get(reverse("projects:catalogue-edit", args=[item.pk]))
    page.form(reverse("projects:catalogue-edit", args=[item.pk])).fill(budget="500000").submit()
    page = approver.get(reverse("projects:catalogue"))
    page.form(reverse("projects:catalogue-approve-budget", args=[item.pk])).submit()
    item.refresh_from_db()
    assert item.budget == 500000 and item.budget_approved_by == cast.approver

    page = officer.get(reverse("projects:list")).follow(href=reverse("projects:create"))
    form = page.form(reverse("projects:create"))
    form.fill(
        title="徐家汇街道残疾人社区康复服务",
        catalogue_item="E2E-01",
        need="辖区内肢体和智力残疾人需要入户康复训练，目前服务覆盖不足。",
        target_disability_categories=["4", "5"],
        target_grades=["1", "2"],
        streets=[cast.street.name],
        planned_beneficiaries="120",
        budget_ceiling="300000",
        duration_months="12",
        **{
            "targets-0-kind": "output",
            "targets-0-indicator": "康复训练服务人次",
            "targets-0-target_value": "1200",
            "targets-0-unit": "人次",
            "targets-1-kind": "satisfaction",
            "targets-1-indicator": "服务对象满意度",
            "targets-1-target_value": "90",
            "targets-1-unit": "%",
        },
    )
    page = form.submit()
    match = re.search(r"/projects/(\d+)/$", page.url)
    assert match, (page.url, page.messages)
    project = PurchaseProject.objects.get(pk=match.group(1))
    assert project.status == PurchaseProject.Status.DRAFT
    assert project.targets.count() == 2

    page = page.form(reverse("projects:transition", args=[project.pk, "submit"])).submit()
    project.refresh_from_db()
    assert project.status == PurchaseProject.Status.SUBMITTED, page.messages
    assert notified(cast.approver, "project.submitted", project)

    # The approver finds it on the dashboard and approves it; the budget freezes.
    page = approver.get(reverse("dashboard"))
    page = page.follow(href=reverse("projects:detail", args=[project.pk]))
    page = page.form(reverse("projects:transition", args=[project.pk, "approve"])).submit()
    project.refresh_from_db()
    assert project.status == PurchaseProject.Status.APPROVED, page.messages
    assert project.budget_frozen
    assert "Budget frozen" in page.text
    assert not officer.get(reverse("projects:detail", args=[project.pk])).has_link(
        href=reverse("projects:edit", args=[project.pk])
    )
    assert actions_of(project, prefix="project.") == [
        "project.create",
        "project.submit",
        "project.approve",
    ]
    return project


# The call ----------------------------------------------------------------------------------


def set_up_round(cast, officer: Browser, project: PurchaseProject) -> Round:
    now = dt.datetime.now(SHANGHAI)
    deadline = (now + dt.timedelta(days=25)).replace(hour=10, minute=0)
    page = officer.get(reverse("bidding:round-list")).follow(href=reverse("bidding:round-create"))
    page = (
        page.form(reverse("bidding:round-create"))
        .fill(
            title="徐家汇街道残疾人社区康复服务采购",
            kind="bidding",
            year=str(now.year),
            description="为辖区残疾人提供入户康复训练服务。",
            eligibility="依法登记、年检合格的社会组织。",
            questions_until=local_input(deadline - dt.timedelta(days=5)),
            submission_deadline=local_input(deadline),
            # Public bidding opens at the deadline (87号令 Art 40).
            opening_at=local_input(deadline),
            timeline_acknowledged=True,
        )
        .submit()
    )
    match = re.search(r"/rounds/(\d+)/lots/$", page.url)
    assert match, (page.url, page.messages, page.text[:500])
    round_ = Round.objects.get(pk=match.group(1))
    assert round_.status == Round.Status.DRAFT and round_.panel_size == 5

    # The lot: the approved project, at its budget ceiling.
    form = page.form(reverse("bidding:round-lots", args=[round_.pk]))
    assert str(project.pk) in [value for value, _label in form.options("project")]
    page = form.fill(project=str(project.pk)).submit()
    lot = round_.lots.get()
    assert lot.project_id == project.pk and lot.cap == Decimal("300000.00"), page.messages

    # The rubric: the page offers two rows at a time; price carries 30 of 100 points.
    detail = officer.get(reverse("bidding:round-detail", args=[round_.pk]))
    page = detail.follow(href=reverse("bidding:round-rubric", args=[round_.pk]))
    page = (
        page.form(reverse("bidding:round-rubric", args=[round_.pk]))
        .fill(
            **{
                "form-0-name": "服务方案",
                "form-0-kind": "technical",
                "form-0-max_points": "70",
                "form-0-guidance": "方案完整、可行",
                "form-1-name": "价格",
                "form-1-kind": "price",
                "form-1-max_points": "30",
            }
        )
        .submit()
    )
    assert round_.criteria.count() == 2, page.messages
    # A price criterion under 10 % is refused, and the saved rubric stays.
    page = officer.get(reverse("bidding:round-rubric", args=[round_.pk]))
    page = (
        page.form(reverse("bidding:round-rubric", args=[round_.pk]))
        .fill(
            **{
                "form-0-max_points": "65",
                "form-1-max_points": "5",
                "form-2-name": "团队与经验",
                "form-2-kind": "technical",
                "form-2-max_points": "30",
            }
        )
        .submit()
    )
    assert "10%" in page.text
    assert [c.max_points for c in round_.criteria.order_by("order")] == [70, 30]
    page = officer.get(reverse("bidding:round-rubric", args=[round_.pk]))
    page = (
        page.form(reverse("bidding:round-rubric", args=[round_.pk]))
        .fill(
            **{
                "form-0-max_points": "40",
                "form-2-name": "团队与经验",
                "form-2-kind": "technical",
                "form-2-max_points": "30",
                "form-2-guidance": "专业人员配备",
            }
        )
        .submit()
    )
    assert [(c.kind, c.max_points) for c in round_.criteria.order_by("order")] == [
        ("technical", 40),
        ("price", 30),
        ("technical", 30),
    ], page.messages

    # The payment plan: 50 % on signing, 30 % after the mid-term, 20 % after the final evaluation.
    page = officer.get(reverse("bidding:round-tranches", args=[round_.pk]))
    form = page.form(reverse("bidding:round-tranches", args=[round_.pk]))
    plan = {
        "form-0-share": "50",
        "form-0-condition": "on_signing",
        "form-1-share": "30",
        "form-1-condition": "midterm_passed",
    }
    page = form.fill(**plan).submit()
    assert "add up to 80%" in page.text and not round_.tranche_plan.exists(), page.text
    form = page.form(reverse("bidding:round-tranches", args=[round_.pk]))
    page = form.fill(**{"form-2-share": "20", "form-2-condition": "final_passed"}).submit()
    assert [(t.share, t.condition) for t in round_.tranche_plan.order_by("order")] == [
        (50, "on_signing"),
        (30, "midterm_passed"),
        (20, "final_passed"),
    ], page.messages

    # The opening officers: the officer and a colleague create their opening keys,
    # then the officer names them both; both are needed to open the bids.
    page = officer.get(reverse("bidding:round-detail", args=[round_.pk]))
    assert "Name the opening officers" in page.text
    colleague = UserFactory(username="officer2", name="张专员", roles=[Role.OFFICER])
    for browser in (officer, Browser(colleague)):
        page = browser.get(reverse("bidding:round-list"))
        page = page.follow(href=reverse("bidding:opening-key"))
        page = (
            page.form(reverse("bidding:opening-key"))
            .fill(password=KEY_PASSWORD, password_again=KEY_PASSWORD)
            .submit()
        )
        assert "success: Your opening key is ready." in page.messages, page.messages
    page = officer.get(reverse("bidding:round-detail", args=[round_.pk]))
    page = page.follow(href=reverse("bidding:round-key-holders", args=[round_.pk]))
    page = (
        page.form(reverse("bidding:round-key-holders", args=[round_.pk]))
        .fill(holders=[str(cast.officer.pk), str(colleague.pk)], threshold="2")
        .submit()
    )
    assert round_.seal.shares.count() == 2, page.messages

    # Publish from the round page.
    page = officer.get(reverse("bidding:round-detail", args=[round_.pk]))
    assert "Before publishing" not in page.text
    publish = reverse("bidding:round-action", args=[round_.pk, "publish"])
    page = page.follow("Publish the call", href=publish)  # check the call, then confirm
    assert "Who will be notified" in page.text and round_.code in page.text
    page = page.form(publish).submit()
    round_.refresh_from_db()
    assert round_.status == Round.Status.PUBLISHED, page.messages
    assert round_.published_at is not None

    # The public reads the call without signing in.
    public = Browser()
    page = public.get(reverse("bidding:call-list"))
    page = page.follow(href=reverse("bidding:call-detail", args=[round_.pk]))
    assert "徐家汇街道残疾人社区康复服务采购" in page.text and "300,000.00" in page.text
    assert "服务方案" in page.text and "团队与经验" in page.text
    return round_


def clarify(cast, officer: Browser, round_: Round) -> None:
    asker = Browser(cast.admins[0])
    page = asker.get(reverse("bidding:call-detail", args=[round_.pk]))
    question = "康复训练是否必须由持证康复师提供？"
    page = page.form(reverse("bidding:call-ask", args=[round_.pk])).fill(question=question).submit()
    assert question in page.text  # among the asker's questions awaiting an answer
    assert notified(cast.officer, "clarification.asked")

    page = officer.get(reverse("bidding:round-detail", args=[round_.pk]))
    page = page.follow(href=reverse("bidding:round-questions", args=[round_.pk]))
    assert question in page.text
    form = next(f for f in page.forms if "/answer/" in f.action)
    answer = "须由持有康复治疗师资格的人员提供，可联合医疗机构。"
    page = form.fill(answer=answer).submit()
    assert answer in page.text, page.messages

    # Public: the answer is there, the asker is not.
    page = Browser().get(reverse("bidding:call-clarifications", args=[round_.pk]))
    assert question in page.text and answer in page.text
    assert cast.orgs[0].name not in page.text
    assert cast.admins[0].username not in page.html
    page = Browser().get(reverse("bidding:call-detail", args=[round_.pk]))
    assert answer in page.text and cast.orgs[0].name not in page.text
    assert notified(cast.admins[0], "clarification.answered")


# Bids ----------------------------------------------------------------------------------------


def prepare_and_fill(browser: Browser, round_: Round, *, price: Decimal, lines: list) -> Bid:
    lot = round_.lots.get()
    page = browser.get(reverse("bidding:call-list"))
    page = page.follow(href=reverse("bidding:call-detail", args=[round_.pk]))
    page = page.form(reverse("bidding:bid-prepare", args=[round_.pk, lot.pk])).submit()
    match = re.search(r"/rounds/bids/(\d+)/edit/$", page.url)
    assert match, (page.url, page.messages)
    bid = Bid.objects.get(pk=match.group(1))
    return fill(browser, bid, page, price=price, lines=lines)


def fill(browser: Browser, bid: Bid, page, *, price, lines, team="康复治疗师3名、社工2名") -> Bid:
    """Enter the bid's content and its technical proposal on the bid editor."""
    form = page.form(reverse("bidding:bid-edit", args=[bid.pk]))
    values = {
        "price": str(price),
        "service_plan": "每周入户康复训练两次，季度评估一次。",
        "team": team,
        "schedule": "签约后第1个月完成需求评估，第2至12个月提供服务。",
        "targets-0-kind": "output",
        "targets-0-indicator": "康复训练服务人次",
        "targets-0-target_value": "1300",
        "targets-0-unit": "人次",
    }
    for i, (item, amount) in enumerate(lines):
        values[f"lines-{i}-item"] = item
        values[f"lines-{i}-amount"] = str(amount)
    page = form.fill(**values).submit()
    assert page.url.endswith(reverse("bidding:bid-detail", args=[bid.pk])), page.messages

    # Attach the technical proposal (a PDF) from the editor.
    page = page.follow(href=reverse("bidding:bid-edit", args=[bid.pk]))
    form = page.form(reverse("bidding:bid-attachment-add", args=[bid.pk]))
    upload = SimpleUploadedFile(
        "技术方案.pdf", PDF_BYTES + str(bid.pk).encode(), content_type="application/pdf"
    )
    page = form.fill(title="技术方案", file=upload).submit()
    assert bid.attachments.count() == 1, page.messages
    return bid


def submit(browser: Browser, bid: Bid):
    page = browser.get(reverse("bidding:bid-detail", args=[bid.pk]))
    url = reverse("bidding:bid-submit", args=[bid.pk])
    page = page.follow("Submit the bid", href=url)  # price, attachments and digests
    assert "Who will be notified" in page.text
    page = page.form(url).submit()
    assert page.url.endswith(reverse("bidding:bid-receipt", args=[bid.pk])), page.messages
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED and len(bid.digest) == 64
    assert bid.digest in page.text
    return page


def bid(cast, round_: Round) -> tuple[list[Bid], Bid]:
    browsers = [Browser(admin) for admin in cast.admins[:3]]
    bids = []
    for browser, price in zip(browsers, PRICES, strict=True):
        lines = [("人员费用", price - Decimal("40000.00")), ("康复器材", Decimal("40000.00"))]
        bids.append(prepare_and_fill(browser, round_, price=price, lines=lines))

    # The third bidder's budget lines do not add up: the bid page says so and
    # submitting is refused; the editor fixes it.
    third, page = bids[2], browsers[2].get(reverse("bidding:bid-edit", args=[bids[2].pk]))
    page = (
        page.form(reverse("bidding:bid-edit", args=[third.pk]))
        .fill(**{"lines-1-amount": "30000.00"})
        .submit()
    )
    assert "add up to 280000.00 CNY, not the price of 290000.00 CNY" in page.text
    page = page.follow("Submit the bid", href=reverse("bidding:bid-submit", args=[third.pk]))
    third.refresh_from_db()
    assert third.status == Bid.Status.DRAFT and not third.submissions.exists()
    page = browsers[2].get(reverse("bidding:bid-edit", args=[third.pk]))
    page = (
        page.form(reverse("bidding:bid-edit", args=[third.pk]))
        .fill(**{"lines-1-amount": "40000.00"})
        .submit()
    )

    receipts = [submit(browser, b) for browser, b in zip(browsers, bids, strict=True)]
    first_digest = bids[0].digest
    # A fourth organization bids lowest of all (it will not qualify).
    fourth = Browser(cast.admins[3])
    cheapest = prepare_and_fill(
        fourth, round_, price=Decimal("250000.00"), lines=[("人员费用", Decimal("250000.00"))]
    )
    submit(fourth, cheapest)

    # Before the deadline the officer sees only how many bids the lot has.
    officer = Browser(cast.officer)
    page = officer.get(reverse("bidding:round-detail", args=[round_.pk]))
    assert "sealed until the opening" in page.text
    for b, price in zip(bids, PRICES, strict=True):
        assert b.organization.name not in page.text
        assert str(price) not in page.text
        officer.get(reverse("bidding:bid-detail", args=[b.pk]), expect=404)
    assert "4" in page.text and round_.lots.get().bids.count() == 4

    # The first bidder withdraws, strengthens its team and resubmits. The submitted
    # bid was encrypted for the round's key: nobody, the bidder included, reads it
    # before the opening, so the bidder enters it again.
    page = browsers[0].get(reverse("bidding:bid-detail", args=[bids[0].pk]))
    assert "encrypted with the round's key" in page.text
    withdraw = reverse("bidding:bid-withdraw", args=[bids[0].pk])
    page = page.follow("Withdraw the bid", href=withdraw).form(withdraw).submit()
    bids[0].refresh_from_db()
    assert bids[0].status == Bid.Status.WITHDRAWN, page.messages
    assert bids[0].price is None and not bids[0].attachments.exists()
    page = page.follow(href=reverse("bidding:bid-edit", args=[bids[0].pk]))
    lines = [("人员费用", PRICES[0] - Decimal("40000.00")), ("康复器材", Decimal("40000.00"))]
    fill(browsers[0], bids[0], page, price=PRICES[0], lines=lines, team="康复治疗师4名、社工2名")
    receipts[0] = submit(browsers[0], bids[0])
    assert bids[0].digest != first_digest
    submissions = list(BidSubmission.objects.filter(bid=bids[0]).order_by("pk"))
    assert [s.is_current for s in submissions] == [False, True]

    # Each bidder downloads its receipt (a PDF) from the receipt page.
    for browser, b, page in zip(browsers, bids, receipts, strict=True):
        response = browser.download(page.link(href=reverse("bidding:bid-receipt-pdf", args=[b.pk])))
        assert response["Content-Type"] == "application/pdf"
        assert response.body.startswith(b"%PDF")
        assert b.submissions.get(is_current=True).receipt_number in page.text
    # ... and cannot read another's.
    browsers[1].get(reverse("bidding:bid-receipt", args=[bids[0].pk]), expect=404)
    for b in bids:
        assert actions_of(b, prefix="bid.submit")
    return bids, cheapest


# Opening, qualification and review -----------------------------------------------------------

# Technical points per expert (rows) for each bid (columns), on the two
# technical criteria (max 40 and 30): the cheapest bid is also the best plan.
SCORES = [
    [(36, 27), (30, 24), (28, 22)],
    [(38, 28), (31, 25), (27, 20)],
    [(35, 26), (33, 26), (29, 23)],
    [(37, 27), (32, 23), (30, 21)],
    [(39, 29), (29, 24), (26, 22)],
]


def review(cast, officer: Browser, approver: Browser, round_: Round, bids, cheapest) -> list:
    # The deadline has passed: the beat schedule closes the round.
    assert round_.pk in run_beat()["bidding.tasks.close_due_rounds"]
    assert close_due_rounds.delay().get() == []  # running again changes nothing
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    late = Browser(cast.outsider)
    page = late.get(reverse("bidding:call-detail", args=[round_.pk]))
    assert not page.has_form(reverse("bidding:bid-prepare", args=[round_.pk, bids[0].lot_id]))

    # Opening: both opening officers present their shares of the round's key with
    # their key passwords on the opening page; then the bids are decrypted and
    # every digest is re-computed and matches.
    colleague = Browser(round_.seal.shares.exclude(holder=cast.officer).get().holder)
    for browser in (officer, colleague):
        page = browser.get(reverse("bidding:round-detail", args=[round_.pk]))
        page = page.follow(href=reverse("bidding:round-opening", args=[round_.pk]))
        form = page.form(reverse("bidding:round-share-present", args=[round_.pk]))
        page = form.fill(password=KEY_PASSWORD).submit()
        assert "success: Your share is presented for the opening." in page.messages, page.messages
    page = officer.get(reverse("bidding:round-opening", args=[round_.pk]))
    page = page.form(reverse("bidding:round-action", args=[round_.pk, "open"])).submit()
    assert page.url.endswith(reverse("bidding:round-opening", args=[round_.pk])), page.messages
    assert "all verified" in page.text and page.text.count("✓ match") == 4
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPENED and round_.opening.all_digests_ok
    for b in bids:
        assert b.digest in page.text

    # Qualification: every check holds for the three bidders.
    page = page.follow(href=reverse("bidding:round-qualification", args=[round_.pk]))
    for b in bids:
        form = page.form(reverse("bidding:bid-qualification", args=[b.pk]))
        for name in (
            "registration_valid",
            "annual_inspection_passed",
            "no_serious_violation",
            "documents_complete",
            "credit_code_checked",
        ):
            form.set(f"b{b.pk}-{name}", True)
        page = form.submit("Qualify")
    assert {b.status for b in Bid.objects.filter(pk__in=[b.pk for b in bids])} == {"qualified"}
    # The cheapest bid lacks its annual inspection: disqualified, with a reason it sees.
    form = page.form(reverse("bidding:bid-qualification", args=[cheapest.pk]))
    for name in ("registration_valid", "no_serious_violation", "documents_complete"):
        form.set(f"b{cheapest.pk}-{name}", True)
    form.set(f"b{cheapest.pk}-annual_inspection_passed", False)
    page = form.fill(**{f"b{cheapest.pk}-reason": "未提供上一年度年检合格证明。"}).submit(
        "Disqualify"
    )
    cheapest.refresh_from_db()
    assert cheapest.status == Bid.Status.DISQUALIFIED, page.messages
    assert notified(cast.admins[3], "bid.disqualified", cheapest)
    page_of_bidder = Browser(cast.admins[3]).get(reverse("bidding:my-bids"))
    assert "Disqualified: 未提供上一年度年检合格证明。" in page_of_bidder.text
    lot = round_.lots.get()
    page = page.form(reverse("bidding:lot-complete-qualification", args=[lot.pk])).submit()
    page = page.form(reverse("bidding:round-action", args=[round_.pk, "start-review"])).submit()
    round_.refresh_from_db()
    assert round_.status == Round.Status.IN_REVIEW, page.messages

    # The expert pool: the officer adds six experts of rehabilitation.
    for user in cast.expert_users:
        page = officer.get(reverse("bidding:expert-pool"))
        page = page.follow(href=reverse("bidding:expert-create"))
        page = (
            page.form(reverse("bidding:expert-create"))
            .fill(username=user.username, employer="上海某大学", specialities=["Rehabilitation"])
            .submit()
        )
        assert user.name in page.text, page.messages

    # The panel draw: five experts, seed and result recorded.
    page = officer.get(reverse("bidding:review-index"))
    page = page.follow(href=reverse("bidding:review-round", args=[round_.pk]))
    page = page.form(reverse("bidding:review-draw", args=[round_.pk])).submit()
    assignments = list(LotAssignment.objects.filter(lot=lot).select_related("expert"))
    assert len(assignments) == 5, page.messages
    assert "yes: the seed gives the same result" in page.text
    experts = [a.expert for a in assignments]
    order = {u.pk: i for i, u in enumerate(cast.expert_users)}
    experts.sort(key=lambda u: order[u.pk])

    # Each expert declares no conflict, then scores and submits.
    browsers = []
    for n, expert in enumerate(experts):
        assert notified(expert, "panel.drawn")
        browser = Browser(expert)
        browsers.append(browser)
        assignment = next(a for a in assignments if a.expert_id == expert.pk)
        browser.get(reverse("bidding:review-score", args=[lot.pk]), expect=403)
        page = browser.get(reverse("dashboard"))  # what needs their action
        page = page.follow(href=reverse("bidding:review-declare", args=[assignment.pk]))
        for b in bids:
            assert b.organization.name in page.text
        page = (
            page.form(reverse("bidding:review-declare", args=[assignment.pk]))
            .fill(conflict="none")
            .submit()
        )
        assert page.url.endswith(reverse("bidding:review-score", args=[lot.pk])), page.messages
        form = page.form(reverse("bidding:review-score", args=[lot.pk]))
        technical = [c for c in round_.criteria.order_by("order") if c.kind == "technical"]
        for b, points in zip(bids, SCORES[n], strict=True):
            for criterion, value in zip(technical, points, strict=True):
                form.set(f"score_{b.pk}_{criterion.pk}", str(value))
        if n == 0:
            # Scores of others stay hidden until one's own are submitted.
            page = form.submit(name="save")
            browser.get(reverse("bidding:review-result", args=[lot.pk]), expect=403)
            form = page.form(reverse("bidding:review-score", args=[lot.pk]))
        page = form.submit(name="submit")  # saved, then the totals to confirm
        confirm = reverse("bidding:review-score-submit", args=[lot.pk])
        assert page.url.endswith(confirm), page.messages
        page = page.form(confirm).submit()
        assert page.url.endswith(reverse("bidding:review-result", args=[lot.pk])), page.messages

    # Every expert has submitted: the ranking is shown; each signs with their password.
    for browser in browsers:
        page = browser.get(reverse("dashboard"))
        page = page.follow(href=reverse("bidding:review-result", args=[lot.pk]))
        assert "Ranking" in page.text
        sign = reverse("bidding:review-sign", args=[lot.pk])
        page = page.follow("Sign the result", href=sign)
        page = page.form(sign).fill(password="correct-horse-battery").submit()
        assert "You have signed the result." in " ".join(page.messages)
    assert LotAssignment.objects.filter(lot=lot, sheet__status="signed").count() == 5
    response = officer.download(reverse("bidding:review-result-xlsx", args=[lot.pk]))
    assert response.body[:2] == b"PK"
    return experts


def award_and_notice(cast, officer, approver, round_, bids, experts) -> Notice:
    lot = round_.lots.get()
    page = officer.get(reverse("bidding:review-result", args=[lot.pk]))
    propose = reverse("bidding:review-propose", args=[lot.pk])
    page = page.follow("Propose the award", href=propose).form(propose).submit()
    award = Award.objects.get(lot=lot)
    assert award.bid_id == bids[0].pk and award.amount == PRICES[0], page.messages
    assert notified(cast.approver, "award.proposed")
    # The officer cannot confirm; the approver can.
    assert not page.has_link(href=reverse("bidding:review-confirm", args=[lot.pk]))
    page = approver.get(reverse("dashboard"))  # "Awards to confirm"
    page = page.follow(href=reverse("bidding:review-result", args=[lot.pk]))
    confirm = reverse("bidding:review-confirm", args=[lot.pk])
    page = page.follow("Confirm the award", href=confirm).form(confirm).submit()
    award.refresh_from_db()
    round_.refresh_from_db()
    assert award.status == Award.Status.CONFIRMED, page.messages
    assert round_.status == Round.Status.AWARDED

    page = officer.get(reverse("bidding:review-round", args=[round_.pk]))
    publish = reverse("bidding:review-notice", args=[round_.pk])
    page = page.follow("Publish the public notice", href=publish).form(publish).submit()
    notice = Notice.objects.get(round=round_)
    assert page.url.endswith(reverse("bidding:notice-detail", args=[notice.pk])), page.messages
    round_.refresh_from_db()
    assert round_.status == Round.Status.NOTICE

    # The notice is an official record: frozen in the portal's language even though
    # the officer published it from an English page.
    with translation.override(settings.LANGUAGE_CODE):
        kind, awarded = str(Round.Kind.BIDDING.label), str(Lot.Status.AWARDED.label)
    assert notice.content["round"]["kind_label"] == kind
    assert notice.content["lots"][0]["status_label"] == awarded
    # The price score counts from the lowest *qualified* price: the disqualified,
    # cheaper bid neither ranks nor lowers the others' price scores.
    ranking = notice.content["lots"][0]["ranking"]
    assert [r["organization"] for r in ranking] == [org.name for org in cast.orgs[:3]]
    assert [r["price_score"] for r in ranking] == ["30.00", "28.82", "27.72"]

    # The public notice: winner, amount, score summary and panel names, no sign-in.
    page = Browser().get(reverse("bidding:notice-list"))
    page = page.follow(href=reverse("bidding:notice-detail", args=[notice.pk]))
    assert cast.orgs[0].name in page.text and "268,000.00 CNY" in page.text
    for expert in experts:
        assert expert.name in page.text
    for org in cast.orgs[1:3]:
        assert org.name in page.text  # in the score summary, not awarded
    for admin in cast.admins[:3]:
        assert notified(admin, "notice.published", notice)

    # A bidder that lost objects on the notice page; the officer answers from the
    # review page within the period, dismissing it, so the awards can become final.
    loser = Browser(cast.admins[2])
    page = loser.get(reverse("bidding:notice-detail", args=[notice.pk]))
    form = page.form(reverse("bidding:notice-detail", args=[notice.pk]))
    page = form.fill(lot=str(lot.pk), grounds="我方价格分计算有误，请复核。").submit()
    objection = Objection.objects.get(notice=notice)
    assert page.url.endswith(reverse("bidding:objection-detail", args=[objection.pk]))
    assert objection.organization_id == cast.orgs[2].pk and notified(
        cast.officer, "objection.filed", objection
    )
    page = officer.get(reverse("bidding:review-round", args=[round_.pk]))
    page = page.follow(href=reverse("bidding:objection-detail", args=[objection.pk]))
    page = (
        page.form(reverse("bidding:objection-detail", args=[objection.pk]))
        .fill(decision="dismiss", answer="价格分按评分办法公式计算，复核无误。")
        .submit()
    )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED, page.messages
    page = loser.get(reverse("bidding:objection-detail", args=[objection.pk]))
    assert "复核无误" in page.text
    return notice


# Final awards and the contract -------------------------------------------------------------


def finalize(cast, round_: Round, bids: list[Bid], notice: Notice) -> Contract:
    # The notice period is over with nothing open: the beat schedule finalizes.
    assert run_beat()["bidding.tasks_review.finalize_notices"] == [notice.pk]
    assert finalize_notices.delay().get() == []  # running again changes nothing
    round_.refresh_from_db()
    award = Award.objects.get(lot__round=round_)
    assert round_.status == Round.Status.FINAL
    assert award.status == Award.Status.FINAL and award.final_at is not None
    assert round_.lots.get().status == Lot.Status.FINAL
    page = Browser().get(reverse("bidding:notice-detail", args=[notice.pk]))
    assert "the awards are final" in page.text
    for admin in cast.admins[:3]:
        assert notified(admin, "round.final", round_)
    # Each bidder sees its outcome among its bids.
    for admin, outcome in zip(
        cast.admins[:3], ["Awarded", "Not awarded", "Not awarded"], strict=True
    ):
        page = Browser(admin).get(reverse("dashboard")).follow(href=reverse("bidding:my-bids"))
        assert f"{outcome} {outcome}" in page.text  # status and outcome columns

    # The contracts app made the draft for the winner.
    contract = Contract.objects.get(award=award)
    assert contract.status == Contract.Status.DRAFT
    assert contract.organization_id == cast.orgs[0].pk
    assert contract.federation_id == cast.federation.pk
    assert contract.amount == PRICES[0]
    assert [t.indicator for t in contract.targets.all()] == ["康复训练服务人次"]
    assert sum(line.amount for line in contract.budget_lines.all()) == PRICES[0]
    assert [(t.share, t.amount, t.condition) for t in contract.tranches.order_by("order")] == [
        (50, Decimal("134000.00"), "on_signing"),
        (30, Decimal("80400.00"), "midterm_passed"),
        (20, Decimal("53600.00"), "final_passed"),
    ]
    assert notified(cast.officer, "contract.draft", contract)
    assert actions_of(award) == ["award.propose", "award.confirm", "award.finalize"]
    steps = actions_of(round_, prefix="round.")
    expected = ["round.publish", "round.close", "round.open", "round.start_review"]
    expected += ["round.award", "round.publish_notice", "round.finalize"]
    assert [a for a in steps if a in expected] == expected
    system = AuditEvent.objects.filter(
        object_type="bidding.round", object_id=str(round_.pk), action__in=expected
    )
    assert {e.action for e in system if e.actor_id is None} == {"round.close", "round.finalize"}
    return contract


def run_contract(cast, officer: Browser, approver: Browser, contract: Contract, clock) -> None:
    org_admin = Browser(cast.admins[0])
    finance = Browser(cast.finance)
    auditor = Browser(cast.auditor)
    detail = reverse("contracts:detail", args=[contract.pk])
    action = lambda name: reverse("contracts:action", args=[contract.pk, name])  # noqa: E731

    # The officer completes the draft and sends it for signature.
    page = officer.get(reverse("contracts:list")).follow(href=detail)
    page = page.follow(href=reverse("contracts:edit", args=[contract.pk]))
    today = dt.datetime.now(SHANGHAI).date()
    page = (
        page.form(reverse("contracts:edit", args=[contract.pk]))
        .fill(
            start_date=today.isoformat(),
            end_date=(today + dt.timedelta(days=364)).isoformat(),
            deliverables="入户康复训练不少于1300人次；建立服务档案；季度服务评估报告。",
            report_frequency="quarterly",
        )
        .submit()
    )
    assert page.url.endswith(detail), page.messages
    page = page.form(action("send_for_signature")).submit()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.AWAITING_SIGNATURES, page.messages
    assert notified(cast.admins[0], "contract.to_sign", contract)

    # Both sides sign (an authenticated act, logged with time and address).
    page = approver.get(reverse("dashboard")).follow(href=detail)  # "Contracts to sign"
    page = page.follow("Sign for the federation", href=action("sign"))  # reads the draft
    assert "Draft for signature" in page.text
    page = page.form(action("sign")).submit()
    assert contract.signatures.count() == 1, page.messages
    page = org_admin.get(reverse("dashboard")).follow(href=detail)
    page = page.follow("Sign for the organization", href=action("sign"))
    page = page.form(action("sign")).submit()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE, page.messages
    assert {s.ip for s in contract.signatures.all()} == {"203.0.113.7"}
    assert contract.pdf and len(contract.pdf_sha256) == 64
    assert notified(cast.admins[0], "contract.active", contract)

    # The PDF is downloadable by both parties and the auditor, and nobody else.
    for browser in (org_admin, approver, officer, auditor):
        page = browser.get(detail)
        response = browser.download(page.link(href=reverse("contracts:pdf", args=[contract.pk])))
        assert response.body.startswith(b"%PDF")
    outsider = Browser(cast.outsider)
    outsider.get(detail, expect=404)
    outsider.download(reverse("contracts:pdf", args=[contract.pk]), expect=404)

    # The on-signing tranche (above the threshold: finance and approver approve).
    first, second, third = contract.tranches.order_by("order")
    assert first.status == PaymentTranche.Status.ELIGIBLE
    pay_tranche(cast, contract, first, org_admin, finance, approver)

    # A progress report: submitted with figures and evidence, accepted.
    report = contract.reports.order_by("number").first()
    page = org_admin.get(detail).follow(href=reverse("contracts:report-detail", args=[report.pk]))
    form = page.form(reverse("contracts:report-detail", args=[report.pk]))
    target = contract.targets.get()
    staff_line, equipment_line = contract.budget_lines.order_by("order")
    form.fill(
        activities="入户康复训练320人次，康复评估40人。",
        activity_count="320",
        **{
            f"output_{target.pk}": "320",
            f"spent_{staff_line.pk}": "50000",
            f"spent_{equipment_line.pk}": "12000",
            "beneficiaries-0-disability_category": "4",
            "beneficiaries-0-street": str(cast.street.pk),
            "beneficiaries-0-count": "28",
            "beneficiaries-1-disability_category": "5",
            "beneficiaries-1-street": str(cast.street.pk),
            "beneficiaries-1-count": "12",
        },
    )
    page = form.submit(name="save")
    form = page.form(reverse("contracts:report-action", args=[report.pk, "evidence"]))
    upload = SimpleUploadedFile(
        "签到表.pdf", PDF_BYTES + b"evidence", content_type="application/pdf"
    )
    page = form.fill(title="服务签到表", file=upload).submit()
    assert report.evidence.count() == 1, page.messages
    page = page.form(reverse("contracts:report-detail", args=[report.pk])).submit(name="submit")
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED, page.messages
    assert notified(cast.officer, "report.submitted", report)
    page = officer.get(reverse("contracts:report-detail", args=[report.pk]))
    assert "徐家汇街道" in page.text and "28" in page.text
    evidence = reverse("contracts:evidence-download", args=[report.evidence.get().pk])
    for browser in (officer, auditor, org_admin):
        link = browser.get(reverse("contracts:report-detail", args=[report.pk])).link(href=evidence)
        assert browser.download(link).body.startswith(b"%PDF")
    Browser(cast.outsider).download(evidence, expect=404)
    page = page.form(reverse("contracts:report-action", args=[report.pk, "accept"])).submit()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED, page.messages
    page = officer.get(detail)
    assert "320" in page.text  # achieved against the target

    # A site visit with a rectification; the organization responds; the officer closes it.
    page = page.follow(href=reverse("contracts:visit-create", args=[contract.pk]))
    page = (
        page.form(reverse("contracts:visit-create", args=[contract.pk]))
        .fill(
            visit_date=today.isoformat(),
            findings="服务档案不完整，部分签到表缺少服务对象确认。",
            rating=page.form(reverse("contracts:visit-create", args=[contract.pk])).options(
                "rating"
            )[-1][0],
            **{
                "rectifications-0-description": "补齐服务档案和签到确认",
                "rectifications-0-deadline": (today + dt.timedelta(days=14)).isoformat(),
            },
        )
        .submit()
    )
    rectification = Rectification.objects.get(contract=contract)
    assert rectification.status == Rectification.Status.OPEN, page.messages
    rect_url = reverse("contracts:rectification-detail", args=[rectification.pk])
    page = org_admin.get(reverse("dashboard")).follow(href=rect_url)  # "Open rectifications"
    upload = SimpleUploadedFile("整改说明.pdf", PDF_BYTES + b"fix", content_type="application/pdf")
    page = (
        page.form(rect_url).fill(text="已补齐全部档案并由服务对象签字确认。", file=upload).submit()
    )
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.RESPONDED, page.messages
    page = officer.get(rect_url)
    response_file = reverse("contracts:rectification-file", args=[rectification.responses.get().pk])
    assert officer.download(page.link(href=response_file)).body.startswith(b"%PDF")
    page = (
        page.form(reverse("contracts:rectification-action", args=[rectification.pk, "close"]))
        .fill(comment="复查合格。")
        .submit()
    )
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.CLOSED, page.messages

    # The evaluation app will report passed mid-term and final evaluations through
    # this service; the tranches become eligible and are paid (finance alone: below
    # the threshold).
    overdue = contract.reports.get(number=2)
    clock.move_to(
        dt.datetime.combine(overdue.due_date + dt.timedelta(days=1), dt.time(9), SHANGHAI)
    )
    run_beat()  # the second quarter's report was never submitted
    assert notified(cast.admins[0], "report.overdue", overdue)
    assert notified(cast.officer, "report.overdue", overdue)
    assert "Overdue" in org_admin.get(detail).text
    contract_services.tranche_release_for_evaluation(
        contract=contract, stage="midterm", passed=True
    )
    second.refresh_from_db()
    assert second.status == PaymentTranche.Status.ELIGIBLE
    assert notified(cast.admins[0], "payment.eligible", contract)
    pay_tranche(cast, contract, second, org_admin, finance, approver)
    clock.move_to(dt.datetime.now(SHANGHAI) + dt.timedelta(days=180))
    contract_services.tranche_release_for_evaluation(contract=contract, stage="final", passed=True)
    pay_tranche(cast, contract, third, org_admin, finance, approver)
    contract.refresh_from_db()
    assert contract.paid_total == contract.amount == PRICES[0]

    page = officer.get(detail)
    page = page.form(action("complete")).submit()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED, page.messages
    assert notified(cast.admins[0], "contract.completed", contract)
    assert actions_of(contract, prefix="contract.")[:5] == [
        "contract.create",
        "contract.update",
        "contract.send_for_signature",
        "contract.draft_pdf",  # the draft for signature the signers read
        "contract.sign",
    ]
    assert {"contract.activate", "contract.pdf", "contract.complete"} <= set(
        actions_of(contract, prefix="contract.")
    )

    # The auditor reads the audit trail of the contract.
    page = auditor.get(
        reverse("audit-trail") + f"?object_type=contracts.contract&object_id={contract.pk}"
    )
    assert "contract.complete" in page.text


def pay_tranche(cast, contract, tranche, org_admin, finance, approver) -> None:
    detail = reverse("contracts:detail", args=[contract.pk])
    tranche_action = lambda name: reverse("contracts:tranche-action", args=[tranche.pk, name])  # noqa: E731
    page = org_admin.get(detail)
    page = page.form(tranche_action("request")).submit()
    tranche.refresh_from_db()
    assert tranche.status == PaymentTranche.Status.REQUESTED, page.messages
    assert notified(cast.finance, "payment.requested", tranche)

    page = finance.get(reverse("dashboard"))  # "Requested, awaiting finance approval"
    page = page.follow(href=detail)
    page = page.follow(href=tranche_action("approve")).form(tranche_action("approve")).submit()
    tranche.refresh_from_db()
    assert tranche.finance_approved_by_id == cast.finance.pk, page.messages
    if tranche.amount > Decimal("100000"):
        # Above the threshold finance cannot approve a second time; the approver must.
        assert tranche.status == PaymentTranche.Status.REQUESTED
        assert not page.has_link(href=tranche_action("approve"))
        assert notified(cast.approver, "payment.needs_approver", tranche)
        page = approver.get(detail)
        page = page.follow(href=tranche_action("approve")).form(tranche_action("approve")).submit()
        tranche.refresh_from_db()
        assert tranche.approver_approved_by_id == cast.approver.pk, page.messages
    assert tranche.status == PaymentTranche.Status.APPROVED
    # Finance approved it: another finance user records the payment.
    assert not finance.get(detail).has_form(tranche_action("pay"))
    page = Browser(cast.cashier).get(detail)
    page = (
        page.form(tranche_action("pay"))
        .fill(
            paid_on=dt.datetime.now(SHANGHAI).date().isoformat(),
            reference=f"ZF-{tranche.pk:06d}",
        )
        .submit()
    )
    tranche.refresh_from_db()
    assert tranche.status == PaymentTranche.Status.PAID, page.messages
    assert notified(cast.admins[0], "payment.paid", tranche)
