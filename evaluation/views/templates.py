from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.pages import refusals, run_action
from purchase_portal.roles import is_federation_staff, is_officer

from .. import selectors, services
from ..forms import ChooseRoundForm, IndicatorFormSet, TemplateForm, flatten, nest_rows


def _staff(user) -> None:
    if not is_federation_staff(user):
        raise PermissionDenied


@login_required
def template_list(request):
    _staff(request.user)
    templates = selectors.template_list()
    choices = selectors.round_template_list()
    return render(
        request,
        "evaluation/templates/list.html",
        {"templates": templates, "choices": choices, "can_edit": is_officer(request.user)},
    )


@login_required
def template_detail(request, pk):
    _staff(request.user)
    template = selectors.template_get(pk=pk)
    rows = sorted(
        template.indicators.all(),
        key=lambda r: [int(p) if p.isdigit() else 0 for p in r.code.split(".")],
    )
    return render(
        request,
        "evaluation/templates/detail.html",
        {
            "template": template,
            "rows": [(r, r.code.count(".")) for r in rows],
            "can_edit": is_officer(request.user),
            "choose_form": ChooseRoundForm(),
            "rounds": selectors.template_rounds(template=template),
        },
    )


@login_required
def template_edit(request, pk=None):
    """Create a template, or edit one; a frozen version is saved as a new version."""
    if not is_officer(request.user):
        raise PermissionDenied
    template = selectors.template_get(pk=pk) if pk else None
    if request.method == "POST":
        form = TemplateForm(request.POST)
        formset = IndicatorFormSet(request.POST, prefix="ind")
        if form.is_valid() and formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            data = {**form.cleaned_data, "indicators": nest_rows(rows)}
            with refusals(request, form=form) as call:
                if template is None:
                    saved = services.template_create(user=request.user, data=data)
                else:
                    saved = services.template_update(
                        template=template, user=request.user, data=data
                    )
            if call.ok:
                if template is not None and saved.pk != template.pk:
                    messages.success(
                        request,
                        _("The template is in use, so the change was saved as version %(v)s.")
                        % {"v": saved.version},
                    )
                else:
                    messages.success(request, _("Template saved."))
                return redirect("evaluation:template-detail", pk=saved.pk)
    else:
        source = template or None
        if source is None:
            initial = {**services.DEFAULT_TEMPLATE}
            tree = services.DEFAULT_TEMPLATE["indicators"]
        else:
            initial = {
                "name": source.name,
                "description": source.description,
                "pass_line": source.pass_line,
                "good_from": source.good_from,
                "excellent_from": source.excellent_from,
                "overdue_report_fails": source.overdue_report_fails,
            }
            tree = services.template_tree(source)
        form = TemplateForm(initial=initial)
        formset = IndicatorFormSet(
            prefix="ind",
            initial=[{**row, "source": row.get("source", "manual")} for row in flatten(tree)],
        )
    return render(
        request,
        "evaluation/templates/edit.html",
        {"form": form, "formset": formset, "template": template},
    )


@login_required
@require_POST
def template_choose_round(request, pk):
    if not is_officer(request.user):
        raise PermissionDenied
    template = selectors.template_get(pk=pk)
    form = ChooseRoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a round."))
    else:
        run_action(
            request,
            lambda: services.round_choose_template(
                round=form.cleaned_data["round"], template=template, user=request.user
            ),
            _("The round will be evaluated with this template."),
        )
    return redirect("evaluation:template-detail", pk=template.pk)
