"""Officers' pages of rounds: set-up (lots, rubric, tranche plan), publishing,
cancelling and questions.

Federation staff read these pages; every change is an officer's (the services
check it). Before the opening, bids appear here only as counts per lot.
"""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.confirm import Confirmation, Fact, amount, confirm_page, when
from purchase_portal.forms import ReasonForm
from purchase_portal.pages import refusals
from purchase_portal.paging import keyset_page
from purchase_portal.roles import is_federation_staff, is_officer

from .. import sealing
from ..filters import RoundFilter
from ..forms.rounds import (
    AnswerForm,
    CriterionFormSet,
    DeadlineExtensionForm,
    LotAddForm,
    LotEditForm,
    RoundForm,
    TrancheFormSet,
)
from ..models import Lot, Round
from ..selectors import lifecycle
from ..selectors import rounds as selectors
from ..services import clarifications as clarification_services
from ..services import opening as opening_services
from ..services import rounds as services
from ..services import terms as term_services
from ..workflows import ROUND_WORKFLOW
from .common import staff_round

#: The columns the list of rounds sorts by; each ordering ends with the unique id.
ROUND_SORTS = {
    "created": ("created_at", "id"),
    "code": ("code",),
    "title": ("title", "id"),
    "kind": ("kind", "-created_at", "-id"),
    "status": ("status", "-created_at", "-id"),
}


@login_required
def round_list(request):
    if not is_federation_staff(request.user):
        return redirect("bidding:call-list")
    base = selectors.round_list(user=request.user).order_by("-pk")
    filterset = RoundFilter(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = keyset_page(qs, request, sorts=ROUND_SORTS, default_sort="-created")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "bidding/rounds/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_create": is_officer(request.user),
        },
    )


