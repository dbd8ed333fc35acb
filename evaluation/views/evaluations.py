from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.errors import ApplicationError
from purchase_portal.forms import ReasonForm, add_service_errors
from purchase_portal.pages import raise_for_status, refusals, run_action
from purchase_portal.paging import keyset_page
from purchase_portal.roles import is_officer
from purchase_portal.uploads import file_response

from .. import selectors, services
from ..filters import EvaluationFilter
from ..forms import SURVEY_LABELS, AssignForm, EvidenceForm, FollowUpForm, RespondForm
from ..models import Evaluation, Indicator
from ..rules import is_assigned_evaluator, is_evaluation_org_member
from ..services.work import computed_scores
from ..workflows import EVALUATION_WORKFLOW

S = Evaluation.Status
SCORE_ERROR = re.compile(r"^scores\[(\d+)\]\.(\w+)$")


#: The columns of the evaluations list that sort the rows; each ordering ends
#: with the unique id.
EVALUATION_SORTS = {
    "created": ("id",),
    "contract": ("contract__number", "stage", "id"),
    "organization": ("contract__organization__name", "contract__number", "id"),
    "stage": ("stage", "due_date", "id"),
    "due": ("due_date", "id"),
    "status": ("status", "due_date", "id"),
}


@login_required
def evaluation_list(request):
    base = selectors.evaluation_list(user=request.user)
    filterset = EvaluationFilter(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = keyset_page(qs, request, sorts=EVALUATION_SORTS, default_sort="-created")
    return render(
        request,
        "evaluation/list.html",
        {"filter": filterset, "evaluations": page.rows, "page": page},
    )


def _indicator_rows(evaluation: Evaluation, posted=None, errors=None):
    """Indicators in tree order with their scores (or the values just posted)."""
    rows = sorted(
        evaluation.template.indicators.all(),
        key=lambda r: [int(p) if p.isdigit() else 0 for p in r.code.split(".")],
    )
    parents = {r.parent_id for r in rows if r.parent_id}
    scores = {s.indicator_id: s for s in evaluation.scores.all()}
    computed = computed_scores(evaluation) if evaluation.status == S.IN_PROGRESS else {}
    out = []
    for r in rows:
        score = scores.get(r.pk)
        leaf = r.pk not in parents
        value = (
            posted.get(f"score_{r.pk}", "")
            if posted is not None
            else (score.score if score else "")
        )
        comment = (
            posted.get(f"comment_{r.pk}", "")
            if posted is not None
            else (score.comment if score else "")
        )
        out.append(
            {
                "indicator": r,
                "depth": r.code.count("."),
                "leaf": leaf,
                "editable": leaf and r.source == Indicator.Source.MANUAL and r.pk not in computed,
                "score": computed.get(r.pk, value),
                "comment": comment,
                "errors": (errors or {}).get(r.pk, []),
            }
        )
    return out


def _work_data(evaluation: Evaluation, post) -> tuple[dict, list[int]]:
    """The evaluator's form → the service's data (and which indicator each score row is)."""
    order = []
    scores = []
    for r in evaluation.template.indicators.all():
        key = f"score_{r.pk}"
        if key in post and post[key].strip() != "":
            order.append(r.pk)
            scores.append(
                {"indicator": r.pk, "score": post[key], "comment": post.get(f"comment_{r.pk}", "")}
            )
    data = {"scores": scores}
    for field, _label in SURVEY_LABELS:
        if field in post:
            data[field] = post[field] or "0"
    for field in ("findings", "recommendations"):
        if field in post:
            data[field] = post[field]
    return data, order


def _context(request, evaluation, **extra):
    user = request.user
    transitions = EVALUATION_WORKFLOW.available(evaluation, user)
    evaluator = is_assigned_evaluator(user, evaluation)
    reports = list(evaluation.reports.order_by("-version"))
    facts = selectors.contract_facts(evaluation.contract)
    ctx = {
        "evaluation": evaluation,
        "contract": evaluation.contract,
        "transitions": [t for t in transitions if t.name not in ("approve", "return")],
        "can_decide": any(t.name in ("approve", "return") for t in transitions),
        "own_submission": evaluation.status == S.SUBMITTED
        and evaluation.submitted_by_id == user.pk,
        "can_edit": evaluator and evaluation.status == S.IN_PROGRESS,
        "can_assign": is_officer(user) and evaluation.status in (S.PLANNED, S.RETURNED),
        "can_respond": is_evaluation_org_member(user, evaluation)
        and evaluation.status == S.APPROVED
        and evaluation.responded_at is None,
        "can_follow_up": is_officer(user)
        and evaluation.status == S.APPROVED
        and evaluation.passed is False,
        "facts": facts,
        "targets_chart": selectors.targets_chart(
            key=f"evaluation-{evaluation.pk}", targets=facts["targets"]
        ),
        "rows": _indicator_rows(evaluation),
        "survey": [(f, label, getattr(evaluation, f)) for f, label in SURVEY_LABELS],
        "reports": reports,
        "evidence": list(evaluation.evidence.select_related("indicator")),
        "panel": list(evaluation.members.select_related("expert")),
        "assign_form": AssignForm(initial={"due_date": evaluation.due_date}),
        "reason_form": ReasonForm(),
        "respond_form": RespondForm(),
        "follow_up_form": FollowUpForm(),
        "evidence_form": EvidenceForm(template=evaluation.template),
        "work_errors": [],
    }
    ctx.update(extra)
    return ctx


@login_required
def evaluation_detail(request, pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    if request.method == "POST":
        if not is_assigned_evaluator(request.user, evaluation):
            raise Http404
        data, order = _work_data(evaluation, request.POST)
        # A 403/404 refusal becomes that page; others are shown beside the scores.
        with refusals(request, on_error=raise_for_status) as call:
            services.evaluation_save(evaluation=evaluation, user=request.user, data=data)
        if not call.ok:
            exc = call.error
            by_indicator: dict = {}
            general = []
            for key, msgs in exc.fields.items():
                match = SCORE_ERROR.match(key)
                msgs = [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
                if match and int(match.group(1)) < len(order):
                    by_indicator.setdefault(order[int(match.group(1))], []).extend(msgs)
                else:
                    general += msgs
            ctx = _context(request, evaluation, work_errors=[str(exc.message), *general])
            ctx["rows"] = _indicator_rows(evaluation, request.POST, by_indicator)
            ctx["survey"] = [(f, label, request.POST.get(f, "")) for f, label in SURVEY_LABELS]
            return render(request, "evaluation/detail.html", ctx, status=400)
        messages.success(request, _("Saved."))
        return redirect("evaluation:detail", pk=evaluation.pk)
    return render(request, "evaluation/detail.html", _context(request, evaluation))


@login_required
@require_POST
def evaluation_action(request, pk, action):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    user = request.user
    post = request.POST
    actions = {
        "start": (
            lambda: services.evaluation_start(evaluation=evaluation, user=user),
            _("Started."),
        ),
        "submit": (
            lambda: services.evaluation_submit(evaluation=evaluation, user=user),
            _("Submitted for approval."),
        ),
        "approve": (
            lambda: services.evaluation_approve(evaluation=evaluation, user=user),
            _("Approved. The report is being generated."),
        ),
        "return": (
            lambda: services.evaluation_return(
                evaluation=evaluation, user=user, reason=post.get("reason", "")
            ),
            _("Returned to the evaluator."),
        ),
        "respond": (
            lambda: services.evaluation_respond(
                evaluation=evaluation, user=user, text=post.get("text", "")
            ),
            _("Your response is recorded and will appear in the report."),
        ),
        "follow-up": (
            lambda: services.evaluation_follow_up(
                evaluation=evaluation,
                user=user,
                follow_up=post.get("follow_up", ""),
                note=post.get("note", ""),
            ),
            _("Follow-up recorded."),
        ),
    }
    if action == "assign":
        form = AssignForm(post)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return redirect("evaluation:detail", pk=evaluation.pk)

        def assign():
            if form.cleaned_data.get("due_date"):
                services.evaluation_set_due_date(
                    evaluation=evaluation, user=user, due_date=form.cleaned_data["due_date"]
                )
            services.evaluation_assign(
                evaluation=evaluation,
                user=user,
                evaluator_organization=form.cleaned_data["evaluator_organization"],
                experts=list(form.cleaned_data["experts"]),
            )

        run_action(request, assign, _("Assigned."))
        return redirect("evaluation:detail", pk=evaluation.pk)
    if action not in actions:
        raise Http404
    call, success = actions[action]
    run_action(request, call, success)
    return redirect("evaluation:detail", pk=evaluation.pk)


@login_required
def evaluation_evidence(request, pk):
    """Upload (POST, the evaluator) or download (GET ?file=<id>) evidence."""
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES, template=evaluation.template)
        if form.is_valid():
            with refusals(request) as call:
                services.evaluation_add_evidence(
                    evaluation=evaluation,
                    user=request.user,
                    file=form.cleaned_data["file"],
                    indicator_id=form.cleaned_data["indicator"].pk
                    if form.cleaned_data["indicator"]
                    else None,
                    title=form.cleaned_data["title"],
                )
            if call.ok:
                messages.success(request, _("Evidence added."))
        else:
            add_service_errors(form, ApplicationError(_("The file was not accepted.")))
            messages.error(request, _("The file was not accepted."))
        return redirect("evaluation:detail", pk=evaluation.pk)
    evidence = selectors.evaluation_evidence_get(evaluation=evaluation, pk=request.GET.get("file"))
    return file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
