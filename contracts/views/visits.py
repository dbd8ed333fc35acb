from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.pages import refusals, run_action
from purchase_portal.roles import is_officer
from purchase_portal.uploads import file_response

from .. import selectors, services
from ..forms import CommentForm, RectificationFormSet, RespondForm, SiteVisitForm
from ..models import Rectification
from ..rules import is_contract_org_member
from ..workflows import RECTIFICATION_WORKFLOW


@login_required
def visit_create(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    if not is_officer(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = SiteVisitForm(data)
    formset = RectificationFormSet(data, prefix="rectifications")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        items = [
            {"description": f.cleaned_data["description"], "deadline": f.cleaned_data["deadline"]}
            for f in formset
            if f.cleaned_data.get("description")
        ]
        with refusals(
            request,
            form=form,
        ) as call:
            services.site_visit_create(
                contract=contract, user=request.user, rectifications=items, **form.cleaned_data
            )
        if call.ok:
            messages.success(request, _("The site visit has been recorded."))
            return redirect(f"{_contract_url(contract.pk)}#visits")
    return render(
        request,
        "contracts/visit_form.html",
        {"form": form, "formset": formset, "contract": contract},
    )


def _contract_url(pk) -> str:
    from django.urls import reverse

    return reverse("contracts:detail", args=[pk])


@login_required
def rectification_detail(request, pk):
    user = request.user
    rectification = selectors.rectification_get(user=user, pk=pk)
    can_respond = (
        is_contract_org_member(user, rectification)
        and rectification.status == Rectification.Status.OPEN
    )
    form = RespondForm(request.POST or None, request.FILES or None) if can_respond else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            with refusals(
                request,
                form=form,
            ) as call:
                services.rectification_respond(
                    rectification=rectification,
                    user=user,
                    text=form.cleaned_data["text"],
                    file=form.cleaned_data.get("file"),
                )
            if call.ok:
                messages.success(request, _("Your response has been sent."))
                return redirect("contracts:rectification-detail", rectification.pk)
    return render(
        request,
        "contracts/rectification_detail.html",
        {
            "rectification": rectification,
            "form": form,
            "transitions": [
                t
                for t in RECTIFICATION_WORKFLOW.available(rectification, user)
                if t.name != "respond"
            ],
            "comment_form": CommentForm(),
        },
    )


@login_required
@require_POST
def rectification_action(request, pk, action):
    rectification = selectors.rectification_get(user=request.user, pk=pk)
    comment = request.POST.get("comment", "")
    handlers = {
        "close": lambda: services.rectification_close(
            rectification=rectification, user=request.user, comment=comment
        ),
        "reopen": lambda: services.rectification_reopen(
            rectification=rectification, user=request.user, comment=comment
        ),
    }
    if action not in handlers:
        raise Http404
    run_action(request, handlers[action], _("Done."))
    return redirect("contracts:rectification-detail", rectification.pk)


@login_required
def rectification_file(request, pk):
    response = selectors.rectification_response_file(user=request.user, pk=pk)
    if response is None:
        raise Http404
    return file_response(
        response.file, filename=response.original_name, content_type=response.content_type
    )