@login_required
def round_create(request):
    if not is_officer(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            round_ = services.round_create(user=request.user, data=form.round_data())
        if call.ok:
            messages.success(request, _("The draft round has been created. Add its lots next."))
            return redirect("bidding:round-lots", round_.pk)
    return render(
        request,
        "bidding/rounds/form.html",
        {"form": form, "round": None, "steps": lifecycle.setup_steps(None, current="details")},
    )


def _setup_steps(round_: Round, current: str) -> list:
    """The set-up steps of a draft round (none once it is published)."""
    if round_.status != Round.Status.DRAFT:
        return []
    return lifecycle.setup_steps(
        round_, current=current, problems=services.publication_problems(round_)
    )


def _after_step(round_: Round, step: str):
    """Where saving a set-up step leads: the next step of a draft round."""
    following = lifecycle.next_setup_step(step)
    if round_.status == Round.Status.DRAFT and following:
        return redirect(lifecycle.setup_url(round_, following))
    return redirect("bidding:round-detail", round_.pk)


@login_required
def round_detail(request, pk):
    if not is_federation_staff(request.user):
        return redirect("bidding:call-detail", pk)
    round_ = selectors.round_get(user=request.user, pk=pk)
    user = request.user
    problems = services.publication_problems(round_) if round_.status == "draft" else {}
    lots = list(selectors.lot_bid_counts(round=round_).select_related("project"))
    deadline_passed = (
        round_.submission_deadline is not None and timezone.now() >= round_.submission_deadline
    )
    transitions = [t.name for t in ROUND_WORKFLOW.available(round_, user)]
    context = {
        "round": round_,
        "lots": lots,
        "bid_total": sum(lot.bid_count for lot in lots),
        "transitions": transitions,
        "can_close": "close" in transitions and deadline_passed,
        "can_open": is_officer(user)
        and deadline_passed
        and round_.status in (Round.Status.PUBLISHED, Round.Status.CLOSED),
        "is_officer": is_officer(user),
        "problems": problems,
        "steps": lifecycle.setup_steps(round_, current="publish", problems=problems)
        if round_.status == Round.Status.DRAFT and is_officer(user)
        else [],
        "milestones": lifecycle.round_lifecycle(round=round_),
        "unanswered": selectors.unanswered_count(round=round_),
        "reason_form": ReasonForm(),
        "opening": selectors.opening_record(round=round_),
        "can_read_bids": round_.is_opened and sealing.may_read_opened_bids(user),
    }
    return render(request, "bidding/rounds/detail.html", context)


@login_required
def round_edit(request, pk):
    round_ = staff_round(request, pk)
    if not is_officer(request.user):
        raise PermissionDenied
    if round_.status != Round.Status.DRAFT:
        messages.error(
            request, _("A published round cannot be changed; cancel it with a reason instead.")
        )
        return redirect("bidding:round-detail", round_.pk)
    step = request.GET.get("step")
    if step not in RoundForm.STEPS:
        step = None
    form = RoundForm(request.POST or None, instance=round_, step=step)
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            services.round_update(round=round_, user=request.user, data=form.round_data())
        if call.ok:
            messages.success(request, _("The round has been saved."))
            if step:
                return _after_step(round_, step)
            return redirect("bidding:round-detail", round_.pk)
    return render(
        request,
        "bidding/rounds/form.html",
        {
            "form": form,
            "round": round_,
            "step": step,
            "steps": _setup_steps(round_, step or "details"),
            "calendar_warnings": services.timeline_warnings(round_)
            if step in (None, "timeline")
            else {},
        },
    )


@login_required
def round_lots(request, pk):
    round_ = staff_round(request, pk)
    editable = round_.status == Round.Status.DRAFT and is_officer(request.user)
    projects = term_services.projects_available_for_lots().select_related("category")
    form = LotAddForm(request.POST or None, round=round_, projects=projects)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            with refusals(
                request,
                form=form,
            ) as call:
                term_services.lot_add(round=round_, user=request.user, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("The lot has been added."))
                return redirect("bidding:round-lots", round_.pk)
    return render(
        request,
        "bidding/rounds/lots.html",
        {
            "round": round_,
            "lots": round_.lots.all(),
            "form": form,
            "editable": editable,
            "steps": _setup_steps(round_, "lots") if editable else [],
            "next_step": lifecycle.setup_url(round_, "rubric"),
        },
    )


def _round_lot(request, pk, lot_pk) -> tuple[Round, Lot]:
    round_ = staff_round(request, pk)
    lot = next((lot for lot in round_.lots.all() if lot.pk == lot_pk), None)
    if lot is None:
        raise Http404
    return round_, lot


@login_required
def lot_edit(request, pk, lot_pk):
    round_, lot = _round_lot(request, pk, lot_pk)
    if not is_officer(request.user):
        raise PermissionDenied
    initial = {"title": lot.title, "cap": lot.cap, "max_awards": lot.max_awards}
    form = LotEditForm(request.POST or None, initial=initial, round=round_)
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            term_services.lot_update(lot=lot, user=request.user, data=form.cleaned_data)
        if call.ok:
            messages.success(request, _("The lot has been saved."))
            return redirect("bidding:round-lots", round_.pk)
    return render(
        request, "bidding/rounds/lot_form.html", {"round": round_, "lot": lot, "form": form}
    )


@login_required
@require_POST
def lot_remove(request, pk, lot_pk):
    round_, lot = _round_lot(request, pk, lot_pk)
    with refusals(request) as call:
        term_services.lot_remove(lot=lot, user=request.user)
    if call.ok:
        messages.success(request, _("The lot has been removed."))
    return redirect("bidding:round-lots", round_.pk)


def _formset_errors(formset, exc) -> None:
    """A service's refusal of the rows, shown above the formset."""
    errors = []
    for value in exc.fields.values():
        errors.extend(value if isinstance(value, list) else [value])
    formset.service_errors = errors or [str(exc.message)]


def _rows_page(request, round_, *, formset_class, initial, service, template, title, step):
    if request.method == "POST":
        if not is_officer(request.user):
            raise PermissionDenied
        formset = formset_class(request.POST)
        if formset.is_valid():
            with refusals(request, on_error=lambda exc: _formset_errors(formset, exc)) as call:
                service(round_, formset.rows())
            if call.ok:
                messages.success(request, _("Saved."))
                return _after_step(round_, step)
    else:
        formset = formset_class(initial=initial)
    editable = round_.status == Round.Status.DRAFT and is_officer(request.user)
    return render(
        request,
        template,
        {
            "round": round_,
            "formset": formset,
            "editable": editable,
            "title": title,
            "steps": _setup_steps(round_, step) if editable else [],
            "total": formset_total(formset, "max_points") if step == "rubric" else None,
        },
    )


def formset_total(formset, field: str):
    """The sum of a column of the rows as the page shows them: the rows posted
    (even when they do not validate) or the rows saved; rows to delete and
    values that are not numbers count for nothing."""
    total = Decimal(0)
    for form in formset.forms:
        prefix = form.prefix
        if formset.is_bound:
            if form.data.get(f"{prefix}-DELETE"):
                continue
            raw = form.data.get(f"{prefix}-{field}", "")
        else:
            raw = (form.initial or {}).get(field, "")
        try:
            value = Decimal(str(raw).strip() or "0")
        except InvalidOperation:
            continue
        if value.is_finite():
            total += value
    return total


@login_required
def round_rubric(request, pk):
    round_ = staff_round(request, pk)
    initial = [
        {"name": c.name, "kind": c.kind, "max_points": c.max_points, "guidance": c.guidance}
        for c in round_.criteria.all()
    ]
    return _rows_page(
        request,
        round_,
        formset_class=CriterionFormSet,
        initial=initial,
        service=lambda r, rows: term_services.rubric_set(round=r, user=request.user, criteria=rows),
        template="bidding/rounds/rubric.html",
        title=_("Rubric"),
        step="rubric",
    )


@login_required
def round_tranches(request, pk):
    round_ = staff_round(request, pk)
    initial = [{"share": t.share, "condition": t.condition} for t in round_.tranche_plan.all()]
    return _rows_page(
        request,
        round_,
        formset_class=TrancheFormSet,
        initial=initial,
        service=lambda r, rows: term_services.tranche_plan_set(
            round=r, user=request.user, items=rows
        ),
        template="bidding/rounds/tranches.html",
        title=_("Payment plan"),
        step="tranches",
    )


def _publish_confirmation(round_: Round) -> Confirmation:
    lots = list(round_.lots.order_by("number"))
    return Confirmation(
        title=_("Publish the call %(code)s?") % {"code": round_.code},
        action=reverse("bidding:round-action", args=[round_.pk, "publish"]),
        button=_("Publish the call"),
        back=reverse("bidding:round-detail", args=[round_.pk]),
        facts=[
            Fact(_("Round"), f"{round_.code} {round_.title}"),
            Fact(_("Kind"), round_.get_kind_display()),
            Fact(
                _("Lots"),
                [f"{lot.number}. {lot.title} · {_('cap')} {amount(lot.cap)}" for lot in lots],
            ),
            Fact(_("Total of the caps"), amount(sum((lot.cap for lot in lots), start=0))),
            Fact(_("Questions until"), when(round_.questions_until)),
            Fact(_("Submission deadline"), when(round_.submission_deadline)),
            Fact(_("Opening time"), when(round_.opening_at)),
        ],
        consequences=[
            _("The call, its lots, rubric, timeline and contract terms become public."),
            _(
                "The round's key is created and split among its opening officers; bids are "
                "sealed with it."
            ),
            _(
                "The call can no longer be edited: it can only be clarified, its deadline "
                "extended, or cancelled with a public reason (MOF Order No. 87 Art 27, Art 29)."
            ),
        ],
        recipients=[
            _("The public: the call appears on the list of open calls for every organization"),
        ],
    )


@login_required
def round_action(request, pk, action):
    """Publish, close, open, start the review or cancel (with a reason).
    A GET of "publish" shows what publishing does; only a POST acts."""
    round_ = staff_round(request, pk)
    user = request.user
    if request.method != "POST":
        if action != "publish":
            return HttpResponseNotAllowed(["POST"])
        if not is_officer(user):
            raise PermissionDenied
        if round_.status != Round.Status.DRAFT:
            return redirect("bidding:round-detail", round_.pk)
        if services.publication_problems(round_):
            messages.error(request, _("The round cannot be published yet."))
            return redirect("bidding:round-detail", round_.pk)
        return confirm_page(request, _publish_confirmation(round_))
    handlers = {
        "publish": lambda: services.round_publish(round=round_, user=user),
        "close": lambda: services.round_close(round=round_, user=user),
        "open": lambda: opening_services.round_open(round=round_, user=user),
        "start-review": lambda: opening_services.round_start_review(round=round_, user=user),
        "cancel": lambda: services.round_cancel(
            round=round_, user=user, reason=request.POST.get("reason", "")
        ),
    }
    if action not in handlers:
        raise Http404
    with refusals(request) as call:
        handlers[action]()
    if call.ok:
        round_.refresh_from_db()
        messages.success(
            request,
            _("Done: %(code)s is now “%(status)s”.")
            % {"code": round_.code, "status": round_.get_status_display()},
        )
        if action == "open":
            return redirect("bidding:round-opening", round_.pk)
    return redirect("bidding:round-detail", round_.pk)


@login_required
def round_questions(request, pk):
    round_ = staff_round(request, pk)
    questions = list(selectors.clarification_list(round=round_, user=request.user))
    # Answers and extensions only before the deadline (87号令 Art 27).
    open_for_changes = (
        is_officer(request.user)
        and round_.status == Round.Status.PUBLISHED
        and round_.submission_deadline is not None
        and timezone.now() < round_.submission_deadline
    )
    return render(
        request,
        "bidding/rounds/questions.html",
        {
            "round": round_,
            "questions": questions,
            "can_answer": open_for_changes,
            "extension_form": DeadlineExtensionForm() if open_for_changes else None,
        },
    )


@login_required
@require_POST
def question_answer(request, pk, question_pk):
    round_ = staff_round(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
        return redirect("bidding:round-questions", round_.pk)
    with refusals(request) as call:
        clarification = clarification_services.find_clarification(round=round_, pk=question_pk)
        clarification_services.clarification_answer(
            clarification=clarification,
            user=request.user,
            answer=form.cleaned_data["answer"],
            affects_bids=form.cleaned_data["affects_bids"],
        )
    if call.ok:
        messages.success(request, _("The answer is published."))
    return redirect("bidding:round-questions", round_.pk)


@login_required
@require_POST
def round_extend_deadline(request, pk):
    """Extend the deadline of a call still open for bids, with a reason (87号令 Art 27)."""
    round_ = staff_round(request, pk)
    form = DeadlineExtensionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("bidding:round-questions", round_.pk)
    with refusals(request) as call:
        clarification_services.round_extend_deadline(
            round=round_, user=request.user, **form.cleaned_data
        )
    if call.ok:
        messages.success(request, _("The deadline has been extended; bidders are notified."))
    return redirect("bidding:round-questions", round_.pk)
