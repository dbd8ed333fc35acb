"""Pages of incubation (孵化): the list, entering an organization, and one
incubation with its milestones, support, mentoring logs and outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.pages import refusals
from purchase_portal.paging import keyset_page
from purchase_portal.roles import is_officer

from .. import selectors, services
from ..filters import IncubationFilter
from ..forms import (
    IncubationEndForm,
    IncubationForm,
    MentoringLogForm,
    MilestoneAchieveForm,
    MilestoneFormSet,
    SupportForm,
)
from ..models import Incubation
from ..rules import can_write_mentoring_log
from ..workflows import INCUBATION_WORKFLOW

#: The columns of the incubations list that sort the rows; each ordering ends
#: with the unique id.
INCUBATION_SORTS = {
    "created": ("id",),
    "organization": ("organization__name", "id"),
    "start": ("started_on", "id"),
    "status": ("status", "-id"),
}


@login_required
def incubation_list(request):
    base = selectors.incubation_list(user=request.user)
    filterset = IncubationFilter(request.GET or None, queryset=base)
    invalid = filterset.is_bound and not filterset.is_valid()
    qs = base.none() if invalid else (filterset.qs if filterset.is_bound else base)
    page = keyset_page(qs, request, sorts=INCUBATION_SORTS, default_sort="-created")
    return render(
        request,
        "capacity/incubation_list.html",
        {
            "filter": filterset,
            "incubations": page.rows,
            "page": page,
            "can_create": is_officer(request.user),
        },
        status=400 if invalid else 200,
    )


@login_required
def incubation_create(request):
    if not is_officer(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = IncubationForm(data)
    formset = MilestoneFormSet(data, prefix="milestones")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        milestones = [
            {"title": f.cleaned_data["title"], "due_on": f.cleaned_data.get("due_on")}
            for f in formset
            if f.cleaned_data.get("title") or f.cleaned_data.get("due_on")
        ]
        with refusals(request, form=form) as call:
            incubation = services.incubation_create(
                user=request.user, milestones=milestones, **form.cleaned_data
            )
        if call.ok:
            messages.success(request, _("The organization has entered incubation."))
            return redirect("capacity:incubation-detail", pk=incubation.pk)
    return render(request, "capacity/incubation_form.html", {"form": form, "formset": formset})


@login_required
def incubation_detail(request, pk):
    user = request.user
    incubation = selectors.incubation_get(user=user, pk=pk)
    incubating = incubation.status == Incubation.Status.INCUBATING
    officer = is_officer(user)
    mentor = can_write_mentoring_log(user, incubation)
    actions = [t.name for t in INCUBATION_WORKFLOW.available(incubation, user)]
    logs = selectors.mentoring_log_list(user=user).filter(incubation=incubation)
    return render(
        request,
        "capacity/incubation_detail.html",
        {
            "incubation": incubation,
            "milestones": incubation.milestones.all(),
            "support": incubation.support.all(),
            "logs": logs,
            "can_achieve": incubating and mentor,
            "achieve_form": MilestoneAchieveForm() if incubating and mentor else None,
            "support_form": SupportForm() if incubating and officer else None,
            "log_form": MentoringLogForm() if incubating and mentor else None,
            "end_form": IncubationEndForm() if actions else None,
            "actions": actions,
        },
    )


def _post(request, incubation, form_class, call, success):
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(m) for errors in form.errors.values() for m in errors),
        )
        return redirect("capacity:incubation-detail", pk=incubation.pk)
    with refusals(request) as outcome:
        call(form.cleaned_data)
    if outcome.ok:
        messages.success(request, success)
    return redirect("capacity:incubation-detail", pk=incubation.pk)


@login_required
@require_POST
def incubation_support(request, pk):
    incubation = selectors.incubation_get(user=request.user, pk=pk)
    if not is_officer(request.user):
        raise PermissionDenied
    return _post(
        request,
        incubation,
        SupportForm,
        lambda d: services.support_record(user=request.user, incubation=incubation, **d),
        _("The support has been recorded."),
    )


@login_required
@require_POST
def mentoring_log_create(request, pk):
    incubation = selectors.incubation_get(user=request.user, pk=pk)
    if not can_write_mentoring_log(request.user, incubation):
        raise PermissionDenied
    return _post(
        request,
        incubation,
        MentoringLogForm,
        lambda d: services.mentoring_log_create(user=request.user, incubation=incubation, **d),
        _("The mentoring log has been saved."),
    )


@login_required
@require_POST
def milestone_achieve(request, pk):
    milestone = selectors.milestone_get(user=request.user, pk=pk)
    if not can_write_mentoring_log(request.user, milestone.incubation):
        raise PermissionDenied
    return _post(
        request,
        milestone.incubation,
        MilestoneAchieveForm,
        lambda d: services.milestone_achieve(user=request.user, milestone=milestone, **d),
        _("The milestone has been marked achieved."),
    )


@login_required
@require_POST
def incubation_end(request, pk, action):
    incubation = selectors.incubation_get(user=request.user, pk=pk)
    service = {
        "graduate": services.incubation_graduate,
        "withdraw": services.incubation_withdraw,
    }.get(action)
    if service is None:
        raise Http404
    if not INCUBATION_WORKFLOW[action].permits(request.user, incubation):
        raise PermissionDenied
    success = (
        _("The organization has graduated.")
        if action == "graduate"
        else _("The incubation has been ended.")
    )
    return _post(
        request,
        incubation,
        IncubationEndForm,
        lambda d: service(user=request.user, incubation=incubation, **d),
        success,
    )
