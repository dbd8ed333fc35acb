"""Pages for purchase projects, the purchase catalogue and the annual plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from purchase_portal.duties import SEPARATION_RULE
from purchase_portal.forms import ReasonForm
from purchase_portal.pages import refusals, run_action
from purchase_portal.paging import keyset_page
from purchase_portal.selectors import can_read_audit

from . import selectors, services
from .exports import annual_plan_workbook
from .filters import CatalogueItemFilter, ProjectFilter
from .forms import CatalogueItemForm, PlanYearForm, ProjectForm, target_formset
from .rules import (
    can_approve_catalogue_budget,
    can_draft_projects,
    can_edit_project,
    can_manage_catalogue,
    can_see_projects,
)


def _require_staff(user) -> None:
    if not can_see_projects(user):
        raise PermissionDenied


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


#: The columns the lists sort by; each ordering ends with the unique id. The
#: newest year comes first by default ("-year" reverses every field, so the
#: default keeps the codes ascending within a year).
PROJECT_SORTS = {
    "year": ("year", "-code", "-id"),
    "code": ("code", "id"),
    "title": ("title", "id"),
    "budget": ("budget_ceiling", "id"),
    "status": ("status", "-year", "code", "id"),
}
CATALOGUE_SORTS = {
    "year": ("year", "-code", "-id"),
    "code": ("code", "year", "id"),
    "name": ("name", "id"),
    "budget": ("budget", "id"),
}


@login_required
@require_safe
def project_list(request):
    base = selectors.project_list(user=request.user).order_by("-year", "code")
    filterset = ProjectFilter(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = keyset_page(qs, request, sorts=PROJECT_SORTS, default_sort="-year")
    return render(
        request,
        "projects/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query_without_page(request),
            "can_create": can_draft_projects(request.user),
        },
    )


def _save_project(request, *, project=None):
    form = ProjectForm(request.POST or None, project=project)
    formset = target_formset(request.POST or None, project=project)
    if request.method == "POST":
        forms_valid = form.is_valid() & formset.is_valid()
        if forms_valid:
            data = {**form.cleaned_data, "targets": formset.targets()}
            with refusals(
                request,
                form=form,
            ) as call:
                if project is None:
                    project = services.project_create(user=request.user, data=data)
                else:
                    services.project_update(project=project, user=request.user, data=data)
            if call.ok:
                messages.success(
                    request, _("Project %(code)s has been saved.") % {"code": project.code}
                )
                return redirect("projects:detail", project.pk)
    return render(
        request, "projects/form.html", {"form": form, "formset": formset, "project": project}
    )


@login_required
def project_create(request):
    if not can_draft_projects(request.user):
        raise PermissionDenied
    return _save_project(request)


@login_required
def project_edit(request, pk):
    project = selectors.project_get(user=request.user, pk=pk)
    if not can_draft_projects(request.user):
        raise PermissionDenied
    if not project.is_editable:
        messages.error(
            request,
            _("Only a draft can be edited; a returned project must be reopened first.")
            if not project.budget_frozen
            else _("An approved or cancelled project cannot be changed."),
        )
        return redirect("projects:detail", project.pk)
    return _save_project(request, project=project)


@login_required
@require_safe
def project_detail(request, pk):
    project = selectors.project_get(user=request.user, pk=pk)
    user = request.user
    missing = services.incomplete_fields(project) if can_edit_project(user, project) else {}
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "transitions": services.PROJECT_WORKFLOW.available(project, user),
            "reason_transitions": services.REASON_TRANSITIONS,
            "can_edit": can_edit_project(user, project),
            "can_read_audit": can_read_audit(user),
            "missing": missing,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def project_transition(request, pk, action):
    project = selectors.project_get(user=request.user, pk=pk)
    if action not in services.TRANSITION_SERVICES:
        raise Http404
    with refusals(request) as call:
        services.project_transition(
            project=project, user=request.user, name=action, reason=request.POST.get("reason", "")
        )
    if call.ok:
        messages.success(
            request,
            _("Done: project %(code)s is now “%(status)s”.")
            % {"code": project.code, "status": project.get_status_display()},
        )
    return redirect("projects:detail", project.pk)


def _plan_year(request) -> tuple[int, PlanYearForm]:
    years = selectors.catalogue_years()
    form = PlanYearForm(request.GET or None, years=years)
    year = timezone.localdate().year
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
    return year, form


@login_required
@require_safe
def annual_plan(request):
    _require_staff(request.user)
    year, form = _plan_year(request)
    plan = selectors.annual_plan(user=request.user, year=year)
    return render(request, "projects/plan.html", {"plan": plan, "year_form": form})


@login_required
@require_safe
def annual_plan_export(request):
    _require_staff(request.user)
    year, _form = _plan_year(request)
    plan = selectors.annual_plan(user=request.user, year=year)
    return annual_plan_workbook(plan)


@login_required
@require_safe
def catalogue_list(request):
    _require_staff(request.user)
    base = selectors.catalogue_item_list(user=request.user)
    params = request.GET.copy()
    params.setdefault("year", str(timezone.localdate().year))
    filterset = CatalogueItemFilter(params, queryset=base)
    qs = filterset.qs if filterset.is_valid() else base.none()
    page = keyset_page(qs, request, sorts=CATALOGUE_SORTS, default_sort="-year")
    return render(
        request,
        "projects/catalogue.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query_without_page(request),
            "can_manage": can_manage_catalogue(request.user),
            "approvable": {i.pk for i in page if can_approve_catalogue_budget(request.user, i)},
            "separation_rule": SEPARATION_RULE,
            "chart_year": filterset.form.cleaned_data.get("year") if filterset.is_valid() else None,
        },
    )


@login_required
def catalogue_create(request):
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    form = CatalogueItemForm(
        request.POST or None, with_budget=services.can_set_catalogue_budget(request.user)
    )
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            item = services.catalogue_item_create(user=request.user, data=dict(form.cleaned_data))
        if call.ok:
            messages.success(request, _("Catalogue item %(code)s added.") % {"code": item.code})
            return redirect(f"{_catalogue_url()}?year={item.year}")
    return render(request, "projects/catalogue_form.html", {"form": form, "item": None})


@login_required
def catalogue_edit(request, pk):
    item = selectors.catalogue_item_get(user=request.user, pk=pk)
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    form = CatalogueItemForm(
        request.POST or None,
        item=item,
        with_budget=services.can_set_catalogue_budget(request.user),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            services.catalogue_item_update(
                item=item, user=request.user, data=dict(form.cleaned_data)
            )
        if call.ok:
            messages.success(request, _("Catalogue item %(code)s saved.") % {"code": item.code})
            return redirect(f"{_catalogue_url()}?year={form.cleaned_data['year']}")
    return render(request, "projects/catalogue_form.html", {"form": form, "item": item})


@login_required
@require_POST
def catalogue_budget_approve(request, pk):
    item = selectors.catalogue_item_get(user=request.user, pk=pk)
    run_action(
        request,
        lambda: services.catalogue_budget_approve(item=item, user=request.user),
        _("The budget of %(code)s is approved.") % {"code": item.code},
    )
    return redirect(f"{_catalogue_url()}?year={item.year}")


def _catalogue_url() -> str:
    return reverse("projects:catalogue")
