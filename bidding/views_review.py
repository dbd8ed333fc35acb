"""Pages of the review and what follows it: the expert pool, panel draws and
declarations, scoring and signing, results and awards, the public notices and
objections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.errors import ApplicationError
from purchase_portal.forms import add_service_errors
from purchase_portal.pages import raise_for_status, run_action
from purchase_portal.roles import is_approver, is_federation_staff, is_officer

from . import scoring
from .excel_review import result_workbook_response
from .forms_review import (
    AnswerForm,
    DeclarationForm,
    ExpertForm,
    ObjectionForm,
    ScoreSheetForm,
    SignForm,
)
from .models import (
    Award,
    Bid,
    Lot,
    LotAssignment,
    Notice,
    Objection,
    PanelDraw,
    Round,
    RubricCriterion,
    ScoreSheet,
)
from .selectors import award as award_selectors
from .selectors import review as selectors
from .services import award as award_services
from .services import review as services

PAGE_SIZE = 50


def _staff_only(user) -> None:
    if not is_federation_staff(user):
        raise PermissionDenied


# Expert pool -------------------------------------------------------------------------


@login_required
def expert_pool(request):
    _staff_only(request.user)
    page = Paginator(selectors.expert_pool(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bidding/review/expert_pool.html",
        {"page": page, "can_manage": is_officer(request.user)},
    )


def _expert_form_view(request, profile=None):
    if not is_officer(request.user):
        raise PermissionDenied
    initial = None
    if profile is not None:
        initial = {
            "username": profile.user.username,
            "employer": profile.employer,
            "specialities": list(profile.specialities.all()),
            "active": profile.active,
        }
    form = ExpertForm(request.POST or None, initial=initial, editing=profile is not None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_save(
                user=request.user,
                expert_user=profile.user if profile is not None else form.user,
                employer=form.cleaned_data["employer"],
                specialities=form.cleaned_data["specialities"],
                active=form.cleaned_data["active"],
            )
        except ApplicationError as exc:
            raise_for_status(exc)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The expert pool has been updated."))
            return redirect("bidding:expert-pool")
    return render(request, "bidding/review/expert_form.html", {"form": form, "profile": profile})


@login_required
def expert_create(request):
    return _expert_form_view(request)


@login_required
def expert_edit(request, pk):
    _staff_only(request.user)
    return _expert_form_view(request, selectors.expert_get(user=request.user, pk=pk))


# Officers: review of a round -----------------------------------------------------------

REVIEW_STATES = (
    Round.Status.OPENED,
    Round.Status.IN_REVIEW,
    Round.Status.AWARDED,
    Round.Status.NOTICE,
    Round.Status.FINAL,
)


@login_required
def review_index(request):
    _staff_only(request.user)
    rounds = Round.objects.filter(status__in=REVIEW_STATES).order_by("-id")
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    objections = award_selectors.open_objections().order_by("answer_due")[:20]
    return render(
        request,
        "bidding/review/index.html",
        {"page": page, "objections": objections, "can_manage": is_officer(request.user)},
    )


@login_required
def review_round(request, pk):
    round_ = award_selectors.round_for_review(user=request.user, pk=pk)
    lots = selectors.review_lots(round=round_)
    rows = []
    for lot in lots:
        assignments = list(lot.assignments.all())
        rows.append(
            {
                "lot": lot,
                "assignments": assignments,
                "progress": selectors.lot_progress(lot=lot, assignments=assignments),
            }
        )
    draws = list(
        PanelDraw.objects.filter(round=round_).select_related("lot", "drawn_by").order_by("id")
    )
    officer = is_officer(request.user)
    drawn = any(d.kind == PanelDraw.Kind.PANEL for d in draws)
    return render(
        request,
        "bidding/review/round.html",
        {
            "round": round_,
            "rows": rows,
            "draws": [(d, services.draw_verifies(d)) for d in draws],
            "awards": award_selectors.round_awards(round=round_),
            "notices": Notice.objects.filter(round=round_).order_by("-published_at"),
            "objections": Objection.objects.filter(lot__round=round_)
            .select_related("lot", "organization")
            .order_by("-filed_at"),
            "can_draw": officer
            and not drawn
            and round_.status in (Round.Status.OPENED, Round.Status.IN_REVIEW),
            "can_start": officer and round_.status == Round.Status.OPENED,
            "can_publish": officer and round_.status == Round.Status.AWARDED,
            "is_officer": officer,
            "scoring_rule": scoring.scoring_rule(
                priced=round_.criteria.filter(kind=RubricCriterion.Kind.PRICE).exists()
            ),
        },
    )


@login_required
@require_POST
def review_draw(request, pk):
    round_ = award_selectors.round_for_review(user=request.user, pk=pk)
    run_action(
        request,
        lambda: services.panel_draw(round=round_, user=request.user),
        _("The panel has been drawn; the experts are asked to declare conflicts of interest."),
    )
    return redirect("bidding:review-round", round_.pk)


@login_required
@require_POST
def review_start(request, pk):
    from .services.opening import round_start_review

    round_ = award_selectors.round_for_review(user=request.user, pk=pk)
    run_action(
        request,
        lambda: round_start_review(round=round_, user=request.user),
        _("The review has started."),
    )
    return redirect("bidding:review-round", round_.pk)


@login_required
@require_POST
def review_replace(request, pk):
    _staff_only(request.user)
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    run_action(
        request,
        lambda: services.panel_replace(assignment=assignment, user=request.user),
        _("A replacement expert has been drawn."),
    )
    return redirect("bidding:review-round", assignment.lot.round_id)


@login_required
@require_POST
def review_publish_notice(request, pk):
    round_ = award_selectors.round_for_review(user=request.user, pk=pk)
    published = []
    ok = run_action(
        request,
        lambda: published.append(award_services.notice_publish(round=round_, user=request.user)),
        _("The public notice is published."),
    )
    if ok:
        return redirect("bidding:notice-detail", published[0].pk)
    return redirect("bidding:review-round", round_.pk)


# Experts: assignments, declarations, scoring ---------------------------------------------


@login_required
def my_assignments(request):
    assignments = (
        selectors.assignment_list(user=request.user)
        .filter(expert=request.user)
        .order_by("-lot__round_id", "lot__number")
    )
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bidding/review/assignments.html", {"page": page})


@login_required
def declare(request, pk):
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    if assignment.expert_id != request.user.pk:
        raise PermissionDenied
    bidders = selectors.lot_bidders(lot=assignment.lot)
    form = DeclarationForm(request.POST or None, bidders=bidders)
    if assignment.status != LotAssignment.Status.PENDING:
        form = None
    elif request.method == "POST" and form.is_valid():
        try:
            declared = services.assignment_declare(
                assignment=assignment,
                user=request.user,
                conflict=form.cleaned_data["conflict"],
                organization=form.cleaned_data["organization"],
                details=form.cleaned_data["details"],
            )
        except ApplicationError as exc:
            raise_for_status(exc)
            add_service_errors(form, exc)
        else:
            if declared.status == LotAssignment.Status.ACTIVE:
                messages.success(request, _("Thank you. You may now read and score the bids."))
                return redirect("bidding:review-score", declared.lot_id)
            messages.success(
                request, _("Your conflict of interest is recorded; you are recused from this lot.")
            )
            return redirect("bidding:review-assignments")
    return render(
        request,
        "bidding/review/declare.html",
        {"assignment": assignment, "bidders": bidders, "form": form},
    )


def _sheet_of(assignment) -> ScoreSheet | None:
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None


@login_required
def score(request, lot_pk):
    try:
        lot, assignment = selectors.lot_for_scoring(user=request.user, lot_pk=lot_pk)
    except ApplicationError as exc:
        raise_for_status(exc)
        raise
    sheet = _sheet_of(assignment)
    bids = list(selectors.ranked_bids(lot=lot).filter(status=Bid.Status.QUALIFIED).order_by("id"))
    criteria = selectors.technical_criteria(round=lot.round)
    price_criterion = next(
        (
            c
            for c in selectors.round_criteria(round=lot.round)
            if c.kind == RubricCriterion.Kind.PRICE
        ),
        None,
    )
    existing = {(s.bid_id, s.criterion_id): s.points for s in sheet.scores.all()} if sheet else {}
    locked = sheet is not None and sheet.status != ScoreSheet.Status.DRAFT
    in_review = lot.status == Lot.Status.IN_REVIEW
    form = ScoreSheetForm(
        request.POST if request.method == "POST" and not locked else None,
        bids=bids,
        criteria=criteria,
        initial_scores=existing,
        locked=locked or not in_review,
    )
    if request.method == "POST" and not locked and in_review and form.is_valid():
        submit = "submit" in request.POST
        try:
            entries = form.entries()
            saved = sheet
            if entries or sheet is None:
                saved = services.scores_save(
                    assignment=assignment, user=request.user, entries=entries
                )
            if submit:
                services.sheet_submit(sheet=saved, user=request.user)
        except ApplicationError as exc:
            raise_for_status(exc)
            add_service_errors(form, exc)
        else:
            if submit:
                messages.success(request, _("Your scores are submitted."))
                return redirect("bidding:review-result", lot.pk)
            messages.success(request, _("Your draft scores are saved."))
            return redirect("bidding:review-score", lot.pk)
    return render(
        request,
        "bidding/review/score.html",
        {
            "lot": lot,
            "round": lot.round,
            "assignment": assignment,
            "sheet": sheet,
            "form": form,
            "groups": form.grouped(),
            "criteria": criteria,
            "price_criterion": price_criterion,
            "locked": locked,
            "in_review": in_review,
            "scoring_rule": scoring.scoring_rule(priced=price_criterion is not None),
        },
    )


# Results, signatures and awards ---------------------------------------------------------


def _result_context(request, lot):
    result = selectors.lot_result(lot=lot)
    sheets = selectors.lot_sheets(lot=lot)
    own = next((s for s in sheets if s.expert_id == request.user.pk), None)
    progress = selectors.lot_progress(lot=lot)
    awards = list(
        Award.objects.filter(lot=lot).select_related("organization").order_by("rank", "id")
    )
    live = [a for a in awards if a.status != Award.Status.REVOKED]
    experts = [(s.expert_id, s.expert.display_name) for s in sheets]
    rows = []
    criteria_tables = []
    if result is not None:
        names = {c.id: c.name for c in result.criteria}
        for row in result.rows:
            rows.append(
                {
                    "row": row,
                    "flagged": [names[c] for c in row.flagged],
                    "experts": [
                        {
                            "technical": row.technical_by_expert.get(pk),
                            "total": row.total_by_expert.get(pk),
                            "dropped": pk in row.dropped,
                        }
                        for pk, _name in experts
                    ],
                }
            )
        points = {
            (s.expert_id, score.bid_id, score.criterion_id): score.points
            for s in sheets
            for score in s.scores.all()
        }
        for criterion in result.technical_criteria:
            criteria_tables.append(
                {
                    "criterion": criterion,
                    "rows": [
                        {
                            "organization": row.organization,
                            "points": [
                                points.get((pk, row.bid_id, criterion.id)) for pk, _n in experts
                            ],
                            "mean": row.criterion_means.get(criterion.id),
                            "flagged": criterion.id in row.flagged,
                        }
                        for row in result.rows
                    ],
                }
            )
    officer, approver = is_officer(request.user), is_approver(request.user)
    return {
        "lot": lot,
        "round": lot.round,
        "result": result,
        "rows": rows,
        "criteria_tables": criteria_tables,
        "experts": experts,
        "sheets": sheets,
        "own": own,
        "progress": progress,
        "awards": awards,
        "sign_form": SignForm()
        if own is not None and own.status == ScoreSheet.Status.SUBMITTED and result is not None
        else None,
        "can_propose": officer
        and lot.status == Lot.Status.IN_REVIEW
        and progress.all_signed
        and not live,
        "can_confirm": approver and any(a.status == Award.Status.PROPOSED for a in awards),
        "can_draw": officer
        and lot.status == Lot.Status.IN_REVIEW
        and progress.all_signed
        and not live
        and result is not None
        and bool(result.unresolved_ties),
        "tied_rows": [r for r in result.rows if r.tied] if result is not None else [],
        "ranking_rule": scoring.RANKING_RULE,
        "rounding_rule": scoring.ROUNDING_RULE,
        "scoring_rule": scoring.scoring_rule(
            priced=result.price_criterion is not None if result else lot.round.is_bidding
        ),
    }


@login_required
def result(request, lot_pk):
    try:
        lot = selectors.lot_for_results(user=request.user, lot_pk=lot_pk)
    except ApplicationError as exc:
        raise_for_status(exc)
        raise
    context = _result_context(request, lot)
    if request.method == "POST" and context["sign_form"] is not None:
        form = SignForm(request.POST)
        context["sign_form"] = form
        if form.is_valid():
            try:
                services.sheet_sign(
                    sheet=context["own"],
                    user=request.user,
                    password=form.cleaned_data["password"],
                    dissent=form.cleaned_data["dissent"],
                )
            except ApplicationError as exc:
                raise_for_status(exc)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("You have signed the result."))
                return redirect("bidding:review-result", lot.pk)
    return render(request, "bidding/review/result.html", context)


@login_required
def result_xlsx(request, lot_pk):
    try:
        lot = selectors.lot_for_results(user=request.user, lot_pk=lot_pk)
    except ApplicationError as exc:
        raise_for_status(exc)
        raise
    result = selectors.lot_result(lot=lot)
    if result is None:
        messages.error(request, _("The score sheet is available once every expert has submitted."))
        return redirect("bidding:review-result", lot.pk)
    return result_workbook_response(lot=lot, result=result, sheets=selectors.lot_sheets(lot=lot))


@login_required
@require_POST
def award_propose(request, lot_pk):
    lot = award_selectors.lot_get_for_staff(user=request.user, pk=lot_pk)
    run_action(
        request,
        lambda: award_services.award_propose(lot=lot, user=request.user),
        _("The award is proposed; the approver is asked to confirm it."),
    )
    return redirect("bidding:review-result", lot.pk)


@login_required
@require_POST
def award_record_draw(request, lot_pk):
    """Record the draw that orders tied bids: one position per tied bid."""
    lot = award_selectors.lot_get_for_staff(user=request.user, pk=lot_pk)
    positions = []
    for key, value in request.POST.items():
        if key.startswith("position_"):
            try:
                positions.append((int(value), int(key.removeprefix("position_"))))
            except ValueError:
                messages.error(request, _("Give each tied bid its position in the draw."))
                return redirect("bidding:review-result", lot.pk)
    if len({p for p, _b in positions}) != len(positions):
        messages.error(request, _("Give each tied bid a different position."))
        return redirect("bidding:review-result", lot.pk)
    run_action(
        request,
        lambda: award_services.lot_record_draw(
            lot=lot,
            user=request.user,
            order=[bid for _p, bid in sorted(positions)],
            record=request.POST.get("record", ""),
        ),
        _("The draw is recorded; the ranking follows it."),
    )
    return redirect("bidding:review-result", lot.pk)


@login_required
@require_POST
def award_confirm(request, lot_pk):
    lot = award_selectors.lot_get_for_staff(user=request.user, pk=lot_pk)
    run_action(
        request,
        lambda: award_services.lot_confirm(lot=lot, user=request.user),
        _("The award of the lot is confirmed."),
    )
    return redirect("bidding:review-result", lot.pk)


# Public notices and objections -----------------------------------------------------------


def notice_list(request):
    page = Paginator(
        award_selectors.notice_list().order_by("-published_at", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "bidding/review/notice_list.html", {"page": page})


def _objection_form(request, notice, data=None):
    if not request.user.is_authenticated or not award_services.objection_window_open(notice):
        return None
    organizations = award_services.participant_organizations(
        user=request.user, round=notice.round
    ).order_by("name")
    if not organizations.exists():
        return None
    lots = Lot.objects.filter(
        round=notice.round,
        status__in=(Lot.Status.AWARDED, Lot.Status.FAILED, Lot.Status.IN_REVIEW),
    ).order_by("number")
    return ObjectionForm(data, lots=lots, organizations=organizations)


def notice_detail(request, pk):
    notice = award_selectors.notice_get(pk=pk)
    form = _objection_form(request, notice, request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form is None:
            messages.error(
                request, _("The notice period is over; objections are no longer accepted.")
            )
            return redirect("bidding:notice-detail", notice.pk)
        if form.is_valid():
            try:
                objection = award_services.objection_file(
                    notice=notice, user=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                raise_for_status(exc)
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your objection is filed. It will be answered by %(due)s.")
                    % {"due": timezone.localtime(objection.answer_due).strftime("%Y-%m-%d")},
                )
                return redirect("bidding:objection-detail", objection.pk)
    return render(
        request,
        "bidding/review/notice_detail.html",
        {
            "notice": notice,
            "content": notice.content,
            "form": form,
            "in_period": award_services.objection_window_open(notice),
            "objections_until": award_services.objections_until(notice),
            "ranking_rule": scoring.RANKING_RULE,
        },
    )


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@login_required
def objection_list(request):
    qs = award_selectors.objection_list(user=request.user).order_by("-filed_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bidding/review/objection_list.html", {"page": page})


@login_required
def objection_detail(request, pk):
    objection = award_selectors.objection_get(user=request.user, pk=pk)
    form = None
    if is_officer(request.user) and objection.status == Objection.Status.OPEN:
        form = AnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                award_services.objection_answer(
                    objection=objection, user=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                raise_for_status(exc)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The objection is answered."))
                return redirect("bidding:objection-detail", objection.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request, "bidding/review/objection_detail.html", {"objection": objection, "form": form}
    )
